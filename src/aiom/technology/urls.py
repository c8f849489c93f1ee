from django.urls import path  # noqa: F401

app_name = "technology"
urlpatterns: list = []  # type: ignore[type-arg]
