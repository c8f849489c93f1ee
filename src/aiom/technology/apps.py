from django.apps import AppConfig


class TechnologyConfig(AppConfig):
    name = "aiom.technology"
    label = "technology"
    verbose_name = "Technology: models, platforms and vendors the use cases rely on"

    def ready(self) -> None:
        # The use-case page shows what each use case relies on, with link/unlink forms.
        from aiom.technology.panel import register_panel

        register_panel()
