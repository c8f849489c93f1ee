from django.urls import path  # noqa: F401

app_name = "transparency"
urlpatterns: list = []  # type: ignore[type-arg]
