from django.apps import AppConfig

from aiom.governance import policy_sections
from aiom.lifecycle import gate_registry


class CatalogueConfig(AppConfig):
    name = "aiom.catalogue"
    label = "catalogue"
    verbose_name = "Catalogue: data products, stewards, quality and lineage"

    def ready(self) -> None:
        from aiom.catalogue import checks
        from aiom.catalogue.policy import DataRules
        from aiom.catalogue.readiness import data_facts_for_many
        from aiom.catalogue.views import register_panel

        policy_sections.register("data", DataRules)
        # The `data_ready` gate check, so a policy may name it, and the data-product facts
        # it reads (loaded only for a gate that asks for them); the data panel.
        gate_registry.register_checks(checks)
        gate_registry.register_facts(checks.FACTS_KEY, data_facts_for_many, default=())
        register_panel()
