"""The double-entry ledger: the only way value moves between accounts.

`post()` writes one journal entry whose postings sum to zero per currency. Organisation accounts are
locked (in id order, so two entries never wait on each other in a cycle), checked, and updated in the
same transaction; the CHECK constraint on Account refuses a negative wallet even if a caller skipped
the lock. Callers are billing's own services: other apps call those services, never `post()`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils.translation import gettext as _

from canal.accounts.models import Organisation
from canal.billing.memo import remembered
from canal.billing.models import CREDITS, Account, AccountKind, EntryReason, JournalEntry, Posting
from canal.core import stored_text
from canal.core.errors import RuleViolation
from canal.core.fields import AMOUNT_DECIMALS
from canal.core.money import Money, round_money


class InsufficientBalance(RuleViolation):
    default_code = "insufficient_balance"


@dataclass(frozen=True)
class Leg:
    account: Account
    amount: Decimal


def organisation_account(organisation: Organisation | int, kind: str, currency: str) -> Account:
    """The organisation's account of `kind` in `currency`, created on first use (safe under races)."""
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    return _get_or_create(organisation_id=organisation_id, kind=kind, currency=currency)


def house_account(kind: str, currency: str) -> Account:
    """One of the operator's own accounts (revenue, tax, bank clearing...)."""
    return remembered(
        ("house", kind, currency), lambda: _get_or_create(organisation_id=None, kind=kind, currency=currency)
    )


def existing_organisation_account(organisation_id: int, kind: str, currency: str) -> Account | None:
    """The account if it exists; reading never creates one."""
    return Account.objects.filter(organisation_id=organisation_id, kind=kind, currency=currency).first()


def _get_or_create(*, organisation_id: int | None, kind: str, currency: str) -> Account:
    lookup = {"organisation_id": organisation_id, "kind": kind, "currency": currency}
    account = Account.objects.filter(**lookup).first()
    if account is not None:
        return account
    try:
        with transaction.atomic():
            return Account.objects.create(**lookup)
    except IntegrityError:
        # Another transaction created it between our read and our insert.
        return Account.objects.get(**lookup)


def balance_of(account: Account) -> Decimal:
    if account.organisation_id is not None:
        return Account.objects.values_list("balance", flat=True).get(pk=account.pk)
    total = account.postings.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    # SQLite sums through floats; every posting has at most AMOUNT_DECIMALS places, so this is exact.
    return Decimal(total).quantize(Decimal(1).scaleb(-AMOUNT_DECIMALS))


def locked_balance(account: Account) -> Decimal:
    """An organisation account's balance, with its row locked until the transaction ends."""
    return Account.objects.select_for_update().values_list("balance", flat=True).get(pk=account.pk)


def _check_amount(amount: Decimal, currency: str) -> None:
    if currency != CREDITS and amount != round_money(amount, currency):
        raise ValueError(f"{currency} {amount} is not rounded to the currency's minor unit.")


def post(
    *,
    reason: EntryReason | str,
    memo: str,
    memo_params: dict[str, Any] | None = None,
    legs: Iterable[Leg],
    invoice: object = None,
    payment: object = None,
    document: tuple[str, str] = ("", ""),
    user: object = None,
) -> JournalEntry:
    """Write one balanced journal entry and move the balances; raises InsufficientBalance instead of
    letting a wallet, cashback or credit account go below zero. `memo` is a msgid marked with
    gettext_noop, shown in each reader's language with `memo_params`."""
    merged: dict[int, Decimal] = defaultdict(Decimal)
    accounts: dict[int, Account] = {}
    for leg in legs:
        _check_amount(leg.amount, leg.account.currency)
        merged[leg.account.pk] += leg.amount
        accounts[leg.account.pk] = leg.account
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for account_id, amount in merged.items():
        totals[accounts[account_id].currency] += amount
    unbalanced = {currency: total for currency, total in totals.items() if total}
    if unbalanced:
        raise ValueError(f"Journal entry {memo!r} does not balance: {unbalanced}.")
    moves = {account_id: amount for account_id, amount in merged.items() if amount}
    if not moves:
        raise ValueError(f"Journal entry {memo!r} moves nothing.")

    # No savepoint of its own: a refused posting fails the caller's whole transaction anyway.
    with transaction.atomic(savepoint=False):
        owned = sorted(pk for pk in moves if accounts[pk].organisation_id is not None)
        locked = {
            row.pk: row for row in Account.objects.select_for_update().filter(pk__in=owned).order_by("pk")
        }
        for pk in owned:
            row = locked[pk]
            if row.holds_value and row.balance + moves[pk] < 0:
                raise _insufficient(row, -moves[pk])
        for pk in owned:
            Account.objects.filter(pk=pk).update(balance=F("balance") + moves[pk])
            accounts[pk].balance = locked[pk].balance + moves[pk]
        entry = JournalEntry.objects.create(
            reason=reason,
            memo=memo[:300],
            memo_params=stored_text.stored_params(memo_params),
            invoice=invoice,
            payment=payment,
            document_type=document[0],
            document_id=document[1],
            created_by=user,
        )
        Posting.objects.bulk_create(
            Posting(entry=entry, account_id=pk, amount=amount, currency=accounts[pk].currency)
            for pk, amount in moves.items()
        )
    return entry


def _insufficient(account: Account, needed: Decimal) -> InsufficientBalance:
    if account.currency == CREDITS:
        held, wanted = f"{account.balance.normalize():f}", f"{needed.normalize():f}"
    else:
        held = str(Money(account.balance, account.currency).quantize())
        wanted = str(Money(needed, account.currency).quantize())
    suggestion = {
        AccountKind.WALLET: _("Top up the prepaid wallet, or pay by card or bank transfer."),
        AccountKind.CASHBACK: _("Pay the rest from the prepaid wallet, by card or by bank transfer."),
        AccountKind.SUPPORT_CREDITS: _("Buy a support credit pack first."),
    }.get(account.kind, "")
    return InsufficientBalance(
        _("The %(account)s holds %(held)s but %(wanted)s is needed. %(suggestion)s")
        % {
            "account": account.get_kind_display().lower(),
            "held": held,
            "wanted": wanted,
            "suggestion": suggestion,
        },
        field="amount",
        suggestion=suggestion,
    )
