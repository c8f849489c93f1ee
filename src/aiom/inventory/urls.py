from django.urls import path

from aiom.inventory import views

app_name = "inventory"
urlpatterns = [
    path("import/", views.upload, name="upload"),
    path("import/confirm/", views.confirm, name="confirm"),
]
