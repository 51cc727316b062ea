"""Settings from the environment, read in this one place."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


def data_home(environ: Mapping[str, str] | None = None) -> Path:
    """The coach's own data folder: $XDG_DATA_HOME/stretch-coach (~/.local/share/...)."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base).resolve() / "stretch-coach"


def default_store_url(environ: Mapping[str, str]) -> str:
    """The embedded SQLite store in the user's data folder (four slashes: an absolute path)."""
    return f"sqlite:///{data_home(environ) / 'coach.db'}"


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
