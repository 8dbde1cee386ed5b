"""Explicit state machines: one table of allowed moves per machine and one `transition()` that checks it.

An illegal move raises IllegalTransition naming the state and the allowed moves; a legal one writes the
new state and an audit entry in the caller's transaction. Never a silent no-op.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from canal.core import audit
from canal.core.audit import AuditActor
from canal.core.errors import IllegalTransition


@dataclass(frozen=True)
class StateMachine:
    name: str
    transitions: Mapping[str, frozenset[str]]
    field: str = "status"

    def allowed_from(self, state: str) -> frozenset[str]:
        return self.transitions.get(state, frozenset())

    def can(self, current: str, target: str) -> bool:
        return target in self.allowed_from(current)

    def transition(
        self,
        obj: models.Model,
        target: str,
        *,
        actor: AuditActor | None,
        reason: str = "",
        extra: dict[str, Any] | None = None,
    ) -> None:
        """Moves `obj` to `target` (saving only the state field and `extra` fields) or raises."""
        current = getattr(obj, self.field)
        if not self.can(current, target):
            allowed = ", ".join(sorted(self.allowed_from(current))) or _("none")
            raise IllegalTransition(
                _("A %(machine)s in state “%(current)s” cannot move to “%(target)s”; allowed: %(allowed)s.")
                % {"machine": self.name, "current": current, "target": target, "allowed": allowed},
                field=self.field,
            )
        setattr(obj, self.field, target)
        for name, value in (extra or {}).items():
            setattr(obj, name, value)
        obj.save(update_fields=[self.field, *(extra or {})])
        audit.record(
            actor=actor,
            action=f"{self.name}.{target}",
            obj=obj,
            before={self.field: current},
            after={self.field: target},
            reason=reason,
        )


def machine(name: str, table: Mapping[str, set[str] | frozenset[str]], field: str = "status") -> StateMachine:
    return StateMachine(
        name=name, transitions={state: frozenset(moves) for state, moves in table.items()}, field=field
    )
