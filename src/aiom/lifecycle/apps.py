from django.apps import AppConfig

from aiom.portfolio import hooks


class LifecycleConfig(AppConfig):
    name = "aiom.lifecycle"
    label = "lifecycle"
    verbose_name = "Lifecycle: stages, gates, transitions and pilots"

    def ready(self) -> None:
        # Facts the exit_criteria_met check and overridden gates read, loaded lazily.
        from aiom.lifecycle import exit_criteria, overrides, panels, services
        from aiom.lifecycle.gates import register_facts
        from aiom.lifecycle.measurements import latest_by_metric

        register_facts(exit_criteria.FACTS_KEY, latest_by_metric, default={})
        register_facts(overrides.FACTS_KEY, overrides.open_for, default={})
        panels.register()  # the stage track and moves, the pilot
        hooks.subscribe(hooks.CREATED, "lifecycle: first stage change", services.record_entry)
