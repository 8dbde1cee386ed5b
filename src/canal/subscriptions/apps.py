from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubscriptionsConfig(AppConfig):
    name = "canal.subscriptions"
    verbose_name = _("Subscriptions")

    def ready(self) -> None:
        from canal.billing.services import register_end_of_cycle_action
        from canal.subscriptions.seat_billing import SOURCE_APP, renew_seat_pool

        register_end_of_cycle_action(renew_seat_pool, source_app=SOURCE_APP)
