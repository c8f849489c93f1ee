"""The value section of the use-case page: KPIs, measurements, adoption, feedback, priority
(registered in ValueConfig.ready)."""

from aiom.portfolio import panels
from aiom.value.views import value_context


def register() -> None:
    panels.register("value", "value/_value.html", value_context, order=30)
