from django.apps import AppConfig


class MaturityConfig(AppConfig):
    name = "aiom.maturity"
    label = "maturity"
    verbose_name = "Maturity: self-assessments and evidence-based scores"
