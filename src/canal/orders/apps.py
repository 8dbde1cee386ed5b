from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "canal.orders"
    verbose_name = _("Orders")

    def ready(self) -> None:
        from canal.core import scheduler
        from canal.orders import tasks

        for name, every, task in (
            ("expire_trials", timedelta(hours=1), tasks.expire_trials),
            ("warn_trials_ending", timedelta(hours=6), tasks.warn_trials_ending),
            ("flag_overdue_provisioning", timedelta(minutes=15), tasks.flag_overdue_provisioning),
            ("process_paid_orders", timedelta(minutes=5), tasks.process_paid_orders),
            ("renew_due_subscriptions", timedelta(hours=6), tasks.renew_due_subscriptions),
        ):
            scheduler.register(scheduler.PeriodicJob(name, every, task))
