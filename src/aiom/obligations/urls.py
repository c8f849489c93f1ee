from django.urls import path

from aiom.obligations import views

app_name = "obligations"
urlpatterns = [
    path("obligations/", views.crosswalk_page, name="crosswalk"),
    path("obligations/evidence/<int:evidence_id>/", views.download, name="download"),
    path("use-cases/<int:pk>/obligations/", views.panel, name="panel"),
    path("use-cases/<int:pk>/obligations/<slug:key>/status/", views.set_status, name="status"),
    path(
        "use-cases/<int:pk>/obligations/<slug:key>/evidence/",
        views.add_evidence,
        name="evidence",
    ),
]
