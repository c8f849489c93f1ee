"""One way in to a registry record (model, platform, vendor) named by id: the record and
what the user may do with it.

The registry pages, the model card and the edit form ask `record_for(request, kind, pk)`;
a record the user may not see (partners see none) answers 404 exactly as one that does
not exist.
"""

from dataclasses import dataclass
from functools import cached_property
from typing import Any, cast

from django.http import Http404, HttpRequest

from aiom.technology import permissions
from aiom.technology.models import AIModel, Platform, Vendor

NOT_FOUND = "No such registry record, or not one you may see."

type Record = AIModel | Platform | Vendor


@dataclass(frozen=True)
class RecordAccess[R: Record]:
    record: R
    user: Any

    @cached_property
    def may_change(self) -> bool:
        return permissions.can_change(self.user, self.record)


def record_for[R: Record](
    request: HttpRequest, kind: type[R], pk: int, *related: str
) -> RecordAccess[R]:
    """The record (with `related` joined) if `request.user` may see it; 404 otherwise."""
    visible = kind.objects.visible_to(request.user)
    if related:
        visible = visible.select_related(*related)
    found = cast("R | None", visible.filter(pk=pk).first())  # the stubs see the union
    if found is None:
        raise Http404(NOT_FOUND)
    return RecordAccess(found, request.user)
