from django.apps import AppConfig

from aiom.governance import policy_sections


class LiteracyConfig(AppConfig):
    name = "aiom.literacy"
    label = "literacy"
    verbose_name = "Literacy: AI training records and coverage (EU AI Act, Article 4)"

    def ready(self) -> None:
        from aiom.literacy import guards
        from aiom.literacy.policy import LiteracyRules

        policy_sections.register("literacy", LiteracyRules)
        guards.register()  # training before a move (owners) and a decision (reviewers)
