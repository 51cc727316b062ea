"""A compiled routine: steps of spoken segments and silences, grouped into blocks."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from skill.content.model import Routine, Side, SideLabel
from skill.engine.preferences import Settings


class SegmentKind(StrEnum):
    """What a segment is for; renderers and tests rely on the kind, not on the words."""

    INTRO = "intro"
    SAFETY = "safety"
    ANNOUNCE = "announce"
    CAUTION = "caution"
    CUE = "cue"
    TRANSITION = "transition"
    SIDE = "side"
    COUNT = "count"
    HOLD = "hold"
    BREATH = "breath"
    MOVE = "move"
    REST = "rest"
    RELEASE = "release"
    OUTRO = "outro"


# The kinds whose silences make up a hold: their pauses sum to the prescribed time.
HOLD_KINDS = frozenset({SegmentKind.HOLD, SegmentKind.BREATH})


@dataclass(frozen=True)
class Segment:
    """Words to say (maybe none), then a silence; all times in whole milliseconds."""

    kind: SegmentKind
    text: str = ""
    pause_ms: int = 0
    speech_ms: int = 0

    @property
    def ms(self) -> int:
        return self.speech_ms + self.pause_ms


@dataclass(frozen=True)
class Step:
    """One addressable moment: a rep of one side of one set of one stretch (or intro/outro)."""

    index: int
    item: int | None  # the routine item, None for the intro and the outro
    stretch: str | None
    name: str | None
    side: Side | None
    set: int
    sets: int
    rep: int
    reps: int
    hold_ms: int | None  # what the HOLD/BREATH pauses of this step add up to; None if moving
    segments: tuple[Segment, ...]
    side_label: SideLabel = SideLabel.SIDE
    # Every caution of the stretch, spoken when someone starts here rather than where the
    # stretch begins (picking up at its second side tomorrow, or going back to it).
    cautions: tuple[Segment, ...] = ()

    @property
    def ms(self) -> int:
        return sum(s.ms for s in self.segments)

    @property
    def held_ms(self) -> int:
        return sum(s.pause_ms for s in self.segments if s.kind in HOLD_KINDS)


@dataclass(frozen=True)
class Block:
    """What one voice response says: steps [start, end), then a prompt for what comes next."""

    index: int
    start: int
    end: int
    item: int | None
    prompt: str  # empty for the last block, which ends the routine
    ms: int  # steps plus the prompt


@dataclass(frozen=True)
class Script:
    """A routine compiled with a person's settings."""

    routine: Routine
    settings: Settings
    items: tuple[int, ...]  # routine item indexes kept, in order (some may be left out)
    stretches: tuple[str, ...]  # the stretch played for each kept item (easier in gentle mode)
    steps: tuple[Step, ...]
    blocks: tuple[Block, ...]

    @property
    def ms(self) -> int:
        return sum(step.ms for step in self.steps)

    @property
    def minutes(self) -> int:
        """Whole minutes, rounded up: "about four minutes" should never undersell."""
        return max(1, -(-self.ms // 60_000))

    def entry(self, step: int) -> tuple[Segment, ...]:
        """What someone starting at this step, who did not hear the step before, must hear first.

        Every caution of its stretch that this step does not say itself: a step that begins
        a stretch or a side says them all, and one part of the way into a side says none.
        """
        here = self.steps[step]
        if here.item is None:
            return ()
        said = {s.text for s in here.segments if s.kind is SegmentKind.CAUTION}
        return tuple(c for c in here.cautions if c.text not in said)

    def opening(self, step: int, entering: bool) -> tuple[Segment, ...]:
        """The segments of the step a block starts at; for someone entering, with its entry.

        The entry follows the stretch's name and side, as a stretch's own cautions do.
        """
        segments = self.steps[step].segments
        entry = self.entry(step) if entering else ()
        if not entry:
            return segments
        named = 1 if segments and segments[0].kind is SegmentKind.ANNOUNCE else 0
        return (*segments[:named], *entry, *segments[named:])

    def block_steps(self, block: Block) -> tuple[Step, ...]:
        return self.steps[block.start : block.end]

    def block_of_step(self, step: int) -> Block:
        for block in self.blocks:
            if block.start <= step < block.end:
                return block
        raise IndexError(step)
