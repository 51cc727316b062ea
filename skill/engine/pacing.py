"""The coach's clock: how long speaking, breathing, moving and changing position take."""

from __future__ import annotations

from dataclasses import dataclass

from skill.content.model import Pace, Position

# How far each position is from standing: each level costs time to get down or up.
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
class PaceProfile:
    """How a pace changes the clock: speech rate, and the time given between cues."""

    speech_rate: float  # relative to a normal voice; also the SSML prosody rate
    gap_scale: float  # multiplies transitions, pauses between cues and movement phases


PACES = {
    Pace.SLOWER: PaceProfile(speech_rate=0.85, gap_scale=1.5),
    Pace.NORMAL: PaceProfile(speech_rate=1.0, gap_scale=1.0),
    Pace.FASTER: PaceProfile(speech_rate=1.15, gap_scale=0.75),
}


@dataclass(frozen=True)
class Pacing:
    """Base timings at a normal pace, in seconds."""

    words_per_second: float = 2.5  # about 150 words a minute, an unhurried voice
    settle_seconds: float = 3.0  # a moment to settle even when the position does not change
    seconds_per_level: float = 4.0  # getting down or up one level (standing to kneeling: two)
    roll_seconds: float = 3.0  # a change at the same level: rolling over, kneeling to sitting
    side_switch_seconds: float = 5.0  # swapping legs or turning to face the other way
    rep_gap_seconds: float = 3.0  # coming out of one hold and back into the next
    cue_gap_seconds: float = 1.5  # after each set-up cue, to do what it says
    default_phase_seconds: float = 3.0  # a movement phase when the content gives no tempo


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


def speaking_seconds(text: str, rate: float = 1.0, pacing: Pacing = DEFAULT_PACING) -> float:
    """Roughly how long a voice takes to say text at a relative speech rate."""
    return len(text.split()) / (pacing.words_per_second * rate)
