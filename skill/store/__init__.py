"""Persistence: one setting, STRETCH_COACH_STORE, picks memory, SQLite or DynamoDB."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from skill.errors import StretchCoachError
from skill.store.base import StoreError, VersionedAdapter

__all__ = ["StoreConfigError", "StoreError", "VersionedAdapter", "open_store"]


class StoreConfigError(StretchCoachError):
    """A store setting that names no store we can open."""


def open_store(url: str) -> VersionedAdapter:
    """memory://, sqlite:///ABSOLUTE/PATH.db or dynamodb://TABLE; nothing connects yet."""
    parts = urlsplit(url)
    if parts.scheme == "memory":
        from skill.store.memory import MemoryAdapter

        return MemoryAdapter()
    if parts.scheme == "sqlite":
        path = Path(parts.path)
        if parts.netloc or not path.is_absolute() or not parts.path.endswith(".db"):
            raise StoreConfigError(
                f"'{url}' is not sqlite:///ABSOLUTE/PATH.db (three slashes, then an absolute path)"
            )
        from skill.store.sqlite import SqliteAdapter

        return SqliteAdapter(path)
    if parts.scheme == "dynamodb":
        table = parts.netloc
        if not table or parts.path not in ("", "/"):
            raise StoreConfigError(f"'{url}' is not dynamodb://TABLE")
        # Imported here so boto3 is loaded only by those who use DynamoDB.
        from skill.store.dynamodb import DynamoDbAdapter

        return DynamoDbAdapter(table)
    raise StoreConfigError(
        f"'{url}' names no store; use memory://, sqlite:///ABSOLUTE/PATH.db or dynamodb://TABLE"
    )
