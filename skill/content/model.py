"""The catalogue's shapes: frozen dataclasses built once from content/ and never changed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Position(StrEnum):
    """Where the body starts; the coach sizes the move between two of them."""

    STANDING = "standing"
    CHAIR = "chair"
    LYING_ON_BACK = "lying_on_back"
    LYING_ON_FRONT = "lying_on_front"
    SIDE_LYING = "side_lying"
    HANDS_AND_KNEES = "hands_and_knees"
    KNEELING = "kneeling"
    SITTING_ON_FLOOR = "sitting_on_floor"
    SQUAT = "squat"

    @property
    def spoken(self) -> str:
        return _SPOKEN_POSITIONS[self]


_SPOKEN_POSITIONS = {
    Position.STANDING: "standing",
    Position.CHAIR: "on a chair",
    Position.LYING_ON_BACK: "lying on your back",
    Position.LYING_ON_FRONT: "lying on your front",
    Position.SIDE_LYING: "lying on your side",
    Position.HANDS_AND_KNEES: "on hands and knees",
    Position.KNEELING: "kneeling",
    Position.SITTING_ON_FLOOR: "sitting on the floor",
    Position.SQUAT: "in a squat",
}


class Sides(StrEnum):
    """How a stretch uses the two sides of the body."""

    NONE = "none"
    EACH = "each"
    ALTERNATE = "alternate"


class Side(StrEnum):
    """One side of the body; the coach always names it."""

    RIGHT = "right"
    LEFT = "left"

    @property
    def other(self) -> Side:
        return Side.LEFT if self is Side.RIGHT else Side.RIGHT


class SideLabel(StrEnum):
    """What a side is called aloud: "the right leg", "the left side"."""

    SIDE = "side"
    LEG = "leg"
    ARM = "arm"
    HIP = "hip"


class Intensity(StrEnum):
    """How demanding a stretch is."""

    GENTLE = "gentle"
    MODERATE = "moderate"
    ADVANCED = "advanced"


class Level(StrEnum):
    """What a caution does: leave the stretch out for the group, or warn them."""

    AVOID = "avoid"
    CARE = "care"


class Pace(StrEnum):
    """How quickly the coach talks and moves on."""

    SLOWER = "slower"
    NORMAL = "normal"
    FASTER = "faster"


class DosageKind(StrEnum):
    """Whether each rep is a timed hold, a hold counted in breaths, or a paced movement."""

    HOLD = "hold"
    BREATHS = "breaths"
    MOVING = "moving"


@dataclass(frozen=True)
class Amount:
    """A prescribed number: an exact one, or an article's range with the default we use."""

    default: int
    min: int
    max: int | None

    @classmethod
    def exactly(cls, value: int) -> Amount:
        return cls(default=value, min=value, max=value)

    @property
    def is_range(self) -> bool:
        return self.max != self.min

    def __str__(self) -> str:
        if self.max is None:
            return f"at least {self.min}"
        if self.max == self.min:
            return str(self.min)
        return f"{self.min}-{self.max}"


@dataclass(frozen=True)
class Dosage:
    """How much of a stretch to do: what a rep is, how many, and how often."""

    hold_seconds: Amount | None = None
    breaths: Amount | None = None
    phase_seconds: Amount | None = None
    phase_breaths: Amount | None = None
    reps: Amount = field(default_factory=lambda: Amount.exactly(1))
    sets: Amount = field(default_factory=lambda: Amount.exactly(1))
    rest_seconds: int = 0
    daily: Amount | None = None
    # The numbers the article leaves open and we chose with care, by field name.
    ours: frozenset[str] = frozenset()

    @property
    def kind(self) -> DosageKind:
        if self.hold_seconds is not None:
            return DosageKind.HOLD
        if self.breaths is not None:
            return DosageKind.BREATHS
        return DosageKind.MOVING


@dataclass(frozen=True)
class Caution:
    """Who should take care with, or leave out, a stretch."""

    who: str
    level: Level
    say: str  # spoken: an avoid caution as its stretch begins, a care one as described
    instead: str | None = None  # a stretch to do in its place, for that group


@dataclass(frozen=True)
class Stretch:
    """One stretch, as the coach says and times it."""

    id: str
    name: str
    aliases: tuple[str, ...]
    position: Position
    sides: Sides
    side_label: SideLabel
    dosage: Dosage
    cues: tuple[str, ...]
    rep_cues: tuple[str, ...]
    set_cues: tuple[str, ...]
    release: str | None
    tips: tuple[str, ...]
    targets: tuple[str, ...]
    intensity: Intensity
    easier: str | None
    harder: str | None
    cautions: tuple[Caution, ...]
    sources: tuple[str, ...]
    # Cues said on the first side only (indexes into cues): positioning the release leaves
    # in place. Every other cue, the set-up and the key cues, is said again on every side.
    once: frozenset[int] = frozenset()
    # Short lines said during a hold in place of a time cue ("let your knees sink").
    focus: tuple[str, ...] = ()

    @property
    def every_side_cues(self) -> tuple[str, ...]:
        return tuple(cue for i, cue in enumerate(self.cues) if i not in self.once)

    def avoided_by(self, group: str) -> bool:
        return any(c.who == group and c.level is Level.AVOID for c in self.cautions)

    def instead_for(self, group: str) -> str | None:
        """The stretch to do in this one's place for a group that should avoid it."""
        return next((c.instead for c in self.cautions if c.who == group and c.instead), None)


@dataclass(frozen=True)
class RoutineItem:
    """A stretch in a routine, with the dosage that routine's article gives it."""

    stretch: str
    dosage: Dosage
    side: Side | None = None
    # Words that get the person into position in this routine, in place of the usual ones
    # ("Sit on a bed or a couch" for people who would rather not get down on the floor).
    get_into: str | None = None


@dataclass(frozen=True)
class RoutineDefaults:
    """Preferences a routine starts with unless the person has chosen otherwise."""

    pace: Pace = Pace.NORMAL
    gentle: bool = False


@dataclass(frozen=True)
class Routine:
    """An ordered set of stretches for one audience."""

    id: str
    name: str
    aliases: tuple[str, ...]
    audience: str
    intro: str
    safety: str
    sources: tuple[str, ...]
    defaults: RoutineDefaults
    items: tuple[RoutineItem, ...]
    weekly: Amount | None = None  # how many times a week the article suggests


@dataclass(frozen=True)
class Source:
    """An article the catalogue's facts come from."""

    id: str
    about: str
    publisher: str
    file: str


@dataclass(frozen=True)
class CautionGroup:
    """A group of people a caution can name."""

    id: str
    name: str
    description: str


@dataclass(frozen=True)
class Catalogue:
    """Everything in content/, checked and cross-referenced."""

    sources: Mapping[str, Source]
    groups: Mapping[str, CautionGroup]
    stretches: Mapping[str, Stretch]
    routines: Mapping[str, Routine]
    _routine_names: Mapping[str, str] = field(init=False, repr=False, compare=False)
    _stretch_names: Mapping[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Built once so a spoken name resolves with one lookup on every request.
        object.__setattr__(self, "_routine_names", _index(self.routines.values()))
        object.__setattr__(self, "_stretch_names", _index(self.stretches.values()))

    def find_routine(self, spoken: str) -> Routine | None:
        """The routine whose id, name or alias matches what someone said or typed."""
        found = self._routine_names.get(normalise_name(spoken))
        return self.routines[found] if found else None

    def find_stretch(self, spoken: str) -> Stretch | None:
        """The stretch whose id, name or alias matches what someone said or typed."""
        found = self._stretch_names.get(normalise_name(spoken))
        return self.stretches[found] if found else None


def normalise_name(text: str) -> str:
    """Fold case, punctuation and spacing so "Child's Pose" matches "childs pose"."""
    kept = "".join(ch if ch.isalnum() else " " for ch in text.lower().replace("'", ""))
    return " ".join(kept.split())


def spoken_names(entry: Stretch | Routine) -> tuple[str, ...]:
    """Every name an entry answers to, normalised: its id, its name and its aliases."""
    names = [entry.id, entry.name, *entry.aliases]
    return tuple(dict.fromkeys(normalise_name(n) for n in names))


def _index(entries: Iterable[Stretch | Routine]) -> dict[str, str]:
    return {name: entry.id for entry in entries for name in spoken_names(entry)}
