"""Maturity pages: the side-by-side view and the self-assessment questionnaire."""

from django.urls import path

from aiom.insights.maturity import views

app_name = "maturity"

urlpatterns = [
    path("maturity/", views.maturity_page, name="page"),
    path("maturity/self-assessment/", views.self_assessment, name="self_assessment"),
]
