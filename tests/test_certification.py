"""Amazon's functional certification tests, each as a transcript through the real lambda_handler."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from skill.alexa import app
from skill.alexa.prompts import prompts_for
from skill.alexa.questions import QUESTIONS
from tests.alexa import Conversation, Reply
from tests.test_questions import REACH
from tests.test_skill import Coach, said

PROMPTS = prompts_for("en-US")
SENIORS = ("seniors routine", "seniors")
SUGGESTIONS = "the seniors routine, the desk routine, or the daily ten"
REASONS = ("USER_INITIATED", "ERROR", "EXCEEDED_MAX_REPROMPTS")


@pytest.fixture
def talk(monkeypatch: pytest.MonkeyPatch) -> Conversation:
    """A person talking to the Lambda entry point, as Alexa would call it."""
    monkeypatch.setenv("STRETCH_COACH_STORE", "memory://")
    monkeypatch.delenv("SKILL_ID", raising=False)
    monkeypatch.setattr(app, "_skill", None)
    # Every reply is checked by Conversation: SSML well formed, and an open session
    # carries a reprompt and ends with a question.
    return Conversation(lambda event: app.lambda_handler(event, None))


def open_and_asking(reply: Reply) -> None:
    """Open, with a reprompt, and a question in its last two sentences (as Alexa asks)."""
    tail = " ".join(re.split(r"(?<=[.?!])\s+", reply.speech)[-2:])
    assert not reply.ended and reply.reprompt and "?" in tail, reply.speech


def test_launch_welcomes_and_asks(talk: Conversation) -> None:
    first = talk.launch()
    assert said(first, "welcome_first", suggestions=SUGGESTIONS)
    open_and_asking(first)
    talk.say("AMAZON.StopIntent")
    again = talk.launch()
    assert said(again, "welcome_back", suggestions=SUGGESTIONS)
    open_and_asking(again)


def test_a_first_use_one_shot_still_hears_the_disclaimer(talk: Conversation) -> None:
    reply = talk.say("StartRoutineIntent", routine=SENIORS)  # "ask stretch coach to start ..."
    assert reply.speech.startswith(PROMPTS.say("disclaimer"))
    assert "Lying butterfly" in reply.speech and not reply.ended
    # Heard once: the next one-shot goes straight to what was asked.
    talk.say("AMAZON.StopIntent")
    again = talk.say("ListRoutinesIntent")
    assert not said(again, "disclaimer") and "routines" in again.speech
    open_and_asking(again)


@pytest.mark.parametrize("where", ["one-shot", "after launch", "in a routine"])
def test_help_ends_with_a_question(talk: Conversation, where: str) -> None:
    if where == "after launch":
        talk.launch()
    elif where == "in a routine":
        talk.launch()
        talk.say("StartRoutineIntent", routine=SENIORS)
    reply = talk.say("AMAZON.HelpIntent")
    open_and_asking(reply)
    assert said(reply, "help_routine" if where == "in a routine" else "help_idle",
                routine="seniors routine", stretch="lying butterfly")  # fmt: skip


@pytest.mark.parametrize("intent", ["AMAZON.StopIntent", "AMAZON.CancelIntent"])
@pytest.mark.parametrize("question", [*QUESTIONS, "one-shot"])
def test_stop_and_cancel_end_the_session_whatever_was_asked(
    talk: Conversation, intent: str, question: str
) -> None:
    reach: Callable[[Coach, Conversation], Reply] | None = REACH.get(question)
    if reach is not None:
        talk.launch()
        reach(Coach(), talk)
    reply = talk.say(intent)
    assert reply.ended and reply.speech and not reply.reprompt


@pytest.mark.parametrize("where", ["after launch", "in a routine", "one-shot"])
def test_fallback_says_what_works_and_asks_again(talk: Conversation, where: str) -> None:
    if where != "one-shot":
        talk.launch()
    if where == "in a routine":
        talk.say("StartRoutineIntent", routine=SENIORS)
    reply = talk.say("AMAZON.FallbackIntent")
    open_and_asking(reply)
    assert "something went wrong" not in reply.speech


@pytest.mark.parametrize("returning", [False, True], ids=["first use", "returning"])
def test_yes_and_no_out_of_context(talk: Conversation, returning: bool) -> None:
    if returning:
        talk.launch()
        talk.say("AMAZON.StopIntent")
    yes = talk.say("AMAZON.YesIntent")  # a new session: nothing was asked
    assert said(yes, "disclaimer") is not returning
    open_and_asking(yes)
    talk.say("AMAZON.StopIntent")
    no = talk.say("AMAZON.NoIntent")
    assert no.ended and no.speech and "something went wrong" not in no.speech


@pytest.mark.parametrize("reason", REASONS)
@pytest.mark.parametrize("where", ["after launch", "in a routine", "at a question"])
def test_session_ended_for_every_reason_gets_no_speech(
    talk: Conversation, reason: str, where: str
) -> None:
    talk.launch()
    if where == "in a routine":
        talk.say("StartRoutineIntent", routine=SENIORS)
    elif where == "at a question":
        talk.say("WhichRoutineIntent")
    reply = talk.end(reason)
    response = reply.response
    assert not {"outputSpeech", "reprompt", "directives"} & set(response), response
    # The next visit is served normally.
    open_and_asking(talk.launch())
