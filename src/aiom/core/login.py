"""The sign-in page: Django's LoginView with throttling and, when configured, an OIDC button."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpResponse

from aiom.core import throttle


class ThrottledAuthenticationForm(AuthenticationForm):
    """Refuses a locked account, or an address that must still wait, before checking the
    password; counts failures."""

    locked: throttle.Lockout | None = None

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        address = throttle.client_address(self.request) if self.request else ""
        self.locked = throttle.lockout(username=username, address=address)
        if self.locked is not None:
            raise forms.ValidationError(self.locked.message(), code="locked")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            self.locked = throttle.record_failure(username=username, address=address)
            if self.locked is not None:
                raise forms.ValidationError(self.locked.message(), code="locked") from None
            raise
        throttle.record_success(username=username)
        return cleaned


class LoginView(auth_views.LoginView):
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        locked: throttle.Lockout | None = getattr(form, "locked", None)
        if locked is not None:
            response.status_code = 429
            response["Retry-After"] = str(locked.seconds_left())
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["oidc"] = {
            "enabled": settings.AIOM_OIDC_ENABLED,
            "provider": settings.AIOM_OIDC_PROVIDER_NAME,
            "failed": self.request.GET.get("sso") == "failed",
        }
        return context
