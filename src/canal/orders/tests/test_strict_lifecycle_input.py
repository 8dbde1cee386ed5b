"""Issue 9: `{"quantity": false}` was read as 0 and silently cancelled a renewal (R1.16); now it is a 422
and the subscription renews as before."""

import pytest

from canal.orders.tests.test_subscription_changes import active_subscription

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("quantity", [False, True, "0", 0.0, None])
def test_r1_16_a_quantity_that_is_not_an_integer_does_not_cancel_the_renewal(api_as, marketplace, quantity):
    subscription = active_subscription(api_as, marketplace)

    response = api_as(marketplace.partner).post(
        f"/subscriptions/{subscription.pk}/renewal", {"quantity": quantity}
    )

    assert response.status_code == 422
    assert response.json()["field"] == "quantity"
    subscription.refresh_from_db()
    assert subscription.renewal_quantity is None
    assert not subscription.orders.filter(kind="renewal").exists()
