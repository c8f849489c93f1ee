"""The obligations app's policy section: which pack applies and whether open obligations
block a gate."""

from typing import Literal

from pydantic import Field

from aiom.core.documents import Strict


class ObligationRules(Strict):
    pack: Literal["default"] = Field("default", description="The obligations pack in force")
    blocking: bool = Field(
        True, description="The obligations_met check fails on open obligations (else warns)"
    )
