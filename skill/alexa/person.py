"""What the skill remembers about a person: position, preferences and counts, nothing more."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from skill.engine.cursor import Cursor, CursorError
from skill.engine.preferences import PreferenceError, Preferences
from skill.store.base import STORED


@dataclass
class Person:
    """The persistent attributes, read leniently: anything damaged becomes a fresh default."""

    position: Cursor | None = None
    preferences: Preferences = field(default_factory=Preferences)
    counts: dict[str, int] = field(default_factory=dict)
    welcomed: bool = False
    stored: dict[str, Any] | None = None  # the store's version and base, carried for the save

    @classmethod
    def from_attributes(cls, attributes: dict[str, Any]) -> Person:
        person = cls(stored=attributes.get(STORED))
        try:
            position = attributes.get("position")
            person.position = Cursor.from_dict(position) if position else None
        except CursorError:
            person.position = None
        try:
            person.preferences = Preferences.from_dict(attributes.get("preferences") or {})
        except PreferenceError:
            person.preferences = Preferences()
        counts = attributes.get("counts")
        if isinstance(counts, dict):
            person.counts = {
                str(k): v
                for k, v in counts.items()
                if isinstance(v, int) and not isinstance(v, bool)
            }
        person.welcomed = attributes.get("welcomed") is True
        return person

    def to_attributes(self) -> dict[str, Any]:
        attributes: dict[str, Any] = {
            "position": self.position.to_dict() if self.position else None,
            "preferences": self.preferences.to_dict(),
            "counts": dict(self.counts),
            "welcomed": self.welcomed,
        }
        if self.stored is not None:
            attributes[STORED] = self.stored
        return attributes

    def count(self, name: str) -> None:
        self.counts[name] = self.counts.get(name, 0) + 1
