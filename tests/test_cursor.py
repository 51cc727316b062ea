"""The cursor: moves as a table, refusals the skill can speak, repair, and queries."""

from __future__ import annotations

import json

import pytest

from skill.content import default_catalogue
from skill.content.model import Side
from skill.engine.blocks import Budget
from skill.engine.compiler import compile_routine
from skill.engine.cursor import (
    MOVES,
    Cursor,
    CursorError,
    Move,
    NavigationError,
    Refusal,
    Status,
    move,
    progress,
    repair,
    start,
)
from skill.engine.preferences import Preferences
from skill.engine.script import Script


def compiled(routine: str = "seniors", **prefs: object) -> Script:
    catalogue = default_catalogue()
    return compile_routine(catalogue, catalogue.routines[routine], Preferences(**prefs))  # type: ignore[arg-type]


def walk(s: Script, *moves: Move) -> Cursor:
    cursor = start(s)
    for m in moves:
        cursor = move(s, cursor, m)
    return cursor


def test_every_move_has_a_row_in_the_table() -> None:
    assert set(MOVES) == set(Move)


def test_start_next_previous() -> None:
    s = compiled()
    cursor = walk(s, Move.START)
    assert (cursor.block, cursor.status, cursor.stretch) == (0, Status.PLAYING, "lying_butterfly")
    cursor = move(s, cursor, Move.NEXT)
    assert (cursor.block, cursor.stretch) == (1, "cobra")
    cursor = move(s, cursor, Move.PREVIOUS)
    assert (cursor.block, cursor.stretch) == (0, "lying_butterfly")


@pytest.mark.parametrize(
    ("moves", "refused", "reason"),
    [
        ((Move.START,), Move.PREVIOUS, Refusal.AT_START),
        # The last block: the finish, on its own after knee to chest's second side.
        ((Move.START, Move.NEXT, Move.NEXT, Move.NEXT, Move.NEXT), Move.NEXT, Refusal.AT_END),
        ((Move.START, Move.NEXT, Move.NEXT), Move.SKIP, Refusal.AT_END),
        ((), Move.NEXT, Refusal.NOT_STARTED),
        ((), Move.PAUSE, Refusal.NOT_STARTED),
        ((Move.START, Move.PAUSE), Move.PAUSE, Refusal.ALREADY_PAUSED),
        ((Move.START, Move.PAUSE), Move.HEARD, Refusal.ALREADY_PAUSED),
    ],
)
def test_illegal_moves_raise_one_error_type_with_a_reason(
    moves: tuple[Move, ...], refused: Move, reason: Refusal
) -> None:
    s = compiled()
    cursor = walk(s, *moves)
    with pytest.raises(NavigationError) as caught:
        move(s, cursor, refused)
    assert (caught.value.move, caught.value.reason) == (refused, reason)


def test_pause_then_resume_plays_the_same_block_again() -> None:
    s = compiled()
    cursor = walk(s, Move.START, Move.NEXT, Move.PAUSE)
    assert (cursor.block, cursor.status) == (1, Status.PAUSED)
    resumed = move(s, cursor, Move.RESUME)
    assert (resumed.block, resumed.status) == (1, Status.PLAYING)


def test_resume_after_a_block_was_heard_goes_on_to_the_next() -> None:
    s = compiled()
    cursor = walk(s, Move.START, Move.HEARD)
    assert move(s, cursor, Move.RESUME).block == 1
    last = walk(s, Move.START, *[Move.NEXT] * (len(s.blocks) - 1), Move.HEARD)
    with pytest.raises(NavigationError) as caught:
        move(s, last, Move.RESUME)
    assert caught.value.reason is Refusal.AT_END


def test_resume_before_starting_starts() -> None:
    s = compiled()
    assert move(s, start(s), Move.RESUME).block == 0


def test_repeat_and_start_over() -> None:
    s = compiled()
    cursor = walk(s, Move.START, Move.NEXT, Move.NEXT)
    assert move(s, cursor, Move.REPEAT).block == 2
    assert move(s, cursor, Move.START_OVER).block == 0


def test_skip_leaves_the_rest_of_a_split_stretch() -> None:
    s = compiled()
    knee_blocks = [b.index for b in s.blocks if b.item == 2]
    cobra = next(b.index for b in s.blocks if b.item == 1)
    cursor = move(s, walk(s, Move.START), Move.JUMP, "cobra")
    assert cursor.block == cobra
    cursor = move(s, cursor, Move.SKIP)
    assert cursor.block == knee_blocks[0]
    with pytest.raises(NavigationError):
        move(s, cursor, Move.SKIP)  # the knee to chest's left side is not another stretch


def test_jump_by_name_or_id_and_unknown_names() -> None:
    s = compiled()
    assert move(s, start(s), Move.JUMP, "Knee to Chest").stretch == "knee_to_chest"
    assert move(s, start(s), Move.JUMP, "cobra").block == 1
    with pytest.raises(NavigationError) as caught:
        move(s, start(s), Move.JUMP, "pigeon")
    assert caught.value.reason is Refusal.UNKNOWN_STRETCH


def test_an_illegal_move_changes_nothing() -> None:
    s = compiled()
    cursor = walk(s, Move.START)
    before = cursor.to_dict()
    with pytest.raises(NavigationError):
        move(s, cursor, Move.PREVIOUS)
    assert cursor.to_dict() == before


def test_cursor_json_round_trip() -> None:
    s = compiled()
    cursor = walk(s, Move.START, Move.NEXT, Move.PAUSE)
    assert Cursor.from_dict(json.loads(json.dumps(cursor.to_dict()))) == cursor


@pytest.mark.parametrize(
    "data",
    [None, "x", {}, {"v": 2}, {"v": 1, "routine": "seniors"},
     {"v": 1, "routine": "seniors", "block": "1", "status": "playing"},
     {"v": 1, "routine": "seniors", "block": 1, "status": "dancing"},
     {"v": 1, "routine": "seniors", "block": 1, "status": "playing", "side": "up"},
     {"v": 1, "routine": 3, "block": 1, "status": "playing"},
     {"v": 1, "routine": "seniors", "block": True, "status": "playing"}],
)  # fmt: skip
def test_damaged_cursors_raise_one_error(data: object) -> None:
    with pytest.raises(CursorError):
        Cursor.from_dict(data)


def test_repair_after_a_stretch_is_removed_goes_to_what_followed_it() -> None:
    before = compiled()
    cursor = walk(before, Move.START, Move.NEXT, Move.PAUSE)  # at cobra
    after = compiled(excluded=frozenset({"cobra"}))
    repaired = repair(after, cursor)
    assert repaired.stretch == "knee_to_chest"
    assert repaired.status is Status.PAUSED
    assert move(after, cursor, Move.RESUME).stretch == "knee_to_chest"


def test_repair_finds_the_same_side_after_blocks_are_renumbered() -> None:
    small = compiled()
    cursor = move(small, move(small, start(small), Move.JUMP, "knee_to_chest"), Move.NEXT)
    assert (cursor.stretch, cursor.side, cursor.block) == ("knee_to_chest", Side.LEFT, 3)
    # Left out the butterfly, every block moves up one; the cursor follows its stretch.
    fewer = compiled(excluded=frozenset({"lying_butterfly"}))
    repaired = repair(fewer, cursor)
    assert (repaired.stretch, repaired.side, repaired.block) == ("knee_to_chest", Side.LEFT, 2)
    # With room for both sides in one block, the left side is inside the last block.
    catalogue = default_catalogue()
    big = compile_routine(
        catalogue, catalogue.routines["seniors"], budget=Budget(max_seconds=600, max_chars=20_000)
    )
    assert repair(big, cursor).block == len(big.blocks) - 1


def test_repair_of_an_out_of_range_block_is_clamped() -> None:
    s = compiled()
    repaired = repair(s, Cursor(routine="seniors", block=99, status=Status.HEARD))
    assert repaired.block == len(s.blocks) - 1


def test_a_cursor_for_another_routine_is_refused() -> None:
    with pytest.raises(NavigationError) as caught:
        repair(compiled(), Cursor(routine="desk"))
    assert caught.value.reason is Refusal.WRONG_ROUTINE


def test_progress_answers_where_am_i_and_whats_next() -> None:
    s = compiled()
    here = progress(s, walk(s, Move.START, Move.NEXT))
    assert (here.name, here.number, here.total, here.stretches_left) == ("cobra", 2, 3, 1)
    assert here.next_name == "knee to chest"
    assert here.routine_left_ms == sum(b.ms for b in s.blocks[1:])
    last = progress(s, walk(s, Move.START, *[Move.NEXT] * (len(s.blocks) - 1)))
    assert last.next_name is None and last.stretches_left == 0
    assert last.routine_left_ms == last.block_left_ms


def test_time_left_in_a_hold_when_the_time_into_the_block_is_known() -> None:
    s = compiled("desk")
    cursor = move(s, start(s), Move.JUMP, "seated forward flexion")
    block = s.blocks[cursor.block]
    steps = s.block_steps(block)
    clock = 0
    for seg in steps[0].segments:
        if seg.text == "Ten seconds left.":
            break
        clock += seg.ms
    here = progress(s, cursor, elapsed_ms=clock + 1000)
    assert here.hold_left_ms is not None
    # Ten seconds of silence remain, less the second gone, plus the cues said in it.
    assert 9_000 <= here.hold_left_ms <= 14_000
    assert progress(s, cursor, elapsed_ms=0).hold_left_ms is None  # still announcing
    assert progress(s, cursor).hold_left_ms is None
