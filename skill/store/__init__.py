"""Persistence: one setting, STRETCH_COACH_STORE, picks memory, SQLite or DynamoDB."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from skill.config import data_home
from skill.errors import StretchCoachError
from skill.store.base import StoreError, VersionedAdapter

__all__ = ["StoreConfigError", "StoreError", "VersionedAdapter", "open_store"]


class StoreConfigError(StretchCoachError):
    """A store setting that names no store we can open."""


SQLITE_FORMS = "sqlite:///RELATIVE/PATH.db or sqlite:////ABSOLUTE/PATH.db"


def open_store(url: str, *, cwd: Path | None = None) -> VersionedAdapter:
    """memory://, sqlite:///PATH.db or dynamodb://TABLE; nothing connects yet.

    SQLite paths follow SQLAlchemy's convention: after "sqlite:///" comes the path, so
    sqlite:///coach.db is relative to the working folder and sqlite:////srv/coach.db
    absolute. Missing folders are made only inside the coach's own data folder.
    """
    parts = urlsplit(url)
    if parts.scheme == "memory":
        from skill.store.memory import MemoryAdapter

        return MemoryAdapter()
    if parts.scheme == "sqlite":
        if parts.netloc or not parts.path.startswith("/") or not parts.path.endswith(".db"):
            raise StoreConfigError(f"'{url}' is not {SQLITE_FORMS}")
        path = Path(parts.path[1:])
        path = (path if path.is_absolute() else (cwd or Path.cwd()) / path).resolve()
        own = path.is_relative_to(data_home())
        if not own and not path.parent.is_dir():
            raise StoreConfigError(
                f"'{url}': the folder {path.parent} does not exist; create it, or use the "
                "default store"
            )
        from skill.store.sqlite import SqliteAdapter

        return SqliteAdapter(path, make_folders=own)
    if parts.scheme == "dynamodb":
        table = parts.netloc
        if not table or parts.path not in ("", "/"):
            raise StoreConfigError(f"'{url}' is not dynamodb://TABLE")
        # Imported here so boto3 is loaded only by those who use DynamoDB.
        from skill.store.dynamodb import DynamoDbAdapter

        return DynamoDbAdapter(table)
    raise StoreConfigError(
        f"'{url}' names no store; use memory://, {SQLITE_FORMS} or dynamodb://TABLE"
    )
