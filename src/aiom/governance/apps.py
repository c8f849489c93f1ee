from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate

from aiom.core import audit_hooks
from aiom.portfolio import hooks, vocabulary


class GovernanceConfig(AppConfig):
    name = "aiom.governance"
    label = "governance"
    verbose_name = "Governance: policy, risk assessment, reviews and decisions"

    def ready(self) -> None:
        from aiom.governance import panels
        from aiom.governance.assessments import services as assessments
        from aiom.governance.policy.versions import stages_in_force
        from aiom.governance.reviews.voiding import recheck

        post_migrate.connect(_default_policy, sender=self)
        vocabulary.provide(stages_in_force)  # the active policy owns the stages
        audit_hooks.listen(recheck)  # approvals whose reviewer entered the conflict window
        panels.register()  # the risk assessment, the reviews
        # a material change marks the assessment stale and voids the approvals given
        hooks.subscribe(
            hooks.FACTS_CHANGED, "governance: material change", assessments.on_facts_changed
        )


def _default_policy(sender: AppConfig, **kwargs: Any) -> None:
    """A new installation runs the default policy shipped in the package (version 1)."""
    from aiom.governance.policy.versions import active_policy

    active_policy()
