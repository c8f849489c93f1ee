from django.apps import AppConfig


class DemoConfig(AppConfig):
    """No models: an app only so that `aiom demo` (management/commands/demo.py) is found."""

    name = "aiom.demo"
    label = "demo"
    verbose_name = "Demo organisation and portfolio"
