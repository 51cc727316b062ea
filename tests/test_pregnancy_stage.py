"""What the coach knows of a pregnancy: the stage said, how long an answer holds, its end."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest

from skill.alexa.app import CoachSkill
from skill.alexa.person import Person
from skill.alexa.turn import single_routine
from skill.alexa.untrusted import stage_of
from skill.config import Config
from skill.content import default_catalogue
from skill.engine.compiler import EmptyRoutineError, compile_routine
from skill.engine.preferences import Preferences
from skill.engine.screening import (
    BACK,
    EARLY_PREGNANCY,
    LATE_PREGNANCY,
    answer_expired,
    ask_again_in,
    consequence,
    late_in_pregnancy,
    weeks_pregnant,
)
from skill.local.matcher import Grammar, recognize
from skill.store.base import VersionedAdapter
from skill.store.memory import MemoryAdapter
from tests import test_hostile
from tests.alexa import Conversation, Reply
from tests.test_hostile import KEY, talk_to
from tests.test_skill import said

YES, NO = "AMAZON.YesIntent", "AMAZON.NoIntent"
CATALOGUE = default_catalogue()
LATE = consequence(LATE_PREGNANCY, CATALOGUE)
EARLY = consequence(EARLY_PREGNANCY, CATALOGUE)
# Lying flat on the back: what only the late version leaves out or swaps.
ONLY_LATE = (LATE.excluded | set(LATE.substitute_map)) - (
    EARLY.excluded | set(EARLY.substitute_map)
)
PREGNANCY = ("pregnancy routine", "pregnancy")
DAY = date(2026, 11, 21)  # the envelopes' own day
moto_endpoint = test_hostile.moto_endpoint
store = test_hostile.store


def offered(reply: Reply) -> str:
    """The routines a reply suggests, as said."""
    return reply.speech.split("You could try ")[-1][:-1]


def on(talk: Conversation, day: date) -> Conversation:
    talk.timestamp = f"{day.isoformat()}T09:00:00Z"
    return talk


def session_person(reply: Reply) -> Person:
    return Person.from_attributes(reply.attributes["person"])


def playing(reply: Reply) -> tuple[str, ...]:
    """The stretches the routine in this reply's session plays, with everything applied."""
    person = session_person(reply)
    assert person.position is not None
    routine = CATALOGUE.routines[person.position.routine]
    preferences = person.effective()
    if person.pregnancy_expired(DAY, CATALOGUE):
        preferences = preferences.combined(LATE)
    return compile_routine(CATALOGUE, routine, preferences).stretches


def stored(store: VersionedAdapter) -> dict[str, Any]:
    record = store.read(KEY)
    assert record is not None
    return record.data


def screened(
    store: VersionedAdapter, late: bool, *, ask_again: str | None = None, **more: object
) -> None:
    """A person who said yes to remembering, screened early or late some time ago."""
    data: dict[str, Any] = {
        "welcomed": True,
        "consent": True,
        "screened": {"pregnancy": (LATE if late else EARLY).to_dict()},
    }
    if ask_again is not None:
        data["ask_again"] = {"pregnancy": ask_again}
    store.write(KEY, {**data, **more})


# --- the words: how far along, and a pregnancy that has ended ------------------------------


@pytest.mark.parametrize(
    ("heard", "weeks"),
    [
        ("twenty weeks", 20), ("20 weeks", 20), ("twenty one weeks", 21), ("one week", 1),
        ("a week", 1), ("twenty-seven weeks", 27),
        # Months count to their half-way point and up: the safe side.
        ("five months", 24), ("six months", 29), ("five and a half months", 26), ("a month", 7),
        ("first trimester", 13), ("the second trimester", 27),
        ("a few weeks", None), ("a couple of months", None), ("just found out", None),
        ("early days", None), ("", None), ("due in six weeks", None), ("eight weeks to go", None),
    ],
)  # fmt: skip
def test_weeks_pregnant_reads_the_latest_week_the_words_could_mean(
    heard: str, weeks: int | None
) -> None:
    assert weeks_pregnant(heard) == weeks


def test_an_early_answer_holds_until_twenty_eight_weeks_or_four_weeks_unsaid() -> None:
    assert ask_again_in(20) == 56
    assert ask_again_in(27) == 7
    assert ask_again_in(29) == 1  # "six months" is asked again the next day
    assert ask_again_in(None) == 28


def test_only_an_early_answer_past_its_day_has_expired() -> None:
    day = DAY.isoformat()
    assert not answer_expired(None, None, DAY, CATALOGUE)  # nothing to expire
    assert not answer_expired(LATE, None, DAY + timedelta(days=400), CATALOGUE)
    assert not answer_expired(EARLY, day, DAY - timedelta(days=1), CATALOGUE)
    assert answer_expired(EARLY, day, DAY, CATALOGUE)
    assert answer_expired(EARLY, None, DAY, CATALOGUE)  # kept before answers had a day
    assert answer_expired(EARLY, "not a day", DAY, CATALOGUE)
    assert late_in_pregnancy(LATE, CATALOGUE) and not late_in_pregnancy(EARLY, CATALOGUE)
    assert ONLY_LATE


@pytest.mark.parametrize(
    "value",
    [
        None, "late", {"stage": "late"}, {"stage": "soon", "weeks": None},
        {"stage": "late", "weeks": "30"}, {"stage": "late", "weeks": True},
        {"stage": "early", "weeks": 0}, {"stage": "early", "weeks": 99},
        {"stage": "late", "weeks": 30, "extra": 1},
    ],
)  # fmt: skip
def test_a_damaged_stage_in_the_session_is_not_believed(value: object) -> None:
    assert stage_of(value) is None


def test_a_stage_in_the_session_is_read_back() -> None:
    assert stage_of({"stage": "late", "weeks": 30}) == ("late", 30)
    assert stage_of({"stage": "early", "weeks": None}) == ("early", None)


GRAMMAR = Grammar.load("en-US")


@pytest.mark.parametrize(
    "text",
    [
        "I'm no longer pregnant", "I had my baby", "I'm not pregnant anymore",
        "I've given birth", "the baby came last week", "I'm not pregnant any more",
        "baby's arrived", "I'm postnatal now",
        # A time since the birth is not how far along: never the pregnancy questions.
        "I had the baby three weeks ago", "I'm six weeks postpartum", "no longer expecting",
    ],
)  # fmt: skip
def test_a_pregnancy_that_has_ended_is_heard_as_such(text: str) -> None:
    match = recognize(text, GRAMMAR)
    assert match is not None and match.intent == "NotPregnantIntent", text


@pytest.mark.parametrize(
    ("text", "stage"),
    [
        # Said with a pause or with pain, how far along is still heard: the questions first.
        ("hang on, I'm thirty weeks now", "late"),
        ("I'm 33 weeks with my second and my back is killing me", "late"),
        ("I am nearly 30 weeks and my hips ache", "late"),
        ("give me a rest, I'm 20 weeks", "early"),
        # Words that mean the last months without a number.
        ("I'm heavily pregnant", "late"), ("I'm due soon", "late"),
        ("something for a heavily pregnant lady", "late"),
    ],
)  # fmt: skip
def test_how_far_along_is_heard_whatever_comes_with_it(text: str, stage: str) -> None:
    match = recognize(text, GRAMMAR)
    assert match is not None and match.intent == "PregnancyStageIntent", (text, match)
    assert match.slots["stage"].id == stage


def test_a_time_that_is_not_a_stage_is_not_heard_as_one() -> None:
    match = recognize("I'm two weeks into a new job and my back hurts", GRAMMAR)
    assert match is not None and match.intent == "PainIntent"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("start the pregnancy routine", "StartRoutineIntent"),
        ("I'm pregnant", "SituationIntent"),
        ("I'm 30 weeks pregnant", "PregnancyStageIntent"),
    ],
)
def test_a_pregnancy_still_going_is_not_heard_as_ended(text: str, intent: str) -> None:
    match = recognize(text, GRAMMAR)
    assert match is not None and match.intent == intent


# --- F19: a stage said in the session answers the question about the last three months ------

LATE_STAGES = [
    ("thirty weeks", "late"), ("seven months", "late"), ("due in six weeks", "late"),
    ("third trimester", "late"), ("eight weeks to go", "late"), ("heavily pregnant", "late"),
]  # fmt: skip


def _coach() -> tuple[CoachSkill, Conversation]:
    skill = CoachSkill(Config(store_url="memory://"), store=MemoryAdapter())
    talk = talk_to(skill)
    talk.launch()
    return skill, talk


@pytest.mark.parametrize("stage", LATE_STAGES, ids=[s[0] for s in LATE_STAGES])
def test_a_late_stage_said_first_is_never_asked_about_again(stage: tuple[str, str]) -> None:
    _, talk = _coach()
    assert said(talk.say("PregnancyStageIntent", stage=stage), "screen_cleared")
    reply = talk.say(YES)
    assert not said(reply, "screen_late_pregnancy"), reply.speech
    assert said(reply, "remember_screening")
    started = talk.say(NO)  # this session only: a no to remembering, not to the stage
    assert said(started, "advice_late_pregnancy_said")
    assert not set(playing(started)) & ONLY_LATE
    assert "standing_pelvic_tilt" in playing(started)


def test_a_late_stage_said_at_the_doctor_question_answers_the_next_one() -> None:
    _, talk = _coach()
    talk.say("StartRoutineIntent", routine=PREGNANCY)
    again = talk.say("PregnancyStageIntent", stage=("thirty two weeks", "late"))
    assert said(again, "reask_screen")
    reply = talk.say(YES)
    assert not said(reply, "screen_late_pregnancy") and said(reply, "remember_screening")
    assert not set(playing(talk.say(NO))) & ONLY_LATE


@pytest.mark.parametrize("routine", sorted(r for r in CATALOGUE.routines if r != "pregnancy"))
def test_a_late_stage_said_mid_routine_screens_and_plays_the_late_version(routine: str) -> None:
    _, talk = _coach()
    reply = talk.say("StartRoutineIntent", routine=(routine, routine))
    # A back routine named asks the back warning signs first: none, and not remembered.
    asked_consent = False
    for _ in range(3):
        question = (reply.attributes.get("pending") or {}).get("question", "")
        if not question.startswith(("screening", "remember")):
            break
        asked_consent = asked_consent or question == "remember"
        reply = talk.say(NO)
    reply = talk.say("PregnancyStageIntent", stage=("thirty weeks", "late"))
    assert said(reply, "screen_cleared"), reply.speech
    started = talk.say(YES)
    if not asked_consent:  # asked once: the first health answer asks it
        assert said(started, "remember_screening")
        started = talk.say(NO)
    assert not set(playing(started)) & ONLY_LATE
    assert session_person(started).ask_again == {}  # late holds until withdrawn


def test_a_bare_no_never_undoes_a_late_stage_said_in_the_session() -> None:
    _, talk = _coach()
    talk.say("StartRoutineIntent", routine=PREGNANCY)
    asked = talk.say(YES)
    assert said(asked, "screen_late_pregnancy")
    assert talk.attributes is not None
    # The stage heard earlier in this conversation, however the question came to be asked.
    talk.attributes["stage"] = {"stage": "late", "weeks": 30}
    started = talk.say(NO)
    assert said(started, "remember_screening")
    assert not set(playing(talk.say(NO))) & ONLY_LATE


def test_a_later_early_stage_never_makes_a_late_one_earlier() -> None:
    _, talk = _coach()
    talk.say("PregnancyStageIntent", stage=("thirty weeks", "late"))
    reply = talk.say("PregnancyStageIntent", stage=("twenty weeks", "early"))
    assert reply.attributes["stage"] == {"stage": "late", "weeks": 30}


def test_an_early_stage_with_a_number_answers_and_dates_the_answer() -> None:
    _, talk = _coach()
    talk.say("PregnancyStageIntent", stage=("twenty weeks", "early"))
    reply = talk.say(YES)
    assert not said(reply, "screen_late_pregnancy") and said(reply, "remember_screening")
    started = talk.say(NO)
    assert "pelvic_tilt" in playing(started)
    assert session_person(started).ask_again == {
        "pregnancy": (DAY + timedelta(weeks=8)).isoformat()
    }


def test_an_early_stage_without_a_number_still_asks() -> None:
    _, talk = _coach()
    talk.say("PregnancyStageIntent", stage=("a few months", "early"))
    assert said(talk.say(YES), "screen_late_pregnancy")  # "a few months" could be seven


def test_a_stage_said_in_an_earlier_session_is_forgotten() -> None:
    _, talk = _coach()
    reply = talk.say("PregnancyStageIntent", stage=("thirty weeks", "late"))
    assert reply.attributes["stage"]["stage"] == "late"
    talk.say("AMAZON.StopIntent")
    fresh = talk.launch()
    assert "stage" not in fresh.attributes


# --- F29: an early answer is asked again once the person could be late -------------------------


def test_an_early_answer_is_kept_with_the_day_to_ask_again_on_every_store(
    store: VersionedAdapter,
) -> None:
    skill = CoachSkill(Config(store_url="memory://"), store=store)
    talk = talk_to(skill)
    talk.launch()
    talk.say("StartRoutineIntent", routine=PREGNANCY)
    talk.say(YES)
    talk.say("PregnancyStageIntent", stage=("twenty weeks", "early"))
    talk.say(YES)  # remember it
    talk.say("AMAZON.StopIntent")
    due = (DAY + timedelta(weeks=8)).isoformat()
    assert stored(store)["ask_again"] == {"pregnancy": due}
    # The day before: carried on as it was, early version and all.
    before = on(talk_to(skill), DAY + timedelta(weeks=8, days=-1))
    assert said(before.launch(), "offer_resume", stretch="cat cow", routine="pregnancy routine")
    # On the day: asked again before anything else.
    later = on(talk_to(skill), DAY + timedelta(weeks=8))
    asked = later.launch()
    assert said(asked, "recheck_late_pregnancy") and not asked.ended
    reply = later.say(YES)
    assert said(reply, "advice_late_pregnancy")
    assert said(reply, "offer_resume", stretch="cat cow", routine="pregnancy routine")
    record = stored(store)
    assert record["ask_again"] == {}
    kept = Preferences.from_dict(record["screened"]["pregnancy"])
    assert late_in_pregnancy(kept, CATALOGUE)


def test_a_plain_no_asked_again_holds_a_few_weeks(store: VersionedAdapter) -> None:
    screened(store, late=False, ask_again="2026-11-01")
    skill = CoachSkill(Config(store_url="memory://"), store=store)
    talk = talk_to(skill)
    assert said(talk.launch(), "recheck_late_pregnancy")
    reply = talk.say(NO)
    assert said(reply, "welcome_back", suggestions="the seniors routine, the desk routine, or the "
                "daily ten")  # fmt: skip
    assert stored(store)["ask_again"] == {"pregnancy": (DAY + timedelta(days=28)).isoformat()}
    again = talk_to(skill)
    assert not said(again.launch(), "recheck_late_pregnancy")


def test_an_old_record_without_a_day_loads_and_is_asked_again(store: VersionedAdapter) -> None:
    screened(store, late=False)  # kept before answers were dated
    skill = CoachSkill(Config(store_url="memory://"), store=store)
    talk = talk_to(skill)
    assert said(talk.launch(), "recheck_late_pregnancy")
    talk.say("PregnancyStageIntent", stage=("thirty four weeks", "late"))
    assert "ask_again" in stored(store) and stored(store)["ask_again"] == {}


def test_a_late_answer_holds_until_withdrawn(store: VersionedAdapter) -> None:
    screened(store, late=True)
    skill = CoachSkill(Config(store_url="memory://"), store=store)
    talk = on(talk_to(skill), DAY + timedelta(days=390))
    assert said(talk.launch(), "welcome_back", suggestions="the desk routine, the daily ten, or "
                "the runners routine")  # fmt: skip


STALE_ROUTINES = sorted(r for r in CATALOGUE.routines if r != "pregnancy")


@pytest.mark.parametrize("routine", STALE_ROUTINES)
def test_a_stale_early_answer_is_asked_again_before_any_routine(routine: str) -> None:
    memory = MemoryAdapter()
    screened(memory, late=False, ask_again="2026-11-01")
    skill = CoachSkill(Config(store_url="memory://"), store=memory)
    talk = talk_to(skill)
    # Said in one go, with no launch: the question still comes first (after a back
    # routine's own warning signs, answered none).
    asked = talk.say("StartRoutineIntent", routine=(routine, routine))
    for _ in range(2):
        if said(asked, "recheck_late_pregnancy"):
            break
        asked = talk.say(NO)
    assert said(asked, "recheck_late_pregnancy"), asked.speech
    reply = talk.say(YES)
    try:
        compile_routine(CATALOGUE, CATALOGUE.routines[routine], EARLY.combined(LATE))
    except EmptyRoutineError:
        assert said(
            reply,
            "routine_left_out",
            routine=CATALOGUE.routines[routine].name,
            suggestions=offered(reply),
        )
        return
    person = session_person(reply)
    assert person.position is not None and person.position.routine == routine
    assert not set(playing(reply)) & ONLY_LATE


def test_a_stale_early_answer_plays_the_late_version_even_unasked() -> None:
    memory = MemoryAdapter()
    screened(memory, late=False, ask_again="2026-11-01", position={
        "v": 1, "routine": "daily_ten", "block": 0, "status": "paused", "item": 0,
        "stretch": None, "side": None, "set": 1})  # fmt: skip
    record = memory.read(KEY)
    assert record is not None and Person.from_attributes(record.data).pregnancy_expired(
        DAY, CATALOGUE
    )
    skill = CoachSkill(Config(store_url="memory://"), store=memory)
    # A resume said in one go (Alexa, tell stretch coach to resume) asks first as well.
    talk = talk_to(skill)
    asked = talk.say("AMAZON.ResumeIntent")
    assert said(asked, "recheck_late_pregnancy"), asked.speech
    played = talk.say(NO)
    assert session_person(played).position is not None
    assert session_person(played).ask_again == {"pregnancy": "2026-12-19"}
    assert set(playing(played)) & ONLY_LATE  # the daily ten has lying stretches, once early


def past_the_back_questions(talk: Conversation, reply: Reply) -> Reply:
    """A stretch only a back routine has asks its warning signs first: none, none, not kept.

    The consent question comes only when nothing was answered before it.
    """
    while (reply.attributes.get("pending") or {}).get("question") in (
        "screening_symptom",
        "remember",
    ):
        reply = talk.say("AMAZON.NoIntent")
    return reply


@pytest.mark.parametrize("stretch", sorted(ONLY_LATE & set(LATE.excluded)))
def test_until_it_is_answered_again_a_stale_early_answer_plays_as_late(stretch: str) -> None:
    # A stretch on its own is not asked about first: the late version still holds it back.
    memory = MemoryAdapter()
    screened(memory, late=False, ask_again="2026-11-01")
    talk = talk_to(CoachSkill(Config(store_url="memory://"), store=memory))
    reply = past_the_back_questions(
        talk, talk.say("SingleStretchIntent", stretch=(stretch, stretch))
    )
    fresh = MemoryAdapter()
    screened(fresh, late=False, ask_again="2026-11-22")  # not yet stale: it plays
    talk = talk_to(CoachSkill(Config(store_url="memory://"), store=fresh))
    played = past_the_back_questions(
        talk, talk.say("SingleStretchIntent", stretch=(stretch, stretch))
    )
    assert played.attributes["single"] and reply.speech != played.speech
    try:  # the compiler plays an easier version of one left out, where there is one
        plays = compile_routine(
            CATALOGUE, single_routine(CATALOGUE.stretches[stretch]), EARLY.combined(LATE)
        ).stretches
    except EmptyRoutineError:
        plays = ()
    assert stretch not in plays
    if plays:
        assert f"{CATALOGUE.stretches[plays[0]].name}. ".lower() in reply.speech.lower()
    else:
        assert said(
            reply,
            "routine_left_out",
            routine=CATALOGUE.stretches[stretch].name,
            suggestions=offered(reply),
        ), reply.speech


@pytest.mark.parametrize(("ask_again", "lying"), [(None, False), ("2000-01-01", False),
                                                 ("2999-01-01", True)])  # fmt: skip
def test_on_a_laptop_a_stale_early_answer_plays_as_late(ask_again: str | None, lying: bool) -> None:
    from skill.local.play import LocalPlay

    local = LocalPlay(MemoryAdapter(), "someone", io.StringIO())
    local.person = Person(
        screened={"pregnancy": EARLY},
        ask_again={"pregnancy": ask_again} if ask_again else {},
    )
    chosen = local.preferences(Preferences(), catalogue=CATALOGUE)
    played = compile_routine(CATALOGUE, CATALOGUE.routines["pregnancy"], chosen).stretches
    assert ("pelvic_tilt" in played) is lying


def test_without_consent_the_day_stays_in_the_session(store: VersionedAdapter) -> None:
    skill = CoachSkill(Config(store_url="memory://"), store=store)
    talk = talk_to(skill)
    talk.launch()
    talk.say("StartRoutineIntent", routine=PREGNANCY)
    talk.say(YES)
    talk.say(NO)
    reply = talk.say(NO)  # this session only
    assert session_person(reply).ask_again == {"pregnancy": "2026-12-19"}
    assert stored(store)["ask_again"] == {} and stored(store)["screened"] == {}


def test_a_forged_day_in_the_session_sends_the_skill_to_the_store() -> None:
    attributes = Person(ask_again={"pregnancy": "2026-12-19"}).to_attributes()
    assert Person.from_session(attributes) is not None
    for forged in ("someday", 20261219, "2026-13-45", None):
        damaged = {**attributes, "ask_again": {"pregnancy": forged}}
        assert Person.from_session(damaged) is None, forged


# --- F24: ending the screening, putting stretches back, routines that can play ---------------


def _late_and_kept(store: VersionedAdapter) -> tuple[CoachSkill, Conversation]:
    skill = CoachSkill(Config(store_url="memory://"), store=store)
    talk = talk_to(skill)
    talk.launch()
    talk.say("StartRoutineIntent", routine=PREGNANCY)
    talk.say(YES)
    talk.say(YES)
    talk.say(YES)  # remember it
    talk.say("AMAZON.StopIntent")
    return skill, talk_to(skill)


def test_no_longer_pregnant_ends_the_screening_after_a_yes(store: VersionedAdapter) -> None:
    _, talk = _late_and_kept(store)
    talk.launch()
    talk.say(NO)
    back = talk.say("IncludeStretchIntent", stretch=("knee to chest", "knee_to_chest"))
    assert said(back, "screened_out_pregnancy", stretch="knee to chest", current="cat cow")
    assert not said(back, "not_excluded", stretch="Knee to chest", current="cat cow")
    asked = talk.say("NotPregnantIntent")
    assert said(asked, "end_pregnancy_confirm") and not asked.ended
    assert stored(store)["screened"]  # nothing deleted before the yes
    done = talk.say(YES)
    assert said(done, "pregnancy_ended", current="cat cow")
    record = stored(store)
    assert record["screened"] == {} and record["ask_again"] == {}
    assert said(talk.say("IncludeStretchIntent", stretch=("knee to chest", "knee_to_chest")),
                "not_excluded", stretch="Knee to chest", current="cat cow")  # fmt: skip
    seniors = talk.say("StartRoutineIntent", routine=("seniors routine", "seniors"))
    assert session_person(seniors).position.routine == "seniors"  # type: ignore[union-attr]


@pytest.mark.parametrize("answer", [NO, "KeepIntent"])
def test_no_keeps_the_screening(store: VersionedAdapter, answer: str) -> None:
    _, talk = _late_and_kept(store)
    talk.launch()
    talk.say("NotPregnantIntent")
    kept = talk.say(answer)
    assert said(kept, "pregnancy_kept", current="cat cow")
    assert stored(store)["screened"]["pregnancy"] == LATE.to_dict()


@pytest.mark.parametrize("answer", ["ReadyIntent", "AMAZON.NextIntent", "AMAZON.FallbackIntent"])
def test_only_a_plain_yes_ends_the_screening(answer: str) -> None:
    memory = MemoryAdapter()
    _, talk = _late_and_kept(memory)
    talk.launch()
    talk.say("NotPregnantIntent")
    again = talk.say(answer)
    assert said(again, "end_pregnancy_reprompt") and memory.read(KEY).data["screened"]  # type: ignore[union-attr]


def test_no_longer_pregnant_at_the_question_asked_again_ends_it() -> None:
    memory = MemoryAdapter()
    screened(memory, late=False, ask_again="2026-11-01")
    talk = talk_to(CoachSkill(Config(store_url="memory://"), store=memory))
    assert said(talk.launch(), "recheck_late_pregnancy")
    assert said(talk.say("NotPregnantIntent"), "end_pregnancy_confirm")
    assert said(talk.say(YES), "pregnancy_ended_idle", suggestions="the seniors routine, "
                "the desk routine, or the daily ten")  # fmt: skip
    assert memory.read(KEY).data["screened"] == {}  # type: ignore[union-attr]


def test_no_longer_pregnant_with_nothing_screened_asks_nothing() -> None:
    _, talk = _coach()
    reply = talk.say("NotPregnantIntent")
    assert said(reply, "pregnancy_none_idle", suggestions="the seniors routine, the desk "
                "routine, or the daily ten")  # fmt: skip


@pytest.mark.parametrize("stretch", sorted(LATE.excluded | set(LATE.substitute_map)))
def test_put_back_tells_the_truth_about_every_stretch_the_late_screening_leaves_out(
    stretch: str,
) -> None:
    memory = MemoryAdapter()
    screened(memory, late=True)
    talk = talk_to(CoachSkill(Config(store_url="memory://"), store=memory))
    talk.launch()
    # Also left out by the person: taken off their list, but still out for safety.
    talk.say("ExcludeStretchIntent", stretch=(stretch, stretch))
    reply = talk.say("IncludeStretchIntent", stretch=(stretch, stretch))
    name = CATALOGUE.stretches[stretch].name
    assert said(reply, "screened_out_pregnancy_idle", stretch=name, suggestions=offered(reply)), (
        reply.speech
    )
    assert stretch not in session_person(reply).preferences.excluded


def test_put_back_tells_the_truth_about_the_back_screening() -> None:
    memory = MemoryAdapter()
    back = consequence(BACK.answer("leg_extension", False), CATALOGUE)  # type: ignore[arg-type]
    memory.write(KEY, {"welcomed": True, "consent": True, "screened": {"back": back.to_dict()}})
    talk = talk_to(CoachSkill(Config(store_url="memory://"), store=memory))
    talk.launch()
    stretch = sorted(back.excluded)[0]
    reply = talk.say("IncludeStretchIntent", stretch=(stretch, stretch))
    name = CATALOGUE.stretches[stretch].name
    assert said(reply, "screened_out_back_idle", stretch=name, suggestions=offered(reply)), (
        reply.speech
    )


def _playable(routine: str, preferences: Preferences) -> bool:
    try:
        compile_routine(CATALOGUE, CATALOGUE.routines[routine], preferences)
    except EmptyRoutineError:
        return False
    return True


def _suggested(speech: str) -> list[str]:
    tail = speech.split("You could try ")[-1].split("?")[0].rstrip(".")
    names = tail.replace(", or ", ", ").split(", ")
    by_name = {f"the {r.name}": r.id for r in CATALOGUE.routines.values()}
    return [by_name[n] for n in names]


@pytest.mark.parametrize("routine", sorted(CATALOGUE.routines))
def test_only_routines_that_can_play_are_suggested(routine: str) -> None:
    memory = MemoryAdapter()
    screened(memory, late=True)
    talk = talk_to(CoachSkill(Config(store_url="memory://"), store=memory))
    talk.launch()
    reply = talk.say("StartRoutineIntent", routine=(routine, routine))
    if routine == "pregnancy" or _playable(routine, LATE):
        return  # it plays (or asks its screening): nothing to suggest instead
    name = CATALOGUE.routines[routine].name
    assert said(reply, "routine_left_out", routine=name, suggestions=offered(reply))
    names = _suggested(reply.speech)
    assert len(names) == 3 and routine not in names
    assert all(_playable(r, LATE) for r in names), names
