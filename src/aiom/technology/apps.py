from django.apps import AppConfig


class TechnologyConfig(AppConfig):
    name = "aiom.technology"
    label = "technology"
    verbose_name = "Technology: models, platforms and vendors the use cases rely on"
