"""Real Alexa request envelopes for local conversations: what the device would have sent."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime
from typing import Any

from skill.local.matcher import Match

APPLICATION_ID = "amzn1.ask.skill.local-stretch-coach"
_ids = itertools.count(1)


class Session:
    """One person's session with the skill: its id, whether it is new, and its attributes."""

    def __init__(self, user_id: str, locale: str = "en-US") -> None:
        self.user_id = user_id
        self.locale = locale
        self.id: str | None = None
        self.attributes: dict[str, Any] = {}

    @property
    def open(self) -> bool:
        return self.id is not None

    def _envelope(self, request: dict[str, Any]) -> dict[str, Any]:
        new = self.id is None
        if new:
            self.id = f"amzn1.echo-api.session.local-{uuid.uuid4()}"
            self.attributes = {}
        system = {
            "application": {"applicationId": APPLICATION_ID},
            "user": {"userId": self.user_id},
            "device": {"deviceId": "amzn1.ask.device.local-terminal", "supportedInterfaces": {}},
            "apiEndpoint": "https://api.amazonalexa.com",
        }
        request = {
            "requestId": f"amzn1.echo-api.request.local-{next(_ids)}",
            "timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "locale": self.locale,
            **request,
        }
        return {
            "version": "1.0",
            "session": {
                "new": new,
                "sessionId": self.id,
                "application": {"applicationId": APPLICATION_ID},
                "attributes": self.attributes,
                "user": {"userId": self.user_id},
            },
            "context": {"System": system},
            "request": request,
        }

    def launch(self) -> dict[str, Any]:
        self.id = None  # "open stretch coach" always opens a new session
        return self._envelope({"type": "LaunchRequest"})

    def intent(self, match: Match | None) -> dict[str, Any]:
        """An IntentRequest; no match is what Alexa sends as AMAZON.FallbackIntent."""
        name = match.intent if match else "AMAZON.FallbackIntent"
        slots: dict[str, Any] = {}
        for slot_name, slot in match.slots.items() if match else []:
            status = "ER_SUCCESS_MATCH" if slot.id else "ER_SUCCESS_NO_MATCH"
            authority: dict[str, Any] = {
                "authority": f"local.{slot_name}",
                "status": {"code": status},
            }
            if slot.id:
                authority["values"] = [{"value": {"name": slot.heard, "id": slot.id}}]
            slots[slot_name] = {
                "name": slot_name,
                "value": slot.heard,
                "confirmationStatus": "NONE",
                "resolutions": {"resolutionsPerAuthority": [authority]},
            }
        return self._envelope({
            "type": "IntentRequest",
            "dialogState": "COMPLETED",
            "intent": {"name": name, "confirmationStatus": "NONE", "slots": slots},
        })  # fmt: skip

    def ended(self, reason: str) -> dict[str, Any]:
        envelope = self._envelope({"type": "SessionEndedRequest", "reason": reason})
        self.id = None
        return envelope

    def answered(self, response: dict[str, Any]) -> None:
        """Carry the session on, or close it when the skill ended it."""
        self.attributes = response.get("sessionAttributes") or {}
        if (response.get("response") or {}).get("shouldEndSession"):
            self.id = None
