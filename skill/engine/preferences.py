"""What a person has chosen, and the settings a routine runs with once defaults fill gaps."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from skill.content.model import Pace, Routine
from skill.errors import StretchCoachError

# Safe bounds: a hold may be halved or lengthened by half, never more, and breathing
# prompts stay between a quick and a very slow breath.
HOLD_SCALE_RANGE = (0.5, 1.5)
BREATH_SECONDS_RANGE = (3.0, 8.0)
DEFAULT_BREATH_SECONDS = 5.0
# "Add ten seconds" may be asked for a stretch up to this much in all.
MAX_EXTRA_SECONDS = 30

Pairs = tuple[tuple[str, str], ...]
Extras = tuple[tuple[str, int], ...]


def caution_key(stretch: str, index: int) -> str:
    """How a caution a screening made relevant is remembered: "kneeling_hip_flexor:0"."""
    return f"{stretch}:{index}"


class PreferenceError(StretchCoachError):
    """A preference outside its safe bounds, or of the wrong kind."""


@dataclass(frozen=True)
class Preferences:
    """A person's choices; None means "use the routine's default". Hashable, so scripts cache."""

    pace: Pace | None = None
    gentle: bool | None = None
    hold_scale: float = 1.0
    breath_seconds: float = DEFAULT_BREATH_SECONDS
    excluded: frozenset[str] = field(default_factory=frozenset)
    # Per stretch: another stretch to do in its place (an easier or harder version, or
    # what a screening says to do instead), and seconds added to its holds.
    substitutes: Pairs = ()
    extra_seconds: Extras = ()
    # Care-level cautions a screening made relevant, as "stretch:number" (never the group,
    # which would say what was answered): spoken every time, not only the first time.
    cautions: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        low, high = HOLD_SCALE_RANGE
        if not low <= self.hold_scale <= high:
            raise PreferenceError(f"hold scale {self.hold_scale} is outside {low} to {high}")
        low, high = BREATH_SECONDS_RANGE
        if not low <= self.breath_seconds <= high:
            raise PreferenceError(f"breath of {self.breath_seconds} s is outside {low} to {high}")
        for stretch, seconds in self.extra_seconds:
            if not 0 < seconds <= MAX_EXTRA_SECONDS:
                raise PreferenceError(f"{seconds} extra seconds for {stretch} is outside 1 to 30")
        # Canonical order, so equal choices are equal keys.
        object.__setattr__(self, "substitutes", tuple(sorted(dict(self.substitutes).items())))
        object.__setattr__(self, "extra_seconds", tuple(sorted(dict(self.extra_seconds).items())))

    @property
    def substitute_map(self) -> Mapping[str, str]:
        return dict(self.substitutes)

    @property
    def extra_map(self) -> Mapping[str, int]:
        return dict(self.extra_seconds)

    def with_substitute(self, stretch: str, other: str | None) -> Preferences:
        chosen = dict(self.substitutes)
        if other is None or other == stretch:
            chosen.pop(stretch, None)
        else:
            chosen[stretch] = other
        return replace(self, substitutes=tuple(chosen.items()))

    def with_extra(self, stretch: str, seconds: int) -> Preferences:
        extras = dict(self.extra_seconds)
        total = min(extras.get(stretch, 0) + seconds, MAX_EXTRA_SECONDS)
        if total <= 0:
            extras.pop(stretch, None)
        else:
            extras[stretch] = total
        return replace(self, extra_seconds=tuple(extras.items()))

    def combined(self, other: Preferences) -> Preferences:
        """These choices with another set's exclusions and substitutes added (a screening's)."""
        return replace(
            self,
            excluded=self.excluded | other.excluded,
            cautions=self.cautions | other.cautions,
            substitutes=tuple({**other.substitute_map, **self.substitute_map}.items()),
            gentle=self.gentle if self.gentle is not None else other.gentle,
            pace=self.pace or other.pace,
        )

    def settle(self, routine: Routine) -> Settings:
        """The settings for this routine: the person's choices, else the routine's defaults."""
        return Settings(
            pace=self.pace or routine.defaults.pace,
            gentle=routine.defaults.gentle if self.gentle is None else self.gentle,
            hold_scale=self.hold_scale,
            breath_seconds=self.breath_seconds,
            excluded=self.excluded,
            substitutes=self.substitute_map,
            extra_seconds=self.extra_map,
            cautions=self.cautions,
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form holding only what differs from the defaults."""
        data: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value == getattr(_DEFAULT, f.name):
                continue
            if isinstance(value, frozenset):
                value = sorted(value)
            elif f.name in ("substitutes", "extra_seconds"):
                value = dict(value)
            data[f.name] = value
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
            cautions = data.get("cautions", [])
            substitutes = data.get("substitutes", {})
            extras = data.get("extra_seconds", {})
            if gentle is not None and not isinstance(gentle, bool):
                raise PreferenceError("gentle must be true or false")
            if not isinstance(excluded, list) or not all(isinstance(x, str) for x in excluded):
                raise PreferenceError("excluded must be a list of stretch ids")
            if not isinstance(cautions, list) or not all(isinstance(x, str) for x in cautions):
                raise PreferenceError("cautions must be a list of stretch:number keys")
            if not isinstance(substitutes, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in substitutes.items()
            ):
                raise PreferenceError("substitutes must map stretch ids to stretch ids")
            if not isinstance(extras, dict) or not all(
                isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool)
                for k, v in extras.items()
            ):
                raise PreferenceError("extra_seconds must map stretch ids to whole seconds")
            return cls(
                pace=Pace(pace) if pace is not None else None,
                gentle=gentle,
                hold_scale=float(data.get("hold_scale", 1.0)),
                breath_seconds=float(data.get("breath_seconds", DEFAULT_BREATH_SECONDS)),
                excluded=frozenset(excluded),
                substitutes=tuple(substitutes.items()),
                extra_seconds=tuple(extras.items()),
                cautions=frozenset(cautions),
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
    substitutes: Mapping[str, str] = field(default_factory=dict)
    extra_seconds: Mapping[str, int] = field(default_factory=dict)
    cautions: frozenset[str] = field(default_factory=frozenset)
