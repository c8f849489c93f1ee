from django.urls import path  # noqa: F401

app_name = "change"
urlpatterns: list = []  # type: ignore[type-arg]
