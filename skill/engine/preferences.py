"""What a person has chosen, and the settings a routine runs with once defaults fill gaps."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from skill.content.model import Pace, Routine
from skill.errors import StretchCoachError

# Safe bounds: a hold may be halved or lengthened by half, never more, and breathing
# prompts stay between a quick and a very slow breath.
HOLD_SCALE_RANGE = (0.5, 1.5)
BREATH_SECONDS_RANGE = (3.0, 8.0)
DEFAULT_BREATH_SECONDS = 5.0


class PreferenceError(StretchCoachError):
    """A preference outside its safe bounds, or of the wrong kind."""


@dataclass(frozen=True)
class Preferences:
    """A person's choices; None means "use the routine's default"."""

    pace: Pace | None = None
    gentle: bool | None = None
    hold_scale: float = 1.0
    breath_seconds: float = DEFAULT_BREATH_SECONDS
    excluded: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        low, high = HOLD_SCALE_RANGE
        if not low <= self.hold_scale <= high:
            raise PreferenceError(f"hold scale {self.hold_scale} is outside {low} to {high}")
        low, high = BREATH_SECONDS_RANGE
        if not low <= self.breath_seconds <= high:
            raise PreferenceError(f"breath of {self.breath_seconds} s is outside {low} to {high}")

    def settle(self, routine: Routine) -> Settings:
        """The settings for this routine: the person's choices, else the routine's defaults."""
        return Settings(
            pace=self.pace or routine.defaults.pace,
            gentle=routine.defaults.gentle if self.gentle is None else self.gentle,
            hold_scale=self.hold_scale,
            breath_seconds=self.breath_seconds,
            excluded=self.excluded,
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form holding only what differs from the defaults."""
        data: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value == getattr(_DEFAULT, f.name):
                continue
            data[f.name] = sorted(value) if isinstance(value, frozenset) else value
        return data

    @classmethod
    def from_dict(cls, data: object) -> Preferences:
        """Read what to_dict wrote; anything unreadable is a PreferenceError, not a crash."""
        if not isinstance(data, dict):
            raise PreferenceError("preferences must be a mapping")
        try:
            pace = data.get("pace")
            gentle = data.get("gentle")
            excluded = data.get("excluded", [])
            if gentle is not None and not isinstance(gentle, bool):
                raise PreferenceError("gentle must be true or false")
            if not isinstance(excluded, list) or not all(isinstance(x, str) for x in excluded):
                raise PreferenceError("excluded must be a list of stretch ids")
            return cls(
                pace=Pace(pace) if pace is not None else None,
                gentle=gentle,
                hold_scale=float(data.get("hold_scale", 1.0)),
                breath_seconds=float(data.get("breath_seconds", DEFAULT_BREATH_SECONDS)),
                excluded=frozenset(excluded),
            )
        except (TypeError, ValueError) as exc:
            raise PreferenceError(f"unreadable preferences: {exc}") from None


_DEFAULT = Preferences()


@dataclass(frozen=True)
class Settings:
    """Concrete settings a script is compiled with."""

    pace: Pace = Pace.NORMAL
    gentle: bool = False
    hold_scale: float = 1.0
    breath_seconds: float = DEFAULT_BREATH_SECONDS
    excluded: frozenset[str] = field(default_factory=frozenset)
