"""Request handlers: parse the request, move the cursor, answer; the engine does the work."""

from __future__ import annotations

import logging
from collections.abc import Callable

from ask_sdk_core.dispatch_components.exception_components import AbstractExceptionHandler
from ask_sdk_core.dispatch_components.request_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils.predicate import is_intent_name
from ask_sdk_core.utils.request_util import get_request_type, get_slot
from ask_sdk_model.intent_request import IntentRequest
from ask_sdk_model.response import Response
from ask_sdk_model.session_ended_reason import SessionEndedReason
from ask_sdk_model.session_ended_request import SessionEndedRequest
from ask_sdk_model.slu.entityresolution.status_code import StatusCode

from skill.alexa.person import Person
from skill.alexa.prompts import prompts_for
from skill.alexa.questions import SITUATIONS
from skill.alexa.turn import SCREENED_NOW, SINGLE, Services, Turn, locale_of
from skill.content.model import Routine, Stretch
from skill.engine.compiler import EmptyRoutineError
from skill.engine.cursor import (
    Cursor,
    Move,
    NavigationError,
    Refusal,
    Status,
    anchored,
    move,
    progress,
    start,
    stretch_done,
)
from skill.engine.phrases import number, seconds_phrase
from skill.engine.screening import (
    PREGNANCY,
    REVEALING_ROUTINES,
    SCREENED_ROUTINES,
    SCREENINGS,
    Screening,
    weeks_pregnant,
)
from skill.engine.script import Script
from skill.speech.describe import describe
from skill.speech.ssml import speak_text
from skill.store.base import StoreError

log = logging.getLogger(__name__)

NAVIGATION = {
    "AMAZON.NextIntent": Move.NEXT,
    "AMAZON.PreviousIntent": Move.PREVIOUS,
    "AMAZON.RepeatIntent": Move.REPEAT,
    "PardonIntent": Move.REPEAT,  # "what?", with no question waiting: what was said, again
    "AMAZON.StartOverIntent": Move.START_OVER,
    "AMAZON.ResumeIntent": Move.RESUME,
    "AMAZON.PauseIntent": Move.PAUSE,
    "NotYetIntent": Move.PAUSE,  # "not yet", said with no question waiting: wait
    "ReadyIntent": Move.RESUME,  # "let's go", "I'm fine", with no question waiting: go on
    "WellIntent": Move.RESUME,
    "SkipIntent": Move.SKIP,
    "GoToStretchIntent": Move.JUMP,
}

REFUSALS = {
    Refusal.AT_START: "at_start",
    Refusal.AT_END: "at_end",
    Refusal.NOT_STARTED: "not_started",
    Refusal.ALREADY_PAUSED: "already_paused",
    Refusal.UNKNOWN_STRETCH: "unknown_stretch",
}


class Handler(AbstractRequestHandler):
    """A handler that gets a Turn: the person loaded, prompts for the locale, save and answer."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def can_handle(self, handler_input: HandlerInput) -> bool:
        raise NotImplementedError

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn(handler_input, self.services)
        if is_intent_name("PregnancyStageIntent")(handler_input):
            # Heard first, whatever the words answer: the stage said now decides the
            # question about the last three months for the rest of the session.
            stage, heard = slot_text(handler_input, "stage")
            if stage in ("early", "late"):
                turn.note_stage(stage, weeks_pregnant(heard or ""))
        return self.answer(turn)

    def answer(self, turn: Turn) -> Response:
        raise NotImplementedError


def intents(*names: str) -> Callable[[HandlerInput], bool]:
    return lambda handler_input: any(is_intent_name(n)(handler_input) for n in names)


def slot_text(handler_input: HandlerInput, name: str) -> tuple[str | None, str | None]:
    """A slot as (resolved id, what was heard); an id only when entity resolution matched.

    What was heard is already cut short at the edge (untrusted.checked_event).
    """
    request = handler_input.request_envelope.request
    if not isinstance(request, IntentRequest):
        return None, None
    slot = get_slot(handler_input, name)
    if slot is None or not slot.value:
        return None, None
    per_authority = slot.resolutions.resolutions_per_authority if slot.resolutions else None
    for resolution in per_authority or []:
        values = resolution.values or []
        matched = resolution.status and resolution.status.code == StatusCode.ER_SUCCESS_MATCH
        if matched and values and values[0].value and values[0].value.id:
            return values[0].value.id, slot.value
    return None, slot.value


def slot_ids(handler_input: HandlerInput) -> dict[str, str | None]:
    """Every slot of the request as its resolved id (None when it did not resolve)."""
    request = handler_input.request_envelope.request
    if not isinstance(request, IntentRequest) or request.intent is None:
        return {}
    return {name: slot_text(handler_input, name)[0] for name in (request.intent.slots or {})}


def intent_name(turn: Turn) -> str:
    request = turn.input.request_envelope.request
    if isinstance(request, IntentRequest) and request.intent and request.intent.name:
        return request.intent.name
    return ""


# --- launching and choosing ------------------------------------------------------------


class LaunchHandler(Handler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return get_request_type(handler_input) == "LaunchRequest"

    def answer(self, turn: Turn) -> Response:
        person = turn.person
        if not person.welcomed:
            person.welcomed = True
            turn.save()
            return turn.ask("welcome_first", suggestions=turn.suggestions())
        asked = recheck(turn, "launch:")
        if asked is not None:
            return asked
        return welcome_back(turn)


def welcome_back(turn: Turn) -> Response:
    """Offer the routine left part-way, or a choice of routine."""
    unfinished = turn.unfinished()
    if unfinished is not None:
        return offer_resume(turn, *unfinished)
    return turn.ask("welcome_back", suggestions=turn.suggestions())


def recheck(turn: Turn, then: str) -> Response | None:
    """An early pregnancy answer too old to trust: ask about the last three months again.

    `then` is where to go after the answer ("launch:", "resume:", "start:ROUTINE"). Until
    it is answered, every routine plays its late version (Turn.preferences).
    """
    if not turn.person.pregnancy_expired(turn.today(), turn.catalogue):
        return None
    return turn.ask("recheck_late_pregnancy", about=f"{PREGNANCY.id}:late:{then}")


def offer_resume(turn: Turn, script: Script, cursor: Cursor) -> Response:
    here = progress(script, cursor)
    routine = script.routine.name
    # "Finished" only when the whole stretch was heard, not one side or set of it.
    if stretch_done(script, cursor) and here.next_name:
        return turn.ask("offer_continue", stretch=here.name, routine=routine, next=here.next_name)
    return turn.ask("offer_resume", stretch=here.name or "the start", routine=routine)


def choose(turn: Turn, key: str = "choose_routine", **values: object) -> Response:
    """Ask which routine, offering the suggested ones."""
    return turn.ask_with(key, {"suggestions": turn.suggestions(), **values})


class StartRoutineHandler(Handler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("StartRoutineIntent")(handler_input))

    def answer(self, turn: Turn) -> Response:
        resolved, heard = slot_text(turn.input, "routine")
        routine: Routine | None = None
        if resolved is not None and resolved in turn.catalogue.routines:
            routine = turn.catalogue.routines[resolved]
        elif heard:
            routine = turn.catalogue.find_routine(heard)
        if routine is None:
            if heard:
                return turn.ask("unknown_routine", heard=heard, routines=turn.routine_names())
            return turn.ask("missing_routine", routines=turn.routine_names())
        return start_or_screen(turn, routine)


def start_routine(turn: Turn, routine: Routine, advice: str = "") -> Response:
    if routine.id in REVEALING_ROUTINES and turn.person.consent is None:
        # Being in it says something about health ("the extension routine": a kind of back
        # pain), so the place in it is kept across sessions only after a yes: ask first.
        return turn.ask("remember_routine", about=f"start:{routine.id}:", routine=routine.name)
    if not routine.id.startswith(SINGLE):
        asked = recheck(turn, f"start:{routine.id}")
        if asked is not None:
            return asked
    try:
        script = turn.script(routine)
    except EmptyRoutineError:
        besides = turn.suggestions(besides=routine.id)
        return turn.ask("routine_left_out", routine=routine.name, suggestions=besides)
    if not routine.id.startswith(SINGLE):
        turn.person.started_routine(routine.id)
    cursor = move(script, start(script), Move.START)
    # The first block names the routine itself, so the intro adds only the advice.
    return turn.play(script, cursor, intro=advice)


def begin_screening(turn: Turn, screening: Screening) -> Response:
    """Ask a screening's first question; its answers come back as yes or no."""
    return ask_screening(turn, screening, screening.first)


def ask_screening(turn: Turn, screening: Screening, question: str, then: str = "") -> Response:
    """Ask one question of a screening; `then` is where to go after it, if not its routine."""
    about = f"{screening.id}:{question}" + (f":{then}" if then else "")
    return turn.ask(screening.questions[question].prompt, about=about)


def screened_now(turn: Turn) -> set[str]:
    """Back screenings answered this session; the session comes from the client, so checked."""
    value = turn.session.get(SCREENED_NOW)
    if not isinstance(value, list):
        return set()
    return {v for v in value if isinstance(v, str) and v in SCREENED_ROUTINES}


def back_screening_for(turn: Turn, routine_id: str) -> Screening | None:
    """The back screening a routine (or a stretch played alone) needs, unless answered now.

    A stretch played alone needs it when every routine it is in is a screened back
    routine: "just do the sloppy push-up" asks what "start the extension routine" asks.
    """
    guarded = routine_id
    if routine_id.startswith(SINGLE):
        stretch = routine_id.removeprefix(SINGLE)
        homes = {r.id for r in turn.catalogue.routines.values()
                 if any(item.stretch == stretch for item in r.items)}  # fmt: skip
        if len(homes) != 1:
            return None  # in an everyday routine too, or in both back routines: no one screening
        guarded = homes.pop()
    screening = SCREENED_ROUTINES.get(guarded)
    if screening is None or screening is PREGNANCY or screening.id in screened_now(turn):
        return None
    return screening


def start_situation(turn: Turn, situation: str | None) -> Response:
    """A routine for the person's situation; back pain is screened before anything else."""
    if situation is None or situation not in SITUATIONS:
        return choose(turn)
    routine_id = SITUATIONS[situation]
    if routine_id is None:
        return begin_screening(turn, SCREENINGS["back"])
    return start_or_screen(turn, turn.catalogue.routines[routine_id])


def start_single(turn: Turn, stretch: Stretch) -> Response:
    """One stretch on its own, with its usual dosage; the saved routine is left as it is."""
    routine = turn.services.routine(f"{SINGLE}{stretch.id}")
    assert routine is not None
    screening = back_screening_for(turn, routine.id)
    if screening is not None:
        return ask_screening(turn, screening, screening.first, f"single:{stretch.id}")
    return start_routine(turn, routine)


def start_or_screen(turn: Turn, routine: Routine) -> Response:
    """Start a routine, asking its safety questions first where it has them."""
    screening = SCREENED_ROUTINES.get(routine.id)
    if screening is not None and (screening is PREGNANCY or screening.id not in screened_now(turn)):
        return begin_screening(turn, screening)
    return start_routine(turn, routine)


class ListRoutinesHandler(Handler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("ListRoutinesIntent")(handler_input))

    def answer(self, turn: Turn) -> Response:
        count = number(len(turn.catalogue.routines))
        return turn.ask("list_routines", count=count, routines=turn.routine_names())


class SituationHandler(Handler):
    """A person's situation (a runner, sciatica, something gentle): the routine that suits."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("SituationIntent")(handler_input))

    def answer(self, turn: Turn) -> Response:
        return start_situation(turn, slot_text(turn.input, "situation")[0])


class PregnancyStageHandler(Handler):
    """How far along a pregnancy is, said with no question about it: the pregnancy routine."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("PregnancyStageIntent")(handler_input))

    def answer(self, turn: Turn) -> Response:
        return start_situation(turn, "pregnant")


class SingleStretchHandler(Handler):
    """One stretch by name: that stretch alone, or a jump to it inside the routine playing."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("SingleStretchIntent")(handler_input))

    def answer(self, turn: Turn) -> Response:
        resolved, heard = slot_text(turn.input, "stretch")
        stretch = stretch_named(turn, resolved, heard)
        if stretch is None:
            return choose(turn, "unknown_single")
        active = turn.active()
        session = turn.input.request_envelope.session
        if active is not None and session is not None and not session.new:
            script, cursor = active
            if stretch.id in script.stretches and cursor.status is not Status.NOT_STARTED:
                return go(turn, Move.JUMP, stretch.id)
        return start_single(turn, stretch)


# --- moving through a routine ------------------------------------------------------------


class NavigationHandler(Handler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(intents(*NAVIGATION)(handler_input))

    def answer(self, turn: Turn) -> Response:
        what = NAVIGATION[intent_name(turn)]
        name = None
        if what is Move.SKIP:
            other = _skipping_another(turn)
            if other is not None:
                return other
        if what is Move.JUMP:
            resolved, heard = slot_text(turn.input, "stretch")
            stretch = stretch_named(turn, resolved, heard)
            active = turn.active()
            if stretch is not None and active is not None:
                there = in_script(active[0], stretch)
                if there is None:  # said back by its name, never its id
                    return refuse(turn, NavigationError(what, Refusal.UNKNOWN_STRETCH),
                                  active[0].routine.name, stretch.name)  # fmt: skip
                name = there
            else:
                name = heard
        return go(turn, what, name)


# Words every kind of stretch may end in: "hip flexor stretch" is a kind of hip flexor.
_KIND_NOUNS = frozenset({"stretch", "pose"})


def in_script(script: Script, stretch: Stretch) -> str | None:
    """The stretch of this routine a stretch named means, if any.

    Itself; what it is swapped for here; or, when the routine has another of its kind and
    only one ("go to the bridge" where the bridge is the one-legged one), that one.
    """
    played = {step.stretch for step in script.steps if step.stretch}
    if stretch.id in played:
        return stretch.id
    for step in script.steps:
        if step.item is not None and script.routine.items[step.item].stretch == stretch.id:
            return step.stretch  # swapped for another by the person's settings
    kind = [w for w in stretch.name.split() if w not in _KIND_NOUNS][-1]
    alike = {step.stretch for step in script.steps
             if step.stretch and step.name and kind in step.name.split()}  # fmt: skip
    return alike.pop() if len(alike) == 1 else None


def _skipping_another(turn: Turn) -> Response | None:
    """Skipping a stretch by name while on another: say so, rather than skip the wrong one."""
    resolved, heard = slot_text(turn.input, "stretch")
    named = stretch_named(turn, resolved, heard) if heard else None
    active = turn.active()
    if named is None or active is None:
        return None
    here = progress(*active)
    if here.stretch is None or named.id == here.stretch:
        return None
    return turn.ask("skip_other", stretch=named.name, current=here.name)


def go(turn: Turn, what: Move, name: str | None = None) -> Response:
    """Make a move in the routine the person is in, and play or say where it leads."""
    active = turn.active()
    if active is None:
        return choose(turn, "not_in_routine")
    script, cursor = active
    if what is not Move.PAUSE:
        # A back routine carried on in a new session: the warning signs are asked again,
        # since they can have come on since.
        screening = back_screening_for(turn, script.routine.id)
        asked = recheck(turn, "resume:") or (
            ask_screening(turn, screening, screening.first, "resume:") if screening else None
        )
        if asked is not None:
            return asked
    try:
        # Nothing is playing after a block heard to its end: a pause keeps it heard, so
        # carrying on goes on after it rather than back into it.
        heard = what is Move.PAUSE and cursor.status is Status.HEARD
        after = cursor if heard else move(script, cursor, what, name)
    except NavigationError as refused:
        return refuse(turn, refused, script.routine.name, name)
    if what is Move.PAUSE:
        turn.cursor = after
        turn.save()
        turn.still(script, after)
        here = progress(script, after)
        return turn.ask("paused", stretch=here.name or "the start")
    return turn.play(script, after)


def refuse(turn: Turn, refused: NavigationError, routine: str, stretch: str | None) -> Response:
    key = REFUSALS.get(refused.reason)
    if key is None:
        return turn.ask("fallback_routine")
    if key == "not_started":
        return choose(turn, key)
    return turn.ask(key, routine=routine, stretch=stretch or "That stretch")


def stretch_named(turn: Turn, resolved: str | None, heard: str | None) -> Stretch | None:
    if resolved is not None and resolved in turn.catalogue.stretches:
        return turn.catalogue.stretches[resolved]
    return turn.catalogue.find_stretch(heard) if heard else None


class QueryHandler(Handler):
    """How much longer, what's next, where am I: answered without losing the place."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(intents("TimeLeftIntent", "WhatsNextIntent", "WhereAmIIntent")(handler_input))

    def answer(self, turn: Turn) -> Response:
        active = turn.active()
        if active is None:
            return choose(turn, "not_in_routine")
        script, cursor = active
        here = progress(script, cursor)
        intent = intent_name(turn)
        routine = script.routine.name
        if here.name is None and here.stretches_left == 0:
            return turn.ask("where_am_i_finish", routine=routine, total=number(here.total))
        if here.name is None:
            return turn.ask("where_am_i_intro", routine=routine, total=number(here.total))
        if intent == "TimeLeftIntent":
            block = seconds_phrase(here.block.ms / 1000)
            later = here.routine_left_ms - here.block.ms
            if later <= 0:
                return turn.ask("time_left_last", stretch=here.name, block=block)
            return turn.ask("time_left", stretch=here.name, block=block,
                            routine_left=seconds_phrase(later / 1000))  # fmt: skip
        if intent == "WhatsNextIntent":
            if here.next_name is None:
                return turn.ask("nothing_next", routine=routine, stretch=here.name)
            if here.stretches_left <= 1:
                return turn.ask("whats_next_last", next=here.next_name)
            return turn.ask("whats_next", next=here.next_name, left=number(here.stretches_left - 1))
        key = "where_am_i" if here.stretches_left else "where_am_i_last"
        return turn.ask(key, stretch=here.name, number=number(here.number),
                        total=number(here.total), routine=routine,
                        left=number(here.stretches_left))  # fmt: skip


class DescribeHandler(Handler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("DescribeStretchIntent")(handler_input))

    def answer(self, turn: Turn) -> Response:
        return describe_stretch(turn, *slot_text(turn.input, "stretch"))


def describe_stretch(turn: Turn, resolved: str | None, heard: str | None) -> Response:
    """The full description of a stretch: the one named, else the one the person is on."""
    active = turn.active()
    stretch = stretch_named(turn, resolved, heard)
    if heard and stretch is None:
        return turn.ask("unknown_stretch_name", heard=heard)
    dosage = None
    if stretch is None and active is not None:
        script, cursor = active
        here = progress(script, cursor)
        if here.stretch is not None:
            stretch = turn.catalogue.stretches[here.stretch]
            item = script.routine.items[script.items[here.number - 1]]
            dosage = item.dosage if item.stretch == stretch.id else stretch.dosage
    if stretch is None:
        return turn.ask("describe_which")
    text = describe(stretch, dosage or stretch.dosage)
    if active is None:
        return turn.ask("describe_outside", description=text)
    here = progress(*active)
    return turn.ask("describe", description=text, stretch=here.name or stretch.name)


# --- yes and no with no question waiting ----------------------------------------------------


class YesHandler(Handler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("AMAZON.YesIntent")(handler_input))

    def answer(self, turn: Turn) -> Response:
        return choose(turn)


class NoHandler(Handler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("AMAZON.NoIntent")(handler_input))

    def answer(self, turn: Turn) -> Response:
        return stop(turn)


# --- help, stop, and everything else ------------------------------------------------------


class HelpHandler(Handler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("AMAZON.HelpIntent")(handler_input))

    def answer(self, turn: Turn) -> Response:
        active = turn.active()
        pending = turn.pending
        if active is not None and (pending is None or pending.question != "resume_offer"):
            script, cursor = active
            here = progress(script, cursor)
            if here.name is not None:
                return turn.ask("help_routine", routine=script.routine.name, stretch=here.name)
        return turn.ask("help_idle")


class StopHandler(Handler):
    """Stop, cancel and going home: save the place as paused and end the session."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        names = ("AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent")
        return bool(intents(*names)(handler_input))

    def answer(self, turn: Turn) -> Response:
        return stop(turn)


# The questions of a pain check: one left unanswered leaves the stretch that hurt behind.
PAIN_QUESTIONS = frozenset({"pain_kind", "remember_pain", "pain_choice"})


def past_the_pain(turn: Turn) -> bool:
    """Pain told and its check left open: keep the place after the stretch that hurt.

    Next time the coach goes on from the stretch that follows and never starts again with
    the one that hurt, with no word of the pain kept (that needs consent).
    """
    if turn.pending is None or turn.pending.question not in PAIN_QUESTIONS:
        return False
    return leave_behind(turn)


def leave_behind(turn: Turn) -> bool:
    """Keep the place at the end of the stretch playing, so that it is not played again."""
    active = turn.active()
    if active is None:
        return False
    script, cursor = active
    item = script.blocks[cursor.block].item
    last = max(b.index for b in script.blocks if b.item == item or b.index == cursor.block)
    if all(b.item is None for b in script.blocks[last + 1 :]):
        # Only the finish is left, which is no reason to come back: the routine is over.
        last = len(script.blocks) - 1
    turn.cursor = anchored(script, last, Status.HEARD)
    return True


def stop(turn: Turn) -> Response:
    active = turn.active()
    if active is None:
        return turn.tell("goodbye")
    if past_the_pain(turn):
        turn.save()
        # After a failed save, wording() says the variant that promises no place.
        return turn.tell("stopped_in_pain", stretch=progress(*active).name or "this one")
    script, cursor = active
    # A block heard to its end stays heard (next time goes on after it); only one that was
    # playing is stopped part-way and plays again from its start.
    if cursor.status is Status.PLAYING:
        cursor = move(script, cursor, Move.PAUSE)
    turn.cursor = cursor
    turn.save()
    here = progress(script, cursor)
    single = script.routine.id.startswith(SINGLE)
    if here.name is None or single or turn.unfinished() is None:
        return turn.tell("goodbye")
    # After a failed save, wording() says the variant that promises no place.
    return turn.tell("stopped", stretch=here.name)


class FallbackHandler(Handler):
    """AMAZON.FallbackIntent and any intent this skill does not know."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return get_request_type(handler_input) == "IntentRequest"

    def answer(self, turn: Turn) -> Response:
        active = turn.active()
        if active is not None and progress(*active).name is not None:
            return turn.ask("fallback_routine")
        return turn.ask("fallback_idle")


class SessionEndedHandler(Handler):
    """The session closed: a block that ran out its reprompts was heard to the end."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return get_request_type(handler_input) == "SessionEndedRequest"

    def answer(self, turn: Turn) -> Response:
        request = turn.input.request_envelope.request
        if past_the_pain(turn):  # closed, or timed out, while the pain check waited
            turn.save()
            response: Response = turn.input.response_builder.response
            return response
        active = turn.active()
        if active is not None and isinstance(request, SessionEndedRequest):
            script, cursor = active
            what: Move | None
            if request.reason == SessionEndedReason.EXCEEDED_MAX_REPROMPTS:
                what = Move.HEARD
            elif request.reason == SessionEndedReason.USER_INITIATED:
                # "exit" part-way: pick up at the start of that block; a block heard to its
                # end stays heard.
                what = Move.PAUSE if cursor.status is Status.PLAYING else None
            else:
                what = None
            single = script.routine.id.startswith(SINGLE)
            if what is not None and not single and cursor.status in (Status.PLAYING, Status.HEARD):
                turn.cursor = move(script, cursor, what)
                turn.save()
        return turn.input.response_builder.response


class UnhandledHandler(Handler):
    """Any other request type: answer cleanly, never with an error."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def answer(self, turn: Turn) -> Response:
        log.info("no handler for request type %s", get_request_type(turn.input))
        response: Response = turn.input.response_builder.response
        return response


class ErrorHandler(AbstractExceptionHandler):
    """The one catch-all: log the error, apologise, and keep the conversation going."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        log.error("request failed: %s", type(exception).__name__, exc_info=True)
        prompts = prompts_for(locale_of(handler_input))
        text = prompts.say("error")  # its reprompt asks the open question
        response: Response = (
            handler_input.response_builder.speak(speak_text(text))
            .ask(speak_text(prompts.say("help_idle")))
            .response
        )
        return response


class ForgetHandler(Handler):
    """Forget what you know about me: confirmed first, as the answer deletes."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("ForgetIntent")(handler_input))

    def answer(self, turn: Turn) -> Response:
        return turn.ask("forget_confirm")


def forget(turn: Turn) -> Response:
    """Delete the person's record, and keep nothing of them in this session either."""
    turn.saved = True  # nothing in this turn may write the person back
    try:
        turn.services.store.delete_attributes(turn.input.request_envelope)
    except StoreError as exc:
        log.warning("could not delete a record on request: %s", exc)
        return turn.tell("forget_failed")
    turn.session.clear()
    turn.person = Person()
    return turn.tell("forgotten")


def handlers(services: Services) -> list[Handler]:
    """In order: the first that can handle a request does."""
    return [
        LaunchHandler(services),
        StartRoutineHandler(services),
        ListRoutinesHandler(services),
        SituationHandler(services),
        PregnancyStageHandler(services),
        SingleStretchHandler(services),
        NavigationHandler(services),
        QueryHandler(services),
        DescribeHandler(services),
        YesHandler(services),
        NoHandler(services),
        HelpHandler(services),
        StopHandler(services),
        SessionEndedHandler(services),
        ForgetHandler(services),
        FallbackHandler(services),
        UnhandledHandler(services),
    ]
