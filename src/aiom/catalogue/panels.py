"""The catalogue's section of the use-case page: the data products it uses, its readiness
(registered in CatalogueConfig.ready)."""

from aiom.catalogue.views import data_context
from aiom.portfolio import panels


def register() -> None:
    panels.register("catalogue", "catalogue/_use_case_data.html", data_context, order=33)
