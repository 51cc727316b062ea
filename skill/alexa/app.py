"""Build the skill and answer raw Alexa events; what the Lambda and the web host both call."""

from __future__ import annotations

import json
import logging
import threading
from typing import Any

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_model.request_envelope import RequestEnvelope

from skill.alexa.answers import answer_handlers
from skill.alexa.coaching import coaching_handlers
from skill.alexa.handlers import ErrorHandler, handlers
from skill.alexa.heard import HeardSigns
from skill.alexa.pregnancy import pregnancy_handlers
from skill.alexa.prompts import prompts_for
from skill.alexa.sessionless import SessionlessErrorHandler, SessionlessHandler
from skill.alexa.touch import IgnoredEventHandler, ScreenEvents
from skill.alexa.turn import Services
from skill.alexa.untrusted import MalformedRequest, checked_event, speech_too_long
from skill.config import Config
from skill.content import default_catalogue
from skill.speech.ssml import speak_text
from skill.store import open_store
from skill.store.base import StoreError, VersionedAdapter, user_key

log = logging.getLogger(__name__)

SKILL_DISABLED = "AlexaSkillEvent.SkillDisabled"


class SkillIdError(Exception):
    """A request for another skill: refused before any handler runs."""


class CoachSkill:
    """The skill with its services; `handle` takes and returns JSON-ready dicts."""

    def __init__(self, config: Config, store: VersionedAdapter | None = None) -> None:
        self.config = config
        self.services = Services(default_catalogue(), store or open_store(config.store_url))
        # The application id is checked in handle(), before any handler runs.
        builder = SkillBuilder()
        # Requests without a session first: every other handler reads session attributes.
        builder.add_request_handler(SessionlessHandler())
        # A screen event that stands for nothing now (late, forged) changes nothing; a valid
        # one was already turned into its intent by ScreenEvents, before any handler.
        builder.add_request_handler(IgnoredEventHandler())
        builder.add_global_request_interceptor(ScreenEvents())
        # A pain report whose own words name a warning sign is that sign, before any handler.
        builder.add_global_request_interceptor(HeardSigns())
        # Answers next: while the coach waits on a question, it decides what "yes" means.
        handlers_in_order = [
            *answer_handlers(self.services),
            *coaching_handlers(self.services),
            *pregnancy_handlers(self.services),
            *handlers(self.services),
        ]
        for handler in handlers_in_order:
            builder.add_request_handler(handler)
        builder.add_exception_handler(SessionlessErrorHandler())
        builder.add_exception_handler(ErrorHandler(self.services))
        self.skill: CustomSkill = builder.create()
        self.serializer = DefaultSerializer()

    def handle(self, event: dict[str, Any], context: Any = None) -> dict[str, Any]:
        """Answer an event; MalformedRequest or SerializationException for one it cannot read."""
        event = checked_event(event)
        envelope: RequestEnvelope = self.serializer.deserialize(
            payload=_json(event), obj_type=RequestEnvelope
        )
        system = envelope.context.system if envelope.context else None
        application = system.application if system else None
        if self.config.skill_id and (
            application is None or application.application_id != self.config.skill_id
        ):
            raise SkillIdError("the request is for another skill")
        request = event.get("request") or {}
        if request.get("type") == SKILL_DISABLED:
            return self._skill_disabled(envelope, request)
        response = self.skill.invoke(request_envelope=envelope, context=context)
        result = self.serializer.serialize(response)
        assert isinstance(result, dict)
        if speech_too_long(result):
            # A bug, whatever came in: Alexa would refuse the response and say nothing.
            log.error("a response said more than Alexa allows; sent an apology instead")
            return self._apology(envelope)
        return result

    def _apology(self, envelope: RequestEnvelope) -> dict[str, Any]:
        prompts = prompts_for(envelope.request.locale if envelope.request else None)
        result = {
            "version": "1.0",
            "response": {
                "outputSpeech": {"type": "SSML", "ssml": speak_text(prompts.say("error"))},
                "reprompt": {"outputSpeech": {"type": "SSML",
                                              "ssml": speak_text(prompts.say("help_idle"))}},
                "shouldEndSession": False,
            },
        }  # fmt: skip
        return result

    def _skill_disabled(self, envelope: RequestEnvelope, request: dict[str, Any]) -> dict[str, Any]:
        # The SDK's model drops this event's body, so read the raw request: a person who
        # disables the skill and chooses not to keep their data is forgotten at once.
        body = request.get("body")
        if (
            isinstance(body, dict)
            and body.get("userInformationPersistenceStatus") == "NOT_PERSISTED"
        ):
            try:
                self.services.store.remove(user_key(envelope))
            except StoreError as exc:
                log.warning("could not delete a disabled person's data: %s", exc)
        return {"version": "1.0", "response": {}}


def _json(event: dict[str, Any]) -> str:
    return json.dumps(event)


_skill: CoachSkill | None = None
_lock = threading.Lock()


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """The Lambda entry point: the skill is built on the first request, not at import."""
    global _skill
    if _skill is None:
        with _lock:
            if _skill is None:
                _skill = CoachSkill(Config.from_env())
    try:
        return _skill.handle(event, context)
    except (MalformedRequest, SerializationException) as exc:
        # Only Alexa can invoke the function, so this is damage in transit or a bug:
        # answer without speech rather than fail the invocation.
        log.warning("answered a malformed request without speech: %s", type(exc).__name__)
        return {"version": "1.0", "response": {}}
