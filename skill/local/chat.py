"""Talk to the real skill by typing: each line is matched, sent as a request, answered aloud."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any, TextIO

from skill.alexa.app import CoachSkill
from skill.local.envelopes import Session
from skill.local.matcher import Grammar, is_launch, recognize
from skill.local.tts import Speaker
from skill.speech.text import from_ssml

QUIT = frozenset({"quit", "exit"})


class Chat:
    """A conversation through the same code path as the Lambda: envelopes in, responses out."""

    def __init__(
        self,
        skill: CoachSkill,
        grammar: Grammar,
        out: TextIO,
        user_id: str,
        *,
        speaker: Speaker | None = None,
        echo: bool = False,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.skill = skill
        self.grammar = grammar
        self.out = out
        self.session = Session(user_id)
        self.speaker = speaker
        self.echo = echo
        self.sleep = sleep
        self.clock = clock

    def send(self, envelope: dict[str, Any]) -> dict[str, Any]:
        response = self.skill.handle(envelope)
        self.session.answered(response)
        self.show(response)
        return response

    def show(self, response: dict[str, Any]) -> None:
        body = response.get("response") or {}
        ssml = (body.get("outputSpeech") or {}).get("ssml")
        if ssml:
            chunks = from_ssml(ssml)
            print("coach: " + " ".join(c.text for c in chunks if c.text), file=self.out)
            self.out.flush()
            if self.speaker is not None:
                for chunk in chunks:
                    started = self.clock()
                    if chunk.text:
                        self.speaker.speak(chunk.text)
                    spent = self.clock() - started
                    self.sleep(max(chunk.speech_ms / 1000 - spent, 0) + chunk.pause)
        if body.get("shouldEndSession"):
            print("(session ended: type 'open stretch coach' to start again)", file=self.out)

    def say(self, text: str) -> bool:
        """One line from the person; False when they want to leave."""
        text = text.strip()
        if not text:
            return True
        if self.echo:
            print(f"you: {text}", file=self.out)
        if text.lower() in QUIT:
            self.leave("USER_INITIATED")
            return False
        if is_launch(text, self.grammar):
            self.send(self.session.launch())
        else:
            self.send(self.session.intent(recognize(text, self.grammar)))
        return True

    def leave(self, reason: str) -> None:
        if self.session.open:
            self.skill.handle(self.session.ended(reason))

    def run(self, lines: Iterable[str]) -> None:
        """Open the skill, then one request per line; the end of input is falling silent."""
        self.send(self.session.launch())
        try:
            for line in lines:
                if not self.say(line):
                    return
        except KeyboardInterrupt:
            self.leave("USER_INITIATED")
            return
        # Like a person who stops answering: Alexa closes the session after its reprompt.
        self.leave("EXCEEDED_MAX_REPROMPTS")
