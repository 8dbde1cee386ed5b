"""The shared cache's database backend, with an `incr` that two processes cannot both win.

Django's database cache increments by reading and writing back, so two workers counting the same rate
limit at once both write n + 1 and one request goes uncounted. Here the row is locked for the
increment (SELECT ... FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE transactions serialise writers).
Redis, when `REDIS_URL` is set, increments atomically by itself.

`count()` counts a request in a rate-limit window: with Redis one round trip (INCR and EXPIRE
pipelined), where Django's `incr` asks whether the key exists first and a missing key costs an `add` on
top (issue 15: a rate limit costs one cache round trip).
"""

import base64
import pickle
from functools import cached_property
from typing import Any

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.db import connections, router, transaction
from django.utils import timezone


class RedisCache(DjangoRedisCache):
    @cached_property
    def _writer(self) -> Any:
        # Django builds a new client (with its table of reply parsers) on every call; one is enough.
        # Clients are thread-safe: each command borrows a connection from the shared pool.
        return self._cache.get_client(write=True)

    def count(self, key: str, timeout: int) -> int:
        """Adds one to `key` (created at 1) and keeps it `timeout` seconds after this count."""
        key = self.make_and_validate_key(key)
        pipeline = self._writer.pipeline(transaction=False)
        pipeline.incr(key)
        pipeline.expire(key, timeout)
        count, _expiry_set = pipeline.execute()
        return count


class DatabaseCache(DjangoDatabaseCache):
    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        key = self.make_and_validate_key(key, version=version)
        database = router.db_for_write(self.cache_model_class)
        connection = connections[database]
        table = connection.ops.quote_name(self._table)
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        now = connection.ops.adapt_datetimefield_value(timezone.now().replace(microsecond=0))
        with transaction.atomic(using=database), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT value FROM {table} WHERE cache_key = %s AND expires >= %s{lock}",  # noqa: S608
                [key, now],
            )
            row = cursor.fetchone()
            if row is None:
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(base64.b64decode(row[0].encode())) + delta  # noqa: S301
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(f"UPDATE {table} SET value = %s WHERE cache_key = %s", [encoded, key])  # noqa: S608
        return value


def count(cache: Any, key: str, timeout: int) -> int:
    """Adds one to `key` in `cache` (created at 1, kept `timeout` seconds) and returns the count."""
    if isinstance(cache, RedisCache):
        return cache.count(key, timeout)
    # Counting first: the key exists for every request of a window but its first. Two first requests
    # racing: one adds, the other counts.
    try:
        return cache.incr(key)
    except ValueError:
        return 1 if cache.add(key, 1, timeout=timeout) else cache.incr(key)
