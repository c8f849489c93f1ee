from django.urls import path

from aiom.similarity import views

app_name = "similarity"
urlpatterns = [
    path("silos/", views.silos, name="silos"),
    path("use-cases/similar-panel/", views.similar_panel, name="similar_panel"),
    path("silos/link/", views.silo_link, name="silo_link"),
    path("use-cases/<int:pk>/links/", views.link_create, name="link"),
    path("use-cases/<int:pk>/links/<int:link_id>/delete/", views.link_delete, name="unlink"),
]
