"""Local speech through pyttsx3 (espeak-ng on Linux): one engine per process, used carefully."""

from __future__ import annotations

import array
import atexit
import contextlib
import io
import shutil
import sys
import tempfile
import threading
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from skill.errors import StretchCoachError

INSTALL_HINT = (
    "No speech engine is installed. Install espeak-ng "
    "(Debian/Ubuntu: sudo apt-get install espeak-ng; macOS: brew install espeak-ng), "
    "or use --mute."
)
# espeak's "words per minute" runs slower than its name on our cues; asking for a little
# more keeps spoken lines inside the time the script gives them.
ESPEAK_RATE_FACTOR = 1.25
SYNTH_ATTEMPTS = 4


class SpeechUnavailable(StretchCoachError):
    """No text-to-speech engine could be started on this machine."""


@dataclass(frozen=True)
class Audio:
    """Synthesised speech: 16-bit PCM frames and their format."""

    frames: bytes
    rate: int
    channels: int
    width: int

    @property
    def seconds(self) -> float:
        return len(self.frames) / (self.rate * self.channels * self.width)


class Speaker(Protocol):
    """What the player and the chat need from a voice."""

    def speak(self, text: str) -> None:
        """Say text aloud and return when it has been said."""

    def synthesize(self, text: str, speed: float = 1.0) -> Audio:
        """Speech for text as audio, without playing it; speed > 1 talks faster."""


_engine: Any = None
_lock = threading.Lock()


@atexit.register
def _release_engine() -> None:
    # Let pyttsx3 tidy up while Python is still whole: at interpreter teardown its
    # destructor finds its own imports gone and prints a traceback.
    global _engine
    _engine = None


def _shared_engine() -> Any:
    """The process's one pyttsx3 engine: several engines on espeak can hang."""
    global _engine
    with _lock:
        if _engine is None:
            try:
                import pyttsx3

                _engine = pyttsx3.init()
            except Exception as exc:  # pyttsx3 raises many kinds when no engine is found
                raise SpeechUnavailable(f"{INSTALL_HINT} ({type(exc).__name__})") from None
        return _engine


class Pyttsx3Speaker:
    """pyttsx3 with a words-per-minute rate and an optional voice."""

    def __init__(self, *, words_per_minute: float = 150.0, voice: str | None = None) -> None:
        self.words_per_minute = words_per_minute
        self.engine = _shared_engine()
        if voice:
            self.engine.setProperty("voice", self._find_voice(voice))

    def _find_voice(self, wanted: str) -> str:
        voices = self.engine.getProperty("voices") or []
        for voice in voices:
            if wanted.lower() in (str(voice.id).lower(), str(voice.name).lower()):
                return str(voice.id)
        for voice in voices:
            if wanted.lower() in str(voice.name).lower():
                return str(voice.id)
        names = ", ".join(sorted({str(v.name) for v in voices})[:12])
        raise SpeechUnavailable(f"no voice called '{wanted}'; some that exist: {names}")

    def _rate(self, speed: float) -> None:
        self.engine.setProperty("rate", round(self.words_per_minute * ESPEAK_RATE_FACTOR * speed))

    def _run(self) -> None:
        # pyttsx3's espeak driver prints progress to stdout; keep the terminal ours.
        with contextlib.redirect_stdout(io.StringIO()):
            self.engine.runAndWait()

    def check_playback(self) -> None:
        """Speaking aloud needs a player: pyttsx3's espeak driver hands audio to aplay."""
        if sys.platform.startswith("linux") and shutil.which("aplay") is None:
            raise SpeechUnavailable(
                "Speech can be made but not played: aplay is missing "
                "(Debian/Ubuntu: sudo apt-get install alsa-utils). "
                "--wav FILE renders without playing."
            )

    def speak(self, text: str) -> None:
        with _lock:
            self._rate(1.0)
            self.engine.say(text)
            self._run()

    def synthesize(self, text: str, speed: float = 1.0) -> Audio:
        # pyttsx3's espeak driver now and then finishes its loop without writing the file,
        # or writes silence; asking again has always been enough.
        for _ in range(SYNTH_ATTEMPTS):
            audio = self._synthesize_once(text, speed)
            if audio is not None and audio.frames:
                return audio
        raise SpeechUnavailable(f"the speech engine made no audio for: {text[:40]}")

    def _synthesize_once(self, text: str, speed: float) -> Audio | None:
        with _lock, tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "speech.wav"
            self._rate(speed)
            self.engine.save_to_file(text, str(path))
            self._run()
            if not path.exists():
                return None
            with wave.open(str(path), "rb") as audio:
                return trim(
                    Audio(
                        frames=audio.readframes(audio.getnframes()),
                        rate=audio.getframerate(),
                        channels=audio.getnchannels(),
                        width=audio.getsampwidth(),
                    )
                )


# Samples quieter than this (of 32767) count as silence when trimming.
SILENCE_LEVEL = 200


def trim(audio: Audio) -> Audio:
    """Drop the silence espeak puts around speech: the script times its own pauses."""
    if audio.width != 2 or audio.channels != 1:
        return audio
    samples = array.array("h", audio.frames)
    start, end = 0, len(samples)
    while start < end and abs(samples[start]) < SILENCE_LEVEL:
        start += 1
    while end > start and abs(samples[end - 1]) < SILENCE_LEVEL:
        end -= 1
    return Audio(samples[start:end].tobytes(), audio.rate, audio.channels, audio.width)
