from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "aiom.organisation"
    label = "organisation"
    verbose_name = "Organisation: org units, people and their roles"

    def ready(self) -> None:
        from aiom.core import audit
        from aiom.core.visibility import visibility_rule
        from aiom.organisation import audit_visibility
        from aiom.organisation.guards import external_partners_write_nothing

        audit.guard(external_partners_write_nothing)
        visibility_rule(audit_visibility.administrators_read_everything)
        visibility_rule(audit_visibility.org_unit_events)
