from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "canal.billing"
    verbose_name = _("Billing")

    def ready(self) -> None:
        from canal.billing.tasks import daily_billing_run, reconcile_card_payments, send_billing_records
        from canal.core import scheduler

        # The run is idempotent: a slot run twice, or a run repeated by hand, bills nothing twice.
        scheduler.register(scheduler.PeriodicJob("billing-run", timedelta(days=1), daily_billing_run))
        scheduler.register(
            scheduler.PeriodicJob("reconcile-card-payments", timedelta(minutes=5), reconcile_card_payments)
        )
        scheduler.register(
            scheduler.PeriodicJob("send-billing-records", timedelta(minutes=5), send_billing_records)
        )
