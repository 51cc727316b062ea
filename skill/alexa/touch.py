"""Events from the screen: a token ties each to one block, and a valid one becomes an intent."""

from __future__ import annotations

import logging
from typing import Any

from ask_sdk_core.dispatch_components.request_components import (
    AbstractRequestHandler,
    AbstractRequestInterceptor,
)
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.dialog_state import DialogState
from ask_sdk_model.intent import Intent
from ask_sdk_model.intent_confirmation_status import IntentConfirmationStatus
from ask_sdk_model.intent_request import IntentRequest
from ask_sdk_model.interfaces.alexa.presentation.apl.user_event import UserEvent
from ask_sdk_model.response import Response

from skill.alexa.screen import ENDED, PRESS
from skill.alexa.sessionless import empty, has_session

log = logging.getLogger(__name__)

# The session attribute that remembers the block on screen: its token, and whether the
# end of that block may move on by itself.
SCREEN = "screen"
# Longer than any token issued here (a routine id, a block and a count); anything longer
# is not ours.
MAX_TOKEN = 160
# Each button does exactly what saying its word does.
BUTTONS = {
    "next": "AMAZON.NextIntent",
    "repeat": "AMAZON.RepeatIntent",
    "pause": "AMAZON.PauseIntent",
    "stop": "AMAZON.StopIntent",
}
# The end of a block is the person hearing "Ready for cobra? Say next." and the screen
# saying it for them.
AT_THE_END = "AMAZON.NextIntent"


def current(session: dict[str, Any]) -> tuple[str, bool] | None:
    """The token of the block on screen and whether it may advance, if the session is sound."""
    screen = session.get(SCREEN)
    if not isinstance(screen, dict):
        return None
    token, advance = screen.get("token"), screen.get("advance")
    if not isinstance(token, str) or not 0 < len(token) <= MAX_TOKEN:
        return None
    if not isinstance(advance, bool):
        return None
    return token, advance


def issue(session: dict[str, Any], routine: str, block: int, advance: bool) -> str:
    """A new token for a block about to be shown; every earlier token is stale from now on.

    The count makes a block shown twice ("repeat") two different tokens, so the first
    showing's late event cannot move the second on.
    """
    now = current(session)
    count = 0
    if now is not None:
        tail = now[0].rpartition("/")[2]
        # Only ASCII digits: "²" is a digit to str.isdigit but not to int().
        count = int(tail) if tail.isascii() and tail.isdigit() and len(tail) < 9 else 0
    token = f"{routine}/{block}/{count + 1}"
    session[SCREEN] = {"token": token, "advance": advance}
    return token


def hold(session: dict[str, Any]) -> None:
    """An answer that is not a block (a question, pause, stop) ends the moving on by itself.

    The buttons on screen keep working; only the block's end is ignored from now on.
    """
    now = current(session)
    if now is not None and now[1]:
        session[SCREEN] = {"token": now[0], "advance": False}


def intent_for(arguments: object, session: dict[str, Any]) -> str | None:
    """The intent a screen event stands for; None for one to ignore: late, forged or odd."""
    if not isinstance(arguments, list) or not 2 <= len(arguments) <= 3:
        return None
    if not all(isinstance(a, str) and len(a) <= MAX_TOKEN for a in arguments):
        return None
    now = current(session)
    if now is None:
        return None
    token, advance = now
    if arguments == [ENDED, token]:
        return AT_THE_END if advance else None
    if len(arguments) == 3 and arguments[0] == PRESS and arguments[2] == token:
        return BUTTONS.get(arguments[1])
    return None


class ScreenEvents(AbstractRequestInterceptor):
    """Before any handler is chosen: a valid screen event becomes the intent it stands for.

    So a button and the word it shows take one path through the same handlers (answers to
    a waiting question included), and the end of a block is a "next" said for the person.
    """

    def process(self, handler_input: HandlerInput) -> None:
        envelope = handler_input.request_envelope
        request = envelope.request
        if not isinstance(request, UserEvent) or not has_session(handler_input):
            return
        session = handler_input.attributes_manager.session_attributes or {}
        name = intent_for(request.arguments, session)
        if name is None:
            log.info("ignored a screen event that is not for the block on screen")
            return
        envelope.request = IntentRequest(
            request_id=request.request_id,
            timestamp=request.timestamp,
            locale=request.locale,
            dialog_state=DialogState.COMPLETED,
            intent=Intent(name=name, slots={}, confirmation_status=IntentConfirmationStatus.NONE),
        )


class IgnoredEventHandler(AbstractRequestHandler):
    """A screen event left as it came (stale, forged, odd): no speech, nothing changed."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return isinstance(handler_input.request_envelope.request, UserEvent)

    def handle(self, handler_input: HandlerInput) -> Response:
        return empty(handler_input)
