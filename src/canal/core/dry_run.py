"""What a service would do, without doing it: the real service runs in a transaction that is always rolled
back, so a preview shows exactly the amounts (and refusals) the confirmed action will produce, and
nothing it would send after commit is sent."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db import transaction

T = TypeVar("T")


def dry_run(action: Callable[[], T]) -> T:
    """The result of `action()` with every database change it made undone. Read what the page needs from
    the result; its rows no longer exist. Never for actions that call outside services (a card charge)."""
    with transaction.atomic():
        result = action()
        transaction.set_rollback(True)
    return result
