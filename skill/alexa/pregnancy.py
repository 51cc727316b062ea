"""A pregnancy's screening ended by voice (asked first: stretches come back), or its record."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils.predicate import is_intent_name
from ask_sdk_model.response import Response

from skill.alexa.coaching import follow_up
from skill.alexa.handlers import Handler
from skill.alexa.turn import UNKEPT, Services, Turn
from skill.engine.screening import PREGNANCY


class NotPregnantHandler(Handler):
    """No longer pregnant ("I've had my baby"): end the pregnancy screening, on a yes."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("NotPregnantIntent")(handler_input))

    def answer(self, turn: Turn) -> Response:
        if PREGNANCY.id not in turn.person.screened:
            return follow_up(turn, "pregnancy_none")
        # A misheard sentence must not bring back what is left out for safety: ask.
        return turn.ask("end_pregnancy_confirm")


class ForgetPregnancyHandler(Handler):
    """Still pregnant, but not to be remembered: a request about privacy, not about safety.

    What is stored about the pregnancy is deleted at once, while the routines stay adapted
    for it to the end of this visit: lying flat late in a pregnancy never comes back because
    someone asked for their privacy.
    """

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("ForgetPregnancyIntent")(handler_input))

    def answer(self, turn: Turn) -> Response:
        if PREGNANCY.id not in turn.person.screened:
            return follow_up(turn, "pregnancy_nothing_kept")
        turn.session[UNKEPT] = sorted(turn.unkept() | {PREGNANCY.id})
        turn.save()
        return follow_up(turn, "pregnancy_unkept")


def end_pregnancy(turn: Turn) -> Response:
    """Routines no longer adapted for a pregnancy; what was kept about it is deleted."""
    turn.person.end_screening(PREGNANCY.id)
    turn.session.pop("stage", None)
    turn.save()
    return follow_up(turn, "pregnancy_ended")


def keep_pregnancy(turn: Turn) -> Response:
    return follow_up(turn, "pregnancy_kept")


def pregnancy_handlers(services: Services) -> list[Handler]:
    return [NotPregnantHandler(services), ForgetPregnancyHandler(services)]
