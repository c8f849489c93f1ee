from django.apps import AppConfig

from aiom.governance import policy_sections


class CatalogueConfig(AppConfig):
    name = "aiom.catalogue"
    label = "catalogue"
    verbose_name = "Catalogue: data products, stewards, quality and lineage"

    def ready(self) -> None:
        from aiom.catalogue.policy import DataRules

        policy_sections.register("data", DataRules)
        # Registers the `data_ready` gate check, so a policy may name it.
        from aiom.catalogue import checks  # noqa: F401
