from django.apps import AppConfig


class ObligationsConfig(AppConfig):
    name = "aiom.obligations"
    label = "obligations"
    verbose_name = "Obligations: framework packs, status and evidence"

    def ready(self) -> None:
        # Registers the `obligations_met` gate check, its facts and the use-case panel.
        from aiom.lifecycle.gates import register_facts
        from aiom.obligations import checks  # noqa: F401
        from aiom.obligations.derive import FACTS_KEY
        from aiom.obligations.facts import load_many
        from aiom.obligations.views import register_panel

        register_facts(FACTS_KEY, load_many, default=None)
        register_panel()
