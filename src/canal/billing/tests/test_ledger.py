from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from canal.accounts.models import OrganisationKind
from canal.billing import ledger
from canal.billing.ledger import InsufficientBalance, Leg
from canal.billing.models import Account, AccountKind, EntryReason, Posting
from canal.billing.services import add_support_credits, pay_from_balance, spend_support_credits
from canal.billing.tests.helpers import fund_wallet, issued_invoice, wallet_of


def test_an_entry_that_does_not_balance_is_refused(customer):
    wallet = ledger.organisation_account(customer.organisation, AccountKind.WALLET, "EUR")
    bank = ledger.house_account(AccountKind.BANK, "EUR")

    with pytest.raises(ValueError, match="does not balance"):
        ledger.post(
            reason=EntryReason.ADJUSTMENT, memo="x", legs=[Leg(wallet, Decimal(10)), Leg(bank, Decimal(-9))]
        )

    assert not Posting.objects.exists()


def test_an_entry_in_fractions_of_a_cent_is_refused(customer):
    wallet = ledger.organisation_account(customer.organisation, AccountKind.WALLET, "EUR")
    bank = ledger.house_account(AccountKind.BANK, "EUR")

    with pytest.raises(ValueError, match="minor unit"):
        ledger.post(
            reason=EntryReason.ADJUSTMENT,
            memo="x",
            legs=[Leg(wallet, Decimal("0.005")), Leg(bank, Decimal("-0.005"))],
        )


def test_a_top_up_moves_the_balance_and_writes_one_balanced_entry(customer):
    fund_wallet(customer.organisation, "50.00")

    assert wallet_of(customer.organisation) == Decimal("50.00")
    postings = Posting.objects.filter(entry__reason=EntryReason.TOP_UP)
    assert sorted(postings.values_list("amount", flat=True)) == [Decimal("-50.00"), Decimal("50.00")]


def test_spending_more_than_the_wallet_holds_is_refused_and_says_what_to_do(customer):
    fund_wallet(customer.organisation, "20.00")
    invoice = issued_invoice(customer.organisation, "50.00")

    with pytest.raises(InsufficientBalance) as refused:
        pay_from_balance(actor=customer, invoice_id=invoice.pk)

    assert "Top up" in str(refused.value.message)
    assert wallet_of(customer.organisation) == Decimal("20.00")


def test_the_database_refuses_a_negative_wallet_even_without_the_service(customer):
    fund_wallet(customer.organisation, "5.00")
    account = ledger.organisation_account(customer.organisation, AccountKind.WALLET, "EUR")

    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.filter(pk=account.pk).update(balance=Decimal("-0.01"))


def test_the_operators_receivable_may_go_negative(customer):
    issued_invoice(customer.organisation, "50.00")

    receivable = ledger.organisation_account(customer.organisation, AccountKind.RECEIVABLE, "EUR")
    assert ledger.balance_of(receivable) == Decimal("-50.00")


def test_support_credits_are_spent_only_while_there_are_enough(customer):
    add_support_credits(actor=None, organisation=customer.organisation, credits=100)

    spend_support_credits(actor=None, organisation=customer.organisation, credits=60)
    with pytest.raises(InsufficientBalance) as refused:
        spend_support_credits(actor=None, organisation=customer.organisation, credits=50)

    assert "support credit pack" in str(refused.value.message)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_spending_on_postgres_never_takes_a_wallet_below_zero(make_actor, postgres_only):
    payer = make_actor(OrganisationKind.CUSTOMER)
    fund_wallet(payer.organisation, "100.00")
    invoices = [issued_invoice(payer.organisation, "30.00") for _ in range(12)]  # 12 x 30 (no tax row)

    def pay(invoice_id: int) -> str:
        try:
            pay_from_balance(actor=payer, invoice_id=invoice_id)
            return "paid"
        except InsufficientBalance:
            return "refused"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(pay, [invoice.pk for invoice in invoices]))

    assert outcomes.count("paid") == 3
    assert outcomes.count("refused") == 9
    assert wallet_of(payer.organisation) == Decimal("10.00")
