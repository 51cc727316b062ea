"""Play a routine aloud in real time, with a live line showing the stretch and the clock."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TextIO

from skill.engine.script import Script, Step
from skill.local.tts import Speaker
from skill.speech.text import Chunk, render_script

if TYPE_CHECKING:  # the listener needs pocketsphinx, which plain playback does not
    from skill.local.listen import Listener
    from skill.local.recognise import Heard

BAR = 12
TICK = 0.25  # how often the countdown line is redrawn while waiting
# How often a listening player looks for commands: all of it can come between the end of a
# command and the action. A look with nothing heard is a queue read and a few frames for
# the endpointer, well under a millisecond, so looking five times as often as the 0.05 s
# this was costs nothing noticeable; the line is still redrawn only every TICK.
LISTEN_TICK = 0.01


class Stopped(Exception):
    """Playback interrupted (Ctrl-C) in a block; the caller saves the place."""

    def __init__(self, block: int) -> None:
        super().__init__(f"stopped in block {block}")
        self.block = block


def bar(done: float, total: float, width: int = BAR) -> str:
    filled = 0 if total <= 0 else min(width, round(width * done / total))
    return "#" * filled + "-" * (width - filled)


def clock_text(seconds: float) -> str:
    whole = max(0, round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


@dataclass(frozen=True)
class Where:
    """Where playback is: the script, the block, and how far into it (by the player's clock)."""

    script: Script
    block: int
    elapsed_ms: int


@dataclass(frozen=True)
class Action:
    """What the player does about a command: carry on, say something, move, wait or stop."""

    kind: str  # "continue", "say", "goto", "wait" or "stop"
    text: str = ""
    block: int = 0
    script: Script | None = None  # "goto" with changed preferences: the script to play


CONTINUE = Action("continue")


class Commands(Protocol):
    """Decides what a heard command does (the skill, through its real request path)."""

    def heard(self, heard: Heard, where: Where) -> Action:
        """The action for one command heard at this point of the routine."""


class Player:
    """Speaks each chunk, then waits out the rest of its slot and its pause.

    With a listener, it hears commands while it is quiet (never while it speaks) and lets
    `commands` decide what each one does; hold timing still comes from the clock.
    """

    def __init__(
        self,
        script: Script,
        speaker: Speaker,
        *,
        out: TextIO | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        listener: Listener | None = None,
        commands: Commands | None = None,
    ) -> None:
        self.script = script
        self.speaker = speaker
        self.out = out
        self.sleep = sleep
        self.clock = clock
        self.listener = listener
        self.commands = commands
        self.block = 0
        self.chunks: list[Chunk] = []
        self.index = 0
        self.elapsed = 0.0  # script time, in ms, at the start of the current chunk
        self.chunk_started = 0.0

    def play(self, start_block: int = 0) -> None:
        """Play from a block to the end; Ctrl-C raises Stopped with the block playing."""
        self._begin(start_block)
        try:
            while self.index < len(self.chunks):
                chunk = self.chunks[self.index]
                step = self.script.steps[chunk.step] if chunk.step is not None else None
                if chunk.step is not None:
                    self.block = self.script.block_of_step(chunk.step).index
                hold_left = _hold_left(self.chunks, self.index)
                self.chunk_started = started = self.clock()
                self._status(step, hold_left, chunk, 0.0, self.elapsed)
                if chunk.text:
                    self._say(chunk.text)
                wait = max(chunk.speech_ms / 1000 - (self.clock() - started), 0) + chunk.pause
                if self._wait(wait, step, hold_left, chunk, self.elapsed):
                    continue  # a command moved playback: the new chunk list starts over
                self.elapsed += chunk.ms
                self.index += 1
        except KeyboardInterrupt:
            raise Stopped(self.block) from None
        finally:
            if self.out is not None:
                self.out.write("\n")
                self.out.flush()

    def _begin(self, block: int) -> None:
        self.block = block
        self.chunks = render_script(self.script, block)
        first = self.script.blocks[block].start if self.script.blocks else 0
        self.elapsed = float(sum(step.ms for step in self.script.steps[:first]))
        self.index = 0

    def _say(self, text: str) -> None:
        # Half duplex: the coach never hears itself.
        if self.listener is not None:
            self.listener.mute()
        try:
            self.speaker.speak(text)
        finally:
            if self.listener is not None:
                self.listener.unmute()

    def _where(self) -> Where:
        block = self.script.blocks[self.block] if self.script.blocks else None
        start = sum(step.ms for step in self.script.steps[: block.start]) if block else 0
        chunk_ms = self.chunks[self.index].ms if self.index < len(self.chunks) else 0
        into = min((self.clock() - self.chunk_started) * 1000, chunk_ms)
        return Where(self.script, self.block, round(self.elapsed - start + into))

    def _wait(self, seconds: float, step: Step | None, hold_left: int, chunk: Chunk,
              elapsed: float) -> bool:  # fmt: skip
        """Wait out a silence, acting on what is heard; True when a command moved playback."""
        end = self.clock() + seconds
        tick = TICK if self.listener is None else LISTEN_TICK
        drawn = -TICK  # seconds into the wait when the line was last drawn
        while True:
            left = end - self.clock()
            if left <= 0:
                return False
            if seconds - left - drawn >= TICK - 1e-9:
                drawn = seconds - left
                self._status(step, hold_left, chunk, drawn, elapsed)
            self.sleep(min(tick, left))
            if self._listen():
                return True

    def _listen(self) -> bool:
        """Act on the commands heard since the last look; True when playback moved."""
        if self.listener is None or self.commands is None:
            return False
        for heard in self.listener.poll():
            if self._act(self.commands.heard(heard, self._where())):
                return True
        return False

    def _act(self, action: Action) -> bool:
        if action.kind == "continue":
            return False
        if action.text:
            self._say(action.text)
        if action.kind == "say":
            return False
        if action.kind == "stop":
            raise Stopped(self.block)
        if action.kind == "goto":
            if action.script is not None:
                self.script = action.script
            self._begin(action.block)
            return True
        return self._hold()

    def _hold(self) -> bool:
        """The clock stops until a command moves playback on (or stops it)."""
        assert self.listener is not None and self.commands is not None
        if self.out is not None:
            self.out.write("\r" + "(waiting: say resume, next, or stop)".ljust(118))
            self.out.flush()
        while True:
            if self.listener.exhausted:
                raise Stopped(self.block)  # a recording that ends while waiting: stop there
            self.sleep(LISTEN_TICK)
            for heard in self.listener.poll():
                action = self.commands.heard(heard, self._where())
                if action.kind in ("goto", "stop"):
                    return self._act(action)
                if action.text:
                    self._say(action.text)

    def _status(self, step: Step | None, hold_left: int, chunk: Chunk, into: float,
                elapsed: float) -> None:  # fmt: skip
        if self.out is None:
            return
        total = self.script.ms / 1000
        now = elapsed / 1000 + into
        where = "introduction"
        if step is not None and step.name:
            where = step.name
            if step.side is not None:
                where += f" | {step.side.value} {step.side_label.value}"
            if step.sets > 1:
                where += f" | set {step.set}/{step.sets}"
            if step.reps > 1:
                where += f" | rep {step.rep}/{step.reps}"
        hold = ""
        if chunk.hold_ms and step is not None and step.hold_ms:
            held = step.hold_ms / 1000 - hold_left / 1000 + min(into, chunk.pause)
            left = clock_text(step.hold_ms / 1000 - held)
            hold = f" | hold [{bar(held, step.hold_ms / 1000)}] {left}"
        line = f"{where}{hold} | routine [{bar(now, total)}] {clock_text(total - now)} left"
        self.out.write("\r" + line[:118].ljust(118))
        self.out.flush()


def _hold_left(chunks: list[Chunk], index: int) -> int:
    """Hold time from this chunk to the end of its step."""
    step = chunks[index].step
    left = 0
    for chunk in chunks[index:]:
        if chunk.step != step:
            break
        left += chunk.hold_ms
    return left
