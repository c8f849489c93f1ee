"""The governance policy page (administrators), included at the site root as "policy"."""

from django.urls import path

from aiom.governance.policy import views

urlpatterns = [
    path("policy/", views.policy_page, name="page"),
    path("policy/validate/", views.policy_validate, name="validate"),
    path("policy/simulate/", views.policy_simulate, name="simulate"),
    path("policy/activate/", views.policy_activate, name="activate"),
]
