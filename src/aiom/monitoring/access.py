"""One way in to an incident named by id: the incident and what the user may do with it.

Pages and the API ask `incident_for(request, pk)`. An incident follows its use case's
visibility; one the user may not see answers 404 exactly as one that does not exist.
"""

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.http import Http404, HttpRequest

from aiom.monitoring import permissions, queries
from aiom.monitoring.models import Incident

NOT_FOUND = "No such incident, or not one you may see."


@dataclass(frozen=True)
class IncidentAccess:
    incident: Incident
    user: Any

    @cached_property
    def may_handle(self) -> bool:
        return permissions.can_handle(self.user, self.incident.use_case)

    @cached_property
    def may_confirm_severity(self) -> bool:
        return permissions.can_confirm_severity(self.user, self.incident.use_case)


def incident_for(request: HttpRequest, pk: int) -> IncidentAccess:
    """The incident, with what its page lists, if `request.user` may see it; 404 otherwise."""
    found = queries.incidents(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404(NOT_FOUND)
    return IncidentAccess(found, request.user)
