"""Offline recognition of spoken commands: pocketsphinx, with a grammar made from the model."""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from skill.alexa.models import Spec, build_model, load_spec
from skill.content import Catalogue, default_catalogue
from skill.local.matcher import Grammar, Match, normalise, recognize

log = logging.getLogger(__name__)

# What a person says while a routine plays: moving, pausing, asking, adjusting, answering
# the pain check. Everything else the skill knows (starting routines, history, forgetting)
# is for `chat`; leaving it out keeps the grammar small, which is what keeps it accurate.
LISTEN_INTENTS = (
    "AMAZON.NextIntent",
    "SkipIntent",
    "AMAZON.PreviousIntent",
    "AMAZON.RepeatIntent",
    "AMAZON.PauseIntent",
    "AMAZON.ResumeIntent",
    "AMAZON.StopIntent",
    "TimeLeftIntent",
    "WhichSideIntent",
    "WhatsNextIntent",
    "PainIntent",
    "PainKindIntent",
    "SlowerIntent",
    "FasterIntent",
    "EasierIntent",
    "AMAZON.YesIntent",
    "AMAZON.NoIntent",
)
# Slots whose values are catalogue names ("skip pigeon") would multiply the grammar by
# forty stretches; during a routine "skip" alone means this one.
NAMED_SLOT_TYPES = frozenset({"STRETCH_NAME", "ROUTINE_NAME"})
# Phrases per intent, in the order intents.yaml writes them (the plain ones come first).
# Measured on espeak-ng voices (bench/listening.py): accuracy falls as the grammar grows
# (with the first phrases of intents.yaml: 94% at 4 an intent, 89% at 8, 88% at 16); each
# phrase added is one more near rhyme for the others.
PER_INTENT = 4
# Phrases of the model left out of the grammar because they take other commands' place;
# their places stay empty (the next phrasings intents.yaml gives were no better: "finished"
# took "next", "back" and "skip", "quit" was heard as "wait" every time, "go forward" as
# "go slower"). Measured on every phrase of the grammar, 3 voices x 2 rates, quiet and in
# pink noise 20 dB down; tuning: two voices and half the prose, held out: the third voice
# and the other half (first two phrases an intent, right quiet / in noise; other commands
# heard as a stop; false actions in 20 / 15 min of prose read whole, 15 / 15 read clause by
# clause):
#   all kept, "coach" first: tuning 96.3% / 96.3%, 2 stops ("next" as "coach end", "coach
#     exit"), prose 0, clauses 1 ("coach end"); held out 86.8% / 85.3%, 4 stops ("next" as
#     "coach end" and "coach exit", twice each), prose 0, clauses 1
#   all kept, plain: tuning 92.6% / 93.4%, 0 stops, 1, 2; held out 82.4% / 75.0%, 3 stops
#     ("next" as "end" twice, "faster" as "exit"), 1, 6 ("onward" from "however" among them)
#   "end" and "exit" replaced by the next two ("quit", "finished"): "coach" first, tuning
#     96.3% / 97.1%, 0 stops, 0, 0; held out 88.2% / 83.8%, 2 stops ("next" as "coach
#     finished"); plain held out 6 stops ("finished" from "next", "back", "skip", "again")
#   "end", "exit", "onward", "onwards" left out, places empty: "coach" first, tuning 96.3% /
#     97.1%, 0 stops, 0, 0; held out 89.7% / 85.3%, 0 stops, 0, 1; plain, tuning 92.6% /
#     93.4%, 0 stops, 1, 2; held out 83.8% / 75.0%, 0 stops, 1, 5
# "enough" is missed often ("coach enough" in 1 of 8 tuning clips, plain 4 of 8) but took no
# other command's place on the tuning half, so it stays: "stop" should not be the only way.
LEFT_OUT = frozenset({"end", "exit", "onward", "onwards"})
# A one-phone grunt ("ow") matches almost any noise; "no" (two phones) must stay, or a
# rarer word ("negative") takes its place and attracts "next".
MIN_PHONES = 2
MAX_WORDS = 5
# Words of the garbage loop (see jsgf). Measured on the benchmark (quiet commands right,
# false actions per 10 minutes of prose): none 89%, 17.7; 10 words 87%, 9.8; 12 words
# 84%, 3.9; 15 words 81%, 0; 20 words 82%, 0; 60 words 65%, 0. A missed command can be
# said again; a false one moves the routine, so the strict end of the curve is chosen.
FILLERS = 20
# Two phrases of different intents this close (edit distance over phones, per phone of the
# shorter) are one sound to the decoder; only short phrases are at risk.
CONFUSABLE = 0.4
MAX_CONFUSABLE_PHONES = 8
# A command the garbage loop took is still heard when the grammar without the loop reads it
# and its path scores close to a free phone loop's on the same audio (log score per frame,
# with every senone computed so the two searches' scores compare). Utterance verification:
# speech that is no command fits a free phone sequence much better than any phrase.
# Measured on the commands the loop took (all 71 phrases, 3 voices x 2 rates, quiet and in
# noise) the gap's median is -6.6; on 36 min of prose read whole and 30 min read clause by
# clause, -18.9 (95% below -6.1). Tuned on two voices and half the prose, checked on the
# third voice and the other half (right quiet / in noise; false actions prose, clauses),
# with the comfort noise below:
#   no rescue:  tuning 90.1% / 79.8%, 1 in 20 min, 7 in 15 min;  held out 81.6% / 69.1%,
#               1 in 15 min, 3 in 15 min
#   gap > -2:   tuning 90.8% / 85.3%, 1, 7;  held out 82.4% / 76.5%, 1, 4
#   gap > -3:   tuning 91.2% / 87.1%, 1, 7;  held out 83.8% / 76.5%, 1, 5
#   gap > -3.5: tuning 91.5% / 87.1%, 1, 7;  held out 84.6% / 77.2%, 1, 5
#   gap > -4:   tuning 91.5% / 88.6%, 2, 7;  held out 84.6% / 78.7%, 1, 5
#   gap > -7.2: tuning 93.4% / 92.6%, 3, 10; held out 87.5% / 83.8%, 1, 8
#   no check:   tuning 95.6% / 96.7%, 10, 86 (the grammar without the loop alone)
# The most lenient threshold whose false actions on the tuning half stay within the goal
# (1 in 10 min of prose read whole) is chosen. -3.5 added none there, but left "it hurts"
# (en-us+f3, 150 words a minute; gap -3.51) unheard in tests/test_listen.py.
VERIFY_GAP = -4.0
# A command the garbage loop let through is checked the same way when it was said in more
# time than its phrase needs: prose read clause by clause gets in that way, not past
# VERIFY_GAP ("yes" from 1.07 s of a clause, gap -21.7; "freeze" from 1.73 s, -23.3), and
# the loop itself is weighed (GARBAGE_WEIGHT below) so that fewer commands are lost to it.
# Measured on the cached set (tuning: two voices, all 71 phrases, right quiet / in noise,
# false actions in 20 min of prose read whole and 15 min clause by clause; held out: the
# third voice, the other prose), with VERIFY_GAP -4:
#   as before (unweighed, unchecked): tuning 92.6% / 89.0%, 2, 7;  held out 86.8% / 78.7%, 1, 8
#   weight 1e-4, unchecked:           tuning 93.8% / 90.4%, 2, 10
#   weight 1e-4, every one > -13:     tuning 92.6% / 90.4%, 1, 3;  held out 86.8% / 79.4%, 0, 7
#   unweighed, every one > -13:       tuning 91.5% / 89.0%, 1, 2;  held out 86.0% / 78.7%, 0, 6
#   weight 1e-4, long ones > -6:      tuning 93.8% / 90.4%, 1, 3;  held out 87.5% / 78.7%, 1, 9
#   weight 1e-4, long ones > -13:     tuning 93.8% / 90.4%, 1, 4
# Checking every one was best for false actions, but the check costs a second decoder's two
# passes (114 ms a command against 51 ms for the grammar's), and it put the benchmark's
# latency over its goal (p90 0.40 s -> 0.53 s). Long means over LOOP_CHECK_SECONDS plus
# LOOP_CHECK_SECONDS_PER_PHONE a phone (the cut keeps 0.1 s around the speech): 10 of the
# 749 readings the loop let through on the tuning half, none of the benchmark's latency
# set (espeak-ng at 140 words a minute); over 0.3 + 0.1 a phone, 44 and 4 of those 17.
# Four of the nine held-out clauses were "however" heard as "onward": a near rhyme that no
# threshold here separates (gaps -1.8 to -4.4).
LOOP_VERIFY_GAP = -6.0
LOOP_CHECK_SECONDS = 0.4
LOOP_CHECK_SECONDS_PER_PHONE = 0.1
# The garbage loop's prior against the commands' (JSGF weights): below 1, everyday words
# must fit an utterance clearly better than a command does to take it. With every loop
# reading checked at -13 (tuning, as above): 1 (unweighed) 91.5% / 89.0%, 1, 2; 0.1
# 91.9% / 89.0%, 1, 2; 0.01 92.3% / 89.0%, 1, 3; 1e-3 92.6% / 89.7%, 1, 3; 1e-4 92.6% /
# 90.4%, 1, 3. Wake-word mode has no check after the loop and was not measured with the
# weight: it stays unweighed.
GARBAGE_WEIGHT = 1e-4
# An optional word said before a command ("coach, next") that can be made compulsory; it
# is, by default, for `play --listen` and `hear` (--no-wake: plain), because with it the
# false actions on talk meet their goal and the commands are heard better (bench/RESULTS.md).
WAKE_WORD = "coach"
# With it compulsory, the grammar alone demands it ("coach <phrase>", or the garbage loop),
# with nothing before the decode. Keyword spotting for it first (threshold 1e-27) caught
# the word in only 88% of "coach, <command>", and that was the accuracy lost: measured on
# the cached set (the first two phrases of each intent said after "coach" in quiet; false
# actions in 20 / 15 min of prose read whole and 15 / 15 min read clause by clause, tuning /
# held out as for VERIFY_GAP), spotted first: 84.6% / 77.9% right, prose 0 / 0, clauses
# 1 / 1; the grammar alone: 96.3% / 91.2% right, 0 / 0, 1 / 1. (Before the garbage loop
# the grammar read "coach" into any speech; the loop is what now turns that speech away.)
# The phone-loop check added nothing to that: a command the loop did not take was never
# rescued, and checking every one it took (at -6) only removed the two clauses.
# The pause people leave after the wake word ("coach, next"), as a word of the grammar
# between it and the command: a word whose one sound is the model's silence, which the
# decoder is given (it is in no dictionary) and which is never part of what was heard. The
# decoder's own silence between words is improbable (silprob 0.005): a 0.2 s pause after
# "coach" was read as a fricative and the command forced to fit the rest ("coach it hurts"
# as "coach ditch that"), and a lone "coach" as "coach yup". Measured ("coach", a pause,
# the command, right quiet / in pink noise 20 dB down; bench: bench/listening.py, the first
# two phrases of each intent, en-us, en-us+m3, en-us+f3 at 140 and 180 words a minute;
# held out: en-gb, en-us+m1, en-us+f2, en-gb-x-rp at 150 and 200, and phrases 3 and 4 of
# each intent in the bench's voices; false actions acted on in 15 min of prose read whole,
# 15 min read clause by clause, 5 min of noise):
#   as before:  bench 192 / 187 of 204, with a 0.6 s pause 189 / 115; held-out voices
#               226 / 228 of 272, held-out phrases 174 / 168 of 180; 0, 0, 0
#   this word:  bench 194 / 188, with a 0.6 s pause 194 / 186; held-out voices 243 / 247,
#               held-out phrases 168 / 168 (a lone "coach" cut with the start of the next
#               word, "coach nah" from "coach, hush"); 0, 0, 0
#   silprob 0.3 instead (a pause between any two words): bench 194 / 188, voices
#               240 / 240, phrases 174 / 170, but 4 false actions in the clauses ("coach
#               what's next" twice); silprob 0.1: bench 192, voices 241, the same 4;
#               with --no-wake silprob 0.3 heard more (184 / 175 -> 189 / 187 of 204) but
#               set off 12 commands in the clauses where 3 were set off: left as it was
# Other settings of the decoder, measured before this word on the bench and the held-out
# voices in quiet (192 / 226 at the defaults): phone insertion 0.1 or 5 (185 / 209,
# 179 / 208), language weight 10 (184 / 187), top 8 Gaussians (187 / 233), filler
# probability 0.01 (192 / 230), noise removal (192 / 226) were no better; language weight
# 4 or 2 (192 / 239, 193 / 238) and wider beams (191 / 238) helped the held-out voices
# only, and language weight 4 with this word changed nothing (194 / 243).
PAUSE_WORD = "wake_pause"
SAMPLE_RATE = 16000
_WORD = re.compile(r"^[a-z']+$")
# Digital silence (all zeros) has no spectrum at all, unlike any recording the acoustic
# model learnt from; a fixed noise floor (about -60 dB of full scale) makes synthesised
# files sound like rooms. Measured: 4 got 85% of commands right, 10 got 82%, 30 got 88%,
# 100 got 53%.
DITHER = 30.0
# Pink noise this far below the speech, less the noise already there: the commands were
# heard better in pink noise 20 dB down than in a quiet room (the acoustic model learnt
# from rooms, and a quiet cut leaves only the white dither). The noise already there is
# the quietest tenth of what came in, before trimming. Measured (the 34 benchmark phrases,
# 3 voices x 2 rates, right quiet / in noise; false actions in 36 min of prose read whole
# and 30 min clause by clause), with VERIFY_GAP -4: none 84.8% / 86.8%, 2 and 15; 35 dB,
# less what is there, 89.7% / 87.3%, 3 and 12. Added regardless of the noise there: 35 dB
# 92.2% / 83.3%, 2 and 9 (with VERIFY_GAP -4, before its tuning); 25 dB 66.7% / 56.4%.
# 30 dB with VERIFY_GAP -5.5 (tuned as there) was better still on this set, 90.7% / 88.7%,
# 2 and 9, but on bench/listening.py's own prose it set off 2 commands in 15 min where
# 35 dB sets off 1, and its decisions seemed slower (p90 0.46 s against 0.42 s, measured
# while another job shared the machine): not taken.
COMFORT_DB = 35.0
# A little quiet before and after: a tight cut (or a file that starts with the word)
# otherwise loses the first sound ("next" heard as "exit").
QUIET = bytes(SAMPLE_RATE // 5 * 2)
# Trimming: 10 ms frames louder than this (RMS, or this share of the loudest) are speech;
# a few frames either side are kept for the soft ends of words.
TRIM_FLOOR = 100.0
TRIM_SHARE = 0.03
TRIM_KEEP = 5
# Frames quieter than this many times the quietest tenth are noise, not speech. This cut is
# read first: in pink noise 20 dB below a command a share of the peak keeps the noise
# around it, which the decoder reads as "f" and "s" ("faster", "freeze", or garbage).
# Measured (bench/listening.py commands, 3 voices x 2 rates): the plain cut first, this
# second, 82.8% quiet and 68.6% in noise; this first, the plain cut second, 81.9% and
# 76.5%, with the same false actions on prose. (In quiet the two cuts are the same; the two
# quiet commands lost are read differently after other audio, not cut differently.)
TRIM_ABOVE_NOISE = 4.0
# The floor is at most this share of the loudest frame: a file that starts and ends with
# the word has no noise in it, and its quietest tenth is speech. Measured on those commands
# cut tight (no quiet around them): no cap 75.0% right, 0.15 81.9%, 0.2 79.4%, 0.3 77.0%;
# the noise figure above is the same at 0.15.
TRIM_NOISE_CAP = 0.15


class RecogniserUnavailable(Exception):
    """pocketsphinx is not installed, or its model could not be loaded."""


@dataclass(frozen=True)
class Heard:
    """What the recogniser made of one utterance: its words and what they mean."""

    text: str
    match: Match | None
    at: float = 0.0  # seconds from the start of the audio to the end of the speech

    def to_json(self) -> dict[str, Any]:
        result = self.match.to_json() if self.match else {"intent": None, "slots": {}}
        return {**result, "text": self.text}


def model_dir() -> Path:
    try:
        import pocketsphinx
    except ImportError:
        raise RecogniserUnavailable(
            "listening needs pocketsphinx: pip install 'stretch-coach[listen]' "
            "(bash scripts/setup.sh installs it)"
        ) from None
    return Path(pocketsphinx.get_model_path())


@cache
def pronunciations() -> Mapping[str, tuple[str, ...]]:
    """Every word the acoustic model's dictionary can say, with its first pronunciation."""
    phones: dict[str, tuple[str, ...]] = {}
    path = model_dir() / "en-us" / "cmudict-en-us.dict"
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            word, _, rest = line.partition(" ")
            # "read(2)" is a second pronunciation of "read": the first one stands.
            phones.setdefault(word, tuple(rest.split("#")[0].split()))
    return phones


def command_phrases(
    grammar: Grammar,
    spec: Spec | None = None,
    known: Mapping[str, tuple[str, ...]] | None = None,
    per_intent: int = PER_INTENT,
    intents: Sequence[str] = LISTEN_INTENTS,
    left_out: Collection[str] = LEFT_OUT,
) -> dict[str, list[str]]:
    """The phrases to listen for, per intent, generated from the interaction model.

    A phrase is kept only if the acoustic dictionary can say every word and the text
    matcher reads it as the same intent, so whatever is heard means what `parse` says.
    Phrases of different intents that sound nearly alike ("next" and "exit") cannot both
    stay: the one its intent lists later goes.
    """
    spec = spec or load_spec()
    known = known if known is not None else pronunciations()
    language = build_model("en-US", None, spec)["interactionModel"]["languageModel"]
    values = {t["name"]: [v["name"]["value"] for v in t["values"]] for t in language["types"]}
    wanted = set(intents)
    found: dict[str, list[str]] = {}
    for intent in spec.intents:
        if intent.name not in wanted:
            continue
        kept: list[str] = []
        samples = [*intent.amazon_knows, *spec.samples(intent, "en-US")]
        # Plain phrases first ("it hurts" before "ugh my {bodyPart}" times ten parts), and
        # short before long: the short ones are the commands people actually say.
        samples.sort(key=lambda sample: ("{" in sample, len(sample.split())))
        plain = 0
        values_said: set[str] = set()
        seen: set[str] = set()
        for text, value in _expanded(samples, dict(intent.slots), values):
            if value is None and plain >= per_intent:
                continue
            if value is not None and (plain >= per_intent or value in values_said):
                continue  # a slot value once each ("sharp", "mild"), if plain ones are few
            phrase = normalise(text)
            words = phrase.split()
            if phrase in seen or not words or len(words) > MAX_WORDS:
                continue
            if not all(_WORD.match(w) and w in known for w in words):
                continue
            if sum(len(known[w]) for w in words) < MIN_PHONES:
                continue
            match = recognize(phrase, grammar)
            if match is None or match.intent != intent.name:
                continue
            seen.add(phrase)
            if phrase not in left_out:  # a phrase left out keeps its place, empty
                kept.append(phrase)
            if value is None:
                plain += 1
            else:
                values_said.add(value)
        found[intent.name] = kept
    return _distinct(found, known)


def _distinct(
    found: Mapping[str, list[str]], known: Mapping[str, tuple[str, ...]]
) -> dict[str, list[str]]:
    """Drop the later-listed of two phrases of different intents that sound nearly alike."""
    sounds = {
        phrase: tuple(p for w in phrase.split() for p in known[w])
        for phrases in found.values()
        for phrase in phrases
    }
    ranked = sorted(
        ((rank, intent, phrase) for intent, phrases in found.items()
         for rank, phrase in enumerate(phrases)),
        key=lambda item: item[0],
    )  # fmt: skip
    chosen: list[tuple[str, str]] = []
    for _rank, intent, phrase in ranked:
        mine = sounds[phrase]
        if any(
            other_intent != intent and _alike(mine, sounds[other]) for other_intent, other in chosen
        ):
            log.debug("left out %r (%s): sounds like a phrase of another intent", phrase, intent)
            continue
        chosen.append((intent, phrase))
    return {intent: [p for i, p in chosen if i == intent] for intent in found}


def _alike(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Phone strings within CONFUSABLE of each other (edit distance per phone)."""
    if abs(len(a) - len(b)) > 2 or min(len(a), len(b)) > MAX_CONFUSABLE_PHONES:
        return False
    limit = int(min(len(a), len(b)) * CONFUSABLE)
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1] <= limit


def _trimmed(pcm: bytes, *, above_noise: bool = False) -> bytes:
    """The loud part of an utterance, so a command reads the same however it was cut.

    The endpointer's cut moves with its window and with what came before; the decoder
    turned out to be sensitive to it ("next" read as "end" with a cut a few frames
    shorter). Trimming to the speech and adding our own quiet makes every cut the same.
    """
    import numpy as np

    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    frame = SAMPLE_RATE // 100  # 10 ms
    count = len(samples) // frame
    if count < 3:
        return pcm
    energy = np.sqrt(np.mean(samples[: count * frame].reshape(count, frame) ** 2, axis=1))
    # In a noisy room a share of the peak alone keeps the noise around a command; the
    # first reading is also cut against the quietest frames (see TRIM_ABOVE_NOISE).
    floor = TRIM_ABOVE_NOISE * float(np.percentile(energy, 10)) if above_noise else 0.0
    floor = min(floor, TRIM_NOISE_CAP * float(energy.max()))
    loud = np.flatnonzero(energy > max(TRIM_FLOOR, TRIM_SHARE * float(energy.max()), floor))
    if not len(loud):
        return pcm
    first = max(int(loud[0]) - TRIM_KEEP, 0) * frame
    last = min(int(loud[-1]) + 1 + TRIM_KEEP, count) * frame
    return pcm[first * 2 : last * 2]


def _levels(pcm: bytes) -> tuple[float, float]:
    """The RMS of the speech (frames above a tenth of the loudest) and of the quietest tenth."""
    import numpy as np

    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    frame = SAMPLE_RATE // 100
    count = len(samples) // frame
    if count < 3:
        return 0.0, 0.0
    energy = np.sqrt(np.mean(samples[: count * frame].reshape(count, frame) ** 2, axis=1))
    speech = energy[energy > 0.1 * energy.max()]
    level = float(np.sqrt(np.mean(speech**2))) if len(speech) else 0.0
    return level, float(np.percentile(energy, 10))


def _dithered(pcm: bytes, comfort: float = 0.0) -> bytes:
    """The cut with white dither, and pink noise of RMS `comfort` under it."""
    import numpy as np

    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    rng = np.random.default_rng(16)  # the same every time
    noise = rng.normal(0.0, DITHER, len(samples))
    if comfort > 0 and len(samples) > 1:
        spectrum = np.fft.rfft(rng.normal(size=len(samples)))
        spectrum[1:] /= np.sqrt(np.arange(1, len(spectrum)))  # 1/f: equal power per octave
        pink = np.fft.irfft(spectrum, len(samples))
        noise += pink * comfort / (float(np.sqrt(np.mean(pink**2))) or 1.0)
    out: bytes = np.clip(np.round(samples + noise), -32768, 32767).astype("<i2").tobytes()
    return out


def _expanded(
    samples: Iterable[str], slots: Mapping[str, str], values: Mapping[str, list[str]]
) -> Iterable[tuple[str, str | None]]:
    """Each sample with its slot filled by every value of the slot's type: (text, value)."""
    for sample in samples:
        named = re.findall(r"\{(\w+)\}", sample)
        if not named:
            yield sample, None
            continue
        kind = slots.get(named[0])
        if len(named) > 1 or kind is None or kind in NAMED_SLOT_TYPES:
            continue
        for value in values.get(kind, []):
            yield sample.replace("{" + named[0] + "}", value), value


def fillers(
    phrases: Mapping[str, Sequence[str]],
    known: Mapping[str, tuple[str, ...]] | None = None,
    catalogue: Catalogue | None = None,
    count: int = FILLERS,
) -> list[str]:
    """Everyday words that are in no command: the commonest in the coach's own cues."""
    known = known if known is not None else pronunciations()
    catalogue = catalogue or default_catalogue()
    used = {w for group in phrases.values() for p in group for w in p.split()}
    counts: Counter[str] = Counter()
    for stretch in catalogue.stretches.values():
        for cue in stretch.cues:
            counts.update(re.findall(r"[a-z']+", cue.lower()))
    ordered = sorted(counts, key=lambda w: (-counts[w], w))
    words = [w for w in ordered if w in known and w not in used and len(known[w]) >= 2]
    return words[:count]


def jsgf(
    phrases: Mapping[str, Sequence[str]],
    *,
    wake: str | None = None,
    garbage: Sequence[str] = (),
    garbage_weight: float = 1.0,
) -> str:
    """A JSGF grammar of every phrase; with a wake word, it must come first.

    A pause may follow the wake word (PAUSE_WORD). Without one, "coach" is not allowed
    before a command at all: as an optional word it was one more thing for noise to be
    heard as ("coach onwards"). With garbage words, any
    run of them is a way out for speech that is no command: the decoder takes it rather
    than force the nearest command onto someone talking; `garbage_weight` is its prior
    against a command (1: even).

    The wake word may also be said alone: "coach" and a pause is an utterance of its own
    to the endpointer, and with no way to end there the decoder forced a command onto it,
    the release of its "ch" in a noisy room read as "yup" ("coach yup"). Read as the wake
    word alone, it is no command, and it is joined to what comes next (listen.Hearing).
    Measured ("coach", a pause, the command; right quiet / in pink noise 20 dB down; tuning
    the first two phrases of each intent in two voices, held out the third voice and the
    next two phrases in all three): a 0.2 s pause, tuning 131 / 128 -> 131 / 129 of 136,
    held-out voice 61 / 58 -> 61 / 58 of 68, held-out phrases 173 / 173 -> 175 / 173 of
    180; a 0.4 s pause, tuning 126 / 78 -> 126 / 98, held-out voice 61 / 33 -> 61 / 47,
    held-out phrases 164 / 83 -> 164 / 118; false actions in prose, clauses and noise 0.
    """
    every = sorted({p for group in phrases.values() for p in group})
    body = " | ".join(every)
    command = f"{wake} [{PAUSE_WORD}] <phrase> | {wake}" if wake else "<phrase>"
    rules = f"<phrase> = {body};\n"
    if garbage:
        rules += f"<garbage> = ({' | '.join(garbage)})+;\n"
        command = (
            f"<garbage> | {command}"
            if garbage_weight == 1.0
            else f"/{garbage_weight:g}/ <garbage> | /1/ {command}"
        )
    return f"#JSGF V1.0;\ngrammar coach;\n{rules}public <command> = {command};\n"


class Recogniser:
    """Decodes short utterances (16 kHz mono 16-bit PCM) against the command grammar."""

    CHUNK = 2048  # bytes fed at a time: pocketsphinx adapts its mean as it goes

    def __init__(
        self, grammar: Grammar, *, wake: bool = False, per_intent: int = PER_INTENT
    ) -> None:
        self.grammar = grammar
        self.phrases = command_phrases(grammar, per_intent=per_intent)
        self.wake = wake
        try:
            from pocketsphinx import Decoder
        except ImportError:
            model_dir()  # raises with the install hint
            raise
        # bestpath off: its lattice rescoring turned one-word commands into near rhymes.
        self.decoder = Decoder(bestpath=False, lm=None, loglevel="FATAL")
        self.decoder.add_word(PAUSE_WORD, "SIL", True)
        self.garbage = fillers(self.phrases)
        grammar_text = jsgf(
            self.phrases,
            wake=WAKE_WORD if wake else None,
            garbage=self.garbage,
            garbage_weight=1.0 if wake else GARBAGE_WEIGHT,
        )
        self.decoder.add_jsgf_string("commands", grammar_text)
        # The first pass of a decode (see _decode) only learns the channel mean, which comes
        # from the features, not the search: a one-word grammar gives the same mean in a
        # quarter of the time (measured: 10 ms against 43 ms for a command, the same words
        # heard on every benchmark clip, 0.03 s off the 90th percentile of the latency).
        self.decoder.add_jsgf_string(
            "mean", f"#JSGF V1.0;\ngrammar mean;\npublic <w> = {WAKE_WORD};\n"
        )
        self.decoder.activate_search("commands")
        self.cmn_init = self.decoder.get_cmn()
        self.verifier: Any = None
        if not wake:
            # A second decoder, because computing every senone (which makes scores of
            # different searches comparable) doubles the time of every pass; only the
            # utterances the garbage loop took, and the long ones it let through, are read
            # by it. With the wake word the garbage loop alone is enough (see WAKE_WORD).
            self.verifier = Decoder(bestpath=False, lm=None, loglevel="FATAL", compallsen=True)
            self.verifier.add_jsgf_string("commands", jsgf(self.phrases))
            phones = model_dir() / "en-us" / "en-us-phone.lm.bin"
            self.verifier.add_allphone_file("phones", str(phones))

    def words(self, pcm: bytes) -> str:
        """The grammar's best reading of the audio, or "" when it found none."""
        cuts = [_trimmed(pcm, above_noise=True), _trimmed(pcm)]
        if cuts[0] == cuts[1]:
            del cuts[1]  # no noise floor to cut against: one reading is enough
        level, floor = _levels(pcm)
        comfort = math.sqrt(max((level / 10 ** (COMFORT_DB / 20)) ** 2 - floor**2, 0.0))
        for trimmed in cuts:
            cut = _dithered(QUIET + trimmed + QUIET, comfort)
            text = self._decode("commands", cut)
            # A hypothesis that stops short of the grammar's end state is a partial reading.
            if text and self._complete(text):
                if not self._too_long(text, trimmed) or self._verified(cut, LOOP_VERIFY_GAP):
                    return text
                continue  # a poorer fit than any command the bare reading would let pass
            text = self._verified(cut)
            if text:
                return text
        return ""

    def gap(self, pcm: bytes) -> tuple[str, float | None]:
        """The grammar's reading without the garbage loop, and its score against a phone loop.

        pcm is a cut already read by `decoder` (whose channel mean it starts from).
        """
        verifier = self.verifier
        verifier.activate_search("commands")
        verifier.set_cmn(self.decoder.get_cmn())
        scores: list[float] = []
        text = ""
        for search in ("commands", "phones"):
            verifier.activate_search(search)
            verifier.start_utt()
            for start in range(0, len(pcm), self.CHUNK):
                verifier.process_raw(pcm[start : start + self.CHUNK])
            verifier.end_utt()
            hyp = verifier.hyp()
            if hyp is None or not hyp.best_score or not hyp.hypstr:
                return text, None
            if search == "commands":
                text = str(hyp.hypstr)
                if not self._complete(text):
                    return "", None
            scores.append(verifier.get_logmath().log(hyp.best_score))
        frames = max(verifier.n_frames(), 1)
        return text, (scores[0] - scores[1]) / frames

    def _too_long(self, text: str, trimmed: bytes) -> bool:
        """Speech longer than the phrase needs: worth the check after the garbage loop."""
        if self.verifier is None:
            return False
        known = pronunciations()
        phones = sum(len(known[w]) for w in text.split() if w in known)
        seconds = len(trimmed) / (2 * SAMPLE_RATE)
        return seconds > LOOP_CHECK_SECONDS + LOOP_CHECK_SECONDS_PER_PHONE * phones

    def _verified(self, pcm: bytes, threshold: float = VERIFY_GAP) -> str:
        if self.verifier is None:
            return ""
        text, gap = self.gap(pcm)
        return text if gap is not None and gap > threshold else ""

    def _decode(self, search: str, pcm: bytes) -> str:
        decoder = self.decoder
        # The decoder normalises the channel with a running mean that carries over from
        # utterance to utterance; a first pass learns it from this utterance alone, so a
        # command reads the same whatever came before it (and in `hear` as in a stream).
        decoder.set_cmn(self.cmn_init)
        for each in ("mean", search):
            decoder.activate_search(each)
            decoder.start_utt()
            for start in range(0, len(pcm), self.CHUNK):
                decoder.process_raw(pcm[start : start + self.CHUNK])
            decoder.end_utt()
        hyp = decoder.hyp()
        text = str(hyp.hypstr) if hyp is not None and hyp.hypstr else ""
        return " ".join(w for w in text.split() if w != PAUSE_WORD)

    def _complete(self, text: str) -> bool:
        words = text.split()
        if words and words[0] == WAKE_WORD:
            words = words[1:]
        elif self.wake:
            return False
        phrase = " ".join(words)
        return any(phrase in group for group in self.phrases.values())

    def hear(self, pcm: bytes, at: float = 0.0) -> Heard:
        """The utterance's words and the intent the text matcher reads in them."""
        text = self.words(pcm)
        spoken = text.removeprefix(WAKE_WORD).strip()
        match = recognize(spoken, self.grammar) if spoken else None
        return Heard(text, match, at)
