"""A block as a timeline: when each spoken segment starts, and what the body is doing then."""

from __future__ import annotations

from dataclasses import dataclass

from skill.engine.pacing import DEFAULT_PACING, PACES, Pacing, speaking_seconds
from skill.engine.script import HOLD_KINDS, Block, Script, SegmentKind, Step


@dataclass(frozen=True)
class Moment:
    """One stretch of the speech: it starts at `at_ms` and lasts `ms`."""

    at_ms: int
    ms: int
    step: Step | None  # None for words said around the steps (an intro, a summary, the prompt)
    kind: SegmentKind | None  # the segment's kind; None for the words around the steps
    text: str  # the words said at the start of the moment ("" for a silence on its own)
    hold_ms: int | None  # inside a hold: time from this moment to the release


@dataclass(frozen=True)
class Timeline:
    """A block's moments, end to end, from the first word to the end of the prompt."""

    moments: tuple[Moment, ...]

    @property
    def ms(self) -> int:
        return sum(moment.ms for moment in self.moments)


def timeline(
    script: Script, block: Block, prefix: str = "", suffix: str = "",
    pacing: Pacing = DEFAULT_PACING, *, entering: bool = False,
) -> Timeline:  # fmt: skip
    """The block as the speech renders it: prefix, every segment, suffix, then the prompt.

    entering: as the speech does, the block's first step says its entry for someone who did
    not just hear the step before (see Script.opening).

    The segments carry the times the compiler gave them, so a screen that follows this
    timeline changes when the speech does; the words around them are timed the same way.
    """
    rate = PACES[script.settings.pace].speech_rate
    moments: list[Moment] = []
    clock = 0

    def said(text: str) -> None:
        nonlocal clock
        ms = round(speaking_seconds(text, rate, pacing) * 1000) if text else 0
        if ms:
            moments.append(Moment(clock, ms, None, None, text, None))
            clock += ms

    said(prefix)
    for step in script.block_steps(block):
        first = step.index == block.start
        segments = script.opening(step.index, entering) if first else step.segments
        for index, segment in enumerate(segments):
            if not segment.ms:
                continue
            hold = None
            if segment.kind in HOLD_KINDS:
                # Until the last hold segment of this run ends: the release comes then.
                run = 0
                for later in segments[index:]:
                    if later.kind not in HOLD_KINDS:
                        break
                    run += later.ms
                hold = run
            moments.append(Moment(clock, segment.ms, step, segment.kind, segment.text, hold))
            clock += segment.ms
    said(suffix)
    said(block.prompt)
    return Timeline(tuple(moments))
