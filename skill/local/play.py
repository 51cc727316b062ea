"""`stretch-coach play`: a routine spoken aloud or rendered to WAV, remembering where you are."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from skill.alexa.person import Person
from skill.content.model import Catalogue
from skill.engine.cursor import (
    Move,
    NavigationError,
    Status,
    anchored,
    move,
    progress,
    resumable,
)
from skill.engine.preferences import Preferences
from skill.engine.screening import LATE_PREGNANCY, consequence
from skill.engine.script import Script
from skill.local.identity import load_person, save_person
from skill.local.player import Commands, Player, Stopped
from skill.local.tts import Speaker
from skill.local.wav import Rendering, render_wav
from skill.speech.text import render_script
from skill.store.base import StoreError, VersionedAdapter

if TYPE_CHECKING:
    from skill.local.listen import Listener

log = logging.getLogger(__name__)


def render(script: Script, path: Path, speaker: Speaker) -> Rendering:
    """The whole routine as one WAV file: no audio device needed."""
    return render_wav(render_script(script), path, speaker.synthesize)


class LocalPlay:
    """Plays routines for the person at this computer, keeping their place in the store."""

    def __init__(self, store: VersionedAdapter, user_id: str, out: TextIO) -> None:
        self.store = store
        self.user_id = user_id
        self.out = out
        try:
            self.person = load_person(store, user_id)
        except StoreError as exc:
            log.warning("could not read the store: %s", exc)
            self.person = Person()

    def preferences(
        self, chosen: Preferences, person: Person | None = None, catalogue: Catalogue | None = None
    ) -> Preferences:
        """The person's stored preferences, with what they chose for this run on top.

        With the catalogue, an early pregnancy answer too old to trust counts as late, as
        it does by voice until the question is asked again there.
        """
        person = person or self.person
        mine = person.preferences
        preferences = Preferences(
            pace=chosen.pace or mine.pace,
            gentle=mine.gentle if chosen.gentle is None else chosen.gentle,
            hold_scale=chosen.hold_scale if chosen.hold_scale != 1.0 else mine.hold_scale,
            breath_seconds=chosen.breath_seconds,
            excluded=mine.excluded | chosen.excluded,
        )
        # A screening answered by voice holds here too: what it left out, swapped, or made
        # relevant to say every time.
        for kept in person.screened.values():
            preferences = preferences.combined(kept)
        if catalogue is not None and person.pregnancy_expired(date.today(), catalogue):
            preferences = preferences.combined(consequence(LATE_PREGNANCY, catalogue))
        return preferences

    def start_block(self, script: Script, confirm: Callable[[str], bool]) -> int:
        """Where to begin: offer to pick up an unfinished run of this routine."""
        cursor = self.person.position
        if cursor is None or cursor.routine != script.routine.id:
            return 0
        if not resumable(script, cursor):
            return 0
        try:
            resumed = move(script, cursor, Move.RESUME)
        except NavigationError:
            return 0
        here = progress(script, resumed)
        if here.name and confirm(f"Last time you stopped before {here.name}. Pick up there?"):
            return resumed.block
        return 0

    def play(
        self,
        script: Script,
        speaker: Speaker,
        start_block: int,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        listener: Listener | None = None,
        commands: Commands | None = None,
    ) -> bool:
        """Play to the end (True) or until Ctrl-C or "stop" (False); the place is saved."""
        self.person.started_routine(script.routine.id)
        player = Player(script, speaker, out=self.out, sleep=sleep, clock=clock,
                        listener=listener, commands=commands)  # fmt: skip
        try:
            player.play(start_block)
        except Stopped as stop:
            # A command may have changed the script (slower, easier): the place is in that one.
            script = player.script
            self.person.position = anchored(script, stop.block, Status.PAUSED)
            saved = self._save()
            here = progress(script, self.person.position)
            where = f"Stopped at {here.name or 'the start'}."
            if not saved or self.person.holds_back_position():
                # Not saved, or not kept without the person's yes (see PRIVACY.md): promise
                # nothing.
                print(where, file=self.out)
            else:
                print(f"{where} Run `stretch-coach play {script.routine.id}` to pick up there.",
                      file=self.out)  # fmt: skip
            return False
        script = player.script
        self.person.position = anchored(script, len(script.blocks) - 1, Status.HEARD)
        self.person.finished_routine(script.routine.id, date.today())
        self._save()
        return True

    def _save(self) -> bool:
        try:
            self.person = save_person(self.store, self.user_id, self.person)
        except StoreError as exc:
            print(f"Your place could not be saved: {exc}", file=self.out)
            return False
        return True
