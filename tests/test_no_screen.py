"""Devices without a screen: every response is byte for byte what it was before the screen."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.alexa import Conversation, seed_prompts
from tests.test_skill import SENIORS, Coach

GOLDEN = Path(__file__).resolve().parent / "golden" / "no_screen.json"
STAMP = "2026-11-21T09:00:05Z"


def _conversation() -> list[dict[str, Any]]:
    """A first visit, every move a screen adds a button for, questions, and a whole routine."""
    talk = Conversation(Coach().handle)
    talk.timestamp = STAMP
    talk.launch()
    talk.say("StartRoutineIntent", routine=SENIORS)
    for intent in ("AMAZON.NextIntent", "AMAZON.RepeatIntent", "AMAZON.PreviousIntent",
                   "AMAZON.PauseIntent", "AMAZON.ResumeIntent", "TimeLeftIntent",
                   "WhatsNextIntent", "AMAZON.StopIntent"):  # fmt: skip
        talk.say(intent)
    talk.launch()
    talk.say("AMAZON.YesIntent")
    for _ in range(40):
        if talk.replies[-1].ended:
            break
        talk.say("AMAZON.NextIntent")
    return [reply.raw for reply in talk.replies]


def test_devices_without_a_screen_get_todays_responses(monkeypatch: pytest.MonkeyPatch) -> None:
    seed_prompts(monkeypatch, 15)
    replies = _conversation()
    assert replies[-1]["response"]["shouldEndSession"] is True  # the routine ran to its end
    assert not any("directives" in reply["response"] for reply in replies)
    assert json.dumps(replies, indent=1, sort_keys=True) == GOLDEN.read_text(encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover
    # Rewrites the pinned responses: only ever from a commit whose answers are the reference.
    with pytest.MonkeyPatch.context() as patch:
        seed_prompts(patch, 15)
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(json.dumps(_conversation(), indent=1, sort_keys=True), encoding="utf-8")
