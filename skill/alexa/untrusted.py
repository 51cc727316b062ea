"""Limits on what a request may carry (checked before ask-sdk reads it) and a response may say."""

from __future__ import annotations

import json
import logging
from typing import Any

from skill.errors import StretchCoachError

log = logging.getLogger(__name__)

# A real envelope nests about a dozen levels; session attributes add a handful. Far deeper
# is an attack: ask-sdk's deepcopy and json's encoder would hit Python's recursion limit.
MAX_DEPTH = 40
# What the skill keeps in a session is well under a kilobyte or two; Alexa caps a whole
# response at 24 kB, and session attributes go back in every response.
MAX_SESSION_BYTES = 12 * 1024
# What a person says is echoed back ("I don't have a routine called ..."); no name is this
# long, and a longer one would push a response past Alexa's 8,000 characters of speech.
MAX_SLOT_CHARS = 80
MAX_SPEECH_CHARS = 8000


class MalformedRequest(StretchCoachError):
    """A request the skill will not read: answered with HTTP 400, or an empty response."""


def deeper_than(value: object, limit: int) -> bool:
    """Whether JSON-like data nests more than `limit` levels, without recursing."""
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return False


def checked_event(event: dict[str, Any]) -> dict[str, Any]:
    """The event, with session attributes too deep or too large dropped as tampered.

    The session comes back from the device, so its attributes are the client's to damage;
    without them the skill reads the person from the store, losing nothing saved.
    """
    session = event.get("session")
    if isinstance(session, dict) and session.get("attributes"):
        attributes = session["attributes"]
        if (
            deeper_than(attributes, MAX_DEPTH)
            or _size(attributes) > MAX_SESSION_BYTES
            or not_unicode(attributes) is not None
        ):
            log.warning("dropped session attributes that were too deep, too large or not text")
            event = {**event, "session": {**session, "attributes": {}}}
    if deeper_than(event, MAX_DEPTH):
        raise MalformedRequest("the request nests too deeply")
    # Alexa never sends a lone surrogate; one in the user id failed only when the id was
    # hashed for the store, deep in a handler, as an apology and a traceback.
    where = not_unicode(event)
    if where is not None:
        # The path is made of the sender's keys: cut and printable, so a refusal stays one
        # short line in the answer and the log.
        raise MalformedRequest(f"{_printable(where)} is not valid Unicode text")
    request = event.get("request")
    if isinstance(request, dict) and request.get("type") == "IntentRequest":
        # ask-sdk reads an absent intent as None, and every handler's can_handle then fails.
        intent = request.get("intent")
        name = intent.get("name") if isinstance(intent, dict) else None
        if not isinstance(name, str) or not name:
            raise MalformedRequest("the IntentRequest names no intent")
    return _short_slots(event)


def not_unicode(value: object) -> str | None:
    r"""Where JSON-like data holds a string (key or value) that UTF-8 cannot encode, or None.

    JSON may spell a lone surrogate ("\ud800"), which Python decodes into a str that
    nothing downstream can encode: hashing, logging to a file or a store.
    """
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
        return None  # the usual case, found in one pass of C code
    except UnicodeEncodeError:
        pass
    except (TypeError, ValueError):
        return None  # not JSON-like: for other checks to refuse
    stack: list[tuple[object, str]] = [(value, "")]
    while stack:
        item, path = stack.pop()
        children: list[tuple[object, str]] = []
        if isinstance(item, dict):
            for key, child in item.items():
                where = f"{path}.{key}" if path else str(key)
                if isinstance(key, str) and not _encodes(key):
                    return f"a key in {path or 'the request'}"
                children.append((child, where))
        elif isinstance(item, list):
            children = [(child, f"{path}[{n}]") for n, child in enumerate(item)]
        elif isinstance(item, str) and not _encodes(item):
            return path or "the request"
        stack.extend(children)
    return None


def _printable(text: str, limit: int = MAX_SLOT_CHARS) -> str:
    text = "".join(c if c.isprintable() else "?" for c in text[:limit])
    return text if len(text) < limit else f"{text[: limit - 3]}..."


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _short_slots(event: dict[str, Any]) -> dict[str, Any]:
    """The event with every slot value cut to MAX_SLOT_CHARS, at a word where there is one."""
    request = event.get("request")
    intent = request.get("intent") if isinstance(request, dict) else None
    slots = intent.get("slots") if isinstance(intent, dict) else None
    if not isinstance(slots, dict):
        return event
    short = {}
    for name, slot in slots.items():
        value = slot.get("value") if isinstance(slot, dict) else None
        if isinstance(value, str) and len(value) > MAX_SLOT_CHARS:
            cut = value[:MAX_SLOT_CHARS]
            slot = {**slot, "value": cut.rsplit(" ", 1)[0] if " " in cut else cut}
        short[name] = slot
    assert isinstance(request, dict) and isinstance(intent, dict)
    return {**event, "request": {**request, "intent": {**intent, "slots": short}}}


def speech_too_long(result: dict[str, Any]) -> bool:
    """Whether a response says more than Alexa accepts, in its speech or its reprompt."""
    response = result.get("response") or {}
    speeches = [response.get("outputSpeech"), (response.get("reprompt") or {}).get("outputSpeech")]
    return any(
        isinstance(speech, dict)
        and len(str(speech.get("ssml") or speech.get("text") or "")) > MAX_SPEECH_CHARS
        for speech in speeches
    )


def _size(value: object) -> int:
    try:
        return len(json.dumps(value, separators=(",", ":")))
    except (TypeError, ValueError):
        return MAX_SESSION_BYTES + 1


# How far along a pregnancy is, as said in this session: kept there only, so the question
# about the last three months is not asked again, or undone, in the same conversation.
STAGES = frozenset({"early", "late"})
MAX_WEEKS = 45


def stage_of(value: object) -> tuple[str, int | None] | None:
    """A stage kept in the session ({"stage": "late", "weeks": 30}), or None when damaged."""
    if not isinstance(value, dict) or set(value) != {"stage", "weeks"}:
        return None
    stage, weeks = value["stage"], value["weeks"]
    if stage not in STAGES:
        return None
    if weeks is not None and (
        not isinstance(weeks, int) or isinstance(weeks, bool) or not 0 < weeks <= MAX_WEEKS
    ):
        return None
    return str(stage), weeks
