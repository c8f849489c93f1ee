from django.apps import AppConfig

from aiom.lifecycle import gate_registry
from aiom.portfolio import hooks


class LifecycleConfig(AppConfig):
    name = "aiom.lifecycle"
    label = "lifecycle"
    verbose_name = "Lifecycle: stages, gates, transitions and pilots"

    def ready(self) -> None:
        # The built-in gate checks; the facts exit_criteria_met and overridden gates read,
        # loaded lazily; the start-up check of the names the policy uses; the sweep's
        # stalled pilots and stages past their SLA; the stage track and pilot panels; the
        # first stage change of a new use case.
        from aiom.lifecycle import (
            checks,
            exit_criteria,
            findings,
            gates,
            overrides,
            panels,
            policy_startup,  # noqa: F401
            services,
        )
        from aiom.lifecycle.measurements import latest_by_metric

        gate_registry.register_checks(checks)
        gate_registry.register_facts(exit_criteria.FACTS_KEY, latest_by_metric, default={})
        gate_registry.register_facts(gates.OVERRIDES_KEY, overrides.open_for, default={})
        findings.register()
        panels.register()  # the stage track and moves, the pilot
        hooks.subscribe(hooks.CREATED, "lifecycle: first stage change", services.record_entry)
