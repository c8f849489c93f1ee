from django.apps import AppConfig

from aiom.governance import policy_sections


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
        from aiom.change.views import panel_context
        from aiom.lifecycle.gates import register_facts
        from aiom.portfolio.panels import register

        register_facts(checks.FACTS_KEY, plan_facts_for_many, default=None)
        register("change", "change/_panel.html", panel_context, order=50)
