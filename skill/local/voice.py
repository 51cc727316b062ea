"""Commands heard during `play --listen`, decided by the skill itself through real requests."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from skill.alexa.app import CoachSkill
from skill.alexa.person import Person
from skill.engine.cursor import Status, anchored, progress, repair
from skill.engine.phrases import seconds_phrase
from skill.engine.script import Script
from skill.local.envelopes import Session
from skill.local.identity import load_person, save_person
from skill.local.matcher import Match
from skill.local.player import CONTINUE, Action, Where
from skill.local.recognise import Heard
from skill.speech.text import from_ssml
from skill.store.base import StoreError, VersionedAdapter

log = logging.getLogger(__name__)

# Questions that leave the routine playing: the answer is said over the hold, which goes on.
QUERIES = frozenset({"WhichSideIntent", "WhatsNextIntent", "WhereAmIIntent", "AMAZON.HelpIntent"})
TIME_LEFT = "TimeLeftIntent"
# Answers mean something only to a question; mid-hold a stray "no" would stop the routine
# (the skill reads a bare "no" as stop) and a stray "yes" would ask which routine.
ANSWERS = frozenset({"AMAZON.YesIntent", "AMAZON.NoIntent"})
STOP = "AMAZON.StopIntent"
# A stop is the one command that loses the routine, and the one a mishearing made most
# often ("coach, next" heard as "coach exit" or "coach end" in 5 of 6 clips, before those
# phrases left the grammar; "end" heard in prose read clause by clause). So a stop heard by
# voice is asked back; a yes (or the stop said again) within this many seconds of it, the
# question's own speech included, stops; a no, another command or silence carries on.
CONFIRM_SECONDS = 8.0


class VoiceControl:
    """Each command becomes an IntentRequest for CoachSkill.handle, its answer an Action.

    The player then plays a block, says something, waits for an answer, or stops.

    The skill keeps the place in the same store as `play`; before a command the player's
    block is written there, so the skill moves from where the person really is.
    """

    def __init__(
        self,
        skill: CoachSkill,
        store: VersionedAdapter,
        user_id: str,
        recompile: Callable[[Person], Script],
        *,
        on_line: Callable[[str], None] | None = None,
        confirm_stop: bool = True,
        wake_word: str | None = None,
    ) -> None:
        self.skill = skill
        self.store = store
        self.user_id = user_id
        self.recompile = recompile
        self.session = Session(user_id)
        self.waiting = False  # the skill asked a question and waits for its answer
        self.on_line = on_line or (lambda line: None)
        self.confirm_stop = confirm_stop
        # The answer to "Stop here?" as it must be said: after the wake word, if one is needed.
        self.yes = f"{wake_word}, yes," if wake_word else "yes"
        self.stop_asked: Heard | None = None  # the stop heard, while its question is open

    def heard(self, heard: Heard, where: Where) -> Action:
        match = heard.match
        if match is None:
            return CONTINUE
        asked, self.stop_asked = self.stop_asked, None
        if asked is not None and heard.at - asked.at <= CONFIRM_SECONDS:
            if match.intent in (STOP, "AMAZON.YesIntent"):
                self.on_line(f"you: {heard.text}")
                return self._ask(asked.match or match, where)
            if match.intent == "AMAZON.NoIntent":
                self.on_line(f"you: {heard.text}")
                return self._say("Carrying on.")
        if match.intent == STOP and self.confirm_stop:
            self.on_line(f"you: {heard.text}")
            self.stop_asked = heard
            return self._say(f"Stop here? Say {self.yes} to stop.")
        if match.intent in ANSWERS and not self.waiting:
            return CONTINUE
        self.on_line(f"you: {heard.text}")
        if match.intent == TIME_LEFT and not self.waiting:
            return self._say(time_left(where))
        return self._ask(match, where)

    def _ask(self, match: Match, where: Where) -> Action:
        """The skill's answer to the command, through its real request path."""
        if not self.waiting:
            self._place(where)
            self.session = Session(self.user_id)  # a fresh session reads the place just saved
        try:
            response = self.skill.handle(self.session.intent(match))
        except Exception:
            # A command must never break the routine being coached: log it and play on.
            log.warning("the skill could not answer %s", match.intent, exc_info=True)
            return CONTINUE
        self.session.answered(response)
        return self._action(match.intent, response, where)

    def _say(self, text: str) -> Action:
        self.on_line(f"coach: {text}")
        return Action("say", text)

    def _place(self, where: Where) -> None:
        try:
            person = load_person(self.store, self.user_id)
            person.position = anchored(where.script, where.block, Status.PLAYING)
            save_person(self.store, self.user_id, person)
        except StoreError as exc:
            log.warning("could not write the place before a command: %s", exc)

    def _action(self, intent: str, response: dict[str, Any], where: Where) -> Action:
        body = response.get("response") or {}
        ssml = (body.get("outputSpeech") or {}).get("ssml") or ""
        said = " ".join(c.text for c in from_ssml(ssml) if c.text) if ssml else ""
        attributes = response.get("sessionAttributes") or {}
        pending = (attributes.get("pending") or {}).get("question")
        person = Person.from_session(attributes.get("person") or {})
        ended = bool(body.get("shouldEndSession"))
        cursor = person.position if person else None
        self.waiting = False
        if intent in QUERIES:
            return self._say(_statement(said))
        if (
            cursor is not None
            and cursor.status is Status.PLAYING
            and (pending == "ready_next" or ended)
        ):
            # The skill played a block (a move, or a change of pace or version): play it here
            # with the player's own timing, from the person's preferences as they now are.
            assert person is not None
            script = self.recompile(person)
            block = repair(script, cursor).block
            self.on_line(f"coach: (plays {progress(script, repair(script, cursor)).name})")
            return Action("goto", block=block, script=script)
        if ended:
            self.on_line(f"coach: {said}")
            return Action("stop", said)
        if pending is not None and cursor is not None and cursor.status is Status.PAUSED:
            # The skill stopped the clock (pause, a pain check) and waits for an answer.
            self.waiting = True
            self.on_line(f"coach: {said}")
            return Action("wait", said)
        # Anything else ("that's already as slow as I go") is said over the routine, which
        # goes on; the question the skill would end with is left off.
        return self._say(_statement(said))


def time_left(where: Where) -> str:
    """How much longer, from the player's clock: the hold's exact seconds, or the block's."""
    cursor = anchored(where.script, where.block, Status.PLAYING)
    here = progress(where.script, cursor, where.elapsed_ms)
    if here.hold_left_ms is not None:
        side = " on this side" if here.side is not None else ""
        return f"About {seconds_phrase(here.hold_left_ms / 1000)} left{side}."
    name = here.name or "this part"
    return f"About {seconds_phrase(here.block_left_ms / 1000)} left of {name}."


def _statement(said: str) -> str:
    """An answer without the question the skill ends it with: the routine goes on anyway."""
    sentences = [s.strip() for s in said.replace("?", "?|").replace(". ", ".|").split("|")]
    kept = [s for s in sentences if s and not s.endswith("?") and not s.startswith("Say ")]
    return " ".join(kept) or said
