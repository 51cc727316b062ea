"""Where a person is in a routine: a small serialisable cursor, its moves, and its queries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from skill.content.model import Side, normalise_name
from skill.engine.script import HOLD_KINDS, Block, Script, Step
from skill.errors import StretchCoachError

CURSOR_FORMAT = 1


class Status(StrEnum):
    """Whether the current block is yet to play, playing, known to be heard, or paused."""

    NOT_STARTED = "not_started"
    PLAYING = "playing"  # sent to the speaker; the person may be anywhere in it
    HEARD = "heard"  # known to have played to the end (the session timed out after it)
    PAUSED = "paused"  # stopped part-way: resuming plays the block again


class Move(StrEnum):
    """Everything a person can ask to do with their place in a routine."""

    START = "start"
    NEXT = "next"
    PREVIOUS = "previous"
    REPEAT = "repeat"
    SKIP = "skip"
    START_OVER = "start_over"
    JUMP = "jump"
    PAUSE = "pause"
    RESUME = "resume"
    HEARD = "heard"


class Refusal(StrEnum):
    """Why a move cannot be made; the skill turns each into a spoken answer."""

    AT_START = "at_start"
    AT_END = "at_end"
    NOT_STARTED = "not_started"
    ALREADY_PAUSED = "already_paused"
    NOT_PLAYING = "not_playing"
    UNKNOWN_STRETCH = "unknown_stretch"
    WRONG_ROUTINE = "wrong_routine"


class NavigationError(StretchCoachError):
    """A move that cannot be made from here; `reason` says why in a form the skill can speak."""

    def __init__(self, move: Move, reason: Refusal, detail: str = "") -> None:
        self.move = move
        self.reason = reason
        super().__init__(f"cannot {move.value}: {reason.value}{f' ({detail})' if detail else ''}")


class CursorError(StretchCoachError):
    """A stored cursor that cannot be read at all."""


@dataclass(frozen=True)
class Cursor:
    """A block index plus an anchor (item, stretch, side, set) that finds it again later."""

    routine: str
    block: int = 0
    status: Status = Status.NOT_STARTED
    item: int | None = None
    stretch: str | None = None
    side: Side | None = None
    set: int = 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "v": CURSOR_FORMAT,
            "routine": self.routine,
            "block": self.block,
            "status": self.status.value,
            "item": self.item,
            "stretch": self.stretch,
            "side": self.side.value if self.side else None,
            "set": self.set,
        }

    @classmethod
    def from_dict(cls, data: object) -> Cursor:
        """Read what to_dict wrote; any damage is one CursorError, never another exception."""
        if not isinstance(data, dict) or data.get("v") != CURSOR_FORMAT:
            raise CursorError("not a cursor this version can read")
        try:
            routine, block, item = data["routine"], data["block"], data.get("item")
            stretch, side, set_ = data.get("stretch"), data.get("side"), data.get("set", 1)
            if not isinstance(routine, str) or not _is_int(block) or not _is_int(set_):
                raise CursorError("cursor fields have the wrong types")
            if (item is not None and not _is_int(item)) or (
                stretch is not None and not isinstance(stretch, str)
            ):
                raise CursorError("cursor anchor has the wrong types")
            return cls(
                routine=routine,
                block=max(0, block),
                status=Status(data["status"]),
                item=item,
                stretch=stretch,
                side=Side(side) if side is not None else None,
                set=max(1, set_),
            )
        except (KeyError, ValueError) as exc:
            raise CursorError(f"unreadable cursor: {exc}") from None


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def anchored(script: Script, block: int, status: Status) -> Cursor:
    """A cursor at a block, remembering what that block is about."""
    step = _anchor_step(script, script.blocks[block])
    return Cursor(
        routine=script.routine.id,
        block=block,
        status=status,
        item=step.item if step else None,
        stretch=step.stretch if step else None,
        side=step.side if step else None,
        set=step.set if step else 1,
    )


def _anchor_step(script: Script, block: Block) -> Step | None:
    return next((s for s in script.block_steps(block) if s.item is not None), None)


def start(script: Script) -> Cursor:
    return Cursor(routine=script.routine.id)


def repair(script: Script, cursor: Cursor) -> Cursor:
    """Put a cursor from older content or other settings at the nearest valid place."""
    if cursor.routine != script.routine.id:
        raise NavigationError(Move.RESUME, Refusal.WRONG_ROUTINE, cursor.routine)
    blocks = script.blocks
    if 0 <= cursor.block < len(blocks) and _matches(script, cursor, blocks[cursor.block]):
        return cursor
    if cursor.stretch is None:
        # The intro or the outro: keep the place, inside the script.
        return anchored(script, min(cursor.block, len(blocks) - 1), cursor.status)
    candidates: list[Callable[[Step], bool]] = [
        lambda s: s.stretch == cursor.stretch and s.side == cursor.side and s.set == cursor.set,
        lambda s: s.stretch == cursor.stretch and s.side == cursor.side,
        lambda s: s.stretch == cursor.stretch,
        # The stretch is gone: continue with whatever now follows its place in the routine.
        lambda s: cursor.item is not None and s.item is not None and s.item >= cursor.item,
    ]
    gone = len(candidates) - 1
    for number, wanted in enumerate(candidates):
        for block in blocks:
            step = _anchor_step(script, block)
            if step is None or not wanted(step):
                continue
            left_out = number == gone and step.item != cursor.item  # not swapped for another
            if left_out and block.index > 0 and cursor.status in (Status.PLAYING, Status.HEARD):
                # The stretch heard is gone: what follows its place is still to come, so
                # "next" plays it from its start (never from its second side). A paused
                # place stays on it instead, and "resume" plays it from its start.
                return anchored(script, block.index - 1, Status.HEARD)
            return anchored(script, block.index, cursor.status)
    return anchored(script, len(blocks) - 1, cursor.status)


def finished(script: Script, cursor: Cursor) -> bool:
    """Whether the routine was played to its end (the last block sent or heard)."""
    last = len(script.blocks) - 1
    return cursor.block >= last and cursor.status in (Status.PLAYING, Status.HEARD)


def stretch_done(script: Script, cursor: Cursor) -> bool:
    """Whether the place is just after a stretch heard to its end (the last one too)."""
    after = cursor.block + 1
    if cursor.status is not Status.HEARD:
        return False
    return (
        after >= len(script.blocks) or script.blocks[after].item != script.blocks[cursor.block].item
    )


def resumable(script: Script, cursor: Cursor) -> bool:
    """Whether a saved place is worth offering to pick up: started, and not played through."""
    return cursor.status is not Status.NOT_STARTED and not finished(script, cursor)


def _matches(script: Script, cursor: Cursor, block: Block) -> bool:
    step = _anchor_step(script, block)
    if step is None:
        return cursor.stretch is None
    return (step.item, step.stretch, step.side, step.set) == (
        cursor.item,
        cursor.stretch,
        cursor.side,
        cursor.set,
    )


# --- the moves, as a table -------------------------------------------------------------

Target = Callable[[Script, Cursor, str | None], int]


def _first(script: Script, cursor: Cursor, arg: str | None) -> int:
    return 0


def _same(script: Script, cursor: Cursor, arg: str | None) -> int:
    return cursor.block


def _next(script: Script, cursor: Cursor, arg: str | None) -> int:
    if cursor.block + 1 >= len(script.blocks):
        raise NavigationError(Move.NEXT, Refusal.AT_END)
    return cursor.block + 1


def _previous(script: Script, cursor: Cursor, arg: str | None) -> int:
    if cursor.block == 0:
        raise NavigationError(Move.PREVIOUS, Refusal.AT_START)
    return cursor.block - 1


def _next_stretch(script: Script, cursor: Cursor, arg: str | None) -> int:
    current = script.blocks[cursor.block].item
    for block in script.blocks[cursor.block + 1 :]:
        if block.item is not None and block.item != current:
            return block.index
    raise NavigationError(Move.SKIP, Refusal.AT_END)


def _named(script: Script, cursor: Cursor, arg: str | None) -> int:
    wanted = normalise_name(arg or "")
    for block in script.blocks:
        step = _anchor_step(script, block)
        if step is None:
            continue
        if wanted in {normalise_name(step.name or ""), normalise_name(step.stretch or "")}:
            return block.index
    raise NavigationError(Move.JUMP, Refusal.UNKNOWN_STRETCH, arg or "")


def _resume(script: Script, cursor: Cursor, arg: str | None) -> int:
    if cursor.status is Status.NOT_STARTED:
        return 0
    if cursor.status in (Status.HEARD, Status.PLAYING):
        # "Keep going" after a block has played means the next one, not that block again.
        if cursor.block + 1 >= len(script.blocks):
            raise NavigationError(Move.RESUME, Refusal.AT_END)
        return cursor.block + 1
    return cursor.block  # paused: play that block again from its start


@dataclass(frozen=True)
class Rule:
    """One row of the move table: where a move may start, where it goes, what it leaves."""

    allowed: frozenset[Status]
    target: Target
    status: Status


_ANY = frozenset(Status)
_STARTED = frozenset({Status.PLAYING, Status.HEARD, Status.PAUSED})

MOVES: dict[Move, Rule] = {
    Move.START: Rule(_ANY, _first, Status.PLAYING),
    Move.START_OVER: Rule(_ANY, _first, Status.PLAYING),
    Move.NEXT: Rule(_STARTED, _next, Status.PLAYING),
    Move.PREVIOUS: Rule(_STARTED, _previous, Status.PLAYING),
    Move.REPEAT: Rule(_STARTED, _same, Status.PLAYING),
    Move.SKIP: Rule(_STARTED, _next_stretch, Status.PLAYING),
    Move.JUMP: Rule(_ANY, _named, Status.PLAYING),
    Move.PAUSE: Rule(frozenset({Status.PLAYING, Status.HEARD}), _same, Status.PAUSED),
    Move.RESUME: Rule(_ANY, _resume, Status.PLAYING),
    Move.HEARD: Rule(frozenset({Status.PLAYING, Status.HEARD}), _same, Status.HEARD),
}

_REFUSALS = {
    Status.NOT_STARTED: Refusal.NOT_STARTED,
    Status.PAUSED: Refusal.ALREADY_PAUSED,
    Status.PLAYING: Refusal.NOT_PLAYING,
    Status.HEARD: Refusal.NOT_PLAYING,
}


def move(script: Script, cursor: Cursor, what: Move, stretch: str | None = None) -> Cursor:
    """Make a move; an illegal one raises NavigationError and changes nothing."""
    cursor = repair(script, cursor)
    rule = MOVES[what]
    if cursor.status not in rule.allowed:
        raise NavigationError(what, _REFUSALS[cursor.status])
    return anchored(script, rule.target(script, cursor, stretch), rule.status)


# --- queries ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """Everything "where am I", "how much longer" and "what's next" need to answer."""

    block: Block
    stretch: str | None
    name: str | None
    side: Side | None
    set: int
    sets: int
    number: int  # this stretch's place among the stretches played, from 1; 0 before any
    total: int
    block_left_ms: int
    routine_left_ms: int
    hold_left_ms: int | None  # only when the time into the block is known
    next_name: str | None
    stretches_left: int  # after this one


def progress(script: Script, cursor: Cursor, elapsed_ms: int | None = None) -> Progress:
    """Where the cursor is; with elapsed_ms (time into the block), also what is left of a hold."""
    cursor = repair(script, cursor)
    block = script.blocks[cursor.block]
    steps = script.block_steps(block)
    elapsed = min(max(elapsed_ms or 0, 0), block.ms)
    step = _anchor_step(script, block)
    if step is not None and step.item is not None:
        number = script.items.index(step.item) + 1
    else:
        # The intro or the finish alone: as far on as the stretches before it.
        number = len({s.item for s in script.steps[: block.start] if s.item is not None})
    following = next(
        (
            s
            for s in script.steps[block.start :]
            if s.item is not None and (step is None or s.item != step.item)
        ),
        None,
    )
    later = sum(b.ms for b in script.blocks[block.index + 1 :])
    return Progress(
        block=block,
        stretch=step.stretch if step else None,
        name=step.name if step else None,
        side=step.side if step else None,
        set=step.set if step else 1,
        sets=step.sets if step else 1,
        number=number,
        total=len(script.items),
        block_left_ms=block.ms - elapsed,
        routine_left_ms=block.ms - elapsed + later,
        hold_left_ms=_hold_left(steps, elapsed) if elapsed_ms is not None else None,
        next_name=following.name if following else None,
        stretches_left=len(script.items) - number,
    )


def _hold_left(steps: tuple[Step, ...], elapsed_ms: int) -> int | None:
    """Time left in the hold playing elapsed_ms into these steps, or None between holds."""
    clock = 0
    for step in steps:
        for i, segment in enumerate(step.segments):
            if clock + segment.ms > elapsed_ms:
                if segment.kind not in HOLD_KINDS:
                    return None
                rest = [s for s in step.segments[i:] if s.kind in HOLD_KINDS]
                return sum(s.ms for s in rest) - (elapsed_ms - clock)
            clock += segment.ms
    return None
