"""What the skill remembers about a person: position, preferences and counts, nothing more."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
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
    # A screening's consequence (what it left out or swapped), never the answers given.
    screened: dict[str, Preferences] = field(default_factory=dict)
    # The last routine, the last day one was finished, and the streak of days.
    history: dict[str, Any] = field(default_factory=dict)
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
        screened = attributes.get("screened")
        if isinstance(screened, dict):
            for name, consequence in screened.items():
                try:
                    person.screened[str(name)] = Preferences.from_dict(consequence)
                except PreferenceError:
                    continue
        history = attributes.get("history")
        if isinstance(history, dict):
            person.history = {k: v for k, v in history.items() if k in HISTORY_KEYS and _plain(v)}
        return person

    def to_attributes(self) -> dict[str, Any]:
        attributes: dict[str, Any] = {
            "position": self.position.to_dict() if self.position else None,
            "preferences": self.preferences.to_dict(),
            "counts": dict(self.counts),
            "welcomed": self.welcomed,
            "screened": {name: prefs.to_dict() for name, prefs in self.screened.items()},
            "history": dict(self.history),
        }
        if self.stored is not None:
            attributes[STORED] = self.stored
        return attributes

    def count(self, name: str) -> None:
        self.counts[name] = self.counts.get(name, 0) + 1

    def effective(self) -> Preferences:
        """The person's own choices with every screening's consequence added."""
        preferences = self.preferences
        for consequence in self.screened.values():
            preferences = preferences.combined(consequence)
        return preferences

    def finished_routine(self, routine: str, day: date) -> None:
        """Count a finished routine, and keep the streak of days with one."""
        self.count("completed")
        last = self.history.get("last_day")
        streak = self.history.get("streak", 0)
        if last == day.isoformat():
            pass
        elif last == (day - timedelta(days=1)).isoformat():
            streak += 1
        else:
            streak = 1
        self.history.update(last_day=day.isoformat(), streak=streak, last_routine=routine,
                            last_finished=True)  # fmt: skip

    def started_routine(self, routine: str) -> None:
        self.count("started")
        self.history.update(last_routine=routine, last_finished=False)


HISTORY_KEYS = frozenset({"last_day", "streak", "last_routine", "last_finished"})


def _plain(value: object) -> bool:
    return isinstance(value, str | int | bool) and value is not None
