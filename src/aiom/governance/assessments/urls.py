"""Risk assessment pages; included with the namespace "assessment"."""

from django.urls import path

from aiom.governance.assessments import views

urlpatterns = [
    path("use-cases/<int:pk>/assessment/", views.assessment_form, name="form"),
    path("use-cases/<int:pk>/assessment/override/", views.override_tier, name="override"),
    path(
        "use-cases/<int:pk>/assessment/lowering/confirm/",
        views.confirm_lowering,
        name="confirm_lowering",
    ),
    path(
        "use-cases/<int:pk>/assessment/lowering/reject/",
        views.reject_lowering,
        name="reject_lowering",
    ),
]
