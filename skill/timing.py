"""How long things take: speaking, breathing, changing position, and a routine as a whole."""

from __future__ import annotations

import math
from dataclasses import dataclass

from skill.content.model import (
    Catalogue,
    DosageKind,
    Position,
    Routine,
    RoutineItem,
    Sides,
    Stretch,
)

# How far each position is from standing: each step costs time to get down or up.
_HEIGHT = {
    Position.STANDING: 0,
    Position.CHAIR: 0,
    Position.SQUAT: 1,
    Position.KNEELING: 2,
    Position.HANDS_AND_KNEES: 2,
    Position.SITTING_ON_FLOOR: 2,
    Position.LYING_ON_BACK: 3,
    Position.LYING_ON_FRONT: 3,
    Position.SIDE_LYING: 3,
}


@dataclass(frozen=True)
class Pacing:
    """The clock the coach keeps; the engine scales it for a slower or faster pace."""

    words_per_second: float = 2.5  # about 150 words a minute, an unhurried speaking voice
    breath_seconds: float = 5.0  # one slow breath in and out
    settle_seconds: float = 3.0  # a moment to settle even when the position does not change
    seconds_per_level: float = 4.0  # getting down or up one level (standing to kneeling: two)
    roll_seconds: float = 3.0  # a change at the same level: rolling over, kneeling to sitting
    side_switch_seconds: float = 5.0  # swapping legs or turning to face the other way
    rep_gap_seconds: float = 3.0  # coming out of one hold and back into the next


DEFAULT_PACING = Pacing()


def transition_seconds(before: Position, after: Position, pacing: Pacing = DEFAULT_PACING) -> float:
    """Time to get from one starting position into the next, before any clock starts."""
    levels = abs(_HEIGHT[before] - _HEIGHT[after])
    changed = before is not after
    return (
        pacing.settle_seconds
        + levels * pacing.seconds_per_level
        + (pacing.roll_seconds if changed and levels == 0 else 0.0)
    )


def speaking_seconds(text: str, pacing: Pacing = DEFAULT_PACING) -> float:
    return len(text.split()) / pacing.words_per_second


def rep_seconds(stretch: Stretch, item: RoutineItem, pacing: Pacing = DEFAULT_PACING) -> float:
    """One rep: a hold, a hold counted in breaths, or the phases of a movement."""
    dosage = item.dosage
    if dosage.kind is DosageKind.HOLD:
        assert dosage.hold_seconds is not None
        return float(dosage.hold_seconds.default)
    if dosage.kind is DosageKind.BREATHS:
        assert dosage.breaths is not None
        return dosage.breaths.default * pacing.breath_seconds
    if dosage.phase_breaths is not None:
        phase = dosage.phase_breaths.default * pacing.breath_seconds
    elif dosage.phase_seconds is not None:
        phase = float(dosage.phase_seconds.default)
    else:
        phase = 3.0
    return len(stretch.rep_cues) * phase


def sides_done(stretch: Stretch, item: RoutineItem) -> int:
    if stretch.sides is Sides.NONE or item.side is not None:
        return 1
    return 2


def item_seconds(stretch: Stretch, item: RoutineItem, pacing: Pacing = DEFAULT_PACING) -> float:
    """An estimate of one routine item, from the first cue to the release, without transition."""
    dosage = item.dosage
    sides = sides_done(stretch, item)
    reps = dosage.reps.default
    sets = dosage.sets.default
    work = sides * sets * reps * rep_seconds(stretch, item, pacing)
    gaps = sides * sets * (reps - 1) * pacing.rep_gap_seconds
    rests = sides * (sets - 1) * dosage.rest_seconds
    switches = (
        (sides - 1) * pacing.side_switch_seconds * (reps if stretch.sides is Sides.ALTERNATE else 1)
    )
    talk = sum(speaking_seconds(cue, pacing) for cue in stretch.cues) * sides
    return work + gaps + rests + switches + talk


def routine_seconds(
    routine: Routine, catalogue: Catalogue, pacing: Pacing = DEFAULT_PACING
) -> float:
    """An estimate of a whole routine, starting from standing."""
    total = speaking_seconds(routine.intro, pacing) + speaking_seconds(routine.safety, pacing)
    position = Position.STANDING
    for item in routine.items:
        stretch = catalogue.stretches[item.stretch]
        total += transition_seconds(position, stretch.position, pacing)
        total += item_seconds(stretch, item, pacing)
        position = stretch.position
    return total


def routine_minutes(routine: Routine, catalogue: Catalogue, pacing: Pacing = DEFAULT_PACING) -> int:
    """Whole minutes, rounded up: "about 4 minutes" should never undersell the time."""
    return max(1, math.ceil(routine_seconds(routine, catalogue, pacing) / 60))
