"""Idempotency keys: a retried request with the same key returns the first answer and writes nothing.

The key row is inserted before the work runs, in the same transaction. A concurrent replay blocks on the
unique index until the first transaction ends, then reads the stored answer (or, if the first one rolled
back, does the work itself). A replay with a different body is a conflict, not a silent success.
"""

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from canal.core.errors import Conflict
from canal.core.models import IdempotencyKey

Response = tuple[int, Any]


def fingerprint(payload: Any) -> str:
    canonical = json.dumps(payload, sort_keys=True, cls=DjangoJSONEncoder, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def run_once(*, scope: str, key: str | None, payload: Any, action: Callable[[], Response]) -> Response:
    """Run `action` once per (scope, key); `action` returns (HTTP status, JSON-able body)."""
    if not key:
        return action()
    request_fingerprint = fingerprint(payload)
    with transaction.atomic():
        try:
            with transaction.atomic():
                stored = IdempotencyKey.objects.create(scope=scope, key=key, fingerprint=request_fingerprint)
        except IntegrityError:
            stored = IdempotencyKey.objects.get(scope=scope, key=key)
            if stored.fingerprint != request_fingerprint:
                raise Conflict(
                    _(
                        "This Idempotency-Key was already used with a different request. "
                        "Send a new key for a new request."
                    ),
                    code="idempotency_key_reused",
                    field="Idempotency-Key",
                ) from None
            return stored.response_status or 200, stored.response_body
        status, body = action()
        stored.response_status = status
        stored.response_body = json.loads(json.dumps(body, cls=DjangoJSONEncoder))
        stored.save(update_fields=["response_status", "response_body"])
        return status, body
