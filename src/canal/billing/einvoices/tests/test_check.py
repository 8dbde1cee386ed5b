"""check_issuable: pure, and each refusal names the field to fix."""

from types import SimpleNamespace

import pytest

from canal.billing.einvoices.validation import EInvoiceInvalid, check_issuable


def _facts(**changes):
    buyer = SimpleNamespace(name="Hotel Mirador del Sur S.L.", legal_id="B41000002", country="ES")
    seller = SimpleNamespace(name="Canal Distribución S.L.", legal_id="B12345678", country="ES")
    invoice = SimpleNamespace(reverse_charge=False, currency="EUR")
    lines = [SimpleNamespace(position=1, description="Redwall PRO license")]
    account = SimpleNamespace(einvoice_format="pdf", address="", postcode="", city="", province="")
    facts = {"invoice": invoice, "lines": lines, "buyer": buyer, "seller": seller, "account": account}
    for key, value in changes.items():
        target, _, attribute = key.partition("__")
        if attribute:
            setattr(facts[target], attribute, value)
        else:
            facts[target] = value
    return facts


def _check(**changes):
    facts = _facts(**changes)
    check_issuable(
        facts["invoice"],
        facts["lines"],
        buyer=facts["buyer"],
        seller=facts["seller"],
        account=facts["account"],
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"buyer__name": " "}, "buyer_name"),
        ({"buyer__country": "XX"}, "buyer_country"),
        ({"invoice__reverse_charge": True, "buyer__legal_id": ""}, "buyer_legal_id"),
        ({"seller__country": ""}, "seller_country"),
        ({"invoice__currency": "euro"}, "currency"),
        ({"lines": []}, "lines"),
        ({"account__einvoice_format": "facturae"}, "address"),
    ],
)
def test_each_refusal_names_the_field(changes, field):
    with pytest.raises(EInvoiceInvalid) as refused:
        _check(**changes)
    assert refused.value.field == field


def test_complete_facts_pass():
    _check()
