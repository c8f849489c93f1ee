"""Who may read the audit events of use cases and themes (registered from ready()).

A use case's events are readable by whoever may see the use case; a theme's by every
internal person. Events on one use case that name another (similarity's links, recorded on
both ends) are readable only when the reader may see both ends, or the other end's id
and the link's reason would leak.
"""

from typing import Any

from django.db.models import CharField, IntegerField, Q
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce
from django.db.models.lookups import In

from aiom.core.visibility import visibility_rule
from aiom.organisation.access import access_for
from aiom.portfolio.models import UseCase

USE_CASE = "portfolio.usecase"
THEME = "portfolio.theme"
LINK_ACTIONS = ("link_use_case", "unlink_use_case")


def _end(key: str) -> Cast:
    """One end of a link event, from its snapshot (`after` on link, `before` on unlink)."""
    return Cast(Coalesce(KT(f"after__{key}"), KT(f"before__{key}")), output_field=IntegerField())


def use_case_events(user: Any) -> Q | None:
    if not access_for(user).is_authenticated:
        return None
    visible = UseCase.objects.visible_to(user)
    keys = visible.annotate(key=Cast("pk", output_field=CharField())).values("key")
    both_ends = In(_end("from_use_case"), visible.values("pk")) & In(
        _end("to_use_case"), visible.values("pk")
    )
    return Q(object_type=USE_CASE, object_id__in=keys) & (~Q(action__in=LINK_ACTIONS) | both_ends)


def theme_events(user: Any) -> Q | None:
    return Q(object_type=THEME) if access_for(user).is_internal else None


def register() -> None:
    """Add these rules to the audit trail's (called from portfolio's ready())."""
    visibility_rule(use_case_events)
    visibility_rule(theme_events)
