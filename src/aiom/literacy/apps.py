from django.apps import AppConfig


class LiteracyConfig(AppConfig):
    name = "aiom.literacy"
    label = "literacy"
    verbose_name = "Literacy: AI training records and coverage (EU AI Act, Article 4)"

    def ready(self) -> None:
        from aiom.literacy import guards

        guards.register()  # training before a move (owners) and a decision (reviewers)
