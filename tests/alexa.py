"""A test conversation with the skill: real request envelopes, session attributes carried on."""

from __future__ import annotations

import copy
import itertools
import json
import random
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from skill.alexa import prompts

ENVELOPES = Path(__file__).resolve().parent / "envelopes"
MAX_SSML_CHARS = 8000
RENDER = "Alexa.Presentation.APL.RenderDocument"
EXECUTE = "Alexa.Presentation.APL.ExecuteCommands"
_ids = itertools.count(1)

Handler = Callable[[dict[str, Any]], dict[str, Any]]


def envelope(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((ENVELOPES / f"{name}.json").read_text(encoding="utf-8"))
    return data


# Envelopes damaged one way each, and the words a refusal of one must name. Alexa sends
# none of them; a client may.
MALFORMED: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "intent-null": (lambda e: e["request"].update(intent=None), "names no intent"),
    "intent-missing": (lambda e: e["request"].pop("intent"), "names no intent"),
    "intent-unnamed": (lambda e: e["request"]["intent"].pop("name"), "names no intent"),
    "user-surrogate": (lambda e: e["context"]["System"]["user"].update(userId="amzn1.\ud800"),
                       "context.System.user.userId is not valid Unicode"),
    "slot-surrogate": (lambda e: e["request"]["intent"]["slots"]["routine"].update(
                       value="desk\udc00"), "request.intent.slots.routine.value is not valid"),
    "key-surrogate": (lambda e: e["request"]["intent"]["slots"].update(
                      {"a\nb" * 50: {"name": "x\udfff"}}), "slots.a?ba?b"),
}  # fmt: skip


def malformed(name: str) -> dict[str, Any]:
    """The start_routine envelope, damaged one way, as it arrives over JSON."""
    event = envelope("start_routine")
    MALFORMED[name][0](event)
    data: dict[str, Any] = json.loads(json.dumps(event))  # JSON spells a surrogate as an escape
    return data


def plain(ssml: str) -> str:
    """The words of an SSML string, as a listener hears them."""
    return " ".join(re.sub(r"<[^>]+>", " ", ssml).replace("&amp;", "&").split())


@dataclass
class Reply:
    """One response, with its speech as plain text for easy assertions."""

    raw: dict[str, Any]

    @property
    def response(self) -> dict[str, Any]:
        result: dict[str, Any] = self.raw.get("response") or {}
        return result

    @property
    def ssml(self) -> str:
        speech = self.response.get("outputSpeech") or {}
        return str(speech.get("ssml", ""))

    @property
    def speech(self) -> str:
        return plain(self.ssml)

    @property
    def reprompt(self) -> str:
        reprompt = self.response.get("reprompt") or {}
        return plain(str((reprompt.get("outputSpeech") or {}).get("ssml", "")))

    @property
    def ended(self) -> bool:
        return bool(self.response.get("shouldEndSession"))

    @property
    def directives(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.response.get("directives") or []
        return result

    def directive(self, kind: str) -> dict[str, Any] | None:
        """The first directive of a type, such as "Alexa.Presentation.APL.RenderDocument"."""
        return next((d for d in self.directives if d.get("type") == kind), None)

    @property
    def token(self) -> str | None:
        """The token of the document this reply shows, if it shows one."""
        rendered = self.directive(RENDER)
        return str(rendered["token"]) if rendered else None

    @property
    def attributes(self) -> dict[str, Any]:
        result: dict[str, Any] = self.raw.get("sessionAttributes") or {}
        return result


def check_well_formed(reply: Reply) -> None:
    """What Alexa requires of every response, and what we promise of every open one."""
    if not reply.ssml:
        return
    root = ET.fromstring(reply.ssml)
    assert root.tag == "speak"
    assert len(reply.ssml) <= MAX_SSML_CHARS
    for tag in root.iter("break"):
        assert int(tag.attrib["time"].removesuffix("ms")) <= 10_000
    if not reply.ended:
        # On a screen a block leaves shouldEndSession unset: open without the microphone
        # while its document coaches, so there is nothing to reprompt.
        coaching = reply.response.get("shouldEndSession") is None and reply.directive(RENDER)
        assert coaching or reply.reprompt, "an open session needs a reprompt"
        tail = " ".join(re.split(r"(?<=[.?!])\s+", reply.speech)[-2:])
        assert "?" in tail, f"an open session must end with a question: {reply.speech[-120:]}"


class Conversation:
    """A person talking to the skill: sessions begin, carry attributes, and end."""

    def __init__(self, handler: Handler, user: str = "amzn1.ask.account.TESTUSER",
                 locale: str = "en-US", screen: bool = False) -> None:  # fmt: skip
        self.handler = handler
        self.screen = screen  # a device with a screen: every request carries its context
        self.user = user
        self.locale = locale
        self.attributes: dict[str, Any] | None = None  # None: the next request opens a session
        self.session = 0
        self.replies: list[Reply] = []
        self.timestamp: str | None = None  # when set, every request is stamped with it

    def _send(self, template: str, request: dict[str, Any]) -> Reply:
        event = envelope(template)
        if self.screen:
            event["context"] = envelope("screen_user_event")["context"]
        new = self.attributes is None
        if new:
            self.session += 1
        for place in (event.get("session"), event["context"]["System"]):
            if place is not None:
                place["user"]["userId"] = self.user
        if "session" in event:
            event["session"]["new"] = new
            event["session"]["sessionId"] = f"amzn1.echo-api.session.{self.user}.{self.session}"
            event["session"]["attributes"] = copy.deepcopy(self.attributes or {})
        event["request"].update(request)
        event["request"]["locale"] = self.locale
        if self.timestamp:
            event["request"]["timestamp"] = self.timestamp
        event["request"]["requestId"] = f"amzn1.echo-api.request.{next(_ids)}"
        reply = Reply(self.handler(event))
        check_well_formed(reply)
        self.replies.append(reply)
        ended = reply.ended or event["request"]["type"] == "SessionEndedRequest"
        self.attributes = None if ended else reply.attributes
        return reply

    def launch(self) -> Reply:
        self.attributes = None
        return self._send("launch", {})

    def say(self, intent: str, **slots: str | tuple[str, str | None]) -> Reply:
        """An intent; a slot is a heard value, or (value, resolved id or None for no match)."""
        return self._send("start_routine", {"intent": {
            "name": intent, "confirmationStatus": "NONE",
            "slots": {name: _slot(name, value) for name, value in slots.items()},
        }})  # fmt: skip

    def touch(self, *arguments: object, token: str | None = None) -> Reply:
        """A screen event (SendEvent) with these arguments, from the document on screen."""
        shown = (
            token
            if token is not None
            else next((r.token for r in reversed(self.replies) if r.token), "")
        )
        return self._send("screen_user_event", {"arguments": list(arguments), "token": shown})

    def end(self, reason: str = "EXCEEDED_MAX_REPROMPTS") -> Reply:
        return self._send("session_ended", {"type": "SessionEndedRequest", "reason": reason})


def _slot(name: str, value: str | tuple[str, str | None]) -> dict[str, Any]:
    if isinstance(value, str):
        return {"name": name, "value": value, "confirmationStatus": "NONE"}
    heard, resolved = value
    status = "ER_SUCCESS_MATCH" if resolved else "ER_SUCCESS_NO_MATCH"
    authority: dict[str, Any] = {
        "authority": f"amzn1.er-authority.{name}",
        "status": {"code": status},
    }
    if resolved:
        authority["values"] = [{"value": {"name": heard, "id": resolved}}]
    return {
        "name": name, "value": heard, "confirmationStatus": "NONE",
        "resolutions": {"resolutionsPerAuthority": [authority]},
    }  # fmt: skip


def seed_prompts(patch: pytest.MonkeyPatch, seed: int) -> None:
    """Prompts pick a variant at random; a seeded choice makes two runs comparable."""
    original = prompts.Prompts.__init__

    def seeded(self: prompts.Prompts, catalogue: dict[str, list[str]],
               rng: random.Random | None = None) -> None:  # fmt: skip
        original(self, catalogue, random.Random(seed))

    patch.setattr(prompts.Prompts, "__init__", seeded)
