"""A store in this process's memory: for tests and for trying the coach without a database."""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from typing import Any

from skill.store.base import TTL_SECONDS, Record, VersionedAdapter


class MemoryAdapter(VersionedAdapter):
    """Records in a dict behind a lock; gone when the process ends."""

    def __init__(self, *, ttl_seconds: int = TTL_SECONDS, clock: Callable[[], float] | None = None):
        super().__init__(ttl_seconds=ttl_seconds, **({"clock": clock} if clock else {}))
        self._records: dict[str, Record] = {}
        self._lock = threading.Lock()

    def load(self, key: str) -> Record | None:
        with self._lock:
            record = self._records.get(key)
            return copy.deepcopy(record) if record else None

    def store(self, key: str, record: Record, expected: int | None) -> bool:
        with self._lock:
            current = self._records.get(key)
            if (current.version if current else None) != expected:
                return False
            self._records[key] = copy.deepcopy(record)
            return True

    def remove(self, key: str) -> None:
        with self._lock:
            self._records.pop(key, None)

    def keys(self) -> list[str]:
        with self._lock:
            return list(self._records)

    def dump(self) -> dict[str, dict[str, Any]]:
        """Everything stored, for tests that check what is (and is not) kept."""
        with self._lock:
            return {k: copy.deepcopy(r.data) for k, r in self._records.items()}
