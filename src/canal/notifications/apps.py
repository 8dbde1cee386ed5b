from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "canal.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from canal.core import scheduler
        from canal.notifications.tasks import retry_webhooks

        scheduler.register(scheduler.PeriodicJob("retry_webhooks", timedelta(minutes=1), retry_webhooks))
