"""Blocks: one stretch at most, split at side or set boundaries, each ending with a prompt."""

from __future__ import annotations

import pytest

from skill.content import default_catalogue
from skill.engine.blocks import Budget, BudgetError
from skill.engine.compiler import compile_routine
from skill.engine.script import Script


def compiled(routine: str, budget: Budget | None = None) -> Script:
    catalogue = default_catalogue()
    if budget is None:
        return compile_routine(catalogue, catalogue.routines[routine])
    return compile_routine(catalogue, catalogue.routines[routine], budget=budget)


def test_a_block_is_one_whole_stretch_when_it_fits() -> None:
    s = compiled("seniors")
    # Knee to chest, three thirty-second holds a leg at a slower pace, is too long for one,
    # and its second side, with its cautions said again, leaves the finish no room.
    assert [b.item for b in s.blocks] == [0, 1, 2, 2, None]
    for block in s.blocks:
        items = {st.item for st in s.block_steps(block)} - {None}
        assert items == ({block.item} if block.item is not None else set())


def test_intro_rides_with_the_first_block_and_outro_with_the_last() -> None:
    s = compiled("seniors")
    assert s.blocks[0].start == 0 and s.steps[0].item is None
    assert s.blocks[-1].end == len(s.steps) and s.steps[-1].item is None


def test_each_block_ends_by_saying_what_comes_next() -> None:
    s = compiled("seniors")
    assert [b.prompt for b in s.blocks] == [
        "Ready for cobra? Say next.",
        "Ready for knee to chest? Say next.",
        "Ready for your left leg? Say next.",
        "Ready for the finish? Say next.",
        "",
    ]


def test_a_long_stretch_is_split_at_the_side_boundary() -> None:
    s = compiled("seniors")
    knee = [b for b in s.blocks if b.item == 2]
    assert len(knee) == 2
    sides = [{st.side for st in s.block_steps(b) if st.item == 2} for b in knee]
    assert [len(x) for x in sides] == [1, 1] and sides[0] != sides[1]


def test_a_stretch_that_fits_with_room_to_spare_stays_whole() -> None:
    s = compiled("seniors", Budget(max_seconds=600, max_chars=20_000))
    assert [b.item for b in s.blocks] == [0, 1, 2]


def test_sets_split_at_set_boundaries() -> None:
    # A side of a set of one-legged bridges takes about 80-120 s: two never fit in 130 s.
    s = compiled("runners", Budget(max_seconds=130))
    bridge = [b for b in s.blocks if b.item == 0]
    parts = []
    for block in bridge:
        steps = [st for st in s.block_steps(block) if st.item == 0]
        assert steps[0].rep == 1 and steps[-1].rep == steps[-1].reps
        parts.append({(st.set, st.side) for st in steps})
    assert [len(p) for p in parts] == [1] * 6
    assert bridge[0].prompt == "Ready for your left leg? Say next."
    assert bridge[1].prompt == "Ready for set two? Say next."


def test_no_room_for_a_single_hold_is_a_clear_error() -> None:
    with pytest.raises(BudgetError, match="too long"):
        compiled("seniors", Budget(max_seconds=30))
