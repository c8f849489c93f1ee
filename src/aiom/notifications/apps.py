from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "aiom.notifications"
    label = "notifications"
    verbose_name = "Notifications: the sweep's notices, email and webhooks"
