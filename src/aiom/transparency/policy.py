"""The public transparency register's policy section: what may be published, who decides.

Confidential use cases are never published, and neither are retired ones: there is
deliberately no setting for either.
"""

from typing import Annotated

from pydantic import Field

from aiom.core.documents import Strict
from aiom.governance.policy_sections import StageList, with_roles
from aiom.organisation.models import Role
from aiom.portfolio.vocabulary import StageRole


class TransparencyRules(Strict):
    publishable_stages: Annotated[
        list[str],
        StageList(
            default=with_roles(StageRole.OPERATIONAL),
            never=((StageRole.RETIRED, "retired use cases are never published"),),
        ),
        Field(
            default_factory=list,
            min_length=1,
            description="Stages whose use cases may appear on the public register "
            "(default: the one in service)",
        ),
    ]
    decide_roles: list[Role] = Field(
        default_factory=lambda: [Role.ADMINISTRATOR, Role.COMPLIANCE_REVIEWER],
        min_length=1,
        description="Roles that decide what is published (scoped roles: within their units)",
    )
    contact_email: str = Field(
        "", max_length=254, description="Shown publicly when a decision names no contact"
    )
    organisation: str = Field(
        "", max_length=200, description="The publisher's name (default: the top org unit)"
    )
