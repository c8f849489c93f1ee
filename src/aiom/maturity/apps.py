from django.apps import AppConfig


class MaturityConfig(AppConfig):
    """The self-assessments' table only; the code that writes and reads it is insights.maturity.

    The model stays in this app so that its table, its migrations and the label its audit
    events carry (`maturity.selfassessment`, in the hash chain) stay as they were.
    """

    name = "aiom.maturity"
    label = "maturity"
    verbose_name = "Maturity: self-assessments and evidence-based scores"
