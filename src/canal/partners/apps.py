from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "canal.partners"
    verbose_name = _("Partner programme")

    def ready(self) -> None:
        from canal.core import scheduler
        from canal.partners.tasks import expire_invitations

        scheduler.register(
            scheduler.PeriodicJob("expire_invitations", timedelta(hours=1), expire_invitations)
        )
