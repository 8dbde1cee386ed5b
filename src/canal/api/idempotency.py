"""`Idempotency-Key` for creating POSTs: the first answer is stored and replayed."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from canal.core.idempotency import Response, run_once


def idempotent(
    request: HttpRequest, *, operation: str, payload: Any, action: Callable[[], Response]
) -> Response:
    actor = request.actor  # type: ignore[attr-defined]
    scope = f"org:{actor.organisation.pk}:{operation}"
    return run_once(scope=scope, key=request.headers.get("Idempotency-Key"), payload=payload, action=action)
