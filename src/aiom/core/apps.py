from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "aiom.core"
    label = "core"
    verbose_name = "Core: audit trail, tokens, request context"
