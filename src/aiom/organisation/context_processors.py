"""Template context every page gets."""

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from aiom.organisation.access import access_for


def access(request: HttpRequest) -> dict[str, Any]:
    """`aiom_access`: the viewer's Access, computed only if a template asks for it."""
    return {"aiom_access": SimpleLazyObject(lambda: access_for(request.user))}
