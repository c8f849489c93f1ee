from django.apps import AppConfig


class TransparencyConfig(AppConfig):
    name = "aiom.transparency"
    label = "transparency"
    verbose_name = "Transparency: the public register of published use cases"

    def ready(self) -> None:
        from aiom.portfolio import panels
        from aiom.transparency.views import panel_context

        panels.register("transparency", "transparency/_panel.html", panel_context, order=200)
