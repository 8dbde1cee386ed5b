import pytest
from django.utils import translation

from canal.accounts.models import ClientRelationship
from canal.accounts.services import link_client
from canal.core.errors import IllegalTransition
from canal.core.models import AuditEntry
from canal.core.state_machine import machine

RELATIONSHIP = machine(
    "relationship",
    {"active": {"suspended", "ended"}, "suspended": {"active", "ended"}, "ended": set()},
)


@pytest.fixture
def relationship(partner, customer):
    return link_client(actor=None, partner=partner.organisation, client=customer.organisation)


def test_a_legal_move_saves_the_state_and_audits_it(relationship, partner):
    RELATIONSHIP.transition(relationship, "suspended", actor=partner, reason="unpaid invoices")

    assert ClientRelationship.objects.get(pk=relationship.pk).status == "suspended"
    entry = AuditEntry.objects.get(action="relationship.suspended")
    assert entry.before == {"status": "active"}
    assert entry.reason == "unpaid invoices"


def test_an_illegal_move_is_refused_with_the_allowed_moves(relationship, partner):
    RELATIONSHIP.transition(relationship, "ended", actor=partner)

    with translation.override("en"), pytest.raises(IllegalTransition) as refused:
        RELATIONSHIP.transition(relationship, "active", actor=partner)

    assert "“ended”" in str(refused.value.message)
    assert "none" in str(refused.value.message)
    assert ClientRelationship.objects.get(pk=relationship.pk).status == "ended"
