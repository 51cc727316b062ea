"""Compiling routines into scripts: order, sides, sets, holds, breaths, reps and preferences."""

from __future__ import annotations

import pytest

from skill.content import default_catalogue
from skill.content.model import Amount, Pace, Side
from skill.engine import phrases
from skill.engine.compiler import (
    MAX_HOLD_SECONDS,
    EmptyRoutineError,
    compile_routine,
    scaled_hold_ms,
)
from skill.engine.preferences import PreferenceError, Preferences
from skill.engine.script import Script, SegmentKind, Step


def script(routine: str, **prefs: object) -> Script:
    catalogue = default_catalogue()
    return compile_routine(catalogue, catalogue.routines[routine], Preferences(**prefs))  # type: ignore[arg-type]


def steps_of(s: Script, stretch: str) -> list[Step]:
    return [step for step in s.steps if step.stretch == stretch]


def texts(steps: list[Step], kind: SegmentKind | None = None) -> list[str]:
    return [seg.text for st in steps for seg in st.segments if kind is None or seg.kind is kind]


def test_intro_with_safety_first_and_outro_last() -> None:
    s = script("seniors")
    routine = s.routine
    first, last = s.steps[0], s.steps[-1]
    assert first.item is None and last.item is None
    assert [seg.kind for seg in first.segments] == [SegmentKind.INTRO, SegmentKind.SAFETY]
    assert routine.intro in first.segments[0].text
    assert first.segments[1].text == routine.safety
    # Seniors end lying down: how to get up comes before the goodbye.
    assert [seg.kind for seg in last.segments][:2] == [SegmentKind.TRANSITION, SegmentKind.OUTRO]
    assert last.segments[0].text == phrases.GET_UP_LYING
    assert routine.name in last.segments[1].text


def test_seniors_default_to_a_slower_pace() -> None:
    assert script("seniors").settings.pace is Pace.SLOWER
    assert script("desk").settings.pace is Pace.NORMAL
    assert script("seniors", pace=Pace.FASTER).settings.pace is Pace.FASTER


def test_each_side_does_all_reps_on_the_right_then_the_left_and_names_them() -> None:
    steps = steps_of(script("seniors"), "knee_to_chest")
    assert [(st.side, st.rep) for st in steps] == [
        (Side.RIGHT, 1), (Side.RIGHT, 2), (Side.RIGHT, 3),
        (Side.LEFT, 1), (Side.LEFT, 2), (Side.LEFT, 3),
    ]  # fmt: skip
    announce = texts(steps[:1], SegmentKind.ANNOUNCE)[0]
    assert "Your right leg first." in announce
    switch = texts(steps[3:4], SegmentKind.SIDE)
    assert switch == ["Now your left leg."]
    right_cues = " ".join(texts(steps[:1], SegmentKind.CUE))
    left_cues = " ".join(texts(steps[3:4], SegmentKind.CUE))
    assert "right" in right_cues and "left" in left_cues


def test_alternate_sides_switch_every_rep() -> None:
    steps = steps_of(script("hip_flexor"), "lumbar_rotation")
    assert [st.side for st in steps] == [Side.RIGHT, Side.LEFT] * 3
    assert all(texts([st], SegmentKind.SIDE) for st in steps[1:])


def test_a_one_sided_item_does_only_that_side() -> None:
    s = script("pilates")
    kicks = [st for st in s.steps if st.stretch == "side_kick_front_back"]
    assert {st.side for st in kicks[:5]} == {Side.LEFT}
    assert {st.side for st in kicks[5:]} == {Side.RIGHT}
    assert len(kicks) == 10
    assert texts(kicks[:1], SegmentKind.ANNOUNCE) == ["Side kick forward and back. Your left leg."]


def test_no_placeholder_is_ever_spoken() -> None:
    for routine in default_catalogue().routines:
        for text in texts(list(script(routine).steps)):
            assert "{" not in text and "}" not in text, (routine, text)


def test_sets_rest_and_are_counted_aloud() -> None:
    steps = steps_of(script("runners"), "one_legged_bridge")
    assert len(steps) == 3 * 2 * 8
    rests = [seg for st in steps for seg in st.segments if seg.kind is SegmentKind.REST]
    assert [seg.pause_ms for seg in rests] == [30_000, 30_000]
    counts = texts(steps, SegmentKind.COUNT)
    assert "Set two of three." in counts and "Set three of three." in counts
    # Sets alternate legs: set one right then left, then set two.
    assert [(st.set, st.side) for st in steps[::8]] == [
        (1, Side.RIGHT), (1, Side.LEFT), (2, Side.RIGHT), (2, Side.LEFT),
        (3, Side.RIGHT), (3, Side.LEFT),
    ]  # fmt: skip


def test_moving_reps_are_paced_and_counted() -> None:
    steps = steps_of(script("pregnancy"), "cat_cow")
    assert len(steps) == 5
    counts = texts(steps, SegmentKind.COUNT)
    assert counts == ["One.", "Two.", "Three.", "Four.", "Last one."]
    moves = [seg for st in steps for seg in st.segments if seg.kind is SegmentKind.MOVE]
    assert len(moves) == 5 * 2
    # cat-cow phases take one breath each, at the routine's five-second breath.
    assert {seg.pause_ms for seg in moves} == {5000}
    assert all(st.hold_ms is None for st in steps)


def test_set_cues_start_each_set() -> None:
    steps = steps_of(script("pilates"), "side_kick_circles")
    stretch = default_catalogue().stretches["side_kick_circles"]
    firsts = [st for st in steps if st.rep == 1]
    assert [texts([st], SegmentKind.CUE)[-1] for st in firsts] == [
        stretch.set_cues[0], stretch.set_cues[1]] * 2  # fmt: skip


def hold_cues(step: Step) -> dict[str, int]:
    """Each hold cue and the time into the hold at which it is said."""
    at, cues = 0, {}
    for seg in step.segments:
        if seg.kind is SegmentKind.HOLD:
            cues[seg.text] = at
            at += seg.pause_ms
    return cues


def test_thirty_second_hold_has_cues_at_fixed_points() -> None:
    step = steps_of(script("desk"), "seated_forward_flexion")[0]
    assert step.hold_ms == 30_000 == step.held_ms
    cues = hold_cues(step)
    assert cues[phrases.HOLD] == 0
    # Halfway would come five seconds before "ten seconds left": one is enough.
    assert phrases.HALFWAY not in cues
    # In its place, what to focus on, ten seconds from either cue.
    focus = default_catalogue().stretches["seated_forward_flexion"].focus[0]
    assert cues[focus] == 10_000
    assert cues[phrases.TEN_LEFT] == 20_000
    assert (cues["Three."], cues["Two."], cues["One."]) == (27_000, 28_000, 29_000)
    release = [seg for seg in step.segments if seg.kind is SegmentKind.RELEASE]
    assert len(release) == 1


def test_short_hold_has_no_ten_seconds_left() -> None:
    step = steps_of(script("desk"), "seated_side_bend")[0]
    assert step.hold_ms == 10_000
    cues = hold_cues(step)
    assert phrases.TEN_LEFT not in cues
    assert "Three." in cues


def test_breath_holds_prompt_in_and_out_at_the_breath_period() -> None:
    step = steps_of(script("fourteen"), "wide_leg_forward_fold")[0]
    breaths = [seg for seg in step.segments if seg.kind is SegmentKind.BREATH]
    # Two breaths prompted, five counted quietly, the last one named.
    assert [seg.text for seg in breaths] == [
        f"{phrases.HOLD} {phrases.BREATHE_IN}", phrases.BREATHE_OUT,
        phrases.BREATHE_IN, phrases.BREATHE_OUT,
        "",
        phrases.LAST_BREATH, phrases.BREATHE_OUT,
    ]  # fmt: skip
    assert [seg.pause_ms for seg in breaths] == [2500] * 4 + [5 * 5000] + [2500] * 2
    assert step.hold_ms == step.held_ms == 8 * 5000
    slow = steps_of(script("fourteen", breath_seconds=7.0), "wide_leg_forward_fold")[0]
    assert slow.hold_ms == slow.held_ms == 8 * 7000


def test_getting_down_to_the_floor_takes_longer_than_staying_there() -> None:
    s = script("seniors")

    def transition(stretch: str) -> int:
        step = steps_of(s, stretch)[0]
        return next(seg.pause_ms for seg in step.segments if seg.kind is SegmentKind.TRANSITION)

    # standing -> lying on the back, then lying on the front -> lying on the back
    assert transition("lying_butterfly") > transition("knee_to_chest")


def test_pace_changes_gaps_and_speech_but_never_holds() -> None:
    slow, fast = script("desk", pace=Pace.SLOWER), script("desk", pace=Pace.FASTER)
    assert slow.ms > fast.ms
    assert [st.hold_ms for st in slow.steps] == [st.hold_ms for st in fast.steps]


@pytest.mark.parametrize(("scale", "seconds"), [(1.0, 30), (1.5, 45), (0.5, 15)])
def test_hold_scale_stretches_holds_within_bounds(scale: float, seconds: int) -> None:
    steps = steps_of(script("seniors", hold_scale=scale), "knee_to_chest")
    assert {st.hold_ms for st in steps} == {seconds * 1000}


def test_scaled_holds_never_leave_safe_bounds() -> None:
    assert scaled_hold_ms(Amount.exactly(150), 1.5) == MAX_HOLD_SECONDS * 1000
    assert scaled_hold_ms(Amount.exactly(6), 0.5) == 5000
    assert scaled_hold_ms(Amount.exactly(3), 0.5) == 3000


@pytest.mark.parametrize(
    "prefs", [{"hold_scale": 2.0}, {"hold_scale": 0.1}, {"breath_seconds": 1.0}]
)
def test_preferences_outside_safe_bounds_are_refused(prefs: dict[str, float]) -> None:
    with pytest.raises(PreferenceError):
        Preferences(**prefs)  # type: ignore[arg-type]


def test_gentle_mode_uses_easier_versions_with_their_own_dosage() -> None:
    s = script("runners", gentle=True)
    assert s.stretches == ("glute_bridge", "seated_hip_flexor", "seated_piriformis")
    seated = steps_of(s, "seated_hip_flexor")
    assert {st.hold_ms for st in seated} == {60_000}  # the seated stretch's own minute


def test_excluded_stretches_are_left_out_or_replaced_by_an_easier_one() -> None:
    seniors = script("seniors", excluded=frozenset({"cobra"}))
    assert seniors.stretches == ("lying_butterfly", "knee_to_chest")
    assert seniors.items == (0, 2)
    daily = script("daily_ten", excluded=frozenset({"pigeon"}))
    assert "modified_pigeon" in daily.stretches and "pigeon" not in daily.stretches


def test_excluding_everything_is_a_clear_error() -> None:
    with pytest.raises(EmptyRoutineError, match="every stretch in the seniors routine"):
        script("seniors", excluded=frozenset({"lying_butterfly", "cobra", "knee_to_chest"}))


def test_preferences_round_trip_and_keep_only_what_differs() -> None:
    prefs = Preferences(pace=Pace.SLOWER, hold_scale=1.25, excluded=frozenset({"cobra", "pigeon"}))
    data = prefs.to_dict()
    assert data == {"pace": "slower", "hold_scale": 1.25, "excluded": ["cobra", "pigeon"]}
    assert Preferences.from_dict(data) == prefs
    assert Preferences().to_dict() == {}


@pytest.mark.parametrize(
    "data",
    [None, [], {"pace": "sprint"}, {"gentle": "yes"}, {"excluded": "cobra"}, {"hold_scale": "x"},
     {"hold_scale": 9}],
)  # fmt: skip
def test_unreadable_preferences_raise_one_error(data: object) -> None:
    with pytest.raises(PreferenceError):
        Preferences.from_dict(data)


def test_script_minutes_round_up() -> None:
    for routine in default_catalogue().routines:
        s = script(routine)
        assert (s.minutes - 1) * 60_000 < s.ms <= s.minutes * 60_000


def test_a_chosen_version_replaces_the_stretch_everywhere() -> None:
    prefs = Preferences(substitutes=(("kneeling_hip_flexor", "seated_hip_flexor"),))
    assert "seated_hip_flexor" in script("runners", **vars_of(prefs)).stretches
    assert "kneeling_hip_flexor" not in script("fourteen", **vars_of(prefs)).stretches


def test_extra_seconds_lengthen_one_stretchs_holds_within_bounds() -> None:
    plain = steps_of(script("seniors"), "knee_to_chest")
    longer = steps_of(script("seniors", extra_seconds=(("knee_to_chest", 10),)), "knee_to_chest")
    assert {st.hold_ms for st in plain} == {30_000}
    assert {st.hold_ms for st in longer} == {40_000}
    assert {st.held_ms for st in longer} == {40_000}
    cobra = steps_of(script("seniors", extra_seconds=(("cobra", 10),)), "cobra")
    assert {st.hold_ms for st in cobra} == {(3 + 2) * 5000}  # ten seconds: two more breaths
    with pytest.raises(PreferenceError):
        Preferences(extra_seconds=(("cobra", 40),))


def test_extras_and_substitutes_survive_a_round_trip() -> None:
    prefs = Preferences().with_substitute("cobra", "sloppy_push_up").with_extra("cobra", 10)
    again = Preferences.from_dict(prefs.to_dict())
    assert again == prefs
    assert prefs.to_dict() == {"substitutes": {"cobra": "sloppy_push_up"},
                               "extra_seconds": {"cobra": 10}}  # fmt: skip
    assert prefs.with_extra("cobra", 30).extra_map == {"cobra": 30}  # capped


def vars_of(prefs: Preferences) -> dict[str, object]:
    return {f: getattr(prefs, f) for f in ("substitutes", "extra_seconds")}


def test_a_stretch_standing_in_for_an_avoided_one_keeps_the_articles_dosage() -> None:
    import dataclasses

    from skill.content.model import Amount, Dosage

    catalogue = default_catalogue()
    # Even if the standing tilt's own dosage were a held tilt, it stands in for the lying
    # tilt with article 000's: five tilts of a breath in each position.
    held = Dosage(hold_seconds=Amount.exactly(20))
    standing = dataclasses.replace(catalogue.stretches["standing_pelvic_tilt"], dosage=held)
    stretches = {**catalogue.stretches, "standing_pelvic_tilt": standing}
    changed = dataclasses.replace(catalogue, stretches=stretches)
    prefs = Preferences(substitutes=(("pelvic_tilt", "standing_pelvic_tilt"),))
    s = compile_routine(changed, changed.routines["pregnancy"], prefs)
    tilts = steps_of(s, "standing_pelvic_tilt")
    assert len(tilts) == 5 and {st.hold_ms for st in tilts} == {None}
    # An easier version chosen by the person brings its own dosage, as before.
    easier = Preferences(substitutes=(("pelvic_tilt", "seated_hip_hinge"),))
    hinge = steps_of(compile_routine(changed, changed.routines["pregnancy"], easier),
                     "seated_hip_hinge")  # fmt: skip
    assert len(hinge) == catalogue.stretches["seated_hip_hinge"].dosage.reps.default
