"""The double-entry ledger: the only way value moves between accounts.

`post()` writes one journal entry whose postings sum to zero per currency. Organisation accounts are
locked (in id order, so two entries never wait on each other in a cycle), checked, and updated in the
same transaction; the CHECK constraint on Account refuses a negative wallet even if a caller skipped
the lock. Callers are billing's own services: other apps call those services, never `post()`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils.translation import gettext as _

from canal.accounts.models import Organisation
from canal.billing.memo import remembered
from canal.billing.models import CREDITS, Account, AccountKind, EntryReason, JournalEntry, Posting
from canal.core import bulk, stored_text
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


AccountKey = tuple[int, str, str]  # organisation id, kind, currency


def organisation_accounts(
    wanted: Iterable[AccountKey], *, existing_only: Iterable[AccountKey] = ()
) -> dict[AccountKey, Account]:
    """Many organisation accounts at once (a billing run's batch): the `wanted` ones are created where
    missing by one INSERT ... ON CONFLICT DO NOTHING (safe under races), then all are read back in one
    query, together with those of `existing_only` that exist (reading never creates those)."""
    wanted = set(wanted)
    keys = wanted | set(existing_only)
    if not keys:
        return {}
    Account.objects.bulk_create(
        [
            Account(organisation_id=org, kind=kind, currency=currency)
            for org, kind, currency in sorted(wanted)
        ],
        ignore_conflicts=True,
    )
    rows = Account.objects.filter(
        organisation_id__in={key[0] for key in keys},
        kind__in={key[1] for key in keys},
        currency__in={key[2] for key in keys},
    )
    found = {(row.organisation_id, row.kind, row.currency): row for row in rows}
    return {key: row for key, row in found.items() if key in keys}


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


def balanced_moves(legs: Iterable[Leg], memo: str) -> tuple[dict[int, Decimal], dict[int, Account]]:
    """The legs merged per account (zero moves dropped), checked to balance per currency: what one
    journal entry posts. Raises ValueError for an unbalanced, empty or unrounded entry."""
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
    return moves, accounts


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
    moves, accounts = balanced_moves(legs, memo)

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


@dataclass(frozen=True)
class NewEntry:
    """One journal entry for `post_many`; the same fields as `post()` takes."""

    reason: str
    memo: str
    legs: list[Leg]
    memo_params: dict[str, Any] | None = None
    invoice: object = None
    payment: object = None


def post_many(entries: Sequence[NewEntry]) -> list[JournalEntry]:
    """Writes many balanced journal entries with a fixed number of statements, whatever their count (a
    billing run's batch): the organisation accounts they touch are locked in one read (in id order),
    checked as `post()` checks them, and their balances set by one UPDATE; then one INSERT of the
    entries and one of their postings."""
    planned = [(entry, *balanced_moves(entry.legs, entry.memo)) for entry in entries]
    if not planned:
        return []
    moved: dict[int, Decimal] = defaultdict(Decimal)
    for _entry, moves, accounts in planned:
        for pk, amount in moves.items():
            if accounts[pk].organisation_id is not None:
                moved[pk] += amount
    with transaction.atomic(savepoint=False):
        locked = list(Account.objects.select_for_update().filter(pk__in=sorted(moved)).order_by("pk"))
        for row in locked:
            if row.holds_value and row.balance + moved[row.pk] < 0:
                raise _insufficient(row, -moved[row.pk])
            # The row is locked until the transaction ends, so the new balance may be written as a value.
            row.balance += moved[row.pk]
        bulk.update_rows(locked, ["balance"])
        rows = JournalEntry.objects.bulk_create(
            JournalEntry(
                reason=entry.reason,
                memo=entry.memo[:300],
                memo_params=stored_text.stored_params(entry.memo_params),
                invoice=entry.invoice,
                payment=entry.payment,
            )
            for entry, _moves, _accounts in planned
        )
        Posting.objects.bulk_create(
            Posting(entry=row, account_id=pk, amount=amount, currency=accounts[pk].currency)
            for row, (_entry, moves, accounts) in zip(rows, planned, strict=True)
            for pk, amount in moves.items()
        )
    return rows


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
