from django.urls import path

from aiom.portfolio import views

app_name = "portfolio"
urlpatterns = [
    path("", views.use_case_list, name="list"),
    path("new/", views.use_case_create, name="create"),
    path("<int:pk>/", views.use_case_detail, name="detail"),
    path("<int:pk>/edit/", views.use_case_edit, name="edit"),
]
