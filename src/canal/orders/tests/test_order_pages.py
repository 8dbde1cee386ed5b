"""Portal pages of orders and subscriptions, through the Django test client (R1.7, R1.15, R2.15)."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from canal.orders.models import Order
from canal.orders.tests.conftest import END_CUSTOMER, order_body, place, provision
from canal.subscriptions.models import ProvisioningRequest, Subscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def portal_login(portal_login):
    """Logs in with the portal in English, whatever the user's organisation speaks."""

    def login(user):
        user.language = "en"
        user.save(update_fields=["language"])
        return portal_login(user)

    return login


def checkout_form(client, **overrides):
    form = {
        "product": "tareo-work",
        "customer": str(client.pk),
        "plan": "business",
        "quantity": "20",
        "add_ons": ["marketing-pack"],
        "package": "onboarding-i",
        "end_customer_name": END_CUSTOMER["name"],
        "end_customer_email": END_CUSTOMER["email"],
        "accept_terms": "on",
        "idempotency_key": "form-1",
        "place": "1",
    }
    form.update(overrides)
    return {key: value for key, value in form.items() if value is not None}


def test_r1_7_the_checkout_refuses_an_order_without_the_terms(portal_login, marketplace):
    browser = portal_login(marketplace.partner.user)

    response = browser.post(reverse("orders:checkout"), checkout_form(marketplace.client, accept_terms=None))

    assert response.status_code == 200
    assert "terms and conditions" in response.content.decode()
    assert not Order.objects.exists()


def test_r1_12_the_checkout_places_once_per_form_and_confirms_the_48_business_hours(
    portal_login, marketplace
):
    browser = portal_login(marketplace.partner.user)

    first = browser.post(reverse("orders:checkout"), checkout_form(marketplace.client), follow=True)
    browser.post(reverse("orders:checkout"), checkout_form(marketplace.client))

    assert Order.objects.count() == 1
    assert "48 business hours" in first.content.decode()
    assert first.redirect_chain[-1][0] == reverse("orders:detail", args=[Order.objects.get().pk])


def test_r2_15_the_orders_page_lists_processed_and_filters(portal_login, api_as, marketplace):
    done = place(api_as(marketplace.partner), order_body(marketplace.client, name="Oficina"))
    provision(api_as(marketplace.vendor_actor), done["id"], "TW-1")
    place(api_as(marketplace.partner), order_body(marketplace.client, name="Obra"))
    browser = portal_login(marketplace.partner.user)

    everything = browser.get(reverse("orders:list")).content.decode()
    waiting = browser.get(reverse("orders:list"), {"processed": "no"}).content.decode()
    csv = b"".join(browser.get(reverse("orders:list"), {"format": "csv"}).streaming_content).decode()

    assert "Oficina" in everything
    assert "Obra" in everything
    assert "Obra" in waiting
    assert "Oficina" not in waiting
    assert csv.count("\n") == 3


def test_r1_15_the_order_page_cancels_within_the_window(portal_login, api_as, marketplace):
    order = place(api_as(marketplace.partner), order_body(marketplace.client))
    browser = portal_login(marketplace.partner.user)

    page = browser.get(reverse("orders:detail", args=[order["id"]])).content.decode()
    asked = browser.post(reverse("orders:cancel", args=[order["id"]]), {"reason": "Wrong client"})
    status_after_asking = Order.objects.get(pk=order["id"]).status
    browser.post(reverse("orders:cancel", args=[order["id"]]), {"reason": "Wrong client", "confirmed": "1"})

    assert 'id="cancel"' in page
    assert "Cancel the order" in asked.content.decode()
    assert status_after_asking != "cancelled"
    assert Order.objects.get(pk=order["id"]).status == "cancelled"


def test_r1_12_the_vendor_queue_lists_the_request_and_completes_it_by_hand(portal_login, api_as, marketplace):
    order = place(api_as(marketplace.partner), order_body(marketplace.client))
    request = ProvisioningRequest.objects.get(order_id=order["id"])
    browser = portal_login(marketplace.vendor_actor.user)

    queue = browser.get(reverse("orders:provisioning_queue")).content.decode()
    browser.post(
        reverse("orders:provisioning_action", args=[request.pk, "complete"]), {"vendor_account_id": "TW-9"}
    )

    assert order["reference"] in queue
    request.refresh_from_db()
    assert request.status == "approved"


def test_r1_17_the_subscription_page_offers_convert_modify_and_terminate_for_a_trial(
    portal_login, api_as, marketplace
):
    order = place(
        api_as(marketplace.partner),
        {**order_body(marketplace.client), "kind": "trial", "quantity": 0, "package": ""},
    )
    provision(api_as(marketplace.vendor_actor), order["id"], "TW-T")
    browser = portal_login(marketplace.partner.user)

    page = browser.get(reverse("lifecycle:detail", args=[order["subscription_id"]])).content.decode()
    terminate = browser.get(
        reverse("lifecycle:terminate_trial", args=[order["subscription_id"]])
    ).content.decode()
    done = browser.post(
        reverse("lifecycle:terminate_trial", args=[order["subscription_id"]]),
        {"reason": "ordered_by_mistake", "acknowledge": "on"},
    ).content.decode()

    assert "vendor_account_id=TW-T" in page
    assert 'name="acknowledge"' in terminate
    assert "Trial terminated" in done


def test_other_organisations_orders_answer_404(portal_login, api_as, marketplace, customer):
    order = place(api_as(marketplace.partner), order_body(marketplace.client))

    response = portal_login(customer.user).get(reverse("orders:detail", args=[order["id"]]))

    assert response.status_code == 404


def test_r2_15_an_orders_row_offers_pay_only_while_its_invoice_is_due(portal_login, api_as, marketplace):
    from canal.billing.services import pay_from_balance
    from canal.billing.tests.helpers import fund_wallet, issued_invoice

    order = place(api_as(marketplace.partner), order_body(marketplace.client))
    partner = marketplace.partner.organisation
    # Placing the order issued today's invoice; numbers and dates rise together in a series.
    invoice = issued_invoice(partner, "80.00", issue_date=timezone.localdate())
    Order.objects.filter(pk=order["id"]).update(invoice_id=invoice.pk, payer=partner)
    browser = portal_login(marketplace.partner.user)

    due = browser.get(reverse("orders:list")).content.decode()
    fund_wallet(partner, "80.00", invoice.currency)
    pay_from_balance(actor=marketplace.partner, invoice_id=invoice.pk)
    paid = browser.get(reverse("orders:list")).content.decode()

    # "Notify payment" opens the invoice's transfer form (a page), never a POST-only URL by GET.
    assert f'href="/billing/invoices/{invoice.pk}/#pay-transfer">Notify payment' in due
    assert browser.get(f"/billing/invoices/{invoice.pk}/").status_code == 200
    assert "Notify payment" not in paid
    assert ">Pay</a>" not in paid
    assert f'href="/billing/invoices/{invoice.pk}/">Invoice</a>' in paid


def test_r1_9_convert_carries_the_trials_quantity_into_the_order_form(portal_login, api_as, marketplace):
    order = place(
        api_as(marketplace.partner),
        {**order_body(marketplace.client), "kind": "trial", "quantity": 3, "package": ""},
    )
    provision(api_as(marketplace.vendor_actor), order["id"], "TW-Q")
    # A trial modified to 12 users, unlike the plan's default, so a dropped quantity would show.
    Subscription.objects.filter(pk=order["subscription_id"]).update(quantity=12)
    browser = portal_login(marketplace.partner.user)
    page = browser.get(reverse("lifecycle:detail", args=[order["subscription_id"]])).content.decode()
    convert_url = page.split('data-action="convert"', 1)[0].rsplit('href="', 1)[1].split('"', 1)[0]

    form = browser.get(convert_url.replace("&amp;", "&")).content.decode()

    trial = Subscription.objects.get(pk=order["subscription_id"])
    assert f"quantity={trial.quantity}" in convert_url
    assert f'name="quantity" min="0" inputmode="numeric" value="{trial.quantity}"' in form


def test_r1_14_an_upgrade_first_shows_its_exact_price_with_the_deduction_as_a_deduction(
    portal_login, api_as, marketplace
):
    first = place(
        api_as(marketplace.partner),
        order_body(marketplace.client, plan="professional", quantity=10, add_ons=[], package=""),
    )
    provision(api_as(marketplace.vendor_actor), first["id"], "TW-1000")
    browser = portal_login(marketplace.partner.user)
    form = {"plan": "business", "quantity": "15", "accept_terms": "on"}
    url = reverse("lifecycle:upgrade", args=[first["subscription_id"]])

    preview = browser.post(url, form).content.decode()
    orders_after_preview = Order.objects.count()
    browser.post(url, {**form, "confirmed": "1"})

    # Business 15 x EUR 276.00 = 4140.00, less what Professional 10 x EUR 108.00 cost: 1080.00.
    assert "Order for €3,060.00" in preview
    assert "Less what the current lines cost for these days \u2212€1,080.00" in preview
    facts = " ".join(re.sub(r"<[^>]+>", " ", preview).split())
    assert "Total €3,060.00" in facts
    assert "Left to pay by bank transfer €3,060.00" in facts  # this partner's wallet does not auto-pay
    assert "Paid at once from the prepaid wallet" not in facts
    assert orders_after_preview == 1
    assert Order.objects.count() == 2


def test_r1_17_the_order_form_offers_a_trial_only_with_the_days_the_plan_has(portal_login, marketplace):
    from canal.catalog.models import Plan

    plans = Plan.objects.filter(product__code="tareo-work")
    browser = portal_login(marketplace.partner.user)
    url = reverse("orders:checkout") + "?product=tareo-work&plan=business"

    plans.update(trial_days=0)
    without = browser.get(url).content.decode()
    plans.update(trial_days=14)
    with_trial = browser.get(url).content.decode()

    assert 'value="trial"' not in without
    assert "Free trial (14 days)" in with_trial


def test_r4_5_the_order_form_offers_a_limited_client_only_the_products_it_granted(
    portal_login, load_catalog, client_of, marketplace
):
    from canal.accounts.models import AccessLevel

    load_catalog("redwall")
    limited = client_of(marketplace.partner, access=AccessLevel.LIMITED, product_codes=("tareo-work",))
    browser = portal_login(marketplace.partner.user)

    for_limited = browser.get(reverse("orders:checkout"), {"product": "tareo-work", "customer": limited.pk})
    for_full = browser.get(
        reverse("orders:checkout"), {"product": "tareo-work", "customer": marketplace.client.pk}
    )

    assert 'value="redwall-server"' not in for_limited.content.decode()
    assert 'value="redwall-server"' in for_full.content.decode()
