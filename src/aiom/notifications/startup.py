"""At start-up: every finder the apps registered makes a kind of notice that exists.

A finder registered under a kind `NoticeKind` does not know would store notices no page
can label; the error names the kind and the known ones.
"""

from collections.abc import Sequence
from typing import Any

from django.core import checks

from aiom.notifications import finders
from aiom.notifications.models import NoticeKind


@checks.register()
def finder_kinds_are_known(
    app_configs: Sequence[Any] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    known = set(NoticeKind.values)
    return [
        checks.Error(
            f"sweep finder '{f.kind}' makes a kind of notice there is not; known: "
            f"{', '.join(sorted(known))}",
            hint="Add the kind to notifications.models.NoticeKind, or register a known one.",
            id="aiom.notifications.E001",
        )
        for f in finders.in_order()
        if f.kind not in known
    ]
