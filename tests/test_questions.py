"""Every question the coach asks, against every kind of answer, through the real skill."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from skill.alexa.answers import ACTIONS
from skill.alexa.prompts import prompts_for
from skill.alexa.questions import ASKED_BY, QUESTIONS, Act, Answer, answer_of
from skill.engine.cursor import Cursor
from tests.alexa import Conversation, Reply
from tests.test_skill import Coach, said, welcomed

PROMPTS = prompts_for("en-US")
YES, NO = "AMAZON.YesIntent", "AMAZON.NoIntent"

# One request for each kind of answer, as Alexa would send it (slots resolved).
ANSWERS: dict[Answer, tuple[str, dict[str, Any]]] = {
    Answer.YES: (YES, {}),
    Answer.NO: (NO, {}),
    Answer.NOT_YET: ("NotYetIntent", {}),
    Answer.READY: ("ReadyIntent", {}),
    Answer.WELL: ("WellIntent", {}),
    Answer.KEEP: ("KeepIntent", {}),
    Answer.EITHER: ("EitherIntent", {}),
    Answer.FOR_NOW: ("ForNowIntent", {}),
    Answer.ADVICE: ("WhichRoutineIntent", {}),
    Answer.ROUTINE: ("StartRoutineIntent", {"routine": ("desk routine", "desk")}),
    Answer.SITUATION: ("SituationIntent", {"situation": ("a runner", "runner")}),
    Answer.STRETCH: ("SingleStretchIntent", {"stretch": ("cat cow", "cat_cow")}),
    Answer.SIDE: ("SideIntent", {"side": ("other", "other")}),
    Answer.SEVERE: ("PainKindIntent", {"painKind": ("shooting", "shooting")}),
    Answer.NUMB: ("PainKindIntent", {"painKind": ("my leg feels weak", "numb")}),
    Answer.MILD: ("PainKindIntent", {"painKind": ("just stretchy", "stretchy")}),
    Answer.HEDGE: ("PainKindIntent", {"painKind": ("a bit", "hedge")}),
    Answer.MAYBE: ("MaybeIntent", {}),
    Answer.UNKEPT: ("ForgetPregnancyIntent", {}),
    Answer.EMERGENCY: ("PainKindIntent", {"painKind": ("call an ambulance", "emergency")}),
    Answer.UNWELL: ("PainKindIntent", {"painKind": ("i feel dizzy", "unwell")}),
    Answer.LATE: ("PregnancyStageIntent", {"stage": ("thirty four weeks", "late")}),
    Answer.EARLY: ("PregnancyStageIntent", {"stage": ("second trimester", "early")}),
    Answer.NOT_PREGNANT: ("NotPregnantIntent", {}),
    Answer.NEXT: ("AMAZON.NextIntent", {}),
    Answer.PREVIOUS: ("AMAZON.PreviousIntent", {}),
    Answer.REPEAT: ("AMAZON.RepeatIntent", {}),
    Answer.PARDON: ("PardonIntent", {}),
    Answer.SKIP: ("SkipIntent", {}),
    Answer.START_OVER: ("AMAZON.StartOverIntent", {}),
    Answer.PAUSE: ("AMAZON.PauseIntent", {}),
    Answer.RESUME: ("AMAZON.ResumeIntent", {}),
    Answer.STOP: ("AMAZON.StopIntent", {}),
    Answer.PAIN: ("PainIntent", {"bodyPart": ("knee", "knee")}),
    Answer.EASIER: ("EasierIntent", {}),
    Answer.HARDER: ("HarderIntent", {}),
    Answer.HELP: ("AMAZON.HelpIntent", {}),
    Answer.LIST: ("ListRoutinesIntent", {}),
    Answer.FORGET: ("ForgetIntent", {}),
    Answer.UNCLEAR: ("AMAZON.FallbackIntent", {}),
    Answer.OTHER: ("HistoryIntent", {}),
}


def _ids(slots: dict[str, Any]) -> dict[str, str | None]:
    return {name: value[1] for name, value in slots.items()}


def test_every_answer_kind_has_a_request_that_gives_it() -> None:
    for answer, (intent, slots) in ANSWERS.items():
        assert answer_of(intent, _ids(slots)) is answer
    assert set(ANSWERS) == set(Answer)


def test_every_act_has_an_action() -> None:
    assert set(ACTIONS) == set(Act) - {Act.PASS}


def test_every_prompt_that_asks_something_names_its_question() -> None:
    reprompts = {question.reprompt for question in QUESTIONS.values()}
    # The one catch-all error answer is spoken without a session it could trust.
    outside = {"error"}
    for key, variants in PROMPTS.catalogue.items():
        if any(v.rstrip().endswith("?") for v in variants) and key not in outside:
            assert key in ASKED_BY or key in reprompts, f"{key} asks a question no table answers"
    for key in [*ASKED_BY, *reprompts]:
        assert key in PROMPTS.catalogue, key


def test_every_reprompt_asks_its_question_again() -> None:
    for question in QUESTIONS.values():
        for variant in PROMPTS.catalogue[question.reprompt]:
            assert "?" in variant or variant.endswith("{question}"), question.name


# --- getting to each question, the way a person would -------------------------------------


def _start(talk: Conversation, *then: str) -> Reply:
    reply = talk.say("StartRoutineIntent", routine=("seniors routine", "seniors"))
    for intent in then:
        reply = talk.say(intent)
    return reply


def _resume_offer(coach: Coach, talk: Conversation) -> Reply:
    _start(talk, "AMAZON.StopIntent")
    return talk.launch()


def _at_end(coach: Coach, talk: Conversation) -> Reply:
    reply = _start(talk)
    while not reply.ended:
        reply = talk.say("AMAZON.NextIntent")
    return talk.say("AMAZON.NextIntent")  # a new session, one request past the end


def _recommend(coach: Coach, talk: Conversation) -> Reply:
    talk.say("WhichRoutineIntent")
    talk.say(NO)
    talk.say(YES)
    talk.say(NO)
    return talk.say(NO)  # remember the answers? no: this session only


REACH: dict[str, Callable[[Coach, Conversation], Reply]] = {
    "ready_next": lambda coach, talk: _start(talk),
    "go_on": lambda coach, talk: _start(talk, "WhatsNextIntent"),
    "repeat_offer": lambda coach, talk: _start(talk, "TimeLeftIntent"),
    "resume_offer": _resume_offer,
    "paused": lambda coach, talk: _start(talk, "AMAZON.PauseIntent"),
    "choose_routine": lambda coach, talk: talk.launch(),
    "describe_which": lambda coach, talk: talk.say("DescribeStretchIntent"),
    "pain_kind": lambda coach, talk: _start(talk, "AMAZON.NextIntent", "PainIntent"),
    # Mild pain asks, the first time, whether to remember it: yes, then the choice.
    "pain_choice": lambda coach, talk: _start(talk, "AMAZON.NextIntent", "PainIntent", NO, YES),
    "screening": lambda coach, talk: talk.say(
        "StartRoutineIntent", routine=("pregnancy routine", "pregnancy")
    ),
    "screening_late": lambda coach, talk: (
        talk.say("StartRoutineIntent", routine=("pregnancy routine", "pregnancy")),
        talk.say(YES),  # cleared by the doctor or midwife: how far along, next
    )[-1],
    "screening_symptom": lambda coach, talk: talk.say("WhichRoutineIntent"),
    "recommend": _recommend,
    "at_end": _at_end,
    # A screening that concludes asks the consent question (nothing was decided yet).
    "remember": lambda coach, talk: (
        talk.say("StartRoutineIntent", routine=("pregnancy routine", "pregnancy")),
        talk.say(YES),
        talk.say(NO),
    )[-1],
    "forget": lambda coach, talk: _start(talk, "ForgetIntent"),
    # Ending a pregnancy screening asks first: screened early, for this session only.
    "end_pregnancy": lambda coach, talk: (
        talk.say("StartRoutineIntent", routine=("pregnancy routine", "pregnancy")),
        talk.say(YES),
        talk.say(NO),
        talk.say(NO),
        talk.say("NotPregnantIntent"),
    )[-1],
    # The first mild pain asks whether to remember it, before the pain choice.
    "remember_pain": lambda coach, talk: _start(talk, "AMAZON.NextIntent", "PainIntent", NO),
}


def test_every_question_can_be_reached() -> None:
    assert set(REACH) == set(QUESTIONS)


def pending(reply: Reply) -> dict[str, Any] | None:
    value = reply.attributes.get("pending")
    return value if isinstance(value, dict) else None


def place(reply: Reply) -> Cursor | None:
    single = reply.attributes.get("single")
    if single:
        return Cursor.from_dict(single)
    person = reply.attributes.get("person") or {}
    return Cursor.from_dict(person["position"]) if person.get("position") else None


CASES = [(q, a) for q in QUESTIONS for a in Answer]


@pytest.mark.parametrize(("question", "answer"), CASES, ids=[f"{q}-{a}" for q, a in CASES])
def test_every_question_against_every_kind_of_answer(question: str, answer: Answer) -> None:
    coach = Coach()
    talk = welcomed(coach)
    asked = REACH[question](coach, talk)
    waiting = pending(asked)
    assert waiting is not None and waiting["question"] == question, asked.speech
    before = place(asked)
    pains = [p["counts"].get("pain", 0) for p in coach.stored()]
    intent, slots = ANSWERS[answer]
    reply = talk.say(intent, **slots)
    act = QUESTIONS[question].act(answer)
    after = place(reply)
    if act is Act.REASK:
        preface = "reask" if answer is Answer.UNCLEAR else QUESTIONS[question].unfit
        assert said(reply, preface), reply.speech
        assert said(reply, QUESTIONS[question].reprompt), reply.speech
        assert pending(reply) == waiting
        assert not reply.ended
        return
    assert not said(reply, "reask") and not said(reply, QUESTIONS[question].unfit), reply.speech
    assert "something went wrong" not in reply.speech
    if act is Act.PASS:
        return
    if act is Act.AGAIN:  # "what?": the same question, nothing moved, nothing said first
        assert reply.speech.startswith(PROMPTS.catalogue[QUESTIONS[question].reprompt][0][:12])
        assert pending(reply) == waiting and after == before and not reply.ended
        return
    assert before is None or after is not None or act in (Act.FORGET, Act.EMERGENCY)
    if act is Act.NEXT:
        assert before is not None and after is not None
        assert after.block == before.block + 1
    elif act in (Act.REPEAT, Act.START_OVER):
        assert after is not None
        assert after.block == (before.block if act is Act.REPEAT and before else 0)
    elif act is Act.SKIP:
        assert before is not None and after is not None
        assert after.block > before.block and after.stretch != before.stretch
    elif act is Act.RESUME:
        assert after is not None and after.status.value == "playing"
    elif act is Act.WAIT:
        assert said(reply, "waiting") and after == before
        assert pending(reply) == {"question": "ready_next", "about": None}
    elif act is Act.STOP:
        assert reply.ended
    elif act is Act.PAIN_STOP:
        # Before any routine has started there is no place to promise.
        assert said(reply, "pain_stop") or said(reply, "pain_stop_unsaved"), reply.speech
        assert reply.ended
    elif act is Act.PAIN_CHOICE:
        # The first mild pain asks whether to remember it before offering the choice.
        keys = ("pain_choice", "pain_choice_no_easier", "remember_pain")
        assert any(said(reply, key) for key in keys), reply.speech
    elif act is Act.EASIER:
        assert said(reply, "adjusted_easier") or said(reply, "no_easier")
    elif act in (Act.START_ROUTINE, Act.SITUATION):
        assert after is not None and after.routine == {"routine": "desk"}.get(
            "routine" if act is Act.START_ROUTINE else "", "runners"
        )
    elif act is Act.SINGLE:
        assert after is not None and after.routine == "just:cat_cow"
    elif act is Act.CHOOSE:
        assert said(reply, "no_problem")
    elif act in (Act.SCREEN_YES, Act.SCREEN_NO):
        assert pending(reply) != waiting or reply.ended
    elif act is Act.REFER:
        assert said(reply, "advice_warning") and reply.ended, reply.speech
    elif act is Act.EMERGENCY:
        # Help now, and no routine offered next time: the place is let go.
        assert said(reply, "emergency") and reply.ended, reply.speech
        assert all(p["position"] is None for p in coach.stored())
    elif act is Act.UNWELL:
        # Stopped until it passes, the place kept where it was, and nothing of it stored.
        assert said(reply, "unwell") or said(reply, "unwell_unsaved"), reply.speech
        assert reply.ended
        assert before is None or (after is not None and after.block == before.block)
        assert [p["counts"].get("pain", 0) for p in coach.stored()] == pains
    elif act is Act.START_RECOMMENDED:
        assert after is not None and after.routine == "extension_responders"
    elif act is Act.DESCRIBE:
        assert "cat cow" in reply.speech.lower()
    elif act in (Act.REMEMBER, Act.SESSION_ONLY):
        # Consent is kept either way, and the flow goes on where it was going.
        assert reply.attributes["person"]["consent"] is (act is Act.REMEMBER)
        assert [p["consent"] for p in coach.stored()] == [act is Act.REMEMBER]
        if question == "remember_pain":  # on to the pain choice; the count kept on a yes
            assert any(said(reply, k) for k in ("pain_choice", "pain_choice_no_easier"))
            counts = [p["counts"].get("pain", 0) for p in coach.stored()]
            assert counts == [1 if act is Act.REMEMBER else 0] and not reply.ended
            return
        health = [bool(p["screened"]) for p in coach.stored()]
        assert health == [act is Act.REMEMBER]
        assert after is not None and after.routine == "pregnancy" and not reply.ended
    elif act is Act.FORGET:
        assert said(reply, "forgotten") and reply.ended and coach.stored() == []
    elif act is Act.KEEP:
        assert said(reply, "kept") and len(coach.stored()) == 1
    elif act in (Act.END_PREGNANCY, Act.KEEP_PREGNANCY):
        ended = act is Act.END_PREGNANCY
        assert said(reply, "pregnancy_ended" if ended else "pregnancy_kept"), reply.speech
        assert ("pregnancy" in reply.attributes["person"]["screened"]) is not ended
        assert after == before and not reply.ended
    else:  # pragma: no cover - a new act needs its own check here
        pytest.fail(f"no check for {act}")


# Pain reports as Alexa may fill them, whose own words name a warning sign: a body part it
# resolved or not, and a kind of pain its list does not hold.
HEARD_SIGNS: list[tuple[str, dict[str, Any], str]] = [
    ("PainIntent", {"bodyPart": "chest"}, "emergency"),
    ("PainIntent", {"bodyPart": ("chest", None)}, "emergency"),
    ("PainIntent", {"bodyPart": ("heart", None)}, "emergency"),
    ("PainIntent", {"bodyPart": ("bump", None)}, "emergency"),
    ("PainIntent", {"bodyPart": ("jaw", None)}, "emergency"),
    ("PainIntent", {"bodyPart": ("head", None)}, "unwell"),
    ("PainKindIntent", {"painKind": ("heavy chest", None)}, "emergency"),
    ("PainKindIntent", {"painKind": ("pounding headache", None)}, "emergency"),
    ("PainKindIntent", {"painKind": ("my waters have gone", None)}, "emergency"),
    # Resolved to a kind of pain, but said with the chest: the chest decides.
    ("PainKindIntent", {"painKind": ("sharp pain in my chest", "sharp")}, "emergency"),
    ("PainKindIntent", {"painKind": ("breathless", None)}, "unwell"),
]
SIGN_CASES = [(q, n) for q in QUESTIONS for n in range(len(HEARD_SIGNS))]


@pytest.mark.parametrize(("question", "n"), SIGN_CASES, ids=[f"{q}-{n}" for q, n in SIGN_CASES])
def test_a_warning_sign_in_a_pain_reports_own_words_is_heard_at_every_question(
    question: str, n: int
) -> None:
    intent, slots, advice = HEARD_SIGNS[n]
    reply = _waiting_at(question).say(intent, **slots)
    assert said(reply, advice) or said(reply, f"{advice}_unsaved"), (question, reply.speech)
    assert reply.ended


def _waiting_at(question: str | None) -> Conversation:
    """A person the coach has just asked this question (None: mid-routine, none asked)."""
    coach = Coach()
    talk = welcomed(coach)
    if question is None:
        _start(talk)
    else:
        REACH[question](coach, talk)
    return talk


@pytest.mark.parametrize("question", [None, *QUESTIONS])
def test_a_kind_of_pain_no_list_holds_is_still_pain(question: str | None) -> None:
    reply = _waiting_at(question).say(
        "PainKindIntent", painKind=("a weird throbby sort of thing", None)
    )
    expected = _waiting_at(question).say("PainIntent")
    assert reply.speech == expected.speech and reply.ended == expected.ended, question
