"""A cache for the length of one billing run: rows every invoice of the run reads the same way (the
seller, tax rates, house accounts, billing accounts). Outside `run_memo()` nothing is cached, so a
request always reads fresh rows. Only rows that exist before the run starts are cached (the run warms
house accounts first), so a batch that rolls back cannot leave a cached id behind."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")
_memo: ContextVar[dict[Any, Any] | None] = ContextVar("billing_run_memo", default=None)


@contextmanager
def run_memo() -> Iterator[None]:
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def remembered(key: Any, load: Callable[[], T]) -> T:
    cache = _memo.get()
    if cache is None:
        return load()
    if key not in cache:
        cache[key] = load()
    return cache[key]
