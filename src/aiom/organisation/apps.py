from django.apps import AppConfig

from aiom.core import audit_hooks


class OrganisationConfig(AppConfig):
    name = "aiom.organisation"
    label = "organisation"
    verbose_name = "Organisation: org units, people and their roles"

    def ready(self) -> None:
        from aiom.organisation import audit_visibility
        from aiom.organisation.guards import external_partners_write_nothing

        audit_hooks.guard(external_partners_write_nothing)
        audit_visibility.register()
