"""Sound in: a WAV file or the microphone (arecord), cut into utterances for the recogniser."""

from __future__ import annotations

import logging
import os
import queue
import re
import shutil
import subprocess
import threading
import time
import wave
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from skill.errors import StretchCoachError
from skill.local.recognise import SAMPLE_RATE, Heard, Recogniser

log = logging.getLogger(__name__)

BYTES_PER_SECOND = SAMPLE_RATE * 2
# A command is said on its own and takes well under this (the longest the grammar holds,
# "what's coming next" at 140 words a minute, about 1.3 s); longer speech is someone
# talking, not to the coach. Measured on prose read aloud, this alone removed five in six
# of the false actions.
MAX_COMMAND_SECONDS = 2.0
# With the wake word, a command is that much longer: "coach" and the pause after it
# ("coach" takes about 0.45 s in the benchmark's voices). Measured with a 1 s pause after
# "coach" (phrases 3 and 4 of each intent, 3 voices x 2 rates, quiet): 0.8 s, 172 of 180
# right, no false action in prose, clauses or noise; 1.2 s, 174 of 180, but "coach
# shooting" heard once in 15 min of prose read clause by clause. Kept at 0.8 s.
WAKE_SECONDS = 0.8
# "coach, next" with a comma's pause is often two utterances to the endpointer (measured:
# 8 of 18 espeak-ng readings with 0.2 s of silence after "coach"; none with 0.1 s), and
# neither alone is a command. An utterance heard as nothing is therefore read again joined
# to the next one, when that starts within this many seconds of its end (joining is only
# tried in wake mode, where the joined audio must still begin with "coach" to be a
# command). Measured with longer pauses after "coach" (quiet; tuning: the first two
# phrases of each intent in two voices, 136 clips; held out: the third voice, 68, and
# phrases 3 and 4 of each intent, 180): 0.5 s joined nothing at a 0.6 s pause (6 of 136
# right); 0.8 s, 128 at a 0.6 s pause but 95 at 0.8 s (held out 30 / 116); 1.2 s, 128 and
# 128 (held out at 0.8 s: 61 / 174), 131 at a 1 s pause, and no false action in prose,
# clauses or noise. A 0.2 s pause (the benchmark's) is joined alike by all of them.
JOIN_SECONDS = 1.2
# Seconds of audio the endpointer weighs to decide speech has ended: most of the delay
# between the end of a command and the action (measured: 0.3 s gave a median of 0.41 s
# from the end of speech to a decision).
WINDOW = 0.24
# How long the arecord process may take to fail before we trust it is recording.
MIC_START_SECONDS = 0.5
# arecord hands audio on a period at a time, by default a quarter of its 500 ms buffer: up
# to 0.125 s between the end of a command and the endpointer seeing it, more than all the
# decoding. Periods this long (ALSA takes the nearest the device allows) keep it within a
# player's look or two.
MIC_PERIOD_SECONDS = 0.02


class AudioError(StretchCoachError):
    """Audio that cannot be listened to: a missing file, not a WAV, an odd format, no mic."""


def read_wav(path: Path) -> bytes:
    """A WAV file as 16 kHz mono 16-bit PCM, whatever its rate and channel count."""
    if not path.exists():
        raise AudioError(f"{path}: no such file")
    if path.is_dir():
        raise AudioError(f"{path}: is a folder, not a WAV file")
    try:
        with wave.open(str(path), "rb") as audio:
            rate, channels, width = audio.getframerate(), audio.getnchannels(), audio.getsampwidth()
            frames = audio.readframes(audio.getnframes())
    except (wave.Error, EOFError) as exc:
        raise AudioError(f"{path}: not a PCM WAV file ({exc})") from None
    except OSError as exc:
        raise AudioError(f"{path}: cannot be read ({exc.strerror})") from None
    if width != 2:
        raise AudioError(f"{path}: {width * 8}-bit samples; 16-bit PCM is needed")
    if rate < 8000:
        raise AudioError(f"{path}: {rate} Hz is too low a sample rate for speech")
    return to_16k_mono(frames, rate, channels)


def to_16k_mono(frames: bytes, rate: int, channels: int) -> bytes:
    """Mix to mono and resample to 16 kHz (a band limit first, so nothing folds back)."""
    import numpy as np

    samples = np.frombuffer(frames, dtype="<i2").astype(np.float64)
    if channels > 1:
        samples = samples[: len(samples) // channels * channels].reshape(-1, channels).mean(axis=1)
    if rate != SAMPLE_RATE and len(samples):
        wanted = round(len(samples) * SAMPLE_RATE / rate)
        # Resampling in the frequency domain drops everything above 8 kHz exactly.
        spectrum = np.fft.rfft(samples)
        keep = min(len(spectrum), wanted // 2 + 1)
        samples = np.fft.irfft(spectrum[:keep], wanted) * wanted / len(samples)
    out: bytes = np.clip(np.round(samples), -32768, 32767).astype("<i2").tobytes()
    return out


class Source(Protocol):
    """Audio up to a moment: what a file or a microphone has given since the last call."""

    def read(self, until: float) -> bytes:
        """PCM (16 kHz mono 16-bit) from the last read up to `until` seconds of source time."""

    @property
    def exhausted(self) -> bool:
        """Nothing more will ever come."""

    def close(self) -> None:
        """Stop recording."""


class FileSource:
    """A WAV file played into the listener: its second t is the listener's second t."""

    def __init__(self, path: Path) -> None:
        self.pcm = read_wav(path)
        self.position = 0

    def read(self, until: float) -> bytes:
        end = min(len(self.pcm), int(until * SAMPLE_RATE) * 2)
        chunk = self.pcm[self.position : end] if end > self.position else b""
        self.position = max(self.position, end)
        return chunk

    @property
    def exhausted(self) -> bool:
        return self.position >= len(self.pcm)

    def close(self) -> None:
        pass


class MicSource:
    """The default capture device through arecord (alsa-utils), read on a thread."""

    def __init__(self, device: str | None = None) -> None:
        arecord = shutil.which("arecord")
        if arecord is None:
            raise AudioError("no microphone: arecord is missing (sudo apt-get install alsa-utils)")
        command = [arecord, "-q", "-t", "raw", "-f", "S16_LE", "-c", "1", "-r", str(SAMPLE_RATE),
                   "-F", str(round(MIC_PERIOD_SECONDS * 1e6))]  # fmt: skip
        if device:
            command += ["-D", device]
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL
        )
        try:
            self.process.wait(MIC_START_SECONDS)
        except subprocess.TimeoutExpired:
            pass  # still recording: there is a device
        else:
            error = (self.process.stderr.read() if self.process.stderr else b"").decode(
                errors="replace"
            )
            reason = error.strip().splitlines()[-1] if error.strip() else "arecord stopped"
            # "arecord: main:831: audio open error: ...": the source line says nothing to us.
            reason = re.sub(r"^(?:arecord: )?(?:\w+:\d+: )?", "", reason)
            raise AudioError(f"no microphone to listen with ({reason})")
        self.chunks: queue.Queue[bytes] = queue.Queue()
        self.thread = threading.Thread(target=self._pump, daemon=True)
        self.thread.start()

    def _pump(self) -> None:
        stdout = self.process.stdout
        assert stdout is not None
        # Whatever has come, as it comes: a buffered read of a fixed size would wait to fill.
        while chunk := os.read(stdout.fileno(), 8192):
            self.chunks.put(chunk)

    def read(self, until: float) -> bytes:
        # Live audio: whatever arrived is now; `until` only matters for a file.
        parts = []
        while True:
            try:
                parts.append(self.chunks.get_nowait())
            except queue.Empty:
                return b"".join(parts)

    @property
    def exhausted(self) -> bool:
        return self.process.poll() is not None and self.chunks.empty()

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(2)
            except subprocess.TimeoutExpired:
                self.process.kill()


@dataclass
class _Utterance:
    start: float
    frames: list[bytes]


class Utterances:
    """Cuts a stream of PCM into utterances with pocketsphinx's voice activity endpointer.

    The endpointer says when speech starts and ends; the audio handed on is cut from our
    own copy of the stream with a margin either side, because its own frames start late and
    stop early enough to lose a first or last sound ("next" heard as "what leg").
    """

    MARGIN = 0.3  # seconds of audio kept before what the endpointer calls speech
    # And after it, less: the end is cut when the endpointer is sure, by which time a command
    # said 0.2 s after "coach" has begun, and 0.3 s took its first sound into the cut of
    # "coach" ("coach, hush" as "coach nah", "coach, how long" as "coach pause"). Measured
    # as for PAUSE_WORD in skill/local/recognise.py ("coach", 0.2 s, the command; right
    # quiet / in noise), 0.3 s -> 0.15 s: bench 194 / 188 -> 194 / 190 of 204, with a 0.6 s
    # pause 194 / 186 -> 194 / 184; held-out voices 243 / 247 -> 243 / 246 of 272; held-out
    # phrases 168 / 168 -> 173 / 174 of 180; --no-wake 184 / 175 either way; false actions
    # in prose, clauses and noise 0 either way. 0.2 s was no better than 0.3 s (168 quiet).
    MARGIN_AFTER = 0.15
    KEEP = 20.0  # seconds of recent audio kept to cut from; longer speech is not a command

    def __init__(self, window: float = WINDOW, ratio: float = 0.9, mode: int = 3) -> None:
        self.settings = {"window": window, "ratio": ratio, "vad_mode": mode}
        self.reset(0.0)

    def reset(self, at: float) -> None:
        """Forget what was heard (the coach spoke over it); go on from `at` seconds."""
        from pocketsphinx import Endpointer

        # A fresh endpointer forgets a half-seen utterance; the old one would carry it on.
        self.endpointer = Endpointer(sample_rate=SAMPLE_RATE, **self.settings)
        self.frame_bytes: int = self.endpointer.frame_bytes
        self.pending = b""
        self.offset = at  # source seconds where this endpointer's clock starts
        self.recent = bytearray()  # the latest audio fed, ending at self.fed seconds
        self.fed = 0.0  # seconds fed to this endpointer

    def feed(self, pcm: bytes) -> Iterator[tuple[float, float, bytes]]:
        """Each finished utterance as (start, end, pcm), start and end in source seconds."""
        self.pending += pcm
        size = self.frame_bytes
        while len(self.pending) >= size:
            frame, self.pending = self.pending[:size], self.pending[size:]
            self.recent += frame
            self.fed += size / BYTES_PER_SECOND
            if len(self.recent) > self.KEEP * BYTES_PER_SECOND:
                del self.recent[: len(self.recent) - int(self.KEEP * BYTES_PER_SECOND)]
            was_speech = self.endpointer.in_speech
            self.endpointer.process(frame)
            if was_speech and not self.endpointer.in_speech:
                yield self._finish()

    def _finish(self) -> tuple[float, float, bytes]:
        start = float(self.endpointer.speech_start)
        end = float(self.endpointer.speech_end)
        return self.offset + start, self.offset + end, self.span(start, end)

    def span(self, start: float, end: float) -> bytes:
        """The audio held from `start` to `end` (this endpointer's seconds), with the margins."""
        held = len(self.recent) / BYTES_PER_SECOND  # seconds in self.recent
        first = max(0.0, start - self.MARGIN - (self.fed - held))
        last = max(first, min(held, end + self.MARGIN_AFTER - (self.fed - held)))
        return bytes(self.recent[int(first * SAMPLE_RATE) * 2 : int(last * SAMPLE_RATE) * 2])


class Hearing:
    """Each utterance cut from a stream, decided: its Heard, or None when it is too long.

    With the wake word, an utterance heard as nothing is kept for a moment: joined to the
    next one (see JOIN_SECONDS), it may be "coach" and its command.
    """

    def __init__(self, recogniser: Recogniser) -> None:
        self.recogniser = recogniser
        self.longest = MAX_COMMAND_SECONDS + (WAKE_SECONDS if recogniser.wake else 0.0)
        self.before: tuple[float, float] | None = None  # an utterance heard as nothing

    def reset(self) -> None:
        self.before = None

    def hear(self, cutter: Utterances, start: float, end: float, speech: bytes,
             at: float) -> Heard | None:  # fmt: skip
        before, self.before = self.before, None
        # Joined first: after "coach" alone this is most likely its command. Measured on the
        # benchmark ("coach" first, 0.2 s pause), against reading the new one alone first:
        # quiet 92.6% -> 94.1% right (alone, "ouch" had been heard as "coach stop"), and
        # one decode fewer, the 90th percentile from the end of speech to the decision
        # 0.55 s -> 0.45 s.
        if (
            before is not None
            and start - before[1] <= JOIN_SECONDS
            and end - before[0] <= self.longest
        ):
            offset = cutter.offset
            joined = self.recogniser.hear(cutter.span(before[0] - offset, end - offset), at)
            if joined.match is not None:
                return joined
        heard = self.recogniser.hear(speech, at) if end - start <= self.longest else None
        if heard is not None and heard.match is None and self.recogniser.wake:
            self.before = (start, end)
        return heard


class Listener:
    """Half duplex: hears commands only while unmuted; the coach mutes it to speak."""

    def __init__(self, source: Source, recogniser: Recogniser,
                 clock: Callable[[], float] = time.monotonic) -> None:  # fmt: skip
        self.source = source
        self.recogniser = recogniser
        self.clock = clock
        self.started = clock()
        self.cutter = Utterances()
        self.hearing = Hearing(recogniser)
        self.muted = False

    def now(self) -> float:
        """Source seconds: for a file, the player's clock since listening began."""
        return self.clock() - self.started

    def mute(self) -> None:
        """The coach is about to speak: what comes in now is its own voice."""
        self.muted = True

    def unmute(self) -> None:
        now = self.now()
        self.source.read(now)  # drop what was recorded while muted
        self.cutter.reset(now)
        self.hearing.reset()
        self.muted = False

    def poll(self) -> list[Heard]:
        """Commands finished since the last poll (none while muted)."""
        now = self.now()
        pcm = self.source.read(now)
        if self.muted or not pcm:
            return []
        heard: list[Heard] = []
        for start, end, speech in self.cutter.feed(pcm):
            result = self.hearing.hear(self.cutter, start, end, speech, end)
            if result is None:
                continue
            log.debug("heard %r at %.2f s", result.text, end)
            if result.match is not None:
                heard.append(result)
        return heard

    @property
    def exhausted(self) -> bool:
        return self.source.exhausted

    def close(self) -> None:
        self.source.close()


def hear_stream(pcm: bytes, recogniser: Recogniser) -> Iterator[Heard]:
    """Every utterance in a long recording, with the time its speech ended."""
    cutter = Utterances()
    hearing = Hearing(recogniser)
    step = BYTES_PER_SECOND // 10
    # Silence first, so speech at the very start still has an onset to find.
    pcm = bytes(BYTES_PER_SECOND // 2) + pcm
    for start in range(0, len(pcm) + step, step):
        chunk = pcm[start : start + step]
        if not chunk:
            # Silence at the end lets the endpointer close an utterance still open.
            chunk = b"\0" * BYTES_PER_SECOND
        for begin, end, speech in cutter.feed(chunk):
            heard = hearing.hear(cutter, begin, end, speech, max(end - 0.5, 0.0))
            if heard is not None:
                yield heard
