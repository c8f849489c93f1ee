from django.urls import path  # noqa: F401

app_name = "obligations"
urlpatterns: list = []  # type: ignore[type-arg]
