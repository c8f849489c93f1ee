from django.urls import path

from aiom.literacy import views

app_name = "literacy"
urlpatterns = [
    path("literacy/", views.coverage_page, name="coverage"),
    path("literacy/people/<int:user_id>/", views.person_records, name="person"),
    path("literacy/import/", views.import_page, name="import"),
]
