"""What core asks about the person behind a request, without knowing the domain.

Who is an administrator, an external partner or a reviewer is the organisation's answer
(`organisation.access.access_for`); core's audit pages, its API plumbing and the memo only
need to ask. `settings.ACCESS_FOR` names the function that answers, so the dependency
points from organisation to core and never back: core imports no app.
"""

from collections.abc import Callable
from functools import cache
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class Viewer(Protocol):
    """The part of a user's access that core reads."""

    @property
    def user_id(self) -> int | None: ...

    @property
    def is_authenticated(self) -> bool: ...

    @property
    def is_admin(self) -> bool: ...

    @property
    def is_internal(self) -> bool: ...

    @property
    def is_external(self) -> bool: ...

    # An administrator reached through a token without the `admin` scope.
    @property
    def admin_withheld(self) -> bool: ...

    # Viewers with one key see the same objects (the memo keeps one figure per key).
    @property
    def visibility_key(self) -> str: ...


@cache
def _access_for() -> Callable[[Any], Viewer]:
    found: Callable[[Any], Viewer] = import_string(settings.ACCESS_FOR)
    return found


def viewer(user: Any) -> Viewer:
    """`user`'s access as the configured function computes it (cached on the user)."""
    return _access_for()(user)
