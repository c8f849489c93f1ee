from django.apps import AppConfig

from aiom.governance import policy_sections


class ObligationsConfig(AppConfig):
    name = "aiom.obligations"
    label = "obligations"
    verbose_name = "Obligations: framework packs, status and evidence"

    def ready(self) -> None:
        from aiom.obligations.policy import ObligationRules

        policy_sections.register("obligations", ObligationRules)
        # Registers the `obligations_met` gate check, its facts and the use-case panel.
        from aiom.lifecycle.gates import register_facts
        from aiom.obligations import checks  # noqa: F401
        from aiom.obligations.derive import FACTS_KEY
        from aiom.obligations.facts import load_many
        from aiom.obligations.views import panel_context
        from aiom.portfolio.panels import register

        register_facts(FACTS_KEY, load_many, default=None)
        register("obligations", "obligations/_panel.html", panel_context, order=40)
