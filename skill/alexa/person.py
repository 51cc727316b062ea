"""What the skill remembers about a person: position, preferences and counts, nothing more."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from skill.content.model import Catalogue
from skill.engine.cursor import Cursor, CursorError
from skill.engine.preferences import PreferenceError, Preferences
from skill.engine.screening import PREGNANCY, REVEALING_ROUTINES, answer_expired
from skill.store.base import STORED, stored_meta

# Attributes come back from the device in the session and can be tampered with; these
# bound what is believed. No person finishes a billion routines, or names a 100-letter one.
MAX_COUNT = 10**9
MAX_NAME = 80


@dataclass
class Person:
    """The persistent attributes, read leniently: anything damaged becomes a fresh default."""

    position: Cursor | None = None
    preferences: Preferences = field(default_factory=Preferences)
    counts: dict[str, int] = field(default_factory=dict)
    welcomed: bool = False
    # A screening's consequence (what it left out or swapped), never the answers given.
    screened: dict[str, Preferences] = field(default_factory=dict)
    # The day from which a screening's answer is asked again (an early stage of pregnancy
    # changes), by screening: a date, never the stage said.
    ask_again: dict[str, str] = field(default_factory=dict)
    # The last routine, the last day one was finished, and the streak of days.
    history: dict[str, Any] = field(default_factory=dict)
    # Whether what reveals health (HEALTH_FIELDS) may be kept across sessions: None until
    # asked, then the person's yes or no. Consent itself reveals nothing, so it is kept.
    consent: bool | None = None
    stored: dict[str, Any] | None = None  # the store's version and base, carried for the save

    @classmethod
    def from_attributes(cls, attributes: dict[str, Any]) -> Person:
        """Read leniently and check every value: a wrong type or range is dropped, never kept."""
        stored = stored_meta(attributes.get(STORED))
        if stored is not None and stored["version"] == 0:
            # The store held nothing, so this person starts from the defaults, and only what
            # the session changes from them is theirs. Against an empty base every default
            # would count as a change, and a save that lost the race to another device's
            # first save would overwrite its answers with "consent not asked".
            stored = {"version": 0, "base": cls().to_stored()}
        person = cls(stored=stored)
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
            person.counts = {k: v for k, v in counts.items() if _name(k) and _count(v)}
        person.welcomed = attributes.get("welcomed") is True
        consent = attributes.get("consent")
        person.consent = consent if isinstance(consent, bool) else None
        screened = attributes.get("screened")
        if isinstance(screened, dict):
            for name, consequence in screened.items():
                if not _name(name):
                    continue
                try:
                    person.screened[str(name)] = Preferences.from_dict(consequence)
                except PreferenceError:
                    continue
        ask_again = attributes.get("ask_again")
        if isinstance(ask_again, dict):
            person.ask_again = {k: v for k, v in ask_again.items() if _name(k) and _day(v)}
        history = attributes.get("history")
        if isinstance(history, dict):
            person.history = {k: v for k, v in history.items() if k in HISTORY and HISTORY[k](v)}
        return person

    @classmethod
    def from_session(cls, attributes: dict[str, Any]) -> Person | None:
        """The person a session carries, or None if checking had to change anything.

        The session comes back from the device. A dropped value must not read as the
        person's own change (the save would then erase the stored one), and a damaged base
        would skew the merge: either way the store, not the session, has the truth.
        """
        person = cls.from_attributes(attributes)
        if person.to_attributes() != attributes:
            return None
        base = person.stored["base"] if person.stored else {}
        # The base is what the store held, which may lack keys added since: check only
        # the values it has.
        checked = cls.from_attributes(base).to_attributes()
        if any(key in checked and checked[key] != value for key, value in base.items()):
            return None
        return person

    def to_attributes(self) -> dict[str, Any]:
        attributes: dict[str, Any] = {
            "position": self.position.to_dict() if self.position else None,
            "preferences": self.preferences.to_dict(),
            "counts": dict(self.counts),
            "welcomed": self.welcomed,
            "screened": {name: prefs.to_dict() for name, prefs in self.screened.items()},
            "ask_again": dict(self.ask_again),
            "history": dict(self.history),
            "consent": self.consent,
        }
        if self.stored is not None:
            attributes[STORED] = self.stored
        return attributes

    def to_stored(self, unkept: frozenset[str] = frozenset()) -> dict[str, Any]:
        """What may go to the store: without consent, nothing that reveals health.

        Nor, with it, the screenings in unkept, which the person asked not to be kept.
        """
        attributes = self.to_attributes()
        for health in HEALTH_FIELDS:
            attributes[health] = {k: v for k, v in attributes[health].items() if k not in unkept}
        if self.consent is not True:
            for health in HEALTH_FIELDS:
                attributes[health] = {}
            attributes["counts"] = {
                k: v for k, v in attributes["counts"].items() if k not in HEALTH_COUNTS
            }
            if self._revealing_position():
                attributes["position"] = None
            if self.history.get("last_routine") in REVEALING_ROUTINES:
                attributes["history"] = {
                    k: v for k, v in self.history.items() if k not in REVEALING_HISTORY
                }
        return attributes

    def _revealing_position(self) -> bool:
        return self.position is not None and self.position.routine in REVEALING_ROUTINES

    def holds_back_position(self) -> bool:
        """Whether a save keeps the place out of the store (a revealing routine, no yes)."""
        return self.consent is not True and self._revealing_position()

    def health(self) -> dict[str, Any]:
        """Everything this person's record holds that reveals health, by field."""
        attributes = self.to_attributes()
        found: dict[str, Any] = {f: attributes[f] for f in HEALTH_FIELDS if attributes[f]}
        counts = {k: v for k, v in self.counts.items() if k in HEALTH_COUNTS}
        if counts:
            found["counts"] = counts
        if self._revealing_position():
            found["position"] = attributes["position"]
        if self.history.get("last_routine") in REVEALING_ROUTINES:
            found["history"] = {k: v for k, v in self.history.items() if k in REVEALING_HISTORY}
        return found

    def keep_health_of(self, other: Person, unkept: frozenset[str] = frozenset()) -> None:
        """Carry another reading's session-only health data over to this one (after a save)."""
        for name in unkept & set(other.screened):
            self.screened[name] = other.screened[name]
            if name in other.ask_again:
                self.ask_again[name] = other.ask_again[name]
        if self.consent is True:
            return
        self.screened = dict(other.screened)
        self.ask_again = dict(other.ask_again)
        for key in HEALTH_COUNTS:
            if key in other.counts:
                self.counts[key] = other.counts[key]
        if other._revealing_position():
            self.position = other.position
        if other.history.get("last_routine") in REVEALING_ROUTINES:
            self.history.update({k: v for k, v in other.history.items() if k in REVEALING_HISTORY})

    def count(self, name: str) -> None:
        self.counts[name] = self.counts.get(name, 0) + 1

    def effective(self) -> Preferences:
        """The person's own choices with every screening's consequence added."""
        preferences = self.preferences
        for consequence in self.screened.values():
            preferences = preferences.combined(consequence)
        return preferences

    def pregnancy_expired(self, today: date, catalogue: Catalogue) -> bool:
        """Whether the pregnancy answer kept is an early one too old to trust."""
        name = PREGNANCY.id
        return answer_expired(self.screened.get(name), self.ask_again.get(name), today, catalogue)

    def end_screening(self, name: str) -> None:
        """Forget a screening's consequence and its date: it no longer applies."""
        self.screened.pop(name, None)
        self.ask_again.pop(name, None)

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


def _name(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value) <= MAX_NAME


def _day(value: object) -> bool:
    if not isinstance(value, str) or len(value) != 10:
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_COUNT


def _flag(value: object) -> bool:
    return isinstance(value, bool)


# What reveals health: a screening's consequence says who is late in pregnancy, has pain
# down the leg or which way their back responds; the pain count says that it hurt; the day
# to ask again says roughly when a baby is due. Kept across sessions only with the
# person's yes; otherwise for the session only.
HEALTH_FIELDS = ("screened", "ask_again")
HEALTH_COUNTS = frozenset({"pain"})
# Being in the pregnancy routine, or one for a kind of back pain, says as much: the place
# in one, and the last routine when it is one, are held back the same way.
REVEALING_HISTORY = frozenset({"last_routine", "last_finished"})

# Each kept history value, and what makes it believable.
HISTORY: dict[str, Callable[[object], bool]] = {
    "last_day": _day,
    "streak": _count,
    "last_routine": _name,
    "last_finished": _flag,
}
HISTORY_KEYS = frozenset(HISTORY)
