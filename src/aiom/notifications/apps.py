from django.apps import AppConfig

from aiom.notifications import finders


class NotificationsConfig(AppConfig):
    name = "aiom.notifications"
    label = "notifications"
    verbose_name = "Notifications: the sweep's notices, email and webhooks"

    def ready(self) -> None:
        # The governance finders (governance sits below notifications), and the start-up
        # check that every registered finder makes a kind of notice there is.
        from aiom.notifications import findings, startup  # noqa: F401
        from aiom.notifications.models import NoticeKind

        finders.register(NoticeKind.REVIEW_OVERDUE, findings.overdue_reviews, order=20)
        finders.register(NoticeKind.ASSESSMENT_DUE, findings.assessments_due, order=40)
        finders.register(NoticeKind.ASSESSMENT_STALE, findings.stale_assessments, order=50)
        finders.register(NoticeKind.CONDITION_OVERDUE, findings.overdue_conditions, order=80)
