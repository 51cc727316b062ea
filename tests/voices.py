"""Spoken commands for tests and benchmarks: espeak-ng speech, noise, laid on a timeline."""

from __future__ import annotations

import io
import shutil
import subprocess
import wave
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from skill.local.listen import to_16k_mono
from skill.local.recognise import SAMPLE_RATE

Samples = npt.NDArray[np.float64]
ESPEAK = shutil.which("espeak-ng")


def synthesise(text: str, voice: str = "en-us", wpm: int = 160) -> Samples:
    """What espeak-ng says for text, at 16 kHz, without the silence around it."""
    assert ESPEAK is not None, "espeak-ng is needed"
    done = subprocess.run([ESPEAK, "--stdout", "-v", voice, "-s", str(wpm), text],
                          capture_output=True, check=True, timeout=60)  # fmt: skip
    with wave.open(io.BytesIO(done.stdout)) as audio:
        rate, channels = audio.getframerate(), audio.getnchannels()
        frames = audio.readframes(audio.getnframes())
    samples = np.frombuffer(to_16k_mono(frames, rate, channels), dtype="<i2").astype(np.float64)
    loud = np.flatnonzero(np.abs(samples) > 200)
    return samples[loud[0] : loud[-1] + 1] if len(loud) else samples


def timeline(events: Sequence[tuple[float, Samples]], seconds: float) -> Samples:
    """Silence of `seconds`, with each piece of speech starting at its time."""
    out = np.zeros(round(seconds * SAMPLE_RATE))
    for at, speech in events:
        start = round(at * SAMPLE_RATE)
        piece = speech[: max(len(out) - start, 0)]
        out[start : start + len(piece)] += piece
    return out


def pink_noise(count: int, seed: int) -> Samples:
    """Noise with equal power per octave (1/f), as rooms and fans sound, unit RMS."""
    rng = np.random.default_rng(seed)
    spectrum = np.fft.rfft(rng.normal(size=count))
    scale = np.ones(len(spectrum))
    scale[1:] = 1 / np.sqrt(np.arange(1, len(spectrum)))
    noise = np.fft.irfft(spectrum * scale, count)
    rms = float(np.sqrt(np.mean(noise**2))) or 1.0
    out: Samples = noise / rms
    return out


def rms(samples: Samples) -> float:
    return float(np.sqrt(np.mean(samples**2))) if len(samples) else 0.0


def noisy(samples: Samples, level: float, seed: int) -> Samples:
    """Pink noise of RMS `level` (in sample units) under everything."""
    out: Samples = samples + pink_noise(len(samples), seed) * level
    return out


def write_wav(path: Path, samples: Samples) -> Path:
    with wave.open(str(path), "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(SAMPLE_RATE)
        audio.writeframes(np.clip(np.round(samples), -32768, 32767).astype("<i2").tobytes())
    return path


def pcm(samples: Samples) -> bytes:
    data: bytes = np.clip(np.round(samples), -32768, 32767).astype("<i2").tobytes()
    return data
