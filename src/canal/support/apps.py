from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "canal.support"
    verbose_name = _("Support")

    def ready(self) -> None:
        from canal.core import scheduler
        from canal.support import tasks

        for name, every, task in (
            # R2.13: a pack paid by bank transfer credits once operator staff confirm the transfer.
            ("credit_paid_packs", timedelta(minutes=1), tasks.credit_paid_packs),
            # R2.18: a finished ticket without a reply for 7 days closes by itself.
            ("close_quiet_tickets", timedelta(hours=1), tasks.close_quiet_tickets),
            ("flag_sla_breaches", timedelta(minutes=1), tasks.flag_sla_breaches),
        ):
            scheduler.register(scheduler.PeriodicJob(name, every, task))
