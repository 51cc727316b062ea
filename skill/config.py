"""Settings from the environment, read in this one place."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


def default_store_url(environ: Mapping[str, str]) -> str:
    """The embedded SQLite store in the user's data folder."""
    data_home = environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return f"sqlite:///{Path(data_home).resolve() / 'stretch-coach' / 'coach.db'}"


@dataclass(frozen=True)
class Config:
    """How this process runs the coach."""

    store_url: str
    skill_id: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Config:
        env = os.environ if environ is None else environ
        return cls(
            store_url=env.get("STRETCH_COACH_STORE") or default_store_url(env),
            skill_id=env.get("SKILL_ID") or None,
        )
