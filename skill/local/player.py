"""Play a routine aloud in real time, with a live line showing the stretch and the clock."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

from skill.engine.script import Script, Step
from skill.local.tts import Speaker
from skill.speech.text import Chunk, render_script

BAR = 12
TICK = 0.25  # how often the countdown line is redrawn while waiting


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


class Player:
    """Speaks each chunk, then waits out the rest of its slot and its pause."""

    def __init__(
        self,
        script: Script,
        speaker: Speaker,
        *,
        out: TextIO | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.script = script
        self.speaker = speaker
        self.out = out
        self.sleep = sleep
        self.clock = clock

    def play(self, start_block: int = 0) -> None:
        """Play from a block to the end; Ctrl-C raises Stopped with the block playing."""
        chunks = render_script(self.script, start_block)
        first = self.script.blocks[start_block].start if self.script.blocks else 0
        before = sum(step.ms for step in self.script.steps[:first])
        elapsed = float(before)
        block = start_block
        try:
            for index, chunk in enumerate(chunks):
                step = self.script.steps[chunk.step] if chunk.step is not None else None
                if chunk.step is not None:
                    block = self.script.block_of_step(chunk.step).index
                hold_left = _hold_left(chunks, index)
                started = self.clock()
                self._status(step, hold_left, chunk, 0.0, elapsed)
                if chunk.text:
                    self.speaker.speak(chunk.text)
                wait = max(chunk.speech_ms / 1000 - (self.clock() - started), 0) + chunk.pause
                self._wait(wait, step, hold_left, chunk, elapsed)
                elapsed += chunk.ms
        except KeyboardInterrupt:
            raise Stopped(block) from None
        finally:
            if self.out is not None:
                self.out.write("\n")
                self.out.flush()

    def _wait(self, seconds: float, step: Step | None, hold_left: int, chunk: Chunk,
              elapsed: float) -> None:  # fmt: skip
        end = self.clock() + seconds
        while True:
            left = end - self.clock()
            if left <= 0:
                return
            self._status(step, hold_left, chunk, seconds - left, elapsed)
            self.sleep(min(TICK, left))

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
