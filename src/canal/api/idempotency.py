"""`Idempotency-Key` for creating POSTs: the first answer is stored and replayed."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from ninja import Status

from canal.core.idempotency import Response, run_once


def idempotent(
    request: HttpRequest, *, operation: str, payload: Any, action: Callable[[], Response]
) -> Status:
    """Runs `action` once per organisation, operation and key; a replay gets the stored answer."""
    actor = request.actor  # type: ignore[attr-defined]
    scope = f"org:{actor.organisation.pk}:{operation}"
    key = request.headers.get("Idempotency-Key")
    status, body = run_once(scope=scope, key=key, payload=payload, action=action)
    return Status(status, body)
