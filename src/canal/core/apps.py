from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "canal.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from canal.core import scheduler
        from canal.core.tasks import purge_expired_records

        scheduler.register(
            scheduler.PeriodicJob("purge_expired_records", timedelta(days=1), purge_expired_records)
        )
