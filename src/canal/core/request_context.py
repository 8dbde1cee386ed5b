"""What lives exactly as long as the request being served: its id (so audit entries and logs can be tied
back to it) and a memo of what the request already read (see `request_memo`)."""

from contextvars import ContextVar
from typing import Any

current_request_id: ContextVar[str] = ContextVar("current_request_id", default="")
_memo: ContextVar[dict[Any, Any] | None] = ContextVar("canal_request_memo", default=None)


def request_memo() -> dict[Any, Any] | None:
    """A dict that lives as long as the request being served, or None outside one (commands, workers,
    tests calling services directly), where nothing is kept. Reads that every selector of a request
    repeats (the actor's clients, issue 15) are kept here once: a write made by another request is seen
    from that request's next one on."""
    return _memo.get()


def open_request_memo() -> object:
    """Starts an empty memo for the request being served; pass the result to `close_request_memo`."""
    return _memo.set({})


def close_request_memo(token: object) -> None:
    _memo.reset(token)  # type: ignore[arg-type]
