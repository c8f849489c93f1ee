from django.apps import AppConfig

from aiom.governance import policy_sections
from aiom.lifecycle import gate_registry


class ObligationsConfig(AppConfig):
    name = "aiom.obligations"
    label = "obligations"
    verbose_name = "Obligations: framework packs, status and evidence"

    def ready(self) -> None:
        from aiom.obligations.policy import ObligationRules

        policy_sections.register("obligations", ObligationRules)
        # Registers the `obligations_met` gate check, its facts and the use-case panel.
        from aiom.obligations import checks
        from aiom.obligations.derive import FACTS_KEY
        from aiom.obligations.facts import load_many
        from aiom.obligations.review_section import register as register_review_section
        from aiom.obligations.views import register_panel

        gate_registry.register_checks(checks)
        gate_registry.register_facts(FACTS_KEY, load_many, default=None)
        register_panel()
        register_review_section()  # a review's brief shows the obligations still open
