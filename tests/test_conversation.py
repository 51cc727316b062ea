"""How people really talk to the coach: situations, single stretches, pain, sides, and more."""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest

from skill.alexa import app
from skill.alexa.questions import (
    EMERGENCY,
    MILD_PAIN,
    QUESTIONS,
    SEVERE_PAIN,
    SITUATIONS,
    Act,
    Answer,
)
from skill.content import default_catalogue
from skill.engine.cursor import Status
from skill.engine.screening import SCREENED_ROUTINES, SCREENINGS, Outcome
from skill.store.base import StoreError
from skill.store.memory import MemoryAdapter
from tests.alexa import Conversation, seed_prompts
from tests.phrases.corpus import handled_as
from tests.test_questions import REACH, pending
from tests.test_skill import PROMPTS, SENIORS, Coach, said, welcomed

YES, NO = "AMAZON.YesIntent", "AMAZON.NoIntent"


@pytest.mark.parametrize("question", list(QUESTIONS))
def test_each_question_through_the_lambda_handler(
    question: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The real entry point, as the Lambda runs it: answered with yes, then asked again.
    monkeypatch.setenv("STRETCH_COACH_STORE", "memory://")
    monkeypatch.delenv("SKILL_ID", raising=False)
    monkeypatch.setattr(app, "_skill", None)
    talk = Conversation(lambda event: app.lambda_handler(event, None))
    talk.launch()
    asked = REACH[question](Coach(), talk)
    assert (pending(asked) or {}).get("question") == question
    reply = talk.say(YES)
    assert "something went wrong" not in reply.speech
    if QUESTIONS[question].act(Answer.YES) is Act.REASK:
        assert said(reply, QUESTIONS[question].unfit) and pending(reply) == pending(asked)
    else:
        assert not said(reply, QUESTIONS[question].unfit)


@pytest.mark.parametrize(("situation", "routine"), list(SITUATIONS.items()))
def test_every_situation_leads_to_its_routine(situation: str, routine: str | None) -> None:
    coach = Coach()
    talk = welcomed(coach)
    reply = talk.say("SituationIntent", situation=(situation, situation))
    if routine is None:
        assert said(reply, "screen_warning")  # back pain: the safety questions first
    elif routine == "pregnancy":
        assert said(reply, "screen_cleared")
    else:
        assert reply.speech.startswith(
            f"The {coach.skill.services.catalogue.routines[routine].name}"
        )
        assert coach.position().routine == routine


def test_a_single_stretch_plays_alone_and_leaves_the_saved_routine_alone() -> None:
    coach = Coach()
    talk = welcomed(coach)
    talk.say("StartRoutineIntent", routine=SENIORS)
    talk.say("AMAZON.StopIntent")
    saved = coach.position()
    talk.launch()
    reply = talk.say("SingleStretchIntent", stretch=("pigeon", "pigeon"))
    assert "Pigeon" in reply.speech
    assert said(reply, "single_done", stretch="pigeon")
    assert not reply.ended and pending(reply) == {"question": "choose_routine", "about": None}
    assert coach.position() == saved
    # The saved routine is still offered next time.
    assert said(talk.launch(), "offer_resume")


def test_a_single_stretch_can_be_asked_for_in_one_go_by_a_first_visitor() -> None:
    coach = Coach()
    talk = coach.talk()
    reply = talk.say("SingleStretchIntent", stretch=("hip flexor stretch", "kneeling_hip_flexor"))
    # The disclaimer comes first, once, then the stretch.
    assert reply.speech.startswith(PROMPTS.say("disclaimer"))
    assert "hip flexor" in reply.speech.lower()
    assert coach.stored()[0]["welcomed"] is True
    assert "not medical advice" not in talk.launch().speech


def test_a_first_visit_opening_with_a_routine_hears_the_disclaimer() -> None:
    coach = Coach()
    reply = coach.talk().say("StartRoutineIntent", routine=SENIORS)
    assert "not medical advice" in reply.speech
    assert reply.speech.index("not medical advice") < reply.speech.index("seniors routine")


def test_keep_going_after_a_block_moves_on_and_resume_after_a_pause_replays() -> None:
    coach = Coach()
    talk = welcomed(coach)
    talk.say("StartRoutineIntent", routine=SENIORS)
    talk.say("AMAZON.ResumeIntent")  # "keep going"
    assert coach.position().block == 1
    talk.say("AMAZON.PauseIntent")
    talk.say("AMAZON.ResumeIntent")
    assert coach.position().block == 1
    assert coach.position().status is Status.PLAYING


@pytest.mark.parametrize("routine", ["seniors", "runners", "daily_ten", "desk", "pilates"])
def test_next_after_a_pause_plays_the_next_block_everywhere(routine: str) -> None:
    """ "next" always means the next block: a pause in between changes nothing."""
    coach = Coach()
    talk = welcomed(coach)
    straight = [talk.say("StartRoutineIntent", routine=routine)]
    while not straight[-1].ended:
        straight.append(talk.say("AMAZON.NextIntent"))
    for block in range(1, len(straight)):
        talk = welcomed(Coach())  # a new person each time: the same counts at the end
        talk.say("StartRoutineIntent", routine=routine)
        for _ in range(block - 1):
            talk.say("AMAZON.NextIntent")
        assert (pending(talk.say("AMAZON.PauseIntent")) or {}).get("question") == "paused"
        assert talk.say("AMAZON.NextIntent").speech == straight[block].speech, block


BACK_ROUTINES = sorted(r for r in SCREENED_ROUTINES if SCREENED_ROUTINES[r].id != "pregnancy")


def test_every_routine_the_back_screening_leads_to_is_screened_when_named() -> None:
    led_to = {
        o.routine
        for q in SCREENINGS["back"].questions.values()
        for o in (q.yes, q.no)
        if isinstance(o, Outcome) and o.avoid
    }
    assert led_to and led_to == set(BACK_ROUTINES)


@pytest.mark.parametrize("routine", BACK_ROUTINES)
def test_a_back_routine_named_asks_the_warning_signs_first(routine: str) -> None:
    coach = Coach()
    talk = welcomed(coach)
    asked = talk.say("StartRoutineIntent", routine=routine)
    assert said(asked, "screen_warning") and coach.stored()[0]["position"] is None
    # A warning sign: advice, and no routine at all.
    refused = talk.say(YES)
    assert said(refused, "advice_warning") and refused.ended
    assert coach.stored()[0]["position"] is None
    # None: the leg question, whose yes picks the gentler version of the routine named.
    for leg, gentle in ((YES, True), (NO, False)):
        talk = welcomed(Coach())
        talk.say("StartRoutineIntent", routine=routine)
        assert said(talk.say(NO), "screen_leg")
        consent = talk.say(leg)
        assert said(consent, "remember_screening")
        started = talk.say(NO)
        name = coach.skill.services.catalogue.routines[routine].name
        assert f"The {name}" in started.speech and not started.ended
        assert said(started, "advice_leg") is gentle
        person = started.attributes["person"]
        assert person["screened"][routine].get("gentle") is (True if gentle else None)


# Ways back into a routine saved in an earlier session.
BACK_IN = [YES, "AMAZON.ResumeIntent", "AMAZON.NextIntent", "AMAZON.StartOverIntent"]


@pytest.mark.parametrize("back_in", BACK_IN)
@pytest.mark.parametrize("routine", BACK_ROUTINES)
def test_a_back_routine_carried_on_next_time_asks_the_warning_signs_again(
    routine: str, back_in: str
) -> None:
    """Numbness can come on between visits: the place is kept, the questions asked again."""
    for answer in (YES, NO):
        coach = Coach()
        talk = welcomed(coach)
        talk.say("StartRoutineIntent", routine=routine)
        talk.say(NO)
        talk.say(NO)
        talk.say(YES)  # remembered, with the place in the routine
        talk.say("AMAZON.NextIntent")
        talk.say("AMAZON.StopIntent")
        saved = coach.position()
        visit = coach.talk()
        offer = visit.launch()
        assert said(offer, "offer_resume") or said(offer, "offer_continue"), offer.speech
        asked = visit.say(back_in)
        assert said(asked, "screen_warning"), (back_in, asked.speech)
        assert coach.position() == saved  # nothing played before the answer
        if answer == YES:
            refused = visit.say(YES)
            assert said(refused, "advice_warning") and refused.ended
            assert coach.stored()[0]["position"] is None
        else:
            assert said(visit.say(NO), "screen_leg")
            played = visit.say(NO)  # on from the place kept, to the routine's end if near
            person = coach.stored()[0]
            done = person["counts"].get("completed", 0) == 2
            assert done or (not played.ended and coach.position().routine == routine)
            # Asked once a session: moving on plays, with no question.
            assert pending(visit.say("AMAZON.NextIntent")) != {
                "question": "screening_symptom",
                "about": None,
            }


def test_a_stretch_only_a_back_routine_has_asks_the_warning_signs_when_played_alone() -> None:
    catalogue = Coach().skill.services.catalogue
    homes: dict[str, set[str]] = {}
    for routine in catalogue.routines.values():
        for item in routine.items:
            homes.setdefault(item.stretch, set()).add(routine.id)
    guarded = {s for s, rs in homes.items() if len(rs) == 1 and rs <= set(BACK_ROUTINES)}
    assert guarded  # the extension and flexion routines' own moves
    for stretch in sorted(homes):
        coach = Coach()
        talk = welcomed(coach)
        name = catalogue.stretches[stretch].name
        asked = talk.say("SingleStretchIntent", stretch=(name, stretch))
        assert said(asked, "screen_warning") is (stretch in guarded), (stretch, asked.speech)
        if stretch in guarded:
            refused = talk.say(YES)
            assert said(refused, "advice_warning") and refused.ended
            talk = welcomed(Coach())
            talk.say("SingleStretchIntent", stretch=(name, stretch))
            talk.say(NO)
            talk.say(NO)
            played = talk.say(NO)  # not remembered: this session only
            assert name.lower() in played.speech.lower() and not played.ended, played.speech


@pytest.mark.parametrize("routine", ["seniors", "runners", "daily_ten", "desk", "pilates"])
def test_going_to_any_stretch_goes_there_or_names_it_never_by_its_id(routine: str) -> None:
    catalogue = Coach().skill.services.catalogue
    played = {i.stretch for i in catalogue.routines[routine].items}
    for stretch in catalogue.stretches.values():
        coach = Coach()
        talk = welcomed(coach)
        talk.say("StartRoutineIntent", routine=routine)
        reply = talk.say("GoToStretchIntent", stretch=(stretch.name, stretch.id))
        assert "_" not in reply.speech
        if stretch.id in played:
            assert coach.position().stretch == stretch.id
        elif said(reply, "unknown_stretch"):
            assert said(reply, "unknown_stretch", stretch=stretch.name.capitalize())
        else:  # another of its kind, the only one here ("the bridge": the one-legged one)
            there = coach.position().stretch
            kind = [w for w in stretch.name.split() if w not in ("stretch", "pose")][-1]
            assert there in played and kind in str(there), stretch.id


@pytest.mark.parametrize("routine", ["seniors", "runners", "daily_ten", "desk", "pilates"])
def test_not_yet_after_any_block_names_what_next_will_play(routine: str) -> None:
    """ "Ready for set two?" "Not yet": the wait names set two, as the block did."""
    coach = Coach()
    talk = welcomed(coach)
    block = talk.say("StartRoutineIntent", routine=routine)
    while not block.ended:
        asked = re.search(r"Ready for (.+?)\? Say next\.$", block.speech)
        wait = talk.say("NotYetIntent")
        if asked is not None:
            assert said(wait, "waiting", next=asked.group(1)), (block.speech[-60:], wait.speech)
        else:
            assert block.speech.endswith("Ready to carry on? Say next.")
            assert said(wait, "waiting") and "the rest of" in wait.speech
        block = talk.say("AMAZON.NextIntent")


def _at_block(routine: str, blocks: int) -> tuple[Coach, Conversation]:
    """A person who started the routine and said next `blocks` times: block `blocks` + 1."""
    coach = Coach()
    talk = welcomed(coach)
    talk.say("StartRoutineIntent", routine=routine)
    for _ in range(blocks):
        talk.say("AMAZON.NextIntent")
    return coach, talk


def _hurt_at(routine: str, blocks: int) -> tuple[Coach, Conversation, str]:
    """A person in pain in the routine's block `blocks` + 1, asked whether it is sharp."""
    coach, talk = _at_block(routine, blocks)
    hurt = coach.position().stretch
    assert hurt is not None and pending(talk.say("PainIntent")) == {
        "question": "pain_kind",
        "about": None,
    }
    return coach, talk, hurt


def _goes_on_after(coach: Coach, routine: str, hurt: str) -> None:
    """The next visit never starts with the stretch that hurt: it offers what follows."""
    catalogue = coach.skill.services.catalogue
    offer = coach.talk().launch()
    place = coach.position()
    assert place.status is Status.HEARD
    if said(offer, "offer_continue"):
        assert place.stretch == hurt
        assert said(offer, "offer_continue", stretch=catalogue.stretches[hurt].name)
        then = offer.speech.rsplit("carry on with ", 1)[1].rstrip("?")
        assert then != catalogue.stretches[hurt].name
    else:  # the stretch that hurt was the routine's last: at most the finish was left
        assert place.stretch in (hurt, None)
        assert said(offer, "welcome_back"), offer.speech


ENDINGS = ["AMAZON.StopIntent", "AMAZON.CancelIntent", "EXCEEDED_MAX_REPROMPTS",
           "USER_INITIATED", "ERROR"]  # fmt: skip


@pytest.mark.parametrize("ending", ENDINGS)
@pytest.mark.parametrize("question", ["pain_kind", "remember_pain", "pain_choice"])
def test_a_pain_check_left_open_never_starts_with_the_stretch_that_hurt(
    question: str, ending: str
) -> None:
    coach, talk, hurt = _hurt_at("seniors", 1)
    if question != "pain_kind":
        talk.say("PainKindIntent", painKind=("dull", "dull"))  # remember it? asked first
    if question == "pain_choice":
        talk.say(NO)
    if ending.startswith("AMAZON."):
        reply = talk.say(ending)
        assert said(reply, "stopped_in_pain", stretch=SENIORS_NAMES[hurt]) and reply.ended
    else:
        talk.end(ending)
    _goes_on_after(coach, "seniors", hurt)


SENIORS_NAMES = {s: s.replace("_", " ") for s in ("cobra", "lying_butterfly", "knee_to_chest")}


@pytest.mark.parametrize("routine", BACK_ROUTINES)
@pytest.mark.parametrize("warning", ["warning", "leg"])
def test_a_warning_sign_lets_go_of_the_place_so_nothing_resumes_next_time(
    routine: str, warning: str
) -> None:
    """Told to see a clinician, the next visit never opens with "shall we carry on?"."""
    coach = Coach()
    talk = welcomed(coach)
    talk.say("StartRoutineIntent", routine=routine)
    talk.say(NO)
    talk.say(NO)
    talk.say(YES)  # remembered, the place in it too
    talk.say("AMAZON.StopIntent")
    assert said(coach.talk().launch(), "offer_resume")
    talk = coach.talk()
    talk.launch()
    talk.say("StartRoutineIntent", routine=routine)
    if warning == "leg":
        talk.say(NO)
    refused = talk.say("PainKindIntent", painKind=("i fell last week", "numb"))
    assert said(refused, "advice_warning") and refused.ended
    assert not said(coach.talk().launch(), "offer_resume")


@pytest.mark.parametrize("ending", ["AMAZON.StopIntent", "AMAZON.PauseIntent", "ended"])
def test_a_visit_that_only_stops_keeps_a_stretch_heard_to_its_end_behind(ending: str) -> None:
    coach, talk, hurt = _hurt_at("seniors", 1)
    talk.say("PainKindIntent", painKind=("sharp", "sharp"))
    visit = coach.talk()
    visit.launch()
    if ending == "ended":
        visit.end("USER_INITIATED")
    else:
        visit.say(ending)
        visit.say("AMAZON.StopIntent")
    _goes_on_after(coach, "seniors", hurt)


@pytest.mark.parametrize("routine", ["seniors", "runners", "daily_ten", "desk", "pilates"])
def test_sharp_pain_anywhere_leaves_the_stretch_that_hurt_behind(routine: str) -> None:
    straight = Coach()
    talk = welcomed(straight)
    blocks = [talk.say("StartRoutineIntent", routine=routine)]
    while not blocks[-1].ended:
        blocks.append(talk.say("AMAZON.NextIntent"))
    for block in range(len(blocks)):
        if _at_block(routine, block)[0].position().stretch is None:
            continue  # the finish on its own: no stretch to hurt in
        coach, talk, hurt = _hurt_at(routine, block)
        assert said(talk.say("PainKindIntent", painKind=("sharp", "sharp")), "pain_stop")
        _goes_on_after(coach, routine, hurt)


@pytest.mark.parametrize("routine", ["seniors", "runners", "daily_ten", "desk", "pilates"])
def test_the_welcome_says_finished_only_of_a_stretch_heard_to_its_end(routine: str) -> None:
    """A visit that times out after one side or set never hears "you finished" it next time."""
    coach = Coach()
    talk = welcomed(coach)
    blocks = [talk.say("StartRoutineIntent", routine=routine)]
    while not blocks[-1].ended:
        blocks.append(talk.say("AMAZON.NextIntent"))
    script = coach.skill.services.routine(routine)
    assert script is not None
    for block in range(len(blocks) - 1):
        coach, talk = _at_block(routine, block)
        here = coach.position()
        talk.end("EXCEEDED_MAX_REPROMPTS")  # the block was heard, then nothing was said
        offer = coach.talk().launch()
        if said(offer, "offer_continue"):
            after = offer.speech.rsplit("carry on with ", 1)[1].rstrip("?")
            name = coach.skill.services.catalogue.stretches[str(here.stretch)].name
            assert after != name, (routine, block)
            # What "yes" plays is the stretch the welcome named.
            played = coach.talk()
            played.launch()
            yes = played.say("AMAZON.YesIntent").speech.lower()
            assert yes.startswith(after.lower()), (routine, block)


# Questions that, mid-routine, answer and then offer the stretch again.
FOLLOW_UPS = ["TimeLeftIntent", "WhereAmIIntent", "HistoryIntent", "DescribeStretchIntent",
              "AMAZON.HelpIntent", "HarderIntent", "WhichSideIntent"]  # fmt: skip


@pytest.mark.parametrize("routine", ["seniors", "runners", "daily_ten", "desk", "pilates"])
def test_after_sharp_pain_no_follow_up_offers_the_stretch_that_hurt_again(routine: str) -> None:
    """ "What did I do last time?" after sharp pain offers what follows, never that stretch."""
    straight = Coach()
    talk = welcomed(straight)
    blocks = [talk.say("StartRoutineIntent", routine=routine)]
    while not blocks[-1].ended:
        blocks.append(talk.say("AMAZON.NextIntent"))
    for block in range(len(blocks) - 1):
        coach, talk, hurt = _hurt_at(routine, block)
        talk.say("PainKindIntent", painKind=("sharp", "sharp"))
        catalogue = coach.skill.services.catalogue
        name = catalogue.stretches[hurt].name
        for intent in FOLLOW_UPS:
            visit = coach.talk()
            visit.launch()
            reply = visit.say(intent)
            assert f"start {name.lower()} again" not in reply.speech.lower(), (intent, reply.speech)
            if pending(reply) == {"question": "go_on", "about": None}:
                on = visit.say(YES)  # on to what follows, or the end of the routine
                at_end = said(on, "at_end", routine=catalogue.routines[routine].name)
                assert coach.position().stretch != hurt or at_end, (routine, block, intent)
                assert not on.speech.startswith(name), (routine, block, intent)
            visit.end("USER_INITIATED")


def test_pain_with_a_bodyPart_is_heard_and_said_back_only_when_known() -> None:
    coach = Coach()
    talk = welcomed(coach)
    talk.say("StartRoutineIntent", routine=SENIORS)
    reply = talk.say("PainIntent", bodyPart=("knee", "knee"))
    assert said(reply, "pain_check_part", part="knee")
    assert coach.position().status is Status.PAUSED
    odd = talk.say("PainIntent", bodyPart=("x" * 500, None))
    assert "x" * 20 not in odd.speech
    assert said(odd, "reask_pain")  # still waiting for sharp or mild


@pytest.mark.parametrize("kind", ["sharp", "shooting", "spreading", "tingling", "numb"])
def test_serious_pain_stops_with_advice_whenever_it_is_said(kind: str) -> None:
    coach = Coach()
    talk = welcomed(coach)
    talk.say("StartRoutineIntent", routine=SENIORS)
    reply = talk.say("PainKindIntent", painKind=(kind, kind))  # said without being asked
    assert said(reply, "pain_stop") and reply.ended
    # The place is kept after the stretch that hurt, so the next visit goes on from there.
    assert (coach.position().stretch, coach.position().status) == (
        "lying_butterfly",
        Status.HEARD,
    )
    # And as a change of mind at the choice after mild pain.
    talk = welcomed(coach)
    talk.say("StartRoutineIntent", routine=SENIORS)
    talk.say("PainIntent")
    # Asked whether to remember the pain, or at the choice after it: either way, it stops.
    asked = talk.say("PainKindIntent", painKind=("dull", "dull"))
    assert said(asked, "remember_pain")
    assert said(talk.say("PainKindIntent", painKind=(kind, kind)), "pain_stop")
    talk = welcomed(coach)
    talk.say("StartRoutineIntent", routine=SENIORS)
    talk.say("PainIntent")
    talk.say("PainKindIntent", painKind=("dull", "dull"))
    assert said(talk.say("AMAZON.NoIntent"), "pain_choice_no_easier")
    assert said(talk.say("PainKindIntent", painKind=(kind, kind)), "pain_stop")


_UNSCREENED = sorted(set(default_catalogue().routines) - set(SCREENED_ROUTINES))


@pytest.mark.parametrize("routine", _UNSCREENED)
def test_feeling_unwell_stops_at_every_block_and_keeps_the_place(routine: str) -> None:
    """Dizzy, faint or sick, after any block: stop with the advice, and pick up there next time.

    No stretch is blamed for it, so the next visit offers the same stretch, not the one after.
    """
    length = 0
    talk = welcomed(Coach())
    reply = talk.say("StartRoutineIntent", routine=routine)
    while not reply.ended:
        length += 1
        reply = talk.say("AMAZON.NextIntent")
    catalogue = default_catalogue()
    for block in range(length):
        coach, talk = _at_block(routine, block)
        here = coach.position()
        reply = talk.say("PainKindIntent", painKind=("i feel dizzy", "unwell"))
        assert said(reply, "unwell") and reply.ended, (routine, block, reply.speech)
        kept = coach.position()
        assert (kept.block, kept.status) == (here.block, Status.PAUSED), (routine, block)
        assert "pain" not in coach.stored()[0]["counts"]
        offer = coach.talk().launch()
        if here.stretch is None:  # a routine's opening words: the offer is to begin it
            continue
        name = catalogue.stretches[here.stretch].name
        assert said(offer, "offer_resume", stretch=name, routine=catalogue.routines[routine].name)


@pytest.mark.parametrize("kind", ["mild", "dull", "stretchy"])
def test_mild_pain_offers_easier_skip_or_carry_on(kind: str) -> None:
    coach = Coach()
    talk = welcomed(coach)
    talk.say("StartRoutineIntent", routine=SENIORS)
    talk.say("PainIntent")
    assert said(talk.say("PainKindIntent", painKind=(kind, kind)), "remember_pain")
    reply = talk.say("AMAZON.YesIntent")
    assert said(reply, "pain_choice") or said(reply, "pain_choice_no_easier")
    carried = talk.say("AMAZON.ResumeIntent")  # "carry on"
    assert coach.position().block == 0 and coach.position().status is Status.PLAYING
    assert "Lying butterfly" in carried.speech


def test_other_side_plays_the_stretch_from_the_other_sides_set_up() -> None:
    coach = Coach()
    talk = welcomed(coach)
    reply = talk.say("StartRoutineIntent", routine=("hip flexor routine", "hip_flexor"))
    while coach.position().side is None:  # past an introduction said on its own
        reply = talk.say("AMAZON.NextIntent")
    first_side = coach.position().side
    assert first_side is not None
    other = talk.say("SideIntent", side=("other", "other"))
    assert other.speech != reply.speech
    assert first_side.other.value in other.speech.lower()
    # The other side is played from its own set-up, without the first side's hold again.
    assert len(other.speech) < len(reply.speech)


def test_switching_sides_on_a_stretch_without_sides_says_so() -> None:
    coach = Coach()
    talk = welcomed(coach)
    talk.say("StartRoutineIntent", routine=SENIORS)  # lying butterfly: both sides at once
    assert said(talk.say("SideIntent"), "which_side_none")


class FailingWrites(MemoryAdapter):
    """A store that reads but cannot write."""

    def store(self, key: str, record: Any, expected: int | None) -> bool:
        raise StoreError("the disk is full")


def test_after_a_failed_save_the_coach_does_not_promise_to_pick_up_there() -> None:
    coach = Coach(store=FailingWrites())
    talk = welcomed(coach)
    talk.say("StartRoutineIntent", routine=SENIORS)
    reply = talk.say("AMAZON.StopIntent")
    assert "pick up" not in reply.speech
    assert reply.ended


def test_single_stretch_state_from_the_client_is_checked() -> None:
    coach = Coach()
    talk = welcomed(coach)
    talk.say("SingleStretchIntent", stretch=("pigeon", "pigeon"))
    assert talk.attributes is not None
    for damaged in ({"v": 1, "routine": "just:nope", "block": 0, "status": "playing"},
                    "not a cursor", {"v": 9}):  # fmt: skip
        talk.attributes["single"] = damaged
        reply = talk.say("AMAZON.NextIntent")
        assert "something went wrong" not in reply.speech


def test_skipping_a_stretch_by_name_skips_it_only_when_it_is_the_one_playing() -> None:
    coach = Coach()
    talk = welcomed(coach)
    talk.say("StartRoutineIntent", routine=SENIORS)  # lying butterfly
    reply = talk.say("SkipIntent", stretch=("cobra", "cobra"))
    assert said(reply, "skip_other", stretch="cobra", current="lying butterfly")
    assert coach.position().block == 0
    assert talk.say("SkipIntent", stretch=("lying butterfly", "lying_butterfly")).speech.startswith(
        "Cobra."
    )


def test_serious_pain_outside_a_routine_promises_no_saved_place() -> None:
    coach = Coach()
    talk = welcomed(coach)
    reply = talk.say("PainKindIntent", painKind=("stabbing", "sharp"))
    assert said(reply, "pain_stop_unsaved") and "saved your place" not in reply.speech


def _request(reading: str) -> tuple[str, dict[str, tuple[str, str]]]:
    """A reading as the corpus writes it ("Intent slot=id"), as an intent with its slots."""
    intent, *slots = reading.split()
    pairs = (slot.split("=") for slot in slots)
    return intent, {name: (value.replace("_", " "), value) for name, value in pairs}


_ONE_IN_EFFECT = [
    *(f"SituationIntent situation={s}" for s, routine in SITUATIONS.items() if routine),
    "PregnancyStageIntent stage=late",
    "PregnancyStageIntent stage=early",
    "PardonIntent",
]
# Pairs the corpus judges as one: each reading and what it is handled as, and kinds of pain
# of one grade (every serious kind stops, every mild kind offers the choice).
_PAIRS = [
    *((reading, handled_as(reading)) for reading in _ONE_IN_EFFECT),
    *(
        (f"PainKindIntent painKind={a}", f"PainKindIntent painKind={b}")
        for grade in (sorted(SEVERE_PAIN - {EMERGENCY}), sorted(MILD_PAIN))
        for a, b in itertools.pairwise(grade)
    ),
]


@pytest.mark.parametrize(("reading", "other"), _PAIRS)
@pytest.mark.parametrize("playing", [False, True], ids=["idle", "playing"])
def test_readings_the_corpus_judges_as_one_do_exactly_the_same(
    reading: str, other: str, playing: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The corpus counts these readings as one (tests/phrases/corpus.py, handled_as): hold
    # the skill to it, word for word.
    assert reading != other and handled_as(reading) == handled_as(other)
    seed_prompts(monkeypatch, 7)
    replies = []
    for said_as in (reading, other):
        talk = welcomed(Coach())
        if playing:
            talk.say("StartRoutineIntent", routine=SENIORS)
        intent, slots = _request(said_as)
        reply = talk.say(intent, **slots)
        replies.append((reply.speech, pending(reply), reply.ended))
    assert replies[0] == replies[1]


@pytest.mark.parametrize("first", [YES, NO], ids=["worse_sitting", "worse_standing"])
def test_numbness_said_at_the_leg_question_refers_and_starts_nothing(first: str) -> None:
    # "Does the pain travel down one of your legs?" "yes, and my leg feels weak": the
    # warning sign asked about first, heard late, still ends in advice and no routine.
    talk = welcomed(Coach())
    talk.say("WhichRoutineIntent")  # the warning-sign question
    talk.say(NO)
    asked = talk.say(first)
    if first == NO:
        asked = talk.say(YES)  # worse standing
    assert said(asked, "screen_leg"), asked.speech
    reply = talk.say("PainKindIntent", painKind=("my leg feels weak", "numb"))
    assert said(reply, "advice_warning") and reply.ended, reply.speech
    assert (reply.attributes.get("person") or {}).get("position") is None
