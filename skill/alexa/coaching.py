"""Coaching that adapts: screenings, pain check-ins, adjustments, exclusions and history."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils.predicate import is_intent_name
from ask_sdk_core.utils.request_util import get_request_type
from ask_sdk_model.response import Response

from skill.alexa.handlers import (
    CHOOSE_ROUTINE,
    SCREEN,
    Handler,
    begin_screening,
    intent_name,
    intents,
    slot_text,
    start_routine,
    stretch_named,
)
from skill.alexa.turn import Services, Turn, pending_of
from skill.content.model import Pace
from skill.engine.cursor import Move, NavigationError, Status, move, progress, repair
from skill.engine.phrases import number
from skill.engine.preferences import HOLD_SCALE_RANGE, Preferences
from skill.engine.screening import (
    SCREENINGS,
    Outcome,
    Result,
    Screening,
    ScreeningError,
    consequence,
)

START = "start:"
PAIN_SHARP = "pain:sharp"
PAIN_CHOICE = "pain:choice"
HOLD_STEP = 0.25
PACE_ORDER = (Pace.SLOWER, Pace.NORMAL, Pace.FASTER)
# While a screening question waits for its answer, these still do what they say.
ALWAYS = ("AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent", "PainIntent")


class ScreeningHandler(Handler):
    """Answers to a screening's questions; anything else asks the question again."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        if not (pending_of(handler_input) or "").startswith(SCREEN):
            return False
        if get_request_type(handler_input) != "IntentRequest":
            return False
        return not intents(*ALWAYS)(handler_input)

    def answer(self, turn: Turn) -> Response:
        try:
            _, name, question = str(turn.pending).split(":", 2)
            screening = SCREENINGS[name]
            asked = screening.questions[question]
        except (ValueError, KeyError):
            turn.pending = CHOOSE_ROUTINE
            return turn.ask("choose_routine", "choose_reprompt", suggestions=turn.suggestions())
        intent = intent_name(turn)
        if intent not in ("AMAZON.YesIntent", "AMAZON.NoIntent"):
            return turn.ask("screen_yes_no", question=turn.prompts.say(asked.prompt))
        try:
            following = screening.answer(question, intent == "AMAZON.YesIntent")
        except ScreeningError:
            turn.pending = CHOOSE_ROUTINE
            return turn.ask("choose_routine", "choose_reprompt", suggestions=turn.suggestions())
        if isinstance(following, str):
            turn.pending = f"{SCREEN}{name}:{following}"
            return turn.ask(screening.questions[following].prompt)
        return conclude(turn, screening, following)


def conclude(turn: Turn, screening: Screening, outcome: Outcome) -> Response:
    """Keep the consequence (never the answers), then advise, recommend, or carry on."""
    turn.pending = None
    if outcome.result is Result.REFER:
        turn.save()
        return turn.tell(outcome.advice or "advice_warning")
    turn.person.screened[screening.id] = consequence(outcome, turn.catalogue)
    advice = turn.prompts.say(outcome.advice) if outcome.advice else ""
    assert outcome.routine is not None
    routine = turn.catalogue.routines[outcome.routine]
    if outcome.result is Result.PROCEED:
        turn.save()
        return start_routine(turn, routine, advice)
    turn.save()
    turn.pending = f"{START}{routine.id}"
    key = "recommend" if outcome.avoid else "recommend_plain"
    return turn.ask(key, routine=routine.name, advice=advice)


class WhichRoutineHandler(Handler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("WhichRoutineIntent")(handler_input))

    def answer(self, turn: Turn) -> Response:
        return begin_screening(turn, SCREENINGS["back"])


# --- pain ------------------------------------------------------------------------------------


class PainHandler(Handler):
    """It hurts: stop the clock, then ask whether the pain is sharp or spreading."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("PainIntent")(handler_input))

    def answer(self, turn: Turn) -> Response:
        turn.person.count("pain")  # only how often, never what was said
        active = turn.active()
        if active is None:
            turn.save()
            turn.pending = CHOOSE_ROUTINE
            return turn.ask("pain_idle", "choose_reprompt")
        script, cursor = active
        if cursor.status in (Status.PLAYING, Status.HEARD):
            turn.person.position = move(script, cursor, Move.PAUSE)
        turn.save()
        turn.pending = PAIN_SHARP
        return turn.ask("pain_check", "pain_reprompt")


class PainAnswerHandler(Handler):
    """Yes (sharp or spreading): stop and get checked. No: easier, skip, or stop."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return pending_of(handler_input) in (PAIN_SHARP, PAIN_CHOICE) and bool(
            intents("AMAZON.YesIntent", "AMAZON.NoIntent")(handler_input)
        )

    def answer(self, turn: Turn) -> Response:
        # At the choice, yes or no answers nothing: ask again below.
        if turn.pending == PAIN_SHARP and intent_name(turn) == "AMAZON.YesIntent":
            turn.pending = None
            return turn.tell("pain_stop")
        active = turn.active()
        if active is None:
            turn.pending = CHOOSE_ROUTINE
            return turn.ask("choose_routine", "choose_reprompt", suggestions=turn.suggestions())
        script, cursor = active
        here = progress(script, cursor)
        turn.pending = PAIN_CHOICE
        name = here.name or "this stretch"
        stretch = turn.catalogue.stretches.get(here.stretch or "")
        key = "pain_choice" if stretch is not None and stretch.easier else "pain_choice_no_easier"
        return turn.ask(key, "choice_reprompt", stretch=name)


# --- adjustments by voice ---------------------------------------------------------------------

ADJUSTMENTS = ("SlowerIntent", "FasterIntent", "HoldLongerIntent", "HoldShorterIntent",
               "AddTimeIntent", "EasierIntent", "HarderIntent")  # fmt: skip


class AdjustHandler(Handler):
    """Slower, faster, longer, shorter, ten more seconds, easier, harder: kept for next time."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(intents(*ADJUSTMENTS)(handler_input))

    def answer(self, turn: Turn) -> Response:
        intent = intent_name(turn)
        turn.pending = None
        mine = turn.person.preferences
        active = turn.active()
        if intent in ("SlowerIntent", "FasterIntent", "HoldLongerIntent", "HoldShorterIntent"):
            changed, key = _general(mine, intent, turn)
            if changed is None:
                return turn.ask("adjust_limit")
            turn.person.preferences = changed
            done = turn.prompts.say(key)
            if active is None:
                turn.save()
                return turn.ask("adjusted_idle", "choose_reprompt", done=done)
            return replay(turn, done)
        if active is None:
            return turn.ask("needs_stretch", "choose_reprompt")
        script, cursor = active
        here = progress(script, cursor)
        if here.stretch is None:
            return turn.ask("needs_stretch", "choose_reprompt")
        playing = turn.catalogue.stretches[here.stretch]
        original = script.routine.items[script.items[here.number - 1]].stretch
        if intent == "AddTimeIntent":
            step = script.block_steps(here.block)
            if all(st.hold_ms is None for st in step if st.stretch == playing.id):
                return turn.ask("not_a_hold", stretch=playing.name)
            if mine.extra_map.get(playing.id, 0) >= 30:
                return turn.ask("adjust_limit")
            turn.person.preferences = mine.with_extra(playing.id, 10)
            return replay(turn, turn.prompts.say("adjusted_more_time", stretch=playing.name))
        link = playing.easier if intent == "EasierIntent" else playing.harder
        if link is None:
            key = "no_easier" if intent == "EasierIntent" else "no_harder"
            return turn.ask(key, stretch=playing.name)
        turn.person.preferences = mine.with_substitute(original, link)
        new = turn.catalogue.stretches[link]
        key = "adjusted_easier" if intent == "EasierIntent" else "adjusted_harder"
        return replay(turn, turn.prompts.say(key, stretch=new.name, was=playing.name))


def _general(mine: Preferences, intent: str, turn: Turn) -> tuple[Preferences | None, str]:
    if intent in ("SlowerIntent", "FasterIntent"):
        active = turn.active()
        current = mine.pace or (active[0].settings.pace if active else Pace.NORMAL)
        index = PACE_ORDER.index(current) + (-1 if intent == "SlowerIntent" else 1)
        if not 0 <= index < len(PACE_ORDER):
            return None, ""
        key = "adjusted_slower" if intent == "SlowerIntent" else "adjusted_faster"
        return replace(mine, pace=PACE_ORDER[index]), key
    step = HOLD_STEP if intent == "HoldLongerIntent" else -HOLD_STEP
    scale = round(mine.hold_scale + step, 2)
    low, high = HOLD_SCALE_RANGE
    if not low <= scale <= high:
        return None, ""
    key = "adjusted_longer" if intent == "HoldLongerIntent" else "adjusted_shorter"
    return replace(mine, hold_scale=scale), key


def replay(turn: Turn, done: str) -> Response:
    """Recompile with the new settings and play the current stretch again from its start."""
    cursor = turn.person.position
    assert cursor is not None
    script = turn.script(cursor.routine)
    here = repair(script, cursor)
    try:
        again = move(script, here, Move.REPEAT if here.status is not Status.NOT_STARTED
                     else Move.START)  # fmt: skip
    except NavigationError:
        again = move(script, here, Move.START)
    name = progress(script, again).name
    intro = f"{done} {turn.prompts.say('from_the_top', stretch=name)}" if name else done
    return turn.play(script, again, intro=intro)


# --- questions, exclusions and history -----------------------------------------------------------


class WhichSideHandler(Handler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("WhichSideIntent")(handler_input))

    def answer(self, turn: Turn) -> Response:
        active = turn.active()
        if active is None:
            turn.pending = CHOOSE_ROUTINE
            return turn.ask("not_in_routine", "choose_reprompt", suggestions=turn.suggestions())
        here = progress(*active)
        if here.side is None:
            return turn.ask("which_side_none", stretch=here.name or "This part")
        step = active[0].block_steps(here.block)[-1]
        return turn.ask("which_side", side=here.side.value, other=here.side.other.value,
                        label=step.side_label.value)  # fmt: skip


class ExcludeHandler(Handler):
    """Leave a stretch out from now on ("skip pigeon from now on"), or put it back."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(intents("ExcludeStretchIntent", "IncludeStretchIntent")(handler_input))

    def answer(self, turn: Turn) -> Response:
        resolved, heard = slot_text(turn, "stretch")
        stretch = stretch_named(turn, resolved, heard)
        if stretch is None:
            return turn.ask("which_stretch")
        mine = turn.person.preferences
        if intent_name(turn) == "ExcludeStretchIntent":
            turn.person.preferences = replace(mine, excluded=mine.excluded | {stretch.id})
            key = "excluded"
        elif stretch.id in mine.excluded:
            turn.person.preferences = replace(mine, excluded=mine.excluded - {stretch.id})
            key = "included"
        else:
            return turn.ask("not_excluded", stretch=stretch.name)
        turn.save()
        return turn.ask(key, stretch=stretch.name)


class HistoryHandler(Handler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("HistoryIntent")(handler_input))

    def answer(self, turn: Turn) -> Response:
        done = turn.person.counts.get("completed", 0)
        history = turn.person.history
        routine = turn.catalogue.routines.get(str(history.get("last_routine")))
        if not done and routine is None:
            turn.pending = CHOOSE_ROUTINE
            return turn.ask("history_none", "choose_reprompt")
        last = ""
        if routine is not None:
            key = "last_finished" if history.get("last_finished") else "last_stopped"
            last = turn.prompts.say(key, routine=routine.name)
        streak = int(history.get("streak", 0)) if _current(turn, history) else 0
        days = turn.prompts.say("streak", days=number(min(streak, 99))) if streak > 1 else ""
        return turn.ask("history", done=number(done), routines="routine" if done == 1
                        else "routines", streak=days, last=last)  # fmt: skip


def _current(turn: Turn, history: dict[str, object]) -> bool:
    """A streak counts only while it is unbroken: the last day was today or yesterday."""
    last = history.get("last_day")
    today = turn.today()
    return last in (today.isoformat(), (today - timedelta(days=1)).isoformat())


class StartRecommendedHandler(Handler):
    """Yes or no to a recommended routine."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return (pending_of(handler_input) or "").startswith(START) and bool(
            intents("AMAZON.YesIntent", "AMAZON.NoIntent")(handler_input)
        )

    def answer(self, turn: Turn) -> Response:
        routine = turn.catalogue.routines.get(str(turn.pending)[len(START) :])
        if intent_name(turn) == "AMAZON.YesIntent" and routine is not None:
            return start_routine(turn, routine)
        turn.pending = CHOOSE_ROUTINE
        return turn.ask("no_problem", "choose_reprompt", suggestions=turn.suggestions())


def coaching_handlers(services: Services) -> list[Handler]:
    """Registered before the plain handlers: a pending question decides what yes means."""
    return [
        ScreeningHandler(services),
        PainAnswerHandler(services),
        StartRecommendedHandler(services),
        PainHandler(services),
        WhichRoutineHandler(services),
        AdjustHandler(services),
        WhichSideHandler(services),
        ExcludeHandler(services),
        HistoryHandler(services),
    ]
