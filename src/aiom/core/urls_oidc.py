"""OpenID Connect sign-in, at the names mozilla-django-oidc reverses (no namespace)."""

from django.urls import path

from aiom.core import oidc

urlpatterns = [
    path("authenticate/", oidc.AuthenticateView.as_view(), name="oidc_authentication_init"),
    path("callback/", oidc.CallbackView.as_view(), name="oidc_authentication_callback"),
]
