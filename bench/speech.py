"""Local speech: rendering the longest routine to WAV, and how true the file's timing is."""

from __future__ import annotations

import array
import time
import wave
from dataclasses import dataclass
from pathlib import Path

from bench.common import median_of
from skill.content import default_catalogue
from skill.content.model import DosageKind, Sides
from skill.engine.compiler import compile_routine
from skill.engine.script import Script
from skill.local.play import render
from skill.local.tts import Pyttsx3Speaker
from skill.local.wav import Rendering

RUNS = 3


@dataclass(frozen=True)
class Render:
    routine: str
    seconds: float  # to render
    audio_s: float

    @property
    def realtime_factor(self) -> float:
        return self.seconds / self.audio_s


@dataclass(frozen=True)
class Fidelity:
    routine: str
    prescribed_s: float  # holds as the articles (or our careful choice) prescribe them
    scheduled_s: float  # holds in the compiled script
    wav_silence_s: float  # silence measured in the WAV where the holds are
    script_s: float
    wav_s: float


def longest() -> Script:
    catalogue = default_catalogue()
    scripts = [compile_routine(catalogue, r) for r in catalogue.routines.values()]
    return max(scripts, key=lambda s: s.ms)


def render_longest(workdir: Path) -> Render:
    script = longest()
    speaker = Pyttsx3Speaker()
    path = workdir / "longest.wav"
    last: list[Rendering] = []

    def once() -> float:
        started = time.perf_counter()
        last.append(render(script, path, speaker))
        return time.perf_counter() - started

    seconds = median_of(RUNS, once)
    return Render(script.routine.id, seconds, last[-1].seconds)


def prescribed_seconds(script: Script) -> float:
    """What the routine's items prescribe, worked out from the content, not the script."""
    catalogue = default_catalogue()
    total = 0.0
    breath = script.settings.breath_seconds
    for index in script.items:
        item = script.routine.items[index]
        stretch = catalogue.stretches[item.stretch]
        dosage = item.dosage
        if dosage.kind is DosageKind.MOVING:
            continue
        if dosage.kind is DosageKind.HOLD:
            assert dosage.hold_seconds is not None
            one = float(dosage.hold_seconds.default)
        else:
            assert dosage.breaths is not None
            one = dosage.breaths.default * breath
        sides = 1 if stretch.sides is Sides.NONE or item.side else 2
        total += one * dosage.reps.default * dosage.sets.default * sides
    return total


def silence_in_holds(rendering: Rendering, path: Path) -> float:
    """Seconds of true silence (zero samples) inside the file's hold spans."""
    with wave.open(str(path), "rb") as audio:
        samples = array.array("h", audio.readframes(audio.getnframes()))
    silent = 0
    for span in rendering.spans:
        if span.hold:
            silent += sum(1 for s in samples[span.start : span.start + span.frames] if s == 0)
    return silent / rendering.rate


def fidelity(workdir: Path) -> list[Fidelity]:
    catalogue = default_catalogue()
    speaker = Pyttsx3Speaker()
    rows = []
    for routine in catalogue.routines.values():
        script = compile_routine(catalogue, routine)
        path = workdir / f"{routine.id}.wav"
        rendering = render(script, path, speaker)
        rows.append(
            Fidelity(
                routine=routine.id,
                prescribed_s=prescribed_seconds(script),
                scheduled_s=sum(st.hold_ms or 0 for st in script.steps) / 1000,
                wav_silence_s=silence_in_holds(rendering, path),
                script_s=script.ms / 1000,
                wav_s=rendering.seconds,
            )
        )
        path.unlink()
    return rows
