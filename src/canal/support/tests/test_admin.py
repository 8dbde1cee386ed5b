"""Operator staff look tickets and pack purchases up in the Django admin, which changes nothing."""

from django.urls import reverse

from canal.accounts.tests.factories import UserFactory


def test_operator_staff_see_tickets_read_only_in_the_admin(desk, client):
    ticket = desk.open()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    listing = client.get(reverse("admin:support_ticket_changelist"))
    detail = client.get(reverse("admin:support_ticket_change", args=[ticket.pk]))
    purchases = client.get(reverse("admin:support_packpurchase_changelist"))

    assert listing.status_code == 200
    assert ticket.number in listing.content.decode()
    assert detail.status_code == 200
    assert b'name="_save"' not in detail.content
    assert purchases.status_code == 200
