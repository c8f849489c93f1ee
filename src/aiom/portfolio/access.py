"""One way in to a use case named by id: the use case and what the user may do with it.

In the spirit of healthchecks' `_get_check_for_user`: every page and API call that names a
use case asks `use_case_for(request, pk)`. A use case the user may not see answers 404
exactly as one that does not exist (same message, same body), never 403, so its
existence never leaks. What the user may do is computed on first ask, from the rules in
`portfolio.permissions`.
"""

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.http import Http404, HttpRequest

from aiom.portfolio import permissions
from aiom.portfolio.models import UseCase

NOT_FOUND = "No such use case, or not one you may see."


@dataclass(frozen=True)
class UseCaseAccess:
    use_case: UseCase
    user: Any

    @cached_property
    def may_edit(self) -> bool:
        return permissions.can_edit(self.user, self.use_case)

    @cached_property
    def may_contribute(self) -> bool:
        return permissions.can_contribute(self.user, self.use_case)

    @cached_property
    def may_review(self) -> bool:
        return permissions.can_review(self.user, self.use_case)


def use_case_for(request: HttpRequest, pk: int) -> UseCaseAccess:
    """The use case with its relations if `request.user` may see it; 404 otherwise."""
    found = UseCase.objects.visible_to(request.user).with_relations().filter(pk=pk).first()
    if found is None:
        raise Http404(NOT_FOUND)
    return UseCaseAccess(found, request.user)
