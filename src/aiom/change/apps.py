from django.apps import AppConfig


class ChangeConfig(AppConfig):
    name = "aiom.change"
    label = "change"
    verbose_name = "Change: change plans, stakeholders, interventions, champions"
