from django.apps import AppConfig


class ValueConfig(AppConfig):
    name = "aiom.value"
    label = "value"
    verbose_name = "Value: KPIs, measurements, adoption, feedback, priorities, analytics"
