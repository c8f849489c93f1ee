from django.urls import path

from aiom.governance.reviews import views

app_name = "reviews"
urlpatterns = [
    path("reviews/", views.queue, name="queue"),
    path("reviews/<int:pk>/", views.detail, name="detail"),
    path("decisions/", views.register, name="decisions"),
    path("review-conditions/<int:pk>/close/", views.close_condition, name="close_condition"),
]
