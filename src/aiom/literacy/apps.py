from django.apps import AppConfig


class LiteracyConfig(AppConfig):
    name = "aiom.literacy"
    label = "literacy"
    verbose_name = "Literacy: AI training records and coverage (EU AI Act, Article 4)"

    def ready(self) -> None:
        from aiom.governance import policy_sections
        from aiom.literacy.policy import LiteracyRules

        policy_sections.register("literacy", LiteracyRules)
