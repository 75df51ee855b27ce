"""The Redis cache, degrading to "nothing cached" while Redis is unreachable.

The cache holds only what can be lost: API throttle histories, log-in failure counts, the
scheduler's heartbeat copy. When Redis is down a read answers "missing" and a write is dropped —
logged, never raised — so the web keeps serving reads and writes instead of answering 500
(throttling reads the cache on every API request). After a failure Redis is not tried again
for ``RETRY_SECONDS``, so each request does not wait for a connection that will fail.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0


class _Breaker:
    """Per process: when Redis last failed, so calls in the next few seconds skip it."""

    def __init__(self) -> None:
        self.failed_at = 0.0
        self.lock = threading.Lock()

    def open(self) -> bool:
        return time.monotonic() - self.failed_at < RETRY_SECONDS

    def trip(self, error: Exception, operation: str) -> None:
        with self.lock:
            first = not self.open()
            self.failed_at = time.monotonic()
        if first:
            logger.warning(
                "cache: Redis is unreachable (%s during %s); serving without the cache, "
                "retrying in %.0f s",
                error,
                operation,
                RETRY_SECONDS,
            )


_breaker = _Breaker()


def cache_available() -> bool:
    """False while the cache is known to be down (for /readyz)."""
    return not _breaker.open()


def _degrading(name: str, fallback):
    def method(self, *args, **kwargs):
        if _breaker.open():
            return fallback(*args, **kwargs)
        try:
            return getattr(super(DegradingRedisCache, self), name)(*args, **kwargs)
        except RedisError as error:
            _breaker.trip(error, name)
            return fallback(*args, **kwargs)

    method.__name__ = name
    return method


def _default(*args, **kwargs):
    return kwargs.get("default", args[1] if len(args) > 1 else None)


class DegradingRedisCache(RedisCache):
    """Django's RedisCache whose every call degrades instead of raising when Redis is down."""

    get = _degrading("get", _default)
    get_many = _degrading("get_many", lambda *a, **k: {})
    has_key = _degrading("has_key", lambda *a, **k: False)
    set = _degrading("set", lambda *a, **k: None)
    add = _degrading("add", lambda *a, **k: False)
    touch = _degrading("touch", lambda *a, **k: False)
    set_many = _degrading("set_many", lambda *a, **k: [])
    delete = _degrading("delete", lambda *a, **k: False)
    delete_many = _degrading("delete_many", lambda *a, **k: None)
    incr = _degrading("incr", lambda *a, **k: 0)
    decr = _degrading("decr", lambda *a, **k: 0)
    clear = _degrading("clear", lambda *a, **k: None)
