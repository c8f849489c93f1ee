from django.urls import path

from aiom.lifecycle import views

app_name = "lifecycle"
urlpatterns = [
    path("use-cases/<int:pk>/move/", views.move, name="move"),
    path("use-cases/<int:pk>/request-review/", views.request_review, name="request_review"),
    path("use-cases/<int:pk>/pilot-plan/", views.pilot_plan, name="pilot_plan"),
    path("use-cases/<int:pk>/pilot-plan/extend/", views.extend_pilot, name="extend_pilot"),
    path("use-cases/<int:pk>/gate-overrides/", views.override, name="override"),
]
