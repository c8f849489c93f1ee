"""What the viewer may do on the lifecycle card that the page's context does not say."""

from typing import Any

from django import template

from aiom.lifecycle.gates import GateReport
from aiom.lifecycle.overrides import may_override as _may_override

register = template.Library()


@register.simple_tag
def may_override(user: Any, uc: Any, report: GateReport) -> bool:
    """True if this viewer may record an override of one of the report's failed checks."""
    return bool(report.overridable) and _may_override(user, uc, list(report.override_roles))
