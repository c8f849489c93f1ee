from django.urls import path

from aiom.insights.analytics import views

app_name = "analytics"
urlpatterns = [
    path("diagnostics/", views.diagnostics_page, name="diagnostics"),
    path("analytics/<slug:name>.csv", views.export_csv, name="csv"),
]
