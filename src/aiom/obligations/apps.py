from django.apps import AppConfig


class ObligationsConfig(AppConfig):
    name = "aiom.obligations"
    label = "obligations"
    verbose_name = "Obligations: framework packs, status and evidence"
