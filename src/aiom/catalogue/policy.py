"""The catalogue's policy section, `data`: what a data product a use case consumes needs
(the `data_ready` gate check, readiness, quality-drop alerts and the diagnostics)."""

from pydantic import Field

from aiom.core.documents import Strict


class DataRules(Strict):
    quality_floor: int = Field(70, ge=0, le=100, description="Lowest acceptable quality score")
    freshness_days: int = Field(180, ge=1, description="Quality must be checked this recently")
