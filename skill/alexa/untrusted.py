"""Limits on what a request may carry, checked before ask-sdk reads (and deep-copies) it."""

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
        if deeper_than(attributes, MAX_DEPTH) or _size(attributes) > MAX_SESSION_BYTES:
            log.warning("dropped session attributes that were too deep or too large")
            event = {**event, "session": {**session, "attributes": {}}}
    if deeper_than(event, MAX_DEPTH):
        raise MalformedRequest("the request nests too deeply")
    return event


def _size(value: object) -> int:
    try:
        return len(json.dumps(value, separators=(",", ":")))
    except (TypeError, ValueError):
        return MAX_SESSION_BYTES + 1
