from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "aiom.insights"
    label = "insights"
    verbose_name = "Insights: analytics, diagnostics, dashboard, board report, maturity"
