"""Answers to the question the coach is waiting on: the question table decides what they do."""

from __future__ import annotations

from collections.abc import Callable

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils.request_util import get_request_type
from ask_sdk_model.intent_request import IntentRequest
from ask_sdk_model.response import Response

from skill.alexa.coaching import (
    adjust,
    consent_answer,
    emergency,
    mild_pain,
    pain_stop,
    refer,
    screening_answer,
    unwell,
)
from skill.alexa.handlers import (
    Handler,
    choose,
    describe_stretch,
    forget,
    go,
    slot_ids,
    start_or_screen,
    start_routine,
    start_single,
    start_situation,
    stop,
)
from skill.alexa.pregnancy import end_pregnancy, keep_pregnancy
from skill.alexa.questions import QUESTIONS, Act, Answer, Pending, answer_of
from skill.alexa.turn import Services, Turn, pending_of
from skill.engine.blocks import upcoming
from skill.engine.cursor import Move, progress
from skill.engine.screening import SCREENINGS


def _waiting(handler_input: HandlerInput) -> tuple[Pending, Act, Answer] | None:
    """The question waiting and what this request does to it, unless it goes its own way."""
    if get_request_type(handler_input) != "IntentRequest":
        return None
    pending = pending_of(handler_input)
    if pending is None:
        return None
    request = handler_input.request_envelope.request
    assert isinstance(request, IntentRequest)
    name = request.intent.name if request.intent else ""
    slots = slot_ids(handler_input)
    answer = answer_of(name or "", slots)
    act = QUESTIONS[pending.question].act(answer)
    return None if act is Act.PASS else (pending, act, answer)


class AnswerHandler(Handler):
    """An answer to the question the coach asked: yes, no, or the question's own words."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return _waiting(handler_input) is not None

    def answer(self, turn: Turn) -> Response:
        waiting = _waiting(turn.input)
        assert waiting is not None
        pending, act, answer = waiting
        if act is Act.REASK:
            return reask(turn, pending, understood=answer is not Answer.UNCLEAR)
        return ACTIONS[act](turn, pending)


def _move(what: Move) -> Callable[[Turn, Pending], Response]:
    return lambda turn, pending: go(turn, what)


def _wait(turn: Turn, pending: Pending) -> Response:
    """Not yet: keep the place, and say how to go on when ready."""
    active = turn.active()
    if active is None:
        return choose(turn)
    script, cursor = active
    # What "next" plays, named as the block's own prompt names it: "set two", not the
    # stretch after all the sets.
    last = script.block_steps(script.blocks[cursor.block])[-1]
    later = [s for b in script.blocks[cursor.block + 1 : cursor.block + 2] for s in
             script.block_steps(b)]  # fmt: skip
    following = next((s for s in later if s.item is not None), None)
    what = upcoming(last, following) if later else "the finish"
    return turn.ask("waiting", next=what or f"the rest of {progress(script, cursor).name}")


def _start_routine(turn: Turn, pending: Pending) -> Response:
    routine = turn.catalogue.routines.get(slot_ids(turn.input).get("routine") or "")
    return start_or_screen(turn, routine) if routine else choose(turn)


def _situation(turn: Turn, pending: Pending) -> Response:
    return start_situation(turn, slot_ids(turn.input).get("situation"))


def _single(turn: Turn, pending: Pending) -> Response:
    stretch = turn.catalogue.stretches.get(slot_ids(turn.input).get("stretch") or "")
    return start_single(turn, stretch) if stretch else choose(turn, "unknown_single")


def _recommended(turn: Turn, pending: Pending) -> Response:
    routine = turn.catalogue.routines.get(pending.about or "")
    return start_routine(turn, routine) if routine else choose(turn)


def reask(
    turn: Turn, pending: Pending, *, understood: bool = False, plain: bool = False
) -> Response:
    """Ask the same question again; a screening question is said again in full."""
    values: dict[str, object] = {}
    if pending.question.startswith("screening"):
        name, _, question = (pending.about or "").partition(":")
        question = question.partition(":")[0]  # "late:launch:": where it goes after, too
        screening = SCREENINGS.get(name)
        if screening is None or question not in screening.questions:
            return choose(turn)
        values["question"] = turn.prompts.say(screening.questions[question].prompt)
    return turn.reask(pending, understood=understood, plain=plain, **values)


def _describe(turn: Turn, pending: Pending) -> Response:
    return describe_stretch(turn, slot_ids(turn.input).get("stretch"), None)


ACTIONS: dict[Act, Callable[[Turn, Pending], Response]] = {
    Act.NEXT: _move(Move.NEXT),
    Act.REPEAT: _move(Move.REPEAT),
    Act.SKIP: _move(Move.SKIP),
    Act.START_OVER: _move(Move.START_OVER),
    Act.RESUME: _move(Move.RESUME),
    Act.WAIT: _wait,
    Act.AGAIN: lambda turn, pending: reask(turn, pending, plain=True),
    Act.STOP: lambda turn, pending: stop(turn),
    Act.PAIN_STOP: lambda turn, pending: pain_stop(turn),
    Act.PAIN_CHOICE: lambda turn, pending: mild_pain(turn),
    Act.EASIER: lambda turn, pending: adjust(turn, "EasierIntent"),
    Act.START_ROUTINE: _start_routine,
    Act.SITUATION: _situation,
    Act.SINGLE: _single,
    Act.CHOOSE: lambda turn, pending: choose(turn, "no_problem"),
    Act.SCREEN_YES: lambda turn, pending: screening_answer(turn, yes=True),
    Act.SCREEN_NO: lambda turn, pending: screening_answer(turn, yes=False),
    Act.REFER: lambda turn, pending: refer(turn),
    Act.EMERGENCY: lambda turn, pending: emergency(turn),
    Act.UNWELL: lambda turn, pending: unwell(turn),
    Act.START_RECOMMENDED: _recommended,
    Act.DESCRIBE: _describe,
    Act.REMEMBER: lambda turn, pending: consent_answer(turn, yes=True),
    Act.SESSION_ONLY: lambda turn, pending: consent_answer(turn, yes=False),
    Act.FORGET: lambda turn, pending: forget(turn),
    Act.KEEP: lambda turn, pending: choose(turn, "kept"),
    Act.END_PREGNANCY: lambda turn, pending: end_pregnancy(turn),
    Act.KEEP_PREGNANCY: lambda turn, pending: keep_pregnancy(turn),
    Act.REASK: reask,
}


def answer_handlers(services: Services) -> list[Handler]:
    """First of all handlers: while a question waits, its table decides what a reply means."""
    return [AnswerHandler(services)]
