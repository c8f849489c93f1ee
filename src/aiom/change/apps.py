from django.apps import AppConfig

from aiom.governance import policy_sections
from aiom.lifecycle import gate_registry


class ChangeConfig(AppConfig):
    name = "aiom.change"
    label = "change"
    verbose_name = "Change: change plans, stakeholders, interventions, champions"

    def ready(self) -> None:
        from aiom.change.policy import ChangeRules

        policy_sections.register("change", ChangeRules)
        # The `change_plan_ready` gate check, the plan facts it reads, the use-case panel.
        from aiom.change import checks
        from aiom.change.facts import plan_facts_for_many
        from aiom.change.views import register_panel

        gate_registry.register_checks(checks)
        gate_registry.register_facts(checks.FACTS_KEY, plan_facts_for_many, default=None)
        register_panel()
