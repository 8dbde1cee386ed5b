"""The audit log: services call `record()` inside their transaction for every state change."""

from typing import Any, Protocol

from django.db import models

from canal.core.models import AuditEntry
from canal.core.request_context import current_request_id


class AuditActor(Protocol):
    @property
    def user(self) -> Any: ...

    @property
    def organisation(self) -> Any: ...


def record(
    *,
    actor: AuditActor | None,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEntry:
    """Write one audit entry; `actor` None means the system itself (a scheduled job, a migration)."""
    row = entry(actor=actor, action=action, obj=obj, before=before, after=after, reason=reason)
    row.save(force_insert=True)
    return row


def entry(
    *,
    actor: AuditActor | None,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEntry:
    """The unsaved entry `record()` writes, for callers that write many in one insert (bulk_create)."""
    return AuditEntry(
        user=getattr(actor, "user", None),
        organisation=getattr(actor, "organisation", None),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        before=before,
        after=after,
        reason=reason,
        request_id=current_request_id.get(),
    )
