"""The phrase corpus: load it, split off the held-out lines, and judge the matcher on it."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from skill.alexa.models import load_spec
from skill.alexa.questions import EMERGENCY, MILD_PAIN, SEVERE_PAIN, SITUATIONS, label
from skill.local.matcher import Grammar, Match, normalise, recognize

CORPUS = Path(__file__).resolve().with_name("corpus.tsv")
# Things said near a speaker that are not for the coach.
ELSEWHERE = CORPUS.with_name("elsewhere.txt")
FALLBACK = "AMAZON.FallbackIntent"
# What a question in the corpus is about, where its answer depends on it: the
# recommendation the corpus answers is "I'd suggest the extension routine".
ABOUT = {"recommend": "extension_responders"}


@dataclass(frozen=True)
class Line:
    """One utterance, the question it answers ("-": none), and what it should lead to."""

    number: int
    utterance: str
    context: str
    expected: tuple[str, ...]  # alternatives, each "Intent slot=id ..." or an action label

    @property
    def held_out(self) -> bool:
        """A fixed quarter of the corpus, chosen by hash, that tuning never looks at."""
        digest = hashlib.sha256(f"{self.utterance}\t{self.context}".encode()).digest()
        return digest[0] % 4 == 0


def load(path: Path = CORPUS) -> list[Line]:
    lines = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        utterance, context, expected = raw.split("\t")
        lines.append(Line(number, utterance, context, tuple(expected.split("|"))))
    return lines


def elsewhere(path: Path = ELSEWHERE) -> list[str]:
    """What people say near the speaker to someone or something else: it must fall back."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def slots_of(match: Match | None) -> dict[str, str | None]:
    return {name: slot.id for name, slot in match.slots.items()} if match else {}


def outcome(line: Line, grammar: Grammar) -> str:
    """What the skill makes of the line: "Intent slot=id" with no question, else an action."""
    match = recognize(line.utterance, grammar)
    intent = match.intent if match else FALLBACK
    if line.context != "-":
        return label(line.context, intent, slots_of(match), ABOUT.get(line.context))
    slots = " ".join(f"{k}={v}" for k, v in sorted(slots_of(match).items()))
    return f"{intent} {slots}".strip()


def handled_as(reading: str) -> str:
    """The request a reading is handled as, where two readings do exactly the same thing.

    "pardon" and "repeat" make the same move (handlers.NAVIGATION); every serious kind of
    pain but an emergency stops and every mild one offers the choice; a stage of pregnancy
    is the pregnant situation (PregnancyStageHandler); a situation with a routine of its own
    starts that routine as its name would (start_situation). A line is judged by what the
    skill does, so these count as one; tests/test_phrases.py holds the handlers to it.
    """
    intent, *slots = reading.split()
    if intent == "PardonIntent":
        return "AMAZON.RepeatIntent"
    if intent == "PainKindIntent" and slots:
        # Every serious kind stops, every mild kind offers the choice (PainKindHandler).
        kind = slots[0].removeprefix("painKind=")
        grade = "mild" if kind in MILD_PAIN else "serious" if kind in SEVERE_PAIN else kind
        # An emergency says to get help now: no other kind does the same.
        grade = kind if kind == EMERGENCY else grade
        return f"PainKindIntent painKind={grade}"
    if intent == "PregnancyStageIntent":
        intent, slots = "SituationIntent", ["situation=pregnant"]
    if intent == "SituationIntent" and slots:
        routine = SITUATIONS.get(slots[0].removeprefix("situation="))
        if routine is not None:
            return f"StartRoutineIntent routine={routine}"
    return " ".join([intent, *slots])


def right(line: Line, got: str) -> bool:
    """Right when the intent and every expected slot match (extra slots heard are fine)."""
    if line.context != "-":
        return got in line.expected
    intent, *slots = handled_as(got).split()
    for alternative in line.expected:
        wanted_intent, *wanted = handled_as(alternative).split()
        if wanted_intent == intent and set(wanted) <= set(slots):
            return True
    return False


def score(lines: Iterable[Line], grammar: Grammar) -> tuple[int, int, list[tuple[Line, str]]]:
    """(right, total, the lines that were wrong with what was made of them)."""
    wrong: list[tuple[Line, str]] = []
    total = 0
    for line in lines:
        total += 1
        got = outcome(line, grammar)
        if not right(line, got):
            wrong.append((line, got))
    return total - len(wrong), total, wrong


def sample_phrases(grammar: Grammar, locale: str = "en-US") -> frozenset[str]:
    """Every sample utterance of the model with its slots filled by every value."""
    spec = load_spec()
    phrases: set[str] = set()
    for intent in spec.intents:
        types = dict(intent.slots)
        for sample in (*spec.samples(intent, locale), *intent.amazon_knows):
            choices = [
                list(grammar.values[types[w[1:-1]]]) if w.startswith("{") else [w]
                for w in sample.split()
            ]
            phrases.update(normalise(" ".join(c)) for c in itertools.product(*choices))
    return frozenset(phrases)


def held_out(lines: Iterable[Line], grammar: Grammar) -> list[Line]:
    """The held-out lines that no sample list contains: what the matcher never saw."""
    samples = sample_phrases(grammar)
    return [line for line in lines if line.held_out and normalise(line.utterance) not in samples]
