"""Group a script's steps into blocks, each small enough for one voice response."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from skill.engine import phrases
from skill.engine.pacing import DEFAULT_PACING, Pacing, speaking_seconds
from skill.engine.script import Block, Segment, Step
from skill.errors import StretchCoachError

# The longest break one SSML tag may hold, and what such a tag costs in characters.
MAX_BREAK_MS = 10_000
BREAK_TAG_CHARS = len('<break time="10000ms"/>')


@dataclass(frozen=True)
class Budget:
    """What one response may hold (Alexa: 8,000 characters of SSML, about 240 s of audio)."""

    max_chars: int = 8000
    max_seconds: float = 240.0
    # Room for the <speak>/<prosody> wrapper, the closing prompt and rounding.
    reserve_chars: int = 400
    reserve_seconds: float = 6.0

    @property
    def chars(self) -> int:
        return self.max_chars - self.reserve_chars

    @property
    def ms(self) -> int:
        return round((self.max_seconds - self.reserve_seconds) * 1000)


DEFAULT_BUDGET = Budget()


class BudgetError(StretchCoachError):
    """A single step is longer than one response can carry."""


def segment_chars(segment: Segment) -> int:
    """An upper bound on a segment's SSML: escaped words, a space, and its breaks."""
    text = len(segment.text) + 4 * segment.text.count("&") + 1 if segment.text else 0
    return text + BREAK_TAG_CHARS * math.ceil(segment.pause_ms / MAX_BREAK_MS)


def steps_cost(steps: Sequence[Step]) -> tuple[int, int]:
    chars = sum(segment_chars(seg) for step in steps for seg in step.segments)
    return chars, sum(step.ms for step in steps)


def fits(steps: Sequence[Step], budget: Budget) -> bool:
    chars, ms = steps_cost(steps)
    return chars <= budget.chars and ms <= budget.ms


def _split(steps: list[Step], budget: Budget) -> list[list[Step]]:
    """One stretch's steps as few blocks as will fit, split at side or set boundaries first."""
    if fits(steps, budget):
        return [steps]
    chunks: list[list[Step]] = []
    for step in steps:
        if chunks and (chunks[-1][0].set, chunks[-1][0].side) == (step.set, step.side):
            chunks[-1].append(step)
        else:
            chunks.append([step])
    # A side or set too long on its own is split between reps.
    pieces: list[list[Step]] = []
    for chunk in chunks:
        pieces.extend([chunk] if fits(chunk, budget) else [[s] for s in chunk])
    blocks: list[list[Step]] = []
    for piece in pieces:
        if not fits(piece, budget):
            raise BudgetError(f"step {piece[0].index} of '{piece[0].stretch}' is too long")
        if blocks and fits(blocks[-1] + piece, budget):
            blocks[-1].extend(piece)
        else:
            blocks.append(list(piece))
    return blocks


def plan_blocks(
    steps: Sequence[Step], budget: Budget, rate: float, pacing: Pacing = DEFAULT_PACING
) -> tuple[Block, ...]:
    """Blocks never mix two stretches; the intro and outro ride along when they fit."""
    groups: list[list[Step]] = []
    for step in steps:
        if groups and groups[-1][0].item == step.item:
            groups[-1].append(step)
        else:
            groups.append([step])
    intro = groups.pop(0) if groups and groups[0][0].item is None else []
    outro = groups.pop() if groups and groups[-1][0].item is None else []
    spans: list[list[Step]] = []
    for group in groups:
        spans.extend(_split(group, budget))
    if intro:
        if spans and fits(intro + spans[0], budget):
            spans[0] = intro + spans[0]
        else:
            spans.insert(0, intro)
    if outro:
        if spans and fits(spans[-1] + outro, budget):
            spans[-1] = spans[-1] + outro
        else:
            spans.append(outro)
    blocks: list[Block] = []
    for index, span in enumerate(spans):
        more = index + 1 < len(spans)
        following = _first_stretch_step(spans[index + 1]) if more else None
        prompt = _prompt(span[-1], following, more)
        prompt_ms = round(speaking_seconds(prompt, rate, pacing) * 1000) if prompt else 0
        anchor = _first_stretch_step(span)
        blocks.append(
            Block(
                index=index,
                start=span[0].index,
                end=span[-1].index + 1,
                item=anchor.item if anchor else None,
                prompt=prompt,
                ms=sum(step.ms for step in span) + prompt_ms,
            )
        )
    return tuple(blocks)


def _first_stretch_step(span: Sequence[Step]) -> Step | None:
    return next((step for step in span if step.item is not None), None)


def _prompt(last: Step, following: Step | None, more: bool) -> str:
    """What the end of a block says about the next one: "Ready for cobra? Say next."."""
    if not more:
        return ""
    what = upcoming(last, following)
    return phrases.NEXT_PROMPT.format(what=what) if what else phrases.CARRY_ON_PROMPT


def upcoming(last: Step, following: Step | None) -> str:
    """What comes after last, as the prompt names it: "cobra", "set two", "your left leg".

    Empty when the same stretch, set and side simply go on (a long stretch split in two).
    """
    if following is None:
        return "the finish"
    if following.item != last.item:
        return following.name or ""
    if following.set != last.set:
        return f"set {phrases.number(following.set)}"
    if following.side is not None and following.side != last.side:
        return phrases.side_name(following.side, following.side_label)
    return ""
