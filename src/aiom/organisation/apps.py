from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "aiom.organisation"
    label = "organisation"
    verbose_name = "Organisation: org units, people and their roles"
