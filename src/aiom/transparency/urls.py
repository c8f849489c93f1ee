from django.urls import path

from aiom.transparency import public, views

app_name = "transparency"
urlpatterns = [
    path("transparency/", public.page, name="page"),
    path("transparency/register.json", public.register_json, name="json"),
    path("transparency/register.csv", public.register_csv, name="csv"),
    path("transparency/register-omb-2025.csv", public.register_omb_csv, name="omb"),
    path("transparency/decisions/", views.decisions, name="decisions"),
    path("use-cases/<int:pk>/publication/", views.decide, name="decide"),
]
