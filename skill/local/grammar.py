"""The samples and slot values of a model, and matching words to them: exactly or nearest."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from skill.alexa.models import Spec, build_model, load_spec
from skill.content import Catalogue
from skill.local.meaning import Meaning
from skill.local.words import (
    NEGATIONS,
    NUMBERS,
    SMALL,
    STOPWORDS,
    canon,
    normalise,
    stem,
    turned_down,
    unskipped,
)

# The slot type of sides: "down my left leg" says where, not which side to do.
SIDE_TYPE = "SIDE"
# The slot type of kinds of pain: one described, when nothing else was asked, is meant.
PAIN_KIND_TYPE = "PAIN_KIND"
# Slot types that say how a person feels, never which stretch or routine they mean.
_REPORTS = frozenset({"PAIN_KIND", "BODY_PART"})
# How much an input word no sample ever uses counts against a sample (in idf units).
UNKNOWN_WEIGHT = 3.5
# Recall counts this many times more than precision: a whole sample inside a longer
# sentence is good evidence; a sentence that only half says a sample is not.
BETA = 2.0
# Below this share of the sentence's weight, a sample explains too little of it.
MIN_PRECISION = 0.3
# A sample of one word that tells ("something new") is only that word: found in a sentence
# it explains less than this share of ("i need to buy new trainers"), it is not meant.
ONE_WORD_PRECISION = 0.4
# Word pairs count this much of their idf: order helps, but a pair is no new word.
PAIR_WEIGHT = 0.5
_BARE_WORDS = STOPWORDS | {"one", "routine", "stretch", "pose", "session", "workout",
                           "exercise", "then", "now", "thanks", "only", "today", "tonight",
                           "for", "me", "i", "think", "yes", "no", "okay", "thing", "that",
                           "bit", "move"}  # fmt: skip
ANSWERS = ("yes", "no")
# Intents that answer as a yes does, and say no more than one: "let's go", "I'm fine".
# A request said with them says more ("go harder, let's go"), as it does with a yes.
AGREEING = frozenset({"ReadyIntent", "WellIntent"})
# Answers that leave the choice open or limit it to now: a request said with them says
# more too ("whatever, just start something").
OPEN = frozenset({"EitherIntent", "ForNowIntent"})
# Never a guess: a sentence is read as "I'm fine" only when it says so word for word. Its
# samples share words with pain ("the pain's gone"), and taking pain for wellness is the
# one mistake that must not happen ("this one is paining too much" was nearest to one).
# Nor a yes, or "let's go": a yes clears, consents and goes on, and "I'm perfectly well,
# thanks" is near "I'm happy" but says nothing of a doctor. The next nearest is taken.
# Nor "doesn't matter" or "just for today", which share their few words with requests
# ("leave it for today" stops, "whatever, just start something" starts one).
NOT_GUESSED = frozenset(
    {"WellIntent", "ReadyIntent", "AMAZON.YesIntent", "EitherIntent", "ForNowIntent", "MaybeIntent"}
)
TYPE_NOUNS = frozenset({"routine", "stretch", "pose", "one", "workout", "session", "exercise"})
# Words that say where something is felt ("down my left leg"), not which one is wanted.
_WHERE = frozenset({"down", "in", "into", "through", "along", "across"})
_SLOT = re.compile(r"\{(\w+)\}")


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
class Sample:
    intent: str
    words: tuple[str, ...]  # canonical words; a slot as "{TYPE}"
    slot: tuple[str, str] | None  # (slot name, slot type)
    custom: bool  # ours, not a phrase Alexa knows by itself
    bag: Mapping[str, float]  # the generalising stage's features and their weights
    weight: float  # their sum


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str  # slot type
    id: str
    whole: bool  # a full value, not a distinctive part of one


@dataclass(frozen=True)
class Grammar:
    """The samples and slot values of one locale's model, indexed for matching."""

    samples: tuple[Sample, ...]
    values: Mapping[str, Mapping[str, str]]  # slot type -> spoken value -> id
    launch: frozenset[str]
    # Canonical word tuples: a whole sample -> indexes of the samples it is.
    exact: Mapping[tuple[str, ...], tuple[int, ...]] = field(default_factory=dict)
    # The same without skip words.
    loose: Mapping[tuple[str, ...], tuple[int, ...]] = field(default_factory=dict)
    # Canonical slot phrases: words -> (type, id, whole value?) for every type using them.
    phrases: Mapping[tuple[str, ...], tuple[tuple[str, str, bool], ...]] = field(
        default_factory=dict
    )
    longest: int = 1
    skip: frozenset[tuple[str, ...]] = frozenset()
    # Generalising stage: feature -> indexes of samples holding it; feature -> idf.
    index: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    idf: Mapping[str, float] = field(default_factory=dict)
    # Samples that take a name not in the catalogue ("the marathon routine"): pattern, sample.
    open_samples: tuple[tuple[re.Pattern[str], int], ...] = ()
    # Slot type -> (intent, slot name) of a sample that is the value alone ("the {routine}").
    bare: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    # The slot types whose values are catalogue names (routines, stretches).
    named: frozenset[str] = frozenset()
    # The intents "yes" and "no" themselves are: an answer, not a request.
    answers: frozenset[str] = frozenset()
    # Those answers as matches, found once: what a sentence is read as when it says so.
    yes: Match | None = None
    no: Match | None = None
    # Intent -> (slot name, slot type) of the slot its samples take, if any.
    slot_of: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    intents: frozenset[str] = frozenset()  # every intent with a sample
    # The samples again, for nearness in meaning (embedded on first use).
    meaning: Meaning = field(default_factory=lambda: Meaning(()))

    @classmethod
    def load(
        cls, locale: str = "en-US", catalogue: Catalogue | None = None, spec: Spec | None = None
    ) -> Grammar:
        """The grammar Alexa would hear with: the same samples and the same slot values."""
        spec = spec or load_spec()
        model = build_model(locale, catalogue, spec)["interactionModel"]["languageModel"]
        raw: list[tuple[str, tuple[tuple[str, str], ...], str, bool]] = []
        for intent in spec.intents:
            raw += [(intent.name, intent.slots, s, True) for s in spec.samples(intent, locale)]
            raw += [(intent.name, intent.slots, s, False) for s in intent.amazon_knows]
        return cls.build(model, raw, spec.skip_words, _named(spec))

    @classmethod
    def build(
        cls,
        language: Mapping[str, Any],
        raw: Sequence[tuple[str, tuple[tuple[str, str], ...], str, bool]],
        skip_words: Iterable[str] = (),
        names: Iterable[str] = (),
    ) -> Grammar:
        """Index samples given as (intent, its slots, sample text, ours?).

        names: the slot types whose values are names from the catalogue, which people
        shorten ("the squat"); a distinctive part of one of their names stands for it.
        """
        named = frozenset(names)
        values: dict[str, dict[str, str]] = {}
        for slot_type in language["types"]:
            table = values.setdefault(slot_type["name"], {})
            for value in slot_type["values"]:
                for spoken in [value["name"]["value"], *value["name"].get("synonyms", [])]:
                    table.setdefault(normalise(spoken), value["id"])
        skip = frozenset(tuple(canon(normalise(w).split())) for w in skip_words)
        samples: list[Sample] = []
        seen: set[tuple[str, tuple[str, ...]]] = set()
        for intent, slots, text, custom in raw:
            kinds = dict(slots)
            words: list[str] = []
            slot: tuple[str, str] | None = None
            for word in text.split():
                found = _SLOT.fullmatch(word)
                if found and found.group(1) in kinds:
                    slot = (found.group(1), kinds[found.group(1)])
                    words.append("{" + slot[1] + "}")
                else:
                    words += canon(normalise(word).split())
            if not words or (intent, tuple(words)) in seen:
                continue
            seen.add((intent, tuple(words)))
            samples.append(Sample(intent, tuple(words), slot, custom, {}, 0.0))
        # A word the samples use means itself there ("hold" in "squat hold"): a part of a
        # name stands for the name only with a word of its own.
        vocabulary = {w for sample in samples for w in sample.words}
        phrases = {
            words: kept
            for words, found in _phrases(values, named).items()
            if (kept := tuple(f for f in found if f[2] or not vocabulary.issuperset(words)))
        }
        # Idf over intents, not samples: an intent written with many alternatives must not
        # make its own words look common.
        intents_with: dict[str, set[str]] = {}
        for sample in samples:
            for feature in _features(sample.words):
                intents_with.setdefault(feature, set()).add(sample.intent)
        total = len({s.intent for s in samples})
        idf = {
            f: math.log((total + 1) / (len(i) + 0.5)) * (PAIR_WEIGHT if "+" in f else 1.0)
            for f, i in intents_with.items()
        }
        weighted: list[Sample] = []
        index: dict[str, list[int]] = {}
        exact: dict[tuple[str, ...], list[int]] = {}
        loose: dict[tuple[str, ...], list[int]] = {}
        opens: list[tuple[re.Pattern[str], int]] = []
        bare: dict[str, tuple[str, str]] = {}
        for number, sample in enumerate(samples):
            bag = {f: idf[f] for f in _features(sample.words)}
            total_weight = sum(bag.values())
            weighted.append(
                Sample(sample.intent, sample.words, sample.slot, sample.custom, bag, total_weight)
            )
            kind = sample.slot[1] if sample.slot else ""
            if sample.slot and all(w.startswith("{") or w in _BARE_WORDS for w in sample.words):
                bag = {}  # "the {routine} one": only word for word, or it takes any sentence
                if sample.custom:
                    bare.setdefault(sample.slot[1], (sample.intent, sample.slot[0]))
            for feature in bag:
                index.setdefault(f"{kind}|{feature}", []).append(number)
            exact.setdefault(sample.words, []).append(number)
            bare_words = tuple(unskipped(list(sample.words), skip))
            if bare_words:  # "mm hmm" is all skip words: word for word only, or "hmm" is yes
                loose.setdefault(bare_words, []).append(number)
            # "start the marathon routine": an unknown name is believable only before a word
            # that says what it names, after a word that asks for it.
            where = [i for i, w in enumerate(sample.words) if w.startswith("{")]
            before = [w for w in sample.words[: where[0]] if w not in STOPWORDS] if where else []
            after = sample.words[where[0] + 1 : where[0] + 2] if where else ()
            unknown_name = sample.slot is not None and sample.slot[1] in named
            if unknown_name and len(where) == 1 and before and set(after) & TYPE_NOUNS:
                pattern = " ".join(
                    r"(?P<slot>.+?)" if w.startswith("{") else re.escape(w) for w in sample.words
                )
                opens.append((re.compile(pattern), number))
        launch = frozenset({
            f"open {language['invocationName']}", f"start {language['invocationName']}",
            f"launch {language['invocationName']}", language["invocationName"], "open", "launch",
        })  # fmt: skip
        said = {w: Match(weighted[exact[(w,)][0]].intent) for w in ANSWERS if (w,) in exact}
        intents = frozenset(s.intent for s in weighted)
        return cls(
            samples=tuple(weighted),
            values=values,
            launch=launch,
            exact={k: tuple(v) for k, v in exact.items()},
            loose={k: tuple(v) for k, v in loose.items()},
            phrases=phrases,
            longest=max((len(p) for p in phrases), default=1),
            skip=skip,
            index={k: tuple(v) for k, v in index.items()},
            idf=idf,
            open_samples=tuple(opens),
            bare=bare,
            named=named,
            meaning=Meaning(
                [_example(sample.words, values) for sample in weighted],
                [sample.intent not in NOT_GUESSED for sample in weighted],
            ),
            answers=frozenset(answer.intent for answer in said.values())
            | ((AGREEING | OPEN) & intents),
            yes=said.get("yes"),
            no=said.get("no"),
            slot_of={s.intent: s.slot for s in weighted if s.slot is not None},
            intents=intents,
        )


def _example(words: Sequence[str], values: Mapping[str, Mapping[str, str]]) -> str:
    """A sample as a sentence, its slot filled with the first value of its type."""
    return " ".join(
        next(iter(values.get(w[1:-1], {w: ""}))) if w.startswith("{") else w for w in words
    )


def find_spans(words: Sequence[str], grammar: Grammar) -> list[Span]:
    """Every known slot value (or distinctive part of one) in words, longest first."""
    found: list[Span] = []
    for start in range(len(words)):
        for end in range(min(len(words), start + grammar.longest), start, -1):
            for kind, ident, whole in grammar.phrases.get(tuple(words[start:end]), ()):
                found.append(Span(start, end, kind, ident, whole))
    # A part of a name is believed only where no whole value of its type was heard.
    covered = {(s.kind, i) for s in found if s.whole for i in range(s.start, s.end)}
    found = [
        s
        for s in found
        if s.whole or all((s.kind, i) not in covered for i in range(s.start, s.end))
    ]
    # "the runners routine" is a routine, not the situation "runners" inside it; and "mild"
    # is a kind of pain, not a part of the name "mild cobra".
    found = [
        s
        for s in found
        if not any(
            o.whole
            and o.kind != s.kind
            and o.start <= s.start
            and s.end <= o.end
            and (o.end - o.start > s.end - s.start or (not s.whole and o.kind in _REPORTS))
            for o in found
        )
    ]
    # "not sharp, just tight": a value said after a "not" is the one not meant.
    # "it tingles a bit": a value of only small words ("a bit") is a modifier of another.
    found.sort(key=lambda s: (s.start > 0 and words[s.start - 1] in NEGATIONS,
                              all(w in SMALL for w in words[s.start : s.end]),
                              not s.whole, s.start - s.end, s.start))  # fmt: skip
    return found


def best_spans(words: Sequence[str], grammar: Grammar) -> dict[str, Span]:
    """For each slot type, the value to believe: a whole value, then the longest."""
    best: dict[str, Span] = {}
    for span in find_spans(words, grammar):
        best.setdefault(span.kind, span)
    return best


def exact(words: list[str], grammar: Grammar) -> Match | None:
    candidates: list[tuple[tuple[int, ...], Match]] = []
    for key, span in [(tuple(words), None)] + [
        ((*words[: s.start], "{" + s.kind + "}", *words[s.end :]), s)
        for s in find_spans(words, grammar)
        if not turned_down(words, s.start, pain=s.kind == PAIN_KIND_TYPE)
    ]:
        for table, rank in ((grammar.exact, 1), (grammar.loose, 0)):
            for number in table.get(key, ()):
                sample = grammar.samples[number]
                if span is None:
                    if sample.slot is None:
                        candidates.append(
                            ((rank, 2, 0, int(sample.custom), 0), Match(sample.intent))
                        )
                    continue
                if sample.slot is None or sample.slot[1] != span.kind:
                    continue
                heard = " ".join(words[span.start : span.end])
                match = Match(sample.intent, {sample.slot[0]: Slot(heard, span.id)})
                size = span.end - span.start
                # A name from the catalogue before a listed value: "the runners one" is the
                # runners routine more than the situation of a runner.
                named = int(span.kind in grammar.named)
                candidates.append(((rank, 1 + span.whole, named, int(sample.custom), size), match))
        if candidates:
            break
    if not candidates:
        return None
    return max(candidates, key=lambda pair: pair[0])[1]


def bare_value(words: list[str], grammar: Grammar) -> Match | None:
    """A known value with only words like "the", "one", "please" around it: "my daily one"."""
    for span in find_spans(words, grammar):
        rest = words[: span.start] + words[span.end :]
        if span.whole and span.kind in grammar.bare and all(w in _BARE_WORDS for w in rest):
            intent, name = grammar.bare[span.kind]
            heard = " ".join(words[span.start : span.end])
            return Match(intent, {name: Slot(heard, span.id)})
    return None


def open_sample(words: list[str], grammar: Grammar) -> Match | None:
    """A sample word for word, its slot holding words that are no known value."""
    text = " ".join(words)
    best: tuple[tuple[int, int], Match] | None = None
    for pattern, number in grammar.open_samples:
        found = pattern.fullmatch(text)
        if found is None:
            continue
        sample = grammar.samples[number]
        assert sample.slot is not None
        heard = found.group("slot")
        if find_spans(heard.split(), grammar):
            continue  # a known value with extra words: the generalising stage reads it
        rank = (int(sample.custom), len(sample.words))
        if best is None or rank > best[0]:
            best = (rank, Match(sample.intent, {sample.slot[0]: Slot(heard, None)}))
    return best[1] if best else None


def closest(words: list[str], grammar: Grammar) -> tuple[float, Match] | None:
    """The nearest sample by idf-weighted overlap of words and word pairs, and its score.

    Known slot values are replaced by their type first, so "put the cobra back" and
    "put {STRETCH_NAME} back" share the slot as a feature. The score is an F-measure of
    the weight of the sample found in the sentence (recall) and of the sentence found in
    the sample (precision; a word no sample uses counts UNKNOWN_WEIGHT against it).
    """
    # "not pregnant", "a twinge down my right leg": a value turned down, or where something
    # is felt, is not one asked for; only a sample said word for word may hold it.
    spans = {
        kind: span
        for kind, span in best_spans(words, grammar).items()
        if not NEGATIONS & set(words[max(0, span.start - 2) : span.start])
        and not (kind == SIDE_TYPE and _WHERE & set(words[max(0, span.start - 2) : span.start]))
    }
    variants: dict[str, tuple[dict[str, float], float]] = {}
    variants[""] = _weighed(_features(words), grammar)
    for kind, span in spans.items():
        replaced = [*words[: span.start], "{" + kind + "}", *words[span.end :]]
        variants[kind] = _weighed(_features(replaced), grammar)
    overlap: dict[tuple[int, str], float] = {}
    for kind, (bag, _) in variants.items():
        for feature, weight in bag.items():
            for number in grammar.index.get(f"{kind}|{feature}", ()):
                overlap[(number, kind)] = overlap.get((number, kind), 0.0) + weight
    best: tuple[float, int, int] | None = None
    beta2 = BETA * BETA
    for (number, kind), shared in overlap.items():
        sample = grammar.samples[number]
        if not sample.weight or not variants[kind][1] or sample.intent in NOT_GUESSED:
            continue
        recall = shared / sample.weight
        precision = shared / variants[kind][1]
        if precision < (MIN_PRECISION if len(sample.bag) > 1 else ONE_WORD_PRECISION):
            continue  # a short sample inside a long sentence that is about something else
        score = (1 + beta2) * precision * recall / (beta2 * precision + recall)
        rank = (score, int(sample.custom), -number)
        if best is None or rank > best:
            best = rank
    if best is None:
        return None
    sample = grammar.samples[-best[2]]
    if sample.slot is None:
        return best[0], Match(sample.intent)
    span = spans[sample.slot[1]]
    heard = " ".join(words[span.start : span.end])
    return best[0], Match(sample.intent, {sample.slot[0]: Slot(heard, span.id)})


def _features(words: Sequence[str]) -> list[str]:
    """Stems of content words, and pairs of neighbouring ones (for word order), sorted.

    Sorted, not a set: weights are summed in this order, and a set's order changes from
    process to process, which made two near scores swap now and then.
    """
    content = ["#" if w in NUMBERS else stem(w) for w in words if w not in STOPWORDS]
    return sorted({*content, *(f"{a}+{b}" for a, b in itertools.pairwise(content))})


def _weighed(features: list[str], grammar: Grammar) -> tuple[dict[str, float], float]:
    bag = {f: grammar.idf[f] for f in features if f in grammar.idf}
    unknown = sum(1 for f in features if f not in grammar.idf and "+" not in f)
    return bag, sum(bag.values()) + unknown * UNKNOWN_WEIGHT


def _named(spec: Spec) -> list[str]:
    return [name for name, kind in spec.slot_types.items() if kind.source is not None]


def _phrases(
    values: Mapping[str, Mapping[str, str]], named: frozenset[str]
) -> dict[tuple[str, ...], tuple[tuple[str, str, bool], ...]]:
    """Slot phrases in canonical words, with the distinctive parts of catalogue names.

    People shorten names ("the squat" for the deep squat): a run of words from one value's
    name that no other value of the type uses, and not only generic words, stands for it.
    """
    whole: dict[tuple[str, ...], dict[tuple[str, str], bool]] = {}
    for kind, table in values.items():
        for spoken, ident in table.items():
            whole.setdefault(tuple(canon(spoken.split())), {})[(kind, ident)] = True
    for kind, table in values.items():
        if kind not in named:
            continue
        owners: dict[tuple[str, ...], set[str]] = {}
        for spoken, ident in table.items():
            name = canon(spoken.split())
            for start in range(len(name)):
                for end in range(start + 1, len(name) + 1):
                    owners.setdefault(tuple(name[start:end]), set()).add(ident)
        for part, idents in owners.items():
            if len(idents) != 1:
                continue
            ident = next(iter(idents))
            # "the kneeling hip flexor": a name said without its last word, a kind of
            # thing ("stretch"), is the whole name.
            if (
                any(
                    tuple(canon(spoken.split())) == (*part, noun)
                    for spoken, owner in table.items()
                    if owner == ident
                    for noun in TYPE_NOUNS
                )
                and len(part) > 1
            ):
                whole.setdefault(part, {})[(kind, ident)] = True
                continue
            if all(w in STOPWORDS or w in _GENERIC for w in part):
                continue
            entry = whole.setdefault(part, {})
            entry.setdefault((kind, ident), False)
    return {
        words: tuple((kind, ident, w) for (kind, ident), w in table.items())
        for words, table in whole.items()
    }


# Words in names that say nothing about which one is meant on their own.
_GENERIC = frozenset({
    "stretch", "pose", "routine", "exercise", "series", "seated", "standing", "lying", "sitting",
    "chair", "wall", "leg", "legs", "side", "back", "hip", "knee", "and", "up", "down", "with",
    "lift", "lower", "full", "half", "single", "double", "one", "all", "easy", "modified",
    "front", "forward", "backward", "at", "in", "on", "is", "it", "kneeling", "bend", "twist",
    "rock", "step", "tuck", "reach", "fold", "extension", "flexion", "rotation", "trunk",
    "lumbar", "core", "tummy", "spinal", "left", "right", "other", "second", "a", "bit",
    "just", "more", "not", "so", "too", "very", "something", "some", "pain", "my", "feeling",
    "like", "going", "into", "out", "over", "day", "time", "only", "an", "of", "the",
    "four", "ten", "fourteen", "hard", "mobility", "work",
    "cow", "baby", "flexor", "lunge", "responder", "push", "press", "tilt", "circle",
    "kick", "figure",
})  # fmt: skip
