from django.apps import AppConfig


class TransparencyConfig(AppConfig):
    name = "aiom.transparency"
    label = "transparency"
    verbose_name = "Transparency: the public register of published use cases"
