"""A local utterance matcher built from an interaction model: text in, intent and slots out."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Phrases Alexa's built-in intents understand without samples of ours (a small, typical set).
BUILTIN_SAMPLES: Mapping[str, tuple[str, ...]] = {
    "AMAZON.NextIntent": ("next", "skip ahead", "go on", "move on", "go forward"),
    "AMAZON.PreviousIntent": ("previous", "go back", "last one", "before that"),
    "AMAZON.RepeatIntent": ("repeat", "repeat that", "say that again", "again", "once more",
                            "one more time", "what did you say"),
    "AMAZON.StartOverIntent": ("start over", "restart", "from the beginning", "start again",
                               "from the top"),
    "AMAZON.PauseIntent": ("pause", "hold on", "wait", "wait a moment", "give me a minute"),
    "AMAZON.ResumeIntent": ("resume", "continue", "carry on", "keep going", "unpause",
                            "pick up where i left off"),
    "AMAZON.HelpIntent": ("help", "help me", "what can i say", "i need help"),
    "AMAZON.StopIntent": ("stop", "enough", "that's enough", "shut up", "i'm done", "end"),
    "AMAZON.CancelIntent": ("cancel", "never mind", "forget it"),
    "AMAZON.YesIntent": ("yes", "yeah", "yep", "sure", "okay", "ok", "of course", "go ahead",
                         "yes please", "sounds good"),
    "AMAZON.NoIntent": ("no", "nope", "no thanks", "no thank you", "not now", "nah"),
    "AMAZON.NavigateHomeIntent": ("go home", "go to the home screen"),
}  # fmt: skip
# Words people add that carry no meaning for which intent they want.
FILLERS = frozenset({
    "please", "the", "a", "an", "can", "could", "would", "you", "we", "i", "i'd", "like",
    "want", "to", "just", "now", "um", "uh", "hey", "so", "alexa", "kindly", "one",
})  # fmt: skip
# Bag-of-words matches below this share of words are too loose to act on.
THRESHOLD = 0.6
_SLOT = re.compile(r"\{(\w+)\}")
_WAKE = re.compile(r"^(?:alexa[, ]+)?(?:(?:ask|tell) stretch coach(?: to)?|open stretch coach)\b")


@dataclass(frozen=True)
class Slot:
    """What was heard for a slot, and the id it resolved to (None: no match)."""

    heard: str
    id: str | None


@dataclass(frozen=True)
class Match:
    """The intent an utterance maps to, with its slots."""

    intent: str
    slots: Mapping[str, Slot] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"intent": self.intent, "slots": {k: v.id for k, v in self.slots.items()}}


@dataclass(frozen=True)
class _Sample:
    intent: str
    words: tuple[str, ...]  # with fillers removed; slots as "{name}"
    slots: Mapping[str, str]  # slot name -> slot type
    custom: bool


@dataclass(frozen=True)
class Grammar:
    """Samples and slot values from one interaction model, ready to match against."""

    samples: tuple[_Sample, ...]
    values: Mapping[str, Mapping[str, str]]  # slot type -> spoken value -> id
    launch: frozenset[str]

    @classmethod
    def from_model(cls, model: Mapping[str, Any]) -> Grammar:
        language = model["interactionModel"]["languageModel"]
        values: dict[str, dict[str, str]] = {}
        for slot_type in language.get("types", []):
            table = values.setdefault(slot_type["name"], {})
            for value in slot_type.get("values", []):
                ident = value.get("id") or value["name"]["value"]
                for spoken in [value["name"]["value"], *value["name"].get("synonyms", [])]:
                    table[" ".join(_content(normalise(spoken)))] = ident
        samples: list[_Sample] = []
        for intent in language["intents"]:
            slots = {s["name"]: s["type"] for s in intent.get("slots", [])}
            own = tuple(intent.get("samples", []))
            builtin = BUILTIN_SAMPLES.get(intent["name"], ())
            for text, custom in [*((s, True) for s in own), *((s, False) for s in builtin)]:
                words = tuple(_content(normalise(text)))
                if words:
                    samples.append(_Sample(intent["name"], words, slots, custom))
        invocation = language.get("invocationName", "")
        launch = frozenset({f"open {invocation}", f"start {invocation}", f"launch {invocation}",
                            invocation, "open", "launch"})  # fmt: skip
        return cls(tuple(samples), values, launch)


def normalise(text: str) -> str:
    """Lowercase words and apostrophes only: "Let's do the DESK stretches!" -> let's do ..."""
    text = text.lower().replace("\u2019", "'")  # a typographic apostrophe, as phones type it
    return " ".join(re.sub(r"[^a-z0-9'{} ]+", " ", text).split())


def _content(text: str) -> list[str]:
    return [w for w in text.split() if w not in FILLERS]


def is_launch(text: str, grammar: Grammar) -> bool:
    return normalise(text).removeprefix("alexa ").strip() in grammar.launch


def recognize(text: str, grammar: Grammar) -> Match | None:
    """The best intent for text, or None when nothing is close (Alexa's fallback)."""
    words = _content(_WAKE.sub("", normalise(text)).strip())
    if not words:
        return None
    exact = [m for s in grammar.samples if (m := _exact(s, words, grammar)) is not None]
    if exact:
        return max(exact, key=lambda pair: pair[0])[1]
    return _closest(words, grammar)


def _exact(
    sample: _Sample, words: list[str], grammar: Grammar
) -> tuple[tuple[int, ...], Match] | None:
    """The sample, word for word, with any slot taking one or more words."""
    pattern = "".join(
        rf"(?P<{m.group(1)}>.+?)" if (m := _SLOT.fullmatch(w)) else re.escape(w)
        for w in _spaced(sample.words)
    )
    found = re.fullmatch(pattern, " ".join(words))
    if found is None:
        return None
    slots = {}
    resolved = 0
    anchors = sum(1 for w in sample.words if not _SLOT.fullmatch(w))
    for name, heard in found.groupdict().items():
        ident = grammar.values.get(sample.slots.get(name, ""), {}).get(heard)
        if ident is None and anchors < 2:
            # "play {routine}" must not take "play some music": an unknown name is only
            # believable between two words that clearly ask for a routine.
            return None
        resolved += ident is not None
        slots[name] = Slot(heard, ident)
    # Prefer: every slot resolved, then our own samples, then the longest sample.
    rank = (resolved - len(slots), int(sample.custom), len(sample.words))
    return rank, Match(sample.intent, slots)


def _spaced(words: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for i, word in enumerate(words):
        if i:
            out.append(" ")
        out.append(word)
    return out


def _closest(words: list[str], grammar: Grammar) -> Match | None:
    """Word order and extra words allowed: the sample sharing the most words, if enough."""
    best: tuple[float, int, Match] | None = None
    for sample in grammar.samples:
        slots: dict[str, Slot] = {}
        remaining = list(words)
        ok = True
        for word in sample.words:
            slot = _SLOT.fullmatch(word)
            if slot is None:
                continue
            spotted = _spot(remaining, grammar.values.get(sample.slots.get(slot.group(1), ""), {}))
            if spotted is None:
                ok = False
                break
            heard, ident, remaining = spotted
            slots[slot.group(1)] = Slot(heard, ident)
        if not ok:
            continue
        plain = [w for w in sample.words if not _SLOT.fullmatch(w)]
        if not plain and remaining:
            continue  # a bare "{routine}" sample matches only a bare routine name
        union = set(plain) | set(remaining)
        score = len(set(plain) & set(remaining)) / len(union) if union else 1.0
        if score >= THRESHOLD and (best is None or (score, int(sample.custom)) > best[:2]):
            best = (score, int(sample.custom), Match(sample.intent, slots))
    return best[2] if best else None


def _spot(words: list[str], values: Mapping[str, str]) -> tuple[str, str, list[str]] | None:
    """The longest known slot value in words, and the words left without it."""
    for size in range(len(words), 0, -1):
        for start in range(len(words) - size + 1):
            phrase = " ".join(words[start : start + size])
            if phrase in values:
                return phrase, values[phrase], words[:start] + words[start + size :]
    return None
