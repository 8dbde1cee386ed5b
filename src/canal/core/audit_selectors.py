from django.db.models import QuerySet

from canal.core.models import AuditEntry


def recent_audit_entries(actor: object) -> QuerySet[AuditEntry]:
    """Operator staff see the whole trail; everyone else the entries made on behalf of their organisation."""
    queryset = AuditEntry.objects.select_related("user", "organisation")
    if getattr(actor, "is_operator", False):
        return queryset
    return queryset.filter(organisation=actor.organisation)  # type: ignore[attr-defined]
