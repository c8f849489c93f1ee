from django.apps import AppConfig

from aiom.governance import policy_sections


class ValueConfig(AppConfig):
    name = "aiom.value"
    label = "value"
    verbose_name = "Value: KPIs, measurements, adoption, feedback, priorities"

    def ready(self) -> None:
        from aiom.value.policy import AnalyticsRules, Prioritisation
        from aiom.value.views import register_panel

        policy_sections.register("prioritisation", Prioritisation, optional=True)
        policy_sections.register("analytics", AnalyticsRules)
        register_panel()
