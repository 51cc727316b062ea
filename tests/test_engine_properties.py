"""Properties over every routine and random preferences: timing, budgets, coverage, cursors."""

from __future__ import annotations

import contextlib
import json
import re
import xml.etree.ElementTree as ET

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skill.content import default_catalogue
from skill.content.model import Pace
from skill.engine.blocks import DEFAULT_BUDGET, MAX_BREAK_MS
from skill.engine.compiler import EmptyRoutineError, compile_routine
from skill.engine.cursor import (
    Cursor,
    CursorError,
    Move,
    NavigationError,
    Status,
    anchored,
    move,
)
from skill.engine.preferences import BREATH_SECONDS_RANGE, HOLD_SCALE_RANGE, Preferences
from skill.engine.script import HOLD_KINDS, Script
from skill.speech import ssml, text

CATALOGUE = default_catalogue()
BREAK = re.compile(r'<break time="(\d+)ms"/>')


@st.composite
def scripts(draw: st.DrawFn) -> Script:
    routine = CATALOGUE.routines[draw(st.sampled_from(sorted(CATALOGUE.routines)))]
    stretch_ids = sorted({item.stretch for item in routine.items})
    excluded = draw(st.frozensets(st.sampled_from(stretch_ids), max_size=len(stretch_ids) - 1))
    prefs = Preferences(
        pace=draw(st.sampled_from([None, *Pace])),
        gentle=draw(st.sampled_from([None, True, False])),
        hold_scale=draw(st.floats(*HOLD_SCALE_RANGE, allow_nan=False)),
        breath_seconds=draw(st.floats(*BREATH_SECONDS_RANGE, allow_nan=False)),
        excluded=excluded,
    )
    try:
        return compile_routine(CATALOGUE, routine, prefs)
    except EmptyRoutineError:
        # Excluding stretches can empty a routine whose others have no kept variation.
        return compile_routine(CATALOGUE, routine)


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(scripts())
def test_every_hold_is_exactly_its_prescribed_time(script: Script) -> None:
    for step in script.steps:
        if step.hold_ms is not None:
            assert step.held_ms == step.hold_ms
            assert step.hold_ms > 0
        else:
            assert not any(seg.kind in HOLD_KINDS for seg in step.segments)


@PROPERTY
@given(scripts())
def test_rendered_breaks_are_at_most_ten_seconds_and_sum_to_the_pauses(script: Script) -> None:
    for block in script.blocks:
        rendered = ssml.render_block(script, block)
        times = [int(t) for t in BREAK.findall(rendered.ssml)]
        assert all(0 < t <= MAX_BREAK_MS for t in times)
        pauses = sum(seg.pause_ms for st in script.block_steps(block) for seg in st.segments)
        assert sum(times) == pauses


@PROPERTY
@given(scripts())
def test_every_block_is_inside_the_response_budget(script: Script) -> None:
    for block in script.blocks:
        rendered = ssml.render_block(script, block)
        assert len(rendered.ssml) <= DEFAULT_BUDGET.max_chars
        assert block.ms <= DEFAULT_BUDGET.max_seconds * 1000
        root = ET.fromstring(rendered.ssml)  # well-formed, with <speak> at the root
        assert root.tag == "speak"
        assert bool(rendered.reprompt) == bool(block.prompt)


@PROPERTY
@given(scripts())
def test_blocks_cover_the_script_exactly_once_in_order(script: Script) -> None:
    assert script.blocks[0].start == 0
    for before, after in zip(script.blocks, script.blocks[1:], strict=False):
        assert before.end == after.start
        assert before.prompt, "only the last block may end without saying what is next"
    assert script.blocks[-1].end == len(script.steps)
    assert script.blocks[-1].prompt == ""
    assert [b.index for b in script.blocks] == list(range(len(script.blocks)))


@PROPERTY
@given(scripts())
def test_text_rendering_keeps_every_word_and_every_silence(script: Script) -> None:
    chunks = text.render_script(script)
    spoken = [seg.text for st in script.steps for seg in st.segments if seg.text]
    assert [c.text for c in chunks if c.text] == spoken
    total_pause = sum(seg.pause_ms for st in script.steps for seg in st.segments)
    assert sum(c.pause_ms for c in chunks) == total_pause
    assert sum(c.ms for c in chunks) == script.ms
    holds = sum(st.hold_ms or 0 for st in script.steps)
    assert sum(c.hold_ms for c in chunks) == holds


@PROPERTY
@given(scripts(), st.data())
def test_next_then_previous_returns_to_the_same_place(script: Script, data: st.DataObject) -> None:
    if len(script.blocks) < 2:
        return
    block = data.draw(st.integers(0, len(script.blocks) - 2))
    status = data.draw(st.sampled_from([Status.PLAYING, Status.HEARD, Status.PAUSED]))
    cursor = anchored(script, block, status)
    there = move(script, cursor, Move.NEXT)
    back = move(script, there, Move.PREVIOUS)
    assert back.block == block
    assert (back.stretch, back.side, back.set) == (cursor.stretch, cursor.side, cursor.set)


@PROPERTY
@given(scripts(), st.data())
def test_every_cursor_survives_a_json_round_trip(script: Script, data: st.DataObject) -> None:
    cursor = anchored(
        script,
        data.draw(st.integers(0, len(script.blocks) - 1)),
        data.draw(st.sampled_from(list(Status))),
    )
    for what in data.draw(st.lists(st.sampled_from(list(Move)), max_size=6)):
        with contextlib.suppress(NavigationError):
            cursor = move(script, cursor, what, data.draw(st.sampled_from(script.stretches)))
        assert Cursor.from_dict(json.loads(json.dumps(cursor.to_dict()))) == cursor


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["v", "routine", "block", "status", "item", "stretch",
                                        "side", "set"]), json_values))  # fmt: skip
def test_any_stored_cursor_is_read_or_refused_cleanly(data: dict[str, object]) -> None:
    try:
        cursor = Cursor.from_dict(data)
    except CursorError:
        return
    assert Cursor.from_dict(cursor.to_dict()) == cursor
