"""Offline listening: command accuracy, false actions on other speech and noise, latency."""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bench.common import REPO, percentile
from skill.local.listen import BYTES_PER_SECOND, Hearing, Utterances, hear_stream
from skill.local.matcher import Grammar, recognize
from skill.local.recognise import SAMPLE_RATE, WAKE_WORD, Heard, Recogniser
from skill.local.voice import ANSWERS, STOP
from tests.voices import noisy, pcm, rms, synthesise, timeline

VOICES = ("en-us", "en-us+m3", "en-us+f3")
RATES = (140, 180)
PER_INTENT = 2  # the first phrases the grammar lists for each intent
NOISE_DB = 20.0  # pink noise this far below the speech
PAUSE = 0.2  # seconds between "coach" and the command
# A slower speaker's pause after "coach": the endpointer almost always cuts it in two, so this is
# how well the two halves are joined (no goal: the goals are for PAUSE).
LONG_PAUSE = 0.6
# Of ordinary prose, read aloud, that holds no command: the text once in each voice. False
# actions are rare, so a few minutes bound them weakly (0 in 5 minutes is up to 6 in 10).
RADIO_SECONDS = 900.0
NOISE_SECONDS = 300.0  # of pink noise at a talking level
LATENCY_GOAL_S = 0.5


@dataclass(frozen=True)
class Accuracy:
    """Commands heard as parse reads them, out of those said."""

    condition: str
    right: int
    total: int
    confusions: tuple[tuple[str, str], ...]  # (said, heard) for the misses, most common first
    # Other commands heard as a stop: the one mistake that ends the routine.
    stops: int = 0

    @property
    def percent(self) -> float:
        return 100.0 * self.right / self.total if self.total else 0.0


@dataclass(frozen=True)
class FalseActions:
    """Commands heard in audio that holds none, per ten minutes of it."""

    source: str
    seconds: float
    heard: tuple[str, ...]  # every command heard
    # Of those, the ones the player acts on: a "yes" or "no" with no question waiting is
    # let pass without a word (skill/local/voice.py), so it is heard but is no action.
    acted: tuple[str, ...]

    @property
    def per_ten_minutes(self) -> float:
        return len(self.acted) * 600.0 / self.seconds


@dataclass(frozen=True)
class Listening:
    """Everything the listening benchmark measured."""

    accuracy: tuple[Accuracy, ...]
    false_actions: tuple[FalseActions, ...]
    latency_p50_s: float  # the default, "coach" first
    latency_p90_s: float
    plain_latency_p50_s: float  # --no-wake
    plain_latency_p90_s: float
    grammar_phrases: int
    seconds: float


def listening() -> Listening:
    started = time.perf_counter()
    grammar = Grammar.load("en-US")
    plain = Recogniser(grammar)
    wake = Recogniser(grammar, wake=True)
    said = [(phrase, voice, rate) for group in plain.phrases.values()
            for phrase in group[:PER_INTENT] for voice in VOICES for rate in RATES]  # fmt: skip
    clips = {(p, v, r): synthesise(p, v, r) for p, v, r in said}
    accuracy = (
        _accuracy(f'quiet, "{WAKE_WORD}" first (the default)', wake, grammar, said, clips, None,
                  prefix=True),
        _accuracy(f'pink noise {NOISE_DB:g} dB below, "{WAKE_WORD}" first', wake, grammar, said,
                  clips, NOISE_DB, prefix=True),
        _accuracy("quiet, any command (--no-wake)", plain, grammar, said, clips, None),
        _accuracy(f"pink noise {NOISE_DB:g} dB below, --no-wake", plain, grammar, said, clips,
                  NOISE_DB),
        _accuracy(f'quiet, "{WAKE_WORD}" and a {LONG_PAUSE:g} s pause first', wake, grammar,
                  said, clips, None, prefix=True, pause=LONG_PAUSE),
        _accuracy(f'pink noise {NOISE_DB:g} dB below, "{WAKE_WORD}" and a {LONG_PAUSE:g} s '
                  "pause first", wake, grammar, said, clips, NOISE_DB, prefix=True,
                  pause=LONG_PAUSE),
    )  # fmt: skip
    radio = _radio()
    noise = timeline([], NOISE_SECONDS)
    noise = noisy(noise, rms(radio[radio != 0]) if np.any(radio) else 1000.0, seed=7)
    clauses = _radio(clauses=True)
    false_actions = (
        _false("ordinary prose read aloud", wake, radio),
        _false("the same, clause by clause", wake, clauses),
        _false("pink noise at talking level", wake, noise),
        _false("ordinary prose, --no-wake", plain, radio),
        _false("clause by clause, --no-wake", plain, clauses),
        _false("pink noise, --no-wake", plain, noise),
    )
    p50, p90 = _latency(wake, said, clips, prefix=True)
    plain_p50, plain_p90 = _latency(plain, said, clips)
    return Listening(accuracy, false_actions, p50, p90, plain_p50, plain_p90,
                     sum(len(g) for g in plain.phrases.values()),
                     time.perf_counter() - started)  # fmt: skip


def _accuracy(
    condition: str,
    recogniser: Recogniser,
    grammar: Grammar,
    said: Sequence[tuple[str, str, int]],
    clips: dict[tuple[str, str, int], np.ndarray],
    noise_db: float | None,
    *,
    prefix: bool = False,
    pause: float = PAUSE,
) -> Accuracy:
    right = 0
    stops = 0
    misses: dict[tuple[str, str], int] = {}
    for number, (phrase, voice, rate) in enumerate(said):
        speech = clips[(phrase, voice, rate)]
        if prefix:
            speech = np.concatenate([synthesise(WAKE_WORD, voice, rate),
                                     np.zeros(round(SAMPLE_RATE * pause)), speech])  # fmt: skip
        audio = timeline([(0.5, speech)], 1.0 + len(speech) / SAMPLE_RATE)
        if noise_db is not None:
            audio = noisy(audio, rms(speech) / 10 ** (noise_db / 20), seed=number)
        if prefix:
            # Through the endpointer, as play --listen hears it: the pause after "coach" may
            # cut the command in two (skill/local/listen.py, JOIN_SECONDS).
            stream = list(hear_stream(pcm(audio), recogniser))
            heard = next((h for h in stream if h.match is not None),
                         stream[-1] if stream else Heard("", None))  # fmt: skip
        else:
            heard = recogniser.hear(pcm(audio))
        expected = recognize(phrase, grammar)
        if heard.match == expected:
            right += 1
        else:
            key = (phrase, heard.text or "(nothing)")
            misses[key] = misses.get(key, 0) + 1
            if heard.match is not None and heard.match.intent == STOP:
                stops += 1
    confusions = tuple(k for k, _ in sorted(misses.items(), key=lambda kv: -kv[1]))
    return Accuracy(condition, right, len(said), confusions, stops)


def _radio(*, clauses: bool = False) -> np.ndarray:
    """Prose with no commands in it: the privacy policy and terms, read by espeak-ng.

    Each voice reads the whole text in turn. Read clause by clause, with a pause after each
    comma, it is the harder case: many short pieces, each the length of a command.
    """
    files = ("PRIVACY.md", "TERMS.md")
    text = " ".join((REPO / name).read_text(encoding="utf-8") for name in files)
    text = re.sub(r"[#*`|\[\]()>_-]+", " ", text)
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) >= 4]
    if clauses:
        sentences = [c.strip() for s in sentences for c in re.split(r"[,;:]", s) if c.strip()]
    pieces: list[tuple[float, np.ndarray]] = []
    at = 0.5
    for voice in VOICES:
        for sentence in sentences:
            speech = synthesise(sentence[:400], voice, 160)
            pieces.append((at, speech))
            at += len(speech) / SAMPLE_RATE + 0.6
            if at >= RADIO_SECONDS:
                return timeline(pieces, at + 1.0)
    return timeline(pieces, at + 1.0)


def _false(source: str, recogniser: Recogniser, audio: np.ndarray) -> FalseActions:
    heard = [h for h in hear_stream(pcm(audio), recogniser) if h.match is not None]
    acted = tuple(h.text for h in heard if h.match is not None and h.match.intent not in ANSWERS)
    return FalseActions(source, len(audio) / SAMPLE_RATE, tuple(h.text for h in heard), acted)


def _latency(
    recogniser: Recogniser,
    said: Sequence[tuple[str, str, int]],
    clips: dict[tuple[str, str, int], np.ndarray],
    *,
    prefix: bool = False,
) -> tuple[float, float]:
    """End of speech to a decision, as the listener meets it.

    The endpointer's wait for silence, then decoding, on the wall clock; the player's
    polling adds up to one look more.
    """
    delays: list[float] = []
    for key in said[:: len(VOICES) * len(RATES)]:
        speech = clips[key]
        if prefix:
            _, voice, rate = key
            speech = np.concatenate([synthesise(WAKE_WORD, voice, rate),
                                     np.zeros(SAMPLE_RATE // 5), speech])  # fmt: skip
        audio = pcm(timeline([(1.0, speech)], 3.0 + len(speech) / SAMPLE_RATE))
        cutter = Utterances()
        hearing = Hearing(recogniser)
        ended = 1.0 + len(speech) / SAMPLE_RATE
        step = BYTES_PER_SECOND // 100
        decided = False
        for start in range(0, len(audio), step):
            for begin, end, cut in cutter.feed(audio[start : start + step]):
                began = time.perf_counter()
                heard = hearing.hear(cutter, begin, end, cut, end)
                decode = time.perf_counter() - began
                # "coach" heard alone is no decision yet: the command after it is.
                if heard is not None and (heard.match is not None or cutter.fed > ended):
                    delays.append(cutter.fed - ended + decode)
                    decided = True
            if decided:
                break
    if not delays:
        return float("nan"), float("nan")
    return statistics.median(delays), percentile(delays, 0.9)
