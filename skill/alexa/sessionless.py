"""Requests that come without a session: answered with an empty response, never with speech."""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components.exception_components import AbstractExceptionHandler
from ask_sdk_core.dispatch_components.request_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.interfaces.system.exception_encountered_request import (
    ExceptionEncounteredRequest,
)
from ask_sdk_model.response import Response

log = logging.getLogger(__name__)


def has_session(handler_input: HandlerInput) -> bool:
    """Whether the request carries a session; checked before anything reads its attributes.

    System.ExceptionEncountered, AudioPlayer, PlaybackController and skill lifecycle events
    come without one, and ask-sdk raises if a handler reads session attributes on them.
    """
    return handler_input.request_envelope.session is not None


def empty(handler_input: HandlerInput) -> Response:
    """No speech, no reprompt, no session flag: the one answer Alexa accepts for all of them."""
    response: Response = handler_input.response_builder.response
    return response


class SessionlessHandler(AbstractRequestHandler):
    """Every request without a session; an error Alexa reports about us is logged."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return not has_session(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        if isinstance(request, ExceptionEncounteredRequest):
            error = request.error
            kind = getattr(error.object_type, "value", error.object_type) if error else None
            message = error.message if error else None
            cause = request.cause.request_id if request.cause else None
            # An invalid response is our bug; the others are trouble on Alexa's side.
            level = logging.ERROR if kind == "INVALID_RESPONSE" else logging.WARNING
            log.log(level, "Alexa reported %s for request %s: %s", kind, cause, message)
        else:
            log.debug(
                "answered a %s request without a session", request.object_type if request else None
            )
        return empty(handler_input)


class SessionlessErrorHandler(AbstractExceptionHandler):
    """A failure on a request without a session: logged, answered without speech."""

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return not has_session(handler_input)

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        log.error("a request without a session failed: %s", type(exception).__name__,
                  exc_info=True)  # fmt: skip
        return empty(handler_input)
