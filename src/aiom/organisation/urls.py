from django.urls import path

from aiom.organisation import views

app_name = "organisation"
urlpatterns = [
    path("org-units/", views.org_unit_list, name="org_units"),
    path("org-units/<int:pk>/", views.org_unit_detail, name="org_unit"),
    path("people/", views.people_list, name="people"),
    path("people/<int:pk>/", views.person_detail, name="person"),
]
