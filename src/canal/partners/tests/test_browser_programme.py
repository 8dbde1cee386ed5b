"""The programme's journey in a real browser: a company applies, the operator approves it, the new
partner invites a client, the client accepts with limited access, the partner orders the granted product
for it, the client later switches to full access paid by
the partner, and the partner ends the relationship with its password (R4.1, R4.4-R4.6, R4.13)."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from canal.accounts.models import ClientRelationship, OrganisationKind, RelationshipStatus, Role
from canal.accounts.tests.factories import PASSWORD, member
from canal.orders.models import Order

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_r4_1_r4_4_r4_5_r4_6_r4_13_from_application_to_the_end_of_a_partnership(
    live_server, new_context, log_in, screenshot, load_catalog, operator, gold
):
    load_catalog("alpenhost")
    company = member(kind=OrganisationKind.CUSTOMER, role=Role.LEGAL_REPRESENTATIVE, name="Bergweb GmbH")
    client = member(kind=OrganisationKind.CUSTOMER, role=Role.LEGAL_REPRESENTATIVE, name="Praxis Seefeld")
    for user in (company, client, operator.user):
        user.language = "en"
        user.save(update_fields=["language"])

    def browser_as(user):
        page = new_context(locale="en-GB", viewport={"width": 1280, "height": 800}).new_page()
        page.goto(f"{live_server.url}{reverse('login')}")
        log_in(page, user.email, PASSWORD)
        return page

    def shot(page, name):
        page.evaluate("window.scrollTo(0, 0)")
        screenshot(page, name)

    # 1. The company applies.
    applicant = browser_as(company)
    applicant.goto(f"{live_server.url}{reverse('partners:apply')}")
    applicant.fill("input[name=registered_id]", "CHE-222.333.444")
    applicant.fill("input[name=website]", "https://bergweb.example")
    applicant.fill("input[name=yearly_volume]", "2400")
    applicant.select_option("select[name=currency]", "CHF")
    applicant.check("input[name=accepts_reseller_terms]")
    shot(applicant, "partners-1-apply")
    applicant.click("main form button[type=submit] >> nth=0")
    expect(applicant.locator(".notice-success")).to_contain_text("application is sent")

    # 2. The operator approves it at the Gold level.
    desk = browser_as(operator.user)
    desk.goto(f"{live_server.url}{reverse('partners:applications')}")
    expect(desk.locator("article.application")).to_contain_text("Bergweb GmbH")
    shot(desk, "partners-2-operator-queue")
    desk.click("article.application button:has-text('Approve')")
    expect(desk.locator(".notice-success")).to_contain_text("now a partner")

    # 3. The new partner invites a client, proposing full access.
    partner = browser_as(company)
    partner.goto(f"{live_server.url}{reverse('partners:clients')}")
    partner.fill("input[name=email]", client.email)
    partner.check("input[name=access][value=full]")
    partner.check("input[name=payment_mode][value=customer]")
    shot(partner, "partners-3-invite-client")
    partner.click("article.card button:has-text('Send the invitation')")
    expect(partner.locator(".notice-success")).to_contain_text("Invitation sent")
    link = re.search(r"https?://\S+/partners/invitations/\S+/", mail.outbox[-1].body).group(0)

    # 4. The client accepts, granting only the mail service.
    customer = browser_as(client)
    customer.goto(
        link.replace("http://testserver", live_server.url).replace("http://127.0.0.1:8000", live_server.url)
    )
    customer.check("input[name=access][value=limited]")
    customer.check("input[name=product_codes][value=alpenhost-mail]")
    shot(customer, "partners-4-client-accepts-limited")
    customer.click("button[value=accept]")
    expect(customer.locator(".notice-success")).to_contain_text("Partnership started")
    relationship = ClientRelationship.objects.get()
    assert relationship.access == "limited"
    assert list(relationship.grants.values_list("product_code", flat=True)) == ["alpenhost-mail"]

    # 5. The partner opens its client's space: a banner says whose it is.
    partner.goto(f"{live_server.url}{reverse('partners:client', args=[relationship.client_id])}")
    expect(partner.locator(".acting-banner")).to_contain_text("Praxis Seefeld")
    shot(partner, "partners-5-client-space")

    # 5b. It orders the product its client granted, for that client (R4.5).
    partner.goto(
        f"{live_server.url}{reverse('orders:checkout')}?product=alpenhost-mail&customer={relationship.client_id}"
    )
    expect(partner.locator("select[name=customer]")).to_contain_text("Praxis Seefeld")
    partner.click("button[name=place]")
    expect(partner.locator("h1")).to_contain_text("ORD-")
    shot(partner, "partners-5b-order-for-the-client")
    order = Order.objects.get()
    assert (order.customer_id, order.product.code) == (relationship.client_id, "alpenhost-mail")

    # 6. The client switches to full access paid by the partner.
    customer.goto(f"{live_server.url}{reverse('partners:relationship', args=[relationship.pk])}")
    customer.check("input[name=access][value=full]")
    customer.check("input[name=payment_mode][value=partner]")
    customer.click("article.card button:has-text('Save')")
    expect(customer.locator(".notice-success")).to_contain_text("Access updated")
    shot(customer, "partners-6-client-switches-payer")
    relationship.refresh_from_db()
    assert (relationship.access, relationship.payment_mode) == ("full", "partner")

    # 7. The partner ends it: a confirmation, then its password.
    partner.goto(f"{live_server.url}{reverse('partners:end', args=[relationship.pk])}")
    partner.click("button:has-text('Yes, end it')")
    partner.fill("input[name=password]", PASSWORD)
    shot(partner, "partners-7-end-with-password")
    partner.click("button:has-text('End the partnership for good')")
    expect(partner.locator(".notice-success")).to_contain_text("has ended")
    relationship.refresh_from_db()
    assert relationship.status == RelationshipStatus.ENDED
