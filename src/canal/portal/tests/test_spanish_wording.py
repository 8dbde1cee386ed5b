"""Spanish words agree with what they describe (issue 14: "Abrir" as a filter, "Cancelado" beside
feminine statuses, "Modalidad" for a plan's term)."""

from django.utils import translation

from canal.orders.models import OrderStatus
from canal.subscriptions.models import ProvisioningStatus, SubscriptionStatus


def test_statuses_agree_with_the_gender_of_what_they_describe():
    with translation.override("es"):
        assert str(SubscriptionStatus.CANCELLED.label) == "Cancelada"
        assert str(SubscriptionStatus.SUSPENDED.label) == "Suspendida"
        assert str(ProvisioningStatus.FAILED.label) == "Fallida"
        assert str(ProvisioningStatus.CANCELLED.label) == "Cancelada"
        assert str(OrderStatus.CANCELLED.label) == "Cancelado"


def test_the_provisioning_queue_filter_says_open_requests_not_the_verb(portal_login, operator):
    operator.user.language = "es"
    operator.user.save(update_fields=["language"])

    page = portal_login(operator.user).get("/orders/provisioning/").content.decode()

    assert ">Abiertas</option>" in page
    assert ">Todas</option>" in page
    assert ">Abrir</" not in page


def test_a_plans_term_is_a_plazo():
    with translation.override("es"):
        assert translation.gettext("Term") == "Plazo"
