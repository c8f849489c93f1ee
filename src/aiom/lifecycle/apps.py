from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    name = "aiom.lifecycle"
    label = "lifecycle"
    verbose_name = "Lifecycle: stages, gates, transitions and pilots"
