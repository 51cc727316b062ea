"""Coaching that adapts, by transcript: screenings, pain, adjustments, exclusions, history."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from skill.content import default_catalogue
from skill.engine.cursor import Cursor, Status
from skill.engine.preferences import Preferences
from skill.store.base import key_for_user
from tests.alexa import Conversation, Reply
from tests.test_skill import PROMPTS, SENIORS, Coach, said
from tests.test_skill import welcomed as first_visit

YES, NO = "AMAZON.YesIntent", "AMAZON.NoIntent"
# What a person said about their health, or the answers they gave: none may reach the store.
# (Routine and stretch ids may: "pregnancy" names a routine and the screening it asks.)
HEALTH_WORDS = (
    "trimester", "late", "late_pregnancy", "weeks", "hurt", "ouch", "numb", "weak", "fall",
    "sciatica", "sitting", "leg pain", "sharp", "spreading", "answer", "yes", "responders",
)  # fmt: skip


@pytest.fixture
def coach() -> Coach:
    return Coach()


def welcomed(coach: Coach, user: str = "amzn1.ask.account.TESTUSER") -> Conversation:
    """A person who said yes, earlier, to remembering health answers (test_consent asks)."""
    key = key_for_user(user)
    attributes = coach.store.attributes(key)
    attributes["consent"] = True
    coach.store.write(key, attributes)
    return first_visit(coach, user)


def record(coach: Coach) -> dict[str, Any]:
    [data] = coach.stored()
    return data


def assert_no_health_detail(coach: Coach) -> None:
    stored = coach.stored()
    text = json.dumps(stored).lower()
    for word in HEALTH_WORDS:
        assert not re.search(rf"\b{word}\b", text), word
    # Pain is only ever a number.
    for person in stored:
        assert isinstance(person["counts"].get("pain", 0), int)
        assert text.count("pain") == sum("pain" in p["counts"] for p in stored)


def stretches_of(coach: Coach, routine: str) -> tuple[str, ...]:
    """The stretches the person would get in a routine, with everything they have chosen."""
    from skill.alexa.person import Person

    person = Person.from_attributes(record(coach))
    return coach.skill.services.script(routine, person.effective()).stretches


# --- screening: pregnancy ------------------------------------------------------------------------


def test_pregnancy_late_leaves_out_lying_flat_and_swaps_in_standing_versions(coach: Coach) -> None:
    talk = welcomed(coach)
    first = talk.say("StartRoutineIntent", routine=("pregnancy", "pregnancy"))
    assert said(first, "screen_cleared")
    assert said(talk.say(YES), "screen_late_pregnancy")
    started = talk.say(YES)
    assert started.speech.startswith(PROMPTS.say("advice_late_pregnancy"))
    assert "Cat cow." in started.speech
    assert stretches_of(coach, "pregnancy") == ("cat_cow", "standing_pelvic_tilt")
    lying = [s.id for s in default_catalogue().stretches.values()
             if s.position.value == "lying_on_back"]  # fmt: skip
    fourteen = stretches_of(coach, "fourteen")
    assert not set(lying) & set(fourteen)
    assert "cobra" not in fourteen  # lying on the belly is out at any stage
    # Every seniors stretch is done lying down: the skill says so rather than start it.
    talk.say("AMAZON.StopIntent")
    again = coach.talk()
    again.launch()
    reply = again.say("StartRoutineIntent", routine=SENIORS)
    assert said(reply, "routine_left_out", routine="seniors routine")
    assert_no_health_detail(coach)


def test_pregnancy_not_late_keeps_the_lying_tilt(coach: Coach) -> None:
    talk = welcomed(coach)
    talk.say("StartRoutineIntent", routine="prenatal")
    talk.say(YES)
    talk.say(NO)
    assert stretches_of(coach, "pregnancy") == ("cat_cow", "pelvic_tilt")
    # Asked again later (pregnancy moves on), the new answer replaces the old consequence.
    talk.launch()
    talk.say("StartRoutineIntent", routine="prenatal")
    talk.say(YES)
    talk.say(YES)
    assert stretches_of(coach, "pregnancy") == ("cat_cow", "standing_pelvic_tilt")


@pytest.mark.parametrize(("stage", "lying"), [("late", False), ("early", True)])
@pytest.mark.parametrize("said_first", [YES, NO])
def test_how_far_along_answers_the_late_question_whatever_yes_or_no_came_first(
    coach: Coach, stage: str, lying: bool, said_first: str
) -> None:
    # "No, I'm thirty four weeks": the number decides, not the "no" (the matcher reads the
    # whole sentence as the stage; tests/test_phrases.py checks every way of saying it).
    talk = welcomed(coach)
    talk.say("StartRoutineIntent", routine="pregnancy")
    assert said(talk.say(YES), "screen_late_pregnancy")
    heard = "thirty four weeks" if stage == "late" else "twenty weeks"
    started = talk.say("PregnancyStageIntent", stage=(heard, stage))
    assert started.speech.startswith(PROMPTS.say("advice_late_pregnancy")) is not lying
    tilt = "pelvic_tilt" if lying else "standing_pelvic_tilt"
    assert stretches_of(coach, "pregnancy") == ("cat_cow", tilt)


def test_how_far_along_said_before_any_question_starts_the_pregnancy_screening(
    coach: Coach,
) -> None:
    talk = welcomed(coach)
    reply = talk.say("PregnancyStageIntent", stage=("thirty weeks", "late"))
    assert said(reply, "screen_cleared")  # the doctor's word is asked first, as always


def test_how_far_along_does_not_answer_the_doctor_question(coach: Coach) -> None:
    talk = welcomed(coach)
    talk.say("StartRoutineIntent", routine="pregnancy")
    reply = talk.say("PregnancyStageIntent", stage=("thirty weeks", "late"))
    assert said(reply, "reask_screen") and not reply.ended


def test_pregnancy_without_clearance_gets_advice_not_a_routine(coach: Coach) -> None:
    talk = welcomed(coach)
    talk.say("StartRoutineIntent", routine="pregnancy")
    reply = talk.say(NO)
    assert reply.ended and said(reply, "advice_pregnancy_clearance")
    assert record(coach)["position"] is None


def test_other_answers_during_a_screening_ask_the_question_again(coach: Coach) -> None:
    talk = welcomed(coach)
    talk.say("StartRoutineIntent", routine="pregnancy")
    reply = talk.say("AMAZON.NextIntent")
    assert said(reply, "reask_screen")
    assert said(reply, "screen_reprompt", question=PROMPTS.say("screen_cleared"))
    assert said(talk.say(YES), "screen_late_pregnancy")


# --- screening: which routine suits my back ----------------------------------------------------


def test_extension_pattern_recommends_the_extension_routine(coach: Coach) -> None:
    talk = welcomed(coach)
    assert said(talk.say("WhichRoutineIntent"), "screen_warning")
    assert said(talk.say(NO), "screen_sitting")
    assert said(talk.say(YES), "screen_leg")
    offer = talk.say(NO)
    assert said(offer, "recommend", advice="", routine="extension routine")
    started = talk.say(YES)
    assert started.speech.startswith("The extension routine.")
    fourteen = stretches_of(coach, "fourteen")
    for avoided in ("childs_pose", "wide_leg_forward_fold"):
        assert avoided not in fourteen
    assert "full_cobra" in fourteen
    assert_no_health_detail(coach)


def test_flexion_pattern_with_leg_pain_recommends_gentle_flexion(coach: Coach) -> None:
    talk = welcomed(coach)
    talk.say("WhichRoutineIntent")
    talk.say(NO)  # no warning signs
    talk.say(NO)  # not worse sitting
    assert said(talk.say(YES), "screen_leg")  # worse standing
    offer = talk.say(YES)  # pain down the leg
    assert said(offer, "recommend", advice=PROMPTS.say("advice_leg"), routine="flexion routine")
    assert "cobra" not in stretches_of(coach, "seniors")
    assert Preferences.from_dict(record(coach)["screened"]["back"]).gentle is True
    assert said(talk.say(NO), "no_problem", suggestions=_suggestions())


def test_warning_signs_end_with_advice_not_a_routine(coach: Coach) -> None:
    talk = welcomed(coach)
    talk.say("WhichRoutineIntent")
    reply = talk.say(YES)
    assert reply.ended and said(reply, "advice_warning")
    assert record(coach)["position"] is None
    assert "back" not in record(coach)["screened"]


def test_neither_pattern_suggests_a_gentle_start(coach: Coach) -> None:
    talk = welcomed(coach)
    talk.say("WhichRoutineIntent")
    talk.say(NO)
    talk.say(NO)
    offer = talk.say(NO)
    assert said(offer, "recommend_plain", advice=PROMPTS.say("advice_neither"),
                routine="gentle hip mobility")  # fmt: skip


def _suggestions() -> str:
    return "the seniors routine, the desk routine, or the daily ten"


# --- pain check-ins at every kind of step ---------------------------------------------------------


def to_block(talk: Conversation, routine: str, moves: list[str]) -> Reply:
    reply = talk.say("StartRoutineIntent", routine=routine)
    for intent in moves:
        reply = talk.say(intent)
    return reply


@pytest.mark.parametrize(
    ("routine", "moves", "stretch"),
    [
        ("hip_flexor", [], None),  # the introduction on its own
        ("seniors", [], "lying_butterfly"),  # holds in seconds
        ("seniors", ["AMAZON.NextIntent"], "cobra"),  # holds in breaths
        ("runners", [], "one_legged_bridge"),  # moving reps, in sets
        ("seniors", ["AMAZON.NextIntent"] * 3, "knee_to_chest"),  # the last block
    ],
    ids=["intro", "hold", "breaths", "reps", "last-block"],
)
def test_pain_at_any_step_stops_the_clock_and_checks(
    coach: Coach, routine: str, moves: list[str], stretch: str | None
) -> None:
    talk = welcomed(coach)
    to_block(talk, routine, moves)
    reply = talk.say("PainIntent")
    assert said(reply, "pain_check") and not reply.ended
    position = Cursor.from_dict(record(coach)["position"])
    assert (position.stretch, position.status) == (stretch, Status.PAUSED)
    assert record(coach)["counts"]["pain"] == 1
    assert_no_health_detail(coach)


def test_sharp_or_spreading_pain_ends_with_advice(coach: Coach) -> None:
    talk = welcomed(coach)
    to_block(talk, "seniors", ["AMAZON.NextIntent"])
    talk.say("PainIntent")
    reply = talk.say(YES)
    assert reply.ended and said(reply, "pain_stop")
    assert Cursor.from_dict(record(coach)["position"]).stretch == "cobra"


def test_mild_pain_offers_an_easier_version_which_is_then_kept(coach: Coach) -> None:
    talk = welcomed(coach)
    talk.say("StartRoutineIntent", routine="runners")
    talk.say("GoToStretchIntent", stretch="kneeling hip flexor stretch")
    assert Cursor.from_dict(record(coach)["position"]).stretch == "kneeling_hip_flexor"
    talk.say("PainIntent")
    choice = talk.say(NO)
    assert said(choice, "pain_choice", stretch="kneeling hip flexor stretch")
    easier = talk.say("EasierIntent")
    done = PROMPTS.say(
        "adjusted_easier", stretch="seated hip flexor stretch", was="kneeling hip flexor stretch"
    )
    assert easier.speech.startswith(done)
    assert "Seated hip flexor stretch." in easier.speech
    talk.say("AMAZON.StopIntent")
    # A new session keeps the easier version, in every routine that has the stretch.
    assert "seated_hip_flexor" in stretches_of(coach, "fourteen")
    assert "kneeling_hip_flexor" not in stretches_of(coach, "fourteen")


def test_mild_pain_can_skip_or_stop(coach: Coach) -> None:
    talk = welcomed(coach)
    to_block(talk, "seniors", ["AMAZON.NextIntent"])
    talk.say("PainIntent")
    choice = talk.say(NO)
    assert said(choice, "pain_choice_no_easier", stretch="cobra")
    again = talk.say(YES)  # yes answers nothing: the choice is asked again
    assert said(again, "reask_choice") and said(again, "choice_reprompt")
    assert talk.say("SkipIntent").speech.startswith("Knee to chest.")


def test_pain_outside_a_routine(coach: Coach) -> None:
    reply = welcomed(coach).say("PainIntent")
    assert said(reply, "pain_idle")
    assert record(coach)["counts"]["pain"] == 1


@pytest.mark.parametrize("part", ["back", "knee", None])
def test_back_pain_outside_a_routine_is_screened(coach: Coach, part: str | None) -> None:
    """With nothing running, a bad back is why they came: warning signs are asked first."""
    slots = {"bodyPart": (part, part)} if part else {}
    reply = welcomed(coach).say("PainIntent", **slots)
    if part == "back":
        assert said(reply, "screen_warning") and not said(reply, "pain_idle")
    else:
        assert said(reply, "pain_idle") and not said(reply, "screen_warning")


# --- adjustments by voice, remembered ------------------------------------------------------


def test_slower_and_longer_holds_persist_into_a_new_session(coach: Coach) -> None:
    talk = welcomed(coach)
    talk.say("StartRoutineIntent", routine="desk")
    slower = talk.say("SlowerIntent")
    assert slower.speech.startswith(
        "Okay, slower from now on. From the start of abdominal bracing."
    )
    assert 'rate="85%"' in slower.ssml
    talk.say("HoldLongerIntent")
    talk.say("AMAZON.StopIntent")
    again = coach.talk()
    again.launch()
    reply = again.say("StartRoutineIntent", routine="desk")
    assert 'rate="85%"' in reply.ssml
    prefs = Preferences.from_dict(record(coach)["preferences"])
    assert (prefs.pace.value if prefs.pace else None, prefs.hold_scale) == ("slower", 1.25)
    steps = coach.skill.services.script("desk", prefs).steps
    assert {st.hold_ms for st in steps if st.stretch == "seated_forward_flexion"} == {38_000}


def test_pace_and_holds_stop_at_their_safe_bounds(coach: Coach) -> None:
    talk = welcomed(coach)
    talk.say("StartRoutineIntent", routine=SENIORS)  # already slower
    assert said(talk.say("SlowerIntent"), "adjust_limit")
    talk.say("HoldShorterIntent")
    talk.say("HoldShorterIntent")
    assert said(talk.say("HoldShorterIntent"), "adjust_limit")
    assert Preferences.from_dict(record(coach)["preferences"]).hold_scale == 0.5


def test_ten_more_seconds_for_one_stretch(coach: Coach) -> None:
    talk = welcomed(coach)
    to_block(talk, "seniors", ["AMAZON.NextIntent"] * 2)  # knee to chest
    reply = talk.say("AddTimeIntent")
    assert reply.speech.startswith(PROMPTS.say("adjusted_more_time", stretch="knee to chest"))
    prefs = Preferences.from_dict(record(coach)["preferences"])
    assert prefs.extra_map == {"knee_to_chest": 10}
    steps = coach.skill.services.script("seniors", prefs).steps
    assert {st.hold_ms for st in steps if st.stretch == "knee_to_chest"} == {40_000}
    assert {st.hold_ms for st in steps if st.stretch == "lying_butterfly"} == {30_000}
    talk.say("AddTimeIntent")
    talk.say("AddTimeIntent")
    assert said(talk.say("AddTimeIntent"), "adjust_limit")  # thirty seconds at most


def test_harder_uses_the_linked_version(coach: Coach) -> None:
    talk = welcomed(coach)
    to_block(talk, "fourteen", ["AMAZON.NextIntent"] * 8)  # the glute bridge
    assert Cursor.from_dict(record(coach)["position"]).stretch == "glute_bridge"
    reply = talk.say("HarderIntent")
    assert "One-legged bridge." in reply.speech
    assert said(talk.say("HarderIntent"), "no_harder", stretch="one-legged bridge")


def test_adjusting_outside_a_routine(coach: Coach) -> None:
    talk = welcomed(coach)
    assert said(talk.say("FasterIntent"), "adjusted_idle", done=PROMPTS.say("adjusted_faster"))
    assert said(talk.say("AddTimeIntent"), "needs_stretch")


@pytest.mark.parametrize(
    ("intent", "routine"),
    [("EasierIntent", "hip_mobility_gentle"), ("HarderIntent", "hip_mobility_intense")],
)
def test_easier_or_harder_outside_a_routine_starts_the_routine_for_it(
    coach: Coach, intent: str, routine: str
) -> None:
    """ "Something easier", with no stretch to change, is a wish for the gentle routine."""
    name = default_catalogue().routines[routine].name
    assert welcomed(coach).say(intent).speech.startswith(f"The {name}.")


# --- questions, exclusions, history ---------------------------------------------------------------


def test_which_side(coach: Coach) -> None:
    talk = welcomed(coach)
    to_block(talk, "seniors", ["AMAZON.NextIntent"] * 2)
    assert said(talk.say("WhichSideIntent"), "which_side", side="right", other="left", label="leg")
    talk.say("AMAZON.PreviousIntent")
    assert said(talk.say("WhichSideIntent"), "which_side_none", stretch="cobra")


SIDED = re.compile(r"You're on your (\w+) \w+")


# The side a turn starts on, as the coach names it: "Your right leg first.", "Now your left leg."
TURN_STARTS = re.compile(r"\b(?:Now your|Your) (left|right) ")


@pytest.mark.parametrize("routine", sorted(default_catalogue().routines))
def test_other_side_switches_to_the_side_which_side_calls_the_other(
    coach: Coach, routine: str
) -> None:
    """After every block with sides: "which side?" names one, and "other side" plays the other.

    It once switched from the side the block started on, so after a set that ended on the
    left, "other side" played the left again, from the stretch's very first set.
    """
    catalogue = default_catalogue()
    talk = welcomed(coach)
    reply = talk.say("StartRoutineIntent", routine=routine)
    for _ in range(4):  # a routine's safety questions first: cleared, none of the signs
        if not re.search(r"fine for you to stretch|weakness|down one of|three months|remember",
                         reply.speech):  # fmt: skip
            break
        cleared = "fine for you to stretch" in reply.speech
        reply = talk.say("AMAZON.YesIntent" if cleared else "AMAZON.NoIntent")
    tried: set[str] = set()
    for _ in range(300):
        if reply.ended:
            break
        block = reply.speech
        on = SIDED.search(talk.say("WhichSideIntent").speech)
        if on is not None and block not in tried:
            tried.add(block)
            other = talk.say("SideIntent", side=("other", "other"))
            started = TURN_STARTS.search(other.speech)
            assert started is not None, other.speech
            assert started.group(1) == {"left": "right", "right": "left"}[on.group(1)], (
                routine, block[:80], other.speech[:200])  # fmt: skip
        reply = talk.say("AMAZON.NextIntent")
    assert reply.ended
    # Every routine with sides before its last stretch (the last one ends the session).
    items = catalogue.routines[routine].items[:-1]
    assert tried or not any(catalogue.stretches[i.stretch].sides != "none" for i in items)


@pytest.mark.parametrize("routine", sorted(default_catalogue().routines))
def test_which_side_says_whether_the_other_side_is_still_to_come(
    coach: Coach, routine: str
) -> None:
    """Over a whole routine: "comes after" only while the other side is still ahead."""
    talk = welcomed(coach)
    reply = talk.say("StartRoutineIntent", routine=routine)
    heard: list[tuple[str, str, bool, str]] = []  # stretch, side, "comes after", block
    for _ in range(200):  # every block, asked once it has played
        answer = talk.say("WhichSideIntent")
        if (match := SIDED.search(answer.speech)) is not None:
            later = "comes after" in answer.speech
            assert later or " is done" in answer.speech, answer.speech
            named = re.search(r"the last side of (.+?);|Shall I start (.+?) again", answer.speech)
            assert named is not None, answer.speech
            heard.append((named.group(1) or named.group(2), match.group(1), later, reply.speech))
        if reply.ended:
            break
        reply = talk.say("AMAZON.NextIntent")
    if routine == "runners":  # one stretch with sides in sets, one side by side
        assert {h[2] for h in heard} == {True, False}
    for i, (stretch, side, later, _) in enumerate(heard):
        other = "left" if side == "right" else "right"
        ahead = []  # the blocks still to come of this stretch, which name their sides
        for block in heard[i + 1 :]:
            if block[0] != stretch:
                break
            ahead.append(block[3])
        assert later == any(re.search(rf"\b{other}\b", b, re.I) for b in ahead), (routine, i)


def test_skip_a_stretch_from_now_on_and_put_it_back(coach: Coach) -> None:
    talk = welcomed(coach)
    reply = talk.say("ExcludeStretchIntent", stretch=("pigeon pose", "pigeon"))
    assert said(reply, "excluded_idle", stretch="pigeon")
    assert "pigeon" not in stretches_of(coach, "daily_ten")
    reply = talk.say("IncludeStretchIntent", stretch="pigeon")
    assert said(reply, "included_idle", stretch="pigeon")
    assert "pigeon" in stretches_of(coach, "daily_ten")
    reply = talk.say("IncludeStretchIntent", stretch="pigeon")
    assert said(reply, "not_excluded_idle", stretch="pigeon")
    # In a routine, the follow-up offers the stretch the person is on.
    talk.say("StartRoutineIntent", routine="seniors")
    reply = talk.say("ExcludeStretchIntent", stretch="pigeon")
    assert said(reply, "excluded", stretch="pigeon", current="lying butterfly")


def finish(coach: Coach, day: str) -> Reply:
    talk = coach.talk()
    talk.timestamp = f"{day}T08:00:00Z"
    talk.launch()
    reply = talk.say("StartRoutineIntent", routine="flexion")
    for _ in range(100):  # never a loop without end, whatever the coach asks
        if reply.ended:
            return reply
        asked = (reply.attributes.get("pending") or {}).get("question", "")
        # The warning signs and the leg question come first: none, and nothing down a leg.
        reply = talk.say(
            "AMAZON.NoIntent" if asked.startswith("screening") else "AMAZON.NextIntent"
        )
    raise AssertionError("the routine never ended")


def test_history_streak_and_the_summary_at_the_end(coach: Coach) -> None:
    welcomed(coach)
    first = finish(coach, "2026-11-19")
    assert "That's one routine finished with me so far." in first.speech
    finish(coach, "2026-11-20")
    third = finish(coach, "2026-11-21")
    assert "three routines finished, and three days in a row" in third.speech
    talk = coach.talk()
    talk.timestamp = "2026-11-21T20:00:00Z"
    talk.launch()
    reply = talk.say("HistoryIntent")
    assert said(reply, "history", done="three", routines="routines",
                streak=PROMPTS.say("streak", days="three"),
                last=PROMPTS.say("last_finished", routine="flexion routine"))  # fmt: skip
    # A gap breaks the streak.
    later = finish(coach, "2026-11-25")
    assert "four routines finished with me so far" in later.speech


def test_history_before_any_routine(coach: Coach) -> None:
    assert said(welcomed(coach).say("HistoryIntent"), "history_none")


def test_coaching_by_typing(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from skill.cli import main

    lines = ["start the seniors routine", "ouch", "no", "yes please", "skip", "slow down", "stop"]
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(f"{line}\n" for line in lines)))
    out = io.StringIO()
    assert main(["chat", "--mute", "--store", f"sqlite:///{tmp_path / 'c.db'}"], out=out) == 0
    said_lines = [line for line in out.getvalue().splitlines() if line.startswith("coach: ")]
    assert said_lines[2] == "coach: " + PROMPTS.say("pain_check")
    assert said_lines[3] == "coach: " + PROMPTS.say("remember_pain")
    said_lines.pop(3)
    assert said_lines[3] == "coach: " + " ".join(
        [PROMPTS.say("remembered"), PROMPTS.say("pain_choice_no_easier", stretch="lying butterfly")]
    )
    assert said_lines[4].startswith("coach: Cobra.")
    assert said(Reply({"response": {"outputSpeech": {"ssml": f"<speak>{said_lines[5]}</speak>"}}}),
                "adjust_limit")  # fmt: skip
