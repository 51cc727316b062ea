"""A pain report read again in its own words, which can say more than its slot resolved to."""

from __future__ import annotations

from ask_sdk_core.dispatch_components.request_components import AbstractRequestInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.intent import Intent
from ask_sdk_model.intent_confirmation_status import IntentConfirmationStatus
from ask_sdk_model.intent_request import IntentRequest
from ask_sdk_model.slot import Slot
from ask_sdk_model.slot_confirmation_status import SlotConfirmationStatus
from ask_sdk_model.slu.entityresolution.resolution import Resolution
from ask_sdk_model.slu.entityresolution.resolutions import Resolutions
from ask_sdk_model.slu.entityresolution.status import Status
from ask_sdk_model.slu.entityresolution.status_code import StatusCode
from ask_sdk_model.slu.entityresolution.value import Value
from ask_sdk_model.slu.entityresolution.value_wrapper import ValueWrapper

from skill.alexa.handlers import slot_text
from skill.local import signs

PAIN, PAIN_KIND = "PainIntent", "PainKindIntent"
# Where this reading came from, as an entity resolution names its authority.
AUTHORITY = "stretch-coach.heard"


class HeardSigns(AbstractRequestInterceptor):
    """Before any handler is chosen: a pain report that names a warning sign becomes it.

    Alexa fills a body part or a kind of pain from its lists, so "my chest hurts" can come
    as pain in the chest, and "a heavy chest" as a kind it could not match. Read in their
    own words, these are an emergency, as the same words said to the laptop are; a pain
    kind that matched nothing is still pain, asked about as "it hurts" is.
    """

    def process(self, handler_input: HandlerInput) -> None:
        request = handler_input.request_envelope.request
        if not isinstance(request, IntentRequest) or request.intent is None:
            return
        name = request.intent.name
        if name == PAIN:
            heard = slot_text(handler_input, "bodyPart")[1]
            found = signs.read(f"my {heard} hurts") if heard else None
        elif name == PAIN_KIND:
            kind, heard = slot_text(handler_input, "painKind")
            found = signs.read(heard) if heard else None
            if found is None and kind is None and heard:
                # Pain in words no list holds: ask about it, never "didn't catch that".
                request.intent = _intent(PAIN, {})
                return
        else:
            return
        if found is not None and heard is not None:
            slot = _resolved("painKind", heard, found[0])
            request.intent = _intent(PAIN_KIND, {"painKind": slot})


def _intent(name: str, slots: dict[str, Slot]) -> Intent:
    return Intent(name=name, slots=slots, confirmation_status=IntentConfirmationStatus.NONE)


def _resolved(name: str, heard: str, kind: str) -> Slot:
    """A slot as if its value had matched the kind: what every handler reads."""
    match = Resolution(
        authority=AUTHORITY,
        status=Status(code=StatusCode.ER_SUCCESS_MATCH),
        values=[ValueWrapper(value=Value(name=kind, id=kind))],
    )
    return Slot(
        name=name,
        value=heard,
        confirmation_status=SlotConfirmationStatus.NONE,
        resolutions=Resolutions(resolutions_per_authority=[match]),
    )
