"""Render a routine to one WAV file whose timing is the script's: speech slots and silences."""

from __future__ import annotations

import wave
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from skill.local.tts import Audio
from skill.speech.text import Chunk

# A line that overruns its slot is said again this much faster, at most this many times.
SPEEDUP = 1.2
MAX_RETRIES = 3

Synthesize = Callable[[str, float], Audio]


@dataclass(frozen=True)
class Span:
    """Where a chunk's speech or silence sits in the file, in frames."""

    kind: str  # "speech" or "pause"
    start: int
    frames: int
    hold: bool = False  # a pause that is (part of) a timed hold


@dataclass(frozen=True)
class Rendering:
    """The file written, its length, and where every piece of it is."""

    path: Path
    rate: int
    frames: int
    spans: tuple[Span, ...]
    overruns: int  # lines that did not fit their slot even said faster

    @property
    def seconds(self) -> float:
        return self.frames / self.rate


def render_wav(chunks: Sequence[Chunk], path: Path, synthesize: Synthesize) -> Rendering:
    """Each chunk's words fill its speech slot (padded with silence), then its exact pause."""
    spans: list[Span] = []
    writer: wave.Wave_write | None = None
    fmt: tuple[int, int, int] | None = None
    position = overruns = 0
    try:
        for chunk in chunks:
            audio = _fit(chunk, synthesize) if chunk.text else None
            if audio is not None:
                if fmt is None:
                    fmt = (audio.rate, audio.channels, audio.width)
                    writer = _open(path, fmt)
                elif (audio.rate, audio.channels, audio.width) != fmt:
                    raise ValueError("the speech engine changed its audio format mid-file")
            if fmt is None:
                fmt = (22050, 1, 2)  # silence before any speech: espeak's own format
                writer = _open(path, fmt)
            assert writer is not None
            rate, channels, width = fmt
            slot = round(chunk.speech_ms * rate / 1000)
            said = len(audio.frames) // (channels * width) if audio else 0
            if said > slot:
                overruns += 1
            if audio is not None:
                writer.writeframes(audio.frames)
                spans.append(Span("speech", position, said))
            padding = max(slot - said, 0)
            pause = round(chunk.pause_ms * rate / 1000)
            writer.writeframes(b"\0" * (padding + pause) * channels * width)
            if pause:
                spans.append(Span("pause", position + said + padding, pause, chunk.hold_ms > 0))
            position += said + padding + pause
    finally:
        if writer is not None:
            writer.close()
    return Rendering(path, fmt[0] if fmt else 22050, position, tuple(spans), overruns)


def _open(path: Path, fmt: tuple[int, int, int]) -> wave.Wave_write:
    # Closed by render_wav's finally: the writer lives across the whole loop.
    writer = wave.open(str(path), "wb")  # noqa: SIM115
    writer.setframerate(fmt[0])
    writer.setnchannels(fmt[1])
    writer.setsampwidth(fmt[2])
    return writer


def _fit(chunk: Chunk, synthesize: Synthesize) -> Audio:
    """Speech that fits the chunk's slot: said a little faster when it would run over."""
    speed = 1.0
    audio = synthesize(chunk.text, speed)
    for _ in range(MAX_RETRIES):
        if audio.seconds * 1000 <= chunk.speech_ms:
            break
        speed *= max(SPEEDUP, audio.seconds * 1000 / max(chunk.speech_ms, 1))
        audio = synthesize(chunk.text, speed)
    return audio
