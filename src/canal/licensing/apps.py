from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LicensingConfig(AppConfig):
    name = "canal.licensing"
    label = "licensing"
    verbose_name = _("License servers")

    def ready(self) -> None:
        from datetime import timedelta

        from canal.core import scheduler
        from canal.licensing import tasks

        scheduler.register(
            scheduler.PeriodicJob(
                name="licensing.mark_inactive_servers", every=timedelta(hours=1), task=tasks.mark_inactive
            )
        )
