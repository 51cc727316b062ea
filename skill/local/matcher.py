"""A local utterance matcher built from the intent templates: text in, intent and slots out."""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from skill.alexa.models import Spec, build_model, load_spec
from skill.alexa.questions import SEVERE_PAIN
from skill.content import Catalogue
from skill.local.meaning import Meaning

# Polite openings that wrap a request ("could you ..."): tried without them when the
# samples do not match the whole sentence. Matched on canonical words (see _canon).
CARRIERS = re.compile(
    r"^(?:(?:can|could|would|will) (?:you|we|i) please|(?:can|could|would|will) (?:you|we|i)|"
    r"would you mind|is it possible to|any chance (?:you|we) (?:could|can)|"
    r"do you think (?:you|we) could|i would like you to|i (?:want|need) you to|how about we|"
    r"why do not we|shall we|i think we should|we should|let us just|"
    r"i (?:want|need|would like|will|am going) to|"
    r"i think|i guess|maybe|please|um|uh|er|so|okay then|okay|right then|right|well|now|and|"
    r"but|actually|just|coach|hey|oh|all right|sorry about that|sorry|go on then|go on|"
    r"come on|yes|no|sure|then|cheers|mm|hmm|ah|oh dear|eh|huh|you what|pardon|come again)\b ?"
)
TRAILERS = re.compile(
    r" ?\b(?:please|thanks|thank you|now|then|for me|coach|mate|love|cheers|ta|today|tonight|"
    r"i think|again|instead|if you can|if that is ok|if that is okay|if you do not mind|"
    r"if possible|right now|this time|i suppose|i guess|would you|could you|dear|darling|"
    r"and that is it|and that is all|that is all|and no more|only|by itself|on its own|"
    r"if that is all right|to be honest|do you reckon|i am afraid|for me please)$"
)
# Words that tell nothing about which intent is meant: left out of the generalising stage.
STOPWORDS = frozenset({
    "the", "a", "an", "to", "of", "please", "um", "uh", "er", "erm", "hmm", "mm", "just",
    "really", "so", "well", "oh", "actually", "alexa", "hey", "coach", "kindly", "my",
    "something", "anything",
})  # fmt: skip
# The generalising stage acts on a sample only this close (see _closest for the score).
THRESHOLD = 0.7
# The last stage, nearness in meaning, only where no word-based stage found anything: a
# cosine similarity at which 40 everyday requests to a speaker (weather, music, timers)
# still fall back, measured in bench/understanding.py.
MEANING_THRESHOLD = 0.75
# The slot type of routine names: a routine named is a routine asked for.
ROUTINE_TYPE = "ROUTINE_NAME"
# "Never mind", "don't bother": after an answer, only the answer again.
CANCEL = "AMAZON.CancelIntent"
# Pain, reported: heard before any request to carry on said with it.
_PAIN = frozenset({"PainIntent", "PainKindIntent"})
# Requests that stop anyway, so pain said with them changes nothing.
_STOPPING = frozenset({"AMAZON.StopIntent", CANCEL, "AMAZON.PauseIntent"})
# A yes said with these is no yes: "my doctor said not to", "sure, but only for today".
_HEDGES = frozenset({"not", "never", "nor", "but", "maybe", "perhaps", "whatever", "no"})
# Denials, and the verbs of forgetting and leaving out that a denial turns around.
_DENIALS = frozenset({"not", "never"})
_UNDOING = frozenset({"forget", "delete", "erase", "wipe", "remove", "skip", "leave", "drop",
                      "exclude", "miss", "cut", "ditch", "bin", "lose", "clear"})  # fmt: skip
FORGET = "ForgetIntent"
PAIN_INTENT = "PainIntent"
# The last words of a sentence that says it hurts, and the first of one that asks if it will.
_PAIN_ENDINGS = frozenset({"hurts", "hurt", "hurting", "aches", "aching", "painful", "agony"})
_ASKING = frozenset({"does", "will", "should", "would", "could", "can", "is", "do", "might"})
PAIN_KIND_INTENT = "PainKindIntent"
# A described situation leads to its own questions (back pain to the back screening).
SITUATION_INTENT = "SituationIntent"
SIDE_INTENT = "SideIntent"
# Someone else the sentence is about: "my sister is pregnant" describes her, not them.
_OTHERS = frozenset({
    "mum", "mom", "dad", "granddad", "grandad", "grandma", "granny", "nan", "sister",
    "brother", "wife", "husband", "son", "daughter", "friend", "partner", "neighbour",
    "neighbor", "boss", "kid", "child", "dog", "cat", "granddaddy", "grandpa", "auntie",
    "uncle",
})  # fmt: skip
# Skipping a stretch now, and leaving it out for good (see _scoped).
SKIP, EXCLUDE = "SkipIntent", "ExcludeStretchIntent"
# Asking for a stretch, which a "not" before its name turns into turning it down.
SINGLE, GO_TO, INCLUDE = "SingleStretchIntent", "GoToStretchIntent", "IncludeStretchIntent"
_LASTING = ("ever", "forever", "anymore", "any more", "permanently", "for good", "from now on",
            "in future", "in the future", "next time", "every time", "always")  # fmt: skip
_FOR_NOW = ("today", "tonight", "this time", "for now", "just now", "this once", "right now",
            "this session", "for today")  # fmt: skip
# The slot type of parts of the body, and the words that make one the person's own.
BODY_PART_TYPE = "BODY_PART"
_MINE = frozenset({"my", "me"})
# The slot type of stretches.
STRETCH_TYPE = "STRETCH_NAME"
# The slot type of sides: "down my left leg" says where, not which side to do.
SIDE_TYPE = "SIDE"
# The slot type of kinds of pain: one described, when nothing else was asked, is meant.
PAIN_KIND_TYPE = "PAIN_KIND"
# Slot types that say how a person feels, never which stretch or routine they mean.
_REPORTS = frozenset({"PAIN_KIND", "BODY_PART"})
# The slot type of situations: one described, when nothing else was asked, is meant.
SITUATION_TYPE = "SITUATION"
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
# A one-word request inside a longer sentence counts only if the word is this rare (idf).
CLAUSE_IDF = 1.75
# Word pairs count this much of their idf: order helps, but a pair is no new word.
PAIR_WEIGHT = 0.5
# Not "-er": "faster" and "too fast" ask for opposite things.
_STEMS = (("ing", ""), ("ed", ""), ("ly", ""), ("e", ""))
_BARE_WORDS = STOPWORDS | {"one", "routine", "stretch", "pose", "session", "workout",
                           "exercise", "then", "now", "thanks", "only", "today", "tonight",
                           "for", "me", "i", "think", "yes", "no", "okay"}  # fmt: skip
_NUMBERS = frozenset({
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
    "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred",
})  # fmt: skip
_PARTICIPLES = frozenset({"been", "got", "gone", "had"})
_ANSWERS = ("yes", "no")
_TYPE_NOUNS = frozenset({"routine", "stretch", "pose", "one", "workout", "session", "exercise"})
_SMALL = STOPWORDS | {"bit", "little", "tiny"}
_NEGATIONS = frozenset({"not", "no", "never", "nor"})
# Words that say where something is felt ("down my left leg"), not which one is wanted.
_WHERE = frozenset({"down", "in", "into", "through", "along", "across"})
_SLOT = re.compile(r"\{(\w+)\}")
_DRAWN_OUT = re.compile(r"([a-z])\1{2,}")
_WAKE = re.compile(r"^(?:alexa[, ]+)?(?:(?:ask|tell) stretch coach(?: to)?|open stretch coach)\b")
# Contractions and casual spellings, spelt out the way the samples are compared.
_SPOKEN = {
    "im": "i am", "ive": "i have", "id": "i would", "ill": "i will", "dont": "do not",
    "cant": "can not", "cannot": "can not", "lets": "let us", "let's": "let us", "thats": "that is",
    "whats": "what is", "youre": "you are", "didnt": "did not", "doesnt": "does not",
    "isnt": "is not", "wanna": "want to", "gonna": "going to", "gotta": "got to",
    "wont": "will not", "won't": "will not", "can't": "can not", "shan't": "shall not",
    "ain't": "is not", "hows": "how is", "wheres": "where is", "theres": "there is",
    "heres": "here is", "its": "it is", "i'd've": "i would have", "y'know": "you know",
    "dunno": "do not know", "gimme": "give me", "lemme": "let me", "kinda": "kind of",
    "sorta": "sort of", "ya": "you", "ok": "okay", "alright": "all right", "thru": "through",
    "yeah": "yes", "yep": "yes", "yup": "yes", "nah": "no", "nope": "no", "naw": "no", "mum": "mom",
    "'em": "them", "em": "them", "y'all": "you", "yall": "you", "gotcha": "got you",
    "outta": "out of", "lotta": "lot of", "whatcha": "what are you",
}  # fmt: skip
_SUFFIXES = (("n't", "not"), ("'re", "are"), ("'ve", "have"), ("'ll", "will"), ("'d", "would"),
             ("'m", "am"), ("'s", "is"))  # fmt: skip
_KEEP_S = frozenset({"yes", "news", "this", "is", "was", "has", "does", "goes", "its", "plus", "us",
                     "always", "less", "thanks", "towards", "chess", "series", "pilates",
                     "abs", "lots", "perhaps", "sometimes", "across", "bus"})  # fmt: skip


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
    words: tuple[str, ...]  # canonical words; a slot as "{TYPE}"
    slot: tuple[str, str] | None  # (slot name, slot type)
    custom: bool  # ours, not a phrase Alexa knows by itself
    bag: Mapping[str, float]  # the generalising stage's features and their weights
    weight: float  # their sum


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    kind: str  # slot type
    id: str
    whole: bool  # a full value, not a distinctive part of one


@dataclass(frozen=True)
class Grammar:
    """The samples and slot values of one locale's model, indexed for matching."""

    samples: tuple[_Sample, ...]
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
        skip = frozenset(tuple(_canon(normalise(w).split())) for w in skip_words)
        samples: list[_Sample] = []
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
                    words += _canon(normalise(word).split())
            if not words or (intent, tuple(words)) in seen:
                continue
            seen.add((intent, tuple(words)))
            samples.append(_Sample(intent, tuple(words), slot, custom, {}, 0.0))
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
        weighted: list[_Sample] = []
        index: dict[str, list[int]] = {}
        exact: dict[tuple[str, ...], list[int]] = {}
        loose: dict[tuple[str, ...], list[int]] = {}
        opens: list[tuple[re.Pattern[str], int]] = []
        bare: dict[str, tuple[str, str]] = {}
        for number, sample in enumerate(samples):
            bag = {f: idf[f] for f in _features(sample.words)}
            total_weight = sum(bag.values())
            weighted.append(
                _Sample(sample.intent, sample.words, sample.slot, sample.custom, bag, total_weight)
            )
            kind = sample.slot[1] if sample.slot else ""
            if sample.slot and all(w.startswith("{") or w in _BARE_WORDS for w in sample.words):
                bag = {}  # "the {routine} one": only word for word, or it takes any sentence
                if sample.custom:
                    bare.setdefault(sample.slot[1], (sample.intent, sample.slot[0]))
            for feature in bag:
                index.setdefault(f"{kind}|{feature}", []).append(number)
            exact.setdefault(sample.words, []).append(number)
            bare_words = tuple(_unskipped(list(sample.words), skip))
            if bare_words:  # "mm hmm" is all skip words: word for word only, or "hmm" is yes
                loose.setdefault(bare_words, []).append(number)
            # "start the marathon routine": an unknown name is believable only before a word
            # that says what it names, after a word that asks for it.
            where = [i for i, w in enumerate(sample.words) if w.startswith("{")]
            before = [w for w in sample.words[: where[0]] if w not in STOPWORDS] if where else []
            after = sample.words[where[0] + 1 : where[0] + 2] if where else ()
            unknown_name = sample.slot is not None and sample.slot[1] in named
            if unknown_name and len(where) == 1 and before and set(after) & _TYPE_NOUNS:
                pattern = " ".join(
                    r"(?P<slot>.+?)" if w.startswith("{") else re.escape(w) for w in sample.words
                )
                opens.append((re.compile(pattern), number))
        launch = frozenset({
            f"open {language['invocationName']}", f"start {language['invocationName']}",
            f"launch {language['invocationName']}", language["invocationName"], "open", "launch",
        })  # fmt: skip
        said = {w: Match(weighted[exact[(w,)][0]].intent) for w in _ANSWERS if (w,) in exact}
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
            meaning=Meaning([_example(sample.words, values) for sample in weighted]),
            answers=frozenset(answer.intent for answer in said.values()),
            yes=said.get("yes"),
            no=said.get("no"),
            slot_of={s.intent: s.slot for s in weighted if s.slot is not None},
        )


def normalise(text: str) -> str:
    """Lowercase words and apostrophes only: "Let's do the DESK stretches!" -> let's do ..."""
    text = text.lower().replace("\u2019", "'")  # a typographic apostrophe, as phones type it
    # "café", "sí": a letter with an accent is the letter, not a break in the word.
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9'{} ]+", " ", text).split())


def is_launch(text: str, grammar: Grammar) -> bool:
    return normalise(text).removeprefix("alexa ").strip() in grammar.launch


def recognize(text: str, grammar: Grammar) -> Match | None:
    """The best intent for text, or None when nothing is close (Alexa's fallback).

    In order: the samples word for word, after light normalisation ("im" is "i am",
    plurals are singular) with known slot values spotted, then again without skip words
    and one polite opening or closing at a time ("could you ...", "... please"); a known
    value on its own ("the seniors one"); a catalogue name we do not know in a sample that
    asks for one ("start the marathon routine"); a sample said whole in the first or last
    half of the sentence ("hold on, my phone's ringing"); the nearest sample by
    idf-weighted overlap, as Alexa's model generalises past its samples, if near enough;
    last, a shorter request at either end ("stop, I'm shattered").

    A sentence that opens with "yes", "no" or "not really" answers so, unless the rest is a
    request of its own ("no, let's do the desk one"), and never means the opposite ("no,
    it's fine").
    """
    said = _WAKE.sub("", normalise(text)).strip()
    said = _DRAWN_OUT.sub(r"\1", said)  # "owww", "nooo": a word said long is the word
    words = _canon(said.split())
    if not words:
        return None
    corrected = _corrected(words, grammar)
    if corrected is not None:  # read, and guarded, as what was said after the correction
        return corrected if corrected.intent in _PAIN else _pain_said(words, grammar) or corrected
    return _guarded(_recognized(words, grammar), words, grammar)


def _guarded(found: Match | None, words: list[str], grammar: Grammar) -> Match | None:
    """The safe reading of a sentence, whatever the stages made of it.

    Pain said anywhere in it is heard first ("let's move on, this one hurts", "stop, I'm
    in pain", "it's sharp, I mean, I can carry on"), and of kinds of pain the serious one
    ("slightly sharp"). A yes said with a no, a "but" or a "maybe" ("my doctor said not
    to", "sure, but only for today") is no yes: the question is asked again. Forgetting
    or leaving out said with a "don't" is the opposite ("don't forget me").
    """
    whole = [_exact(a, grammar) for a in _trimmed(words, grammar)[:2]]
    # A sample said whole means what it says ("that's too much for me" asks for easier).
    if (found is None or found.intent not in _PAIN | {SITUATION_INTENT}) and found not in whole:
        found = _pain_said(words, grammar) or found
    if found is None:
        return None
    if found.intent == PAIN_INTENT and found not in whole:
        # "my back's gone really sharp": the kind of pain, when it is a serious one.
        found = _pain_kind_said(words, grammar) or found
    if found.intent == PAIN_KIND_INTENT:
        kinds = {slot.id for slot in found.slots.values()}
        said = [s for s in _spans(words, grammar) if s.kind == PAIN_KIND_TYPE and s.id in kinds]
        if said and all(_turned_down(words, s.start, pain=True) for s in said):
            return grammar.no  # "no numbness", "it doesn't go down my leg"
        return _most_serious(found, words, grammar)
    yes = grammar.yes
    # Unless the whole of it is a way of saying yes ("why not", "sure, why not").
    if yes is not None and found.intent == yes.intent and _HEDGES & set(words) and yes not in whole:
        return None
    if found == grammar.no and found not in whole:
        # "I'd rather not do the cobra": a stretch turned down is one to skip.
        turned = _refused(Match(SINGLE, _named_stretch(words, grammar)), words)
        if turned is not None and turned.intent == SKIP and turned.slots:
            return turned
    if found.intent in (FORGET, SKIP, EXCLUDE) and _undone(words):
        if found.intent == FORGET:
            return grammar.no  # "don't forget me": keep it all
        return Match(INCLUDE, found.slots) if found.intent == EXCLUDE else None
    return found


def _named_stretch(words: list[str], grammar: Grammar) -> dict[str, Slot]:
    """The stretch named in words, as the slot of a request for it (none: empty)."""
    span = _best_spans(words, grammar).get(STRETCH_TYPE)
    if span is None or not span.whole or SINGLE not in grammar.slot_of:
        return {}
    name = grammar.slot_of[SINGLE][0]
    return {name: Slot(" ".join(words[span.start : span.end]), span.id)}


def _pain_said(words: list[str], grammar: Grammar) -> Match | None:
    """Pain reported at the start or end of a sentence, not turned down ("not sharp")."""
    for size in range(len(words), 0, -1):
        for start in {0, len(words) - size}:
            part = words[start : start + size]
            found = _exact(part, grammar)
            if found is None or found.intent not in _PAIN or not _serious(found):
                continue
            if start and _turned_down(words, start, pain=True):
                continue
            return found
    # A serious kind of pain said anywhere, of the person: "my foot's numb, I mean ...".
    # "knee to chest hurts": a sentence that ends in pain, unless it asks ("will it hurt").
    if words[-1] in _PAIN_ENDINGS and words[0] not in _ASKING and PAIN_INTENT in grammar.slot_of:
        return Match(PAIN_INTENT)
    if not _FELT & set(words):
        return None
    return _pain_kind_said(words, grammar)


def _pain_kind_said(words: list[str], grammar: Grammar) -> Match | None:
    """A serious kind of pain said anywhere in words, and not turned down."""
    if PAIN_KIND_TYPE not in grammar.bare:
        return None
    for span in _spans(words, grammar):
        serious = span.kind == PAIN_KIND_TYPE and span.whole and span.id in SEVERE_PAIN
        if serious and not _turned_down(words, span.start, pain=True):
            intent, slot = grammar.bare[PAIN_KIND_TYPE]
            return Match(intent, {slot: Slot(" ".join(words[span.start : span.end]), span.id)})
    return None


def _serious(found: Match) -> bool:
    """Pain, or a kind of it that needs stopping: not "a bit" or "stretchy" said in passing."""
    if found.intent != PAIN_KIND_INTENT:
        return True
    return any(slot.id in SEVERE_PAIN for slot in found.slots.values())


def _most_serious(found: Match, words: list[str], grammar: Grammar) -> Match:
    """Of the kinds of pain said, the serious one: "a little bit spreading" spreads."""
    if _serious(found):
        return found
    for span in _spans(words, grammar):
        serious = span.kind == PAIN_KIND_TYPE and span.id in SEVERE_PAIN
        if serious and span.whole and not _turned_down(words, span.start, pain=True):
            heard = " ".join(words[span.start : span.end])
            return Match(found.intent, {next(iter(found.slots), "painKind"): Slot(heard, span.id)})
    return found


def _undone(words: list[str]) -> bool:
    """A "don't" on forgetting or leaving out: "don't delete anything", "don't skip it"."""
    return any(
        w in _DENIALS and i + 1 < len(words) and words[i + 1] in _UNDOING
        for i, w in enumerate(words)
    )


def _recognized(words: list[str], grammar: Grammar) -> Match | None:
    answers = grammar.answers
    # The opening answer, if any: "yes", "not really", "yeah nah".
    opening = (
        (size, _exact(words[:size], grammar)) for size in range(min(len(words) - 1, 3), 0, -1)
    )
    # "never mind" opens with no answer, though "never" alone would be one.
    size, answer = next(
        ((n, m) for n, m in opening if m is not None and m.intent in answers | {CANCEL}),
        (0, None),
    )
    if answer is not None and answer.intent == CANCEL:
        size, answer = 0, None
    attempts = _trimmed(words, grammar)
    found: Match | None = None
    for attempt in attempts:
        found = _exact(attempt, grammar)
        if found is not None:
            if attempt[0] in _ANSWERS or attempt is words:
                answer = None  # "yeah nah": the answer said last, or the whole phrase, stands
            break
    else:
        found = _bare(attempts[-1], grammar) or _open(words, grammar)
    # A request said whole in the first or last half of the sentence, before guessing.
    found = found or _clause(words, grammar, (len(words) + 1) // 2)
    if found is None:
        # The nearest sample to the sentence or to any of its shorter forms.
        nearest = [near for attempt in attempts if (near := _closest(attempt, grammar))]
        # On a tie the later, cleaner form wins: "something really gentle" is read as
        # "something gentle" there, a whole situation rather than part of a name.
        ranked = [(near[0], n, near[1]) for n, near in enumerate(nearest)]
        if ranked:
            score, _, match = max(ranked, key=lambda r: r[:2])
            near_enough = score >= THRESHOLD and _about_them(match, words, grammar)
            found = match if near_enough else None
    said_as_answer = found is None or found.intent in answers | {CANCEL} or _located(found, words)
    if answer is not None and said_as_answer:
        # "not today, bye", "ready, next please": a request said after the answer says
        # more than the answer.
        # But "not really sharp" is no sharp pain: what follows "not" is not so.
        said_after = (
            size and not _turned_down(words, size) and _unskipped(words[size:], grammar.skip)
        )  # "for sure, eh": a sound after the answer is no request
        rest = (_exact(a, grammar) for a in _trimmed(words[size:], grammar)) if said_after else ()
        later = next((m for m in rest if m is not None), None) or _clause(words, grammar)
        if later is None or later.intent in answers or later.intent == CANCEL:
            return answer  # "no, don't bother": the answer, said twice
        if _modifier(later) or _located(later, words):
            return answer  # "aye, a wee bit", "yes, my left leg": how much, or where
        return _read(later, words, grammar)
    # Then a shorter request at either end of the sentence or of a shorter form of it.
    found = found or next((m for a in attempts if (m := _clause(a, grammar))), None)
    # Last, the sample nearest in meaning ("crank it up"), when no words gave it away.
    found = found or _by_meaning(words, grammar)
    return _read(found or _described(words, grammar), words, grammar)


def _corrected(words: list[str], grammar: Grammar) -> Match | None:
    """What someone who corrects themself ends up asking for.

    The words after the last "no wait", "actually no", "I mean" ("skip, no wait, repeat
    that") are the request. Nothing understood after it, the correction itself says no
    ("erase it, no wait").
    """
    last = max(
        (i + len(marker) for marker in _CORRECTIONS for i in range(len(words))
         if tuple(words[i : i + len(marker)]) == marker),
        default=None,
    )  # fmt: skip
    if last is None:
        return None
    after = words[last:]
    if not after and len(words) <= 3:
        return None  # "no wait" alone: a request to wait, read as a sentence of its own
    found = recognize(" ".join(after), grammar) if after else None
    if found is None and "no" in words[max(0, last - 2) : last]:
        return grammar.no
    return found


# Words by which people take back what they just said.
_CORRECTIONS = tuple(tuple(m.split()) for m in (
    "no wait", "wait no", "actually no", "no actually", "no sorry", "sorry no", "i mean",
    "or rather", "scratch that", "no no wait", "oh no wait",
))  # fmt: skip


def _read(found: Match | None, words: list[str], grammar: Grammar) -> Match | None:
    """What the rest of the sentence makes of the request found in it."""
    found = _routine_request(words, grammar, found)
    return _scoped(_refused(_filled(found, words, grammar), words), words)


def _refused(found: Match | None, words: list[str]) -> Match | None:
    """A stretch turned down is one to skip: "could we not do the cobra today".

    The nearest sample to a sentence can be its opposite ("never doing the happy baby
    again" is near "do the happy baby again"): a "not" or "never" before the name says
    the person does not want it.
    """
    if found is None or found.intent not in (SINGLE, GO_TO, INCLUDE) or not found.slots:
        return found
    heard = next(iter(found.slots.values())).heard.split()
    starts = [i for i in range(len(words)) if words[i : i + len(heard)] == heard]
    if not starts:
        return found
    before = words[max(0, starts[-1] - 6) : starts[-1]]
    # "no, I want the pigeon" answers no first; "no pigeon" and "not the pigeon" refuse it.
    if not (_NEGATIONS - {"no"}) & set(before) and before[-1:] != ["no"]:
        return found
    return Match(EXCLUDE if found.intent == INCLUDE else SKIP, found.slots)


def _scoped(found: Match | None, words: list[str]) -> Match | None:
    """Skipping is for now and leaving out is for good: the words of time say which.

    "let's leave out the squat this time" skips it; "don't ever make me do the happy baby
    again" leaves it out. Said with neither, the request stands as it was read.
    """
    if found is None or found.intent not in (SKIP, EXCLUDE):
        return found
    said = " " + " ".join(words) + " "
    lasting = any(f" {w} " in said for w in _LASTING) or (
        " again " in said and bool(_NEGATIONS & set(words) or "never" in words)
    )
    for_now = any(f" {w} " in said for w in _FOR_NOW)
    if found.intent == SKIP and lasting and not for_now:
        return Match(EXCLUDE, found.slots)
    if found.intent == EXCLUDE and for_now and not lasting:
        return Match(SKIP, found.slots)
    return found


def _filled(found: Match | None, words: list[str], grammar: Grammar) -> Match | None:
    """A request read from a sample without its slot, given the value the sentence names.

    "can we not do pigeon today" is near "can we not do this one", and "ow me foot" is
    near "ow": the pigeon and the foot were still said.
    """
    if found is None or found.slots or found.intent not in grammar.slot_of:
        return found
    name, kind = grammar.slot_of[found.intent]
    span = _best_spans(words, grammar).get(kind)
    if span is None or not span.whole:
        return found
    return Match(found.intent, {name: Slot(" ".join(words[span.start : span.end]), span.id)})


def _routine_request(words: list[str], grammar: Grammar, found: Match | None) -> Match | None:
    """What a routine named in the sentence makes of what was found.

    "maybe the seniors routine, if that's okay": a routine named in a sentence that asks
    nothing else is a request for it. "no, not the desk routine" turns one down: a no, or
    the other one named ("no, the desk one" answers no, then names it: "no" is not "not").
    """
    if ROUTINE_TYPE not in grammar.bare:
        return found
    intent, slot = grammar.bare[ROUTINE_TYPE]
    found_spans = _spans(words, grammar)
    # "he's running late": a routine's other name that is also a situation ("running",
    # "pregnant") is a description, which is the person's only when about them.
    described = {(s.start, s.end) for s in found_spans if s.kind == SITUATION_TYPE and s.whole}
    spans = [
        s for s in found_spans
        if s.kind == ROUTINE_TYPE and s.whole
        and (found is not None or (s.start, s.end) not in described)
    ]  # fmt: skip
    refused = _NEGATIONS - {"no"}
    wanted = [s for s in spans if not refused & set(words[max(0, s.start - 3) : s.start])]
    asked = found is None or found.intent in grammar.answers
    if asked and len({s.id for s in spans}) == 1:
        found = Match(intent, {slot: Slot(" ".join(words[spans[0].start : spans[0].end]),
                                          spans[0].id)})  # fmt: skip
    if found is None or found.intent != intent or wanted == spans:
        return found
    if not wanted:
        return grammar.no
    first = wanted[0]
    return Match(intent, {slot: Slot(" ".join(words[first.start : first.end]), first.id)})


def _about_them(found: Match, words: list[str], grammar: Grammar) -> bool:
    """Whether a kind of pain or a situation read loosely is said of the person.

    "the baby's asleep finally" is near "asleep" (numb), and "she's pregnant with her
    second" near "I'm pregnant": words that describe are theirs only when the sentence
    is about them, or what they feel.
    """
    kinds = {grammar.slot_of[found.intent][1]} if found.intent in grammar.slot_of else set()
    for kind, about in _DESCRIBING:
        if kind in kinds and found.slots and (not about & set(words) or _OTHERS & set(words)):
            return False
    return True


def _located(found: Match, words: list[str]) -> bool:
    """A side said as a place ("my left leg"), after an answer: where, not a request."""
    if found.intent != SIDE_INTENT:
        return False
    heard = [slot.heard for slot in found.slots.values()]
    return any(f"my {h}" in " ".join(words) for h in heard)


def _modifier(found: Match) -> bool:
    """A match made only of small words ("a bit"): it says how much, asks for nothing."""
    heard = [w for slot in found.slots.values() for w in slot.heard.split()]
    return bool(heard) and all(w in _SMALL for w in heard)


def _described(words: list[str], grammar: Grammar) -> Match | None:
    """A situation or a pain the person describes, in a sentence nothing else explained.

    "I run about forty k a week", "he's got sciatica down his left leg", "like an electric
    shooting thing": one value named, and not turned down ("not pregnant", "not sharp"),
    is the person saying how they are. A situation needs someone it is about.
    """
    # Last, a part of the person's body in a sentence nothing else explained is something
    # felt there ("that's twingey in my groin"): the pain check asks what.
    described = (*_DESCRIBING, (BODY_PART_TYPE, _MINE))
    for kind, about in described:
        if kind not in grammar.bare or not about & set(words) or _OTHERS & set(words):
            continue  # "turn the lights off", "my sister is pregnant": not about the person
        spans = [
            s for s in _spans(words, grammar)
            if s.kind == kind and s.whole
            and not all(w in _SMALL for w in words[s.start : s.end])
            and not (_NEGATIONS | {"too"}) & set(words[max(0, s.start - 3) : s.start])
        ]  # fmt: skip
        if len({s.id for s in spans}) == 1:
            intent, slot = grammar.bare[kind]
            heard = " ".join(words[spans[0].start : spans[0].end])
            return Match(intent, {slot: Slot(heard, spans[0].id)})
    return None


def _by_meaning(words: list[str], grammar: Grammar) -> Match | None:
    if not [w for w in _unskipped(words, grammar.skip) if w not in STOPWORDS]:
        return None  # "hmm", "erm": a sound is near "mm hmm", but it says nothing
    near = grammar.meaning.nearest(" ".join(words))
    if near is None or near[0] < MEANING_THRESHOLD:
        return None
    sample = grammar.samples[near[1]]
    if sample.slot is None:
        return Match(sample.intent)
    # A sample about a named thing means it only if a name of that kind was said.
    span = _best_spans(words, grammar).get(sample.slot[1])
    if span is None or _turned_down(words, span.start):
        return None  # "I'm not pregnant" is near "I'm pregnant", and means the opposite
    heard = " ".join(words[span.start : span.end])
    return Match(sample.intent, {sample.slot[0]: Slot(heard, span.id)})


def _example(words: Sequence[str], values: Mapping[str, Mapping[str, str]]) -> str:
    """A sample as a sentence, its slot filled with the first value of its type."""
    return " ".join(
        next(iter(values.get(w[1:-1], {w: ""}))) if w.startswith("{") else w for w in words
    )


def _canon(words: Iterable[str]) -> list[str]:
    """Words as the matcher compares them: contractions spelt out, plurals singular."""
    out: list[str] = []
    for word in words:
        if word in _SPOKEN:
            out += _SPOKEN[word].split()
            continue
        if word.endswith("in'") and len(word) > 5:
            word = word[:-1] + "g"  # "lookin'", "somethin'": the g people drop
        for suffix, full in _SUFFIXES:
            if word.endswith(suffix) and len(word) > len(suffix):
                out += [word[: -len(suffix)], full]
                break
        else:
            out.append(_singular(word.strip("'")))
    out = [w for w in out if w]
    # "'s" is "has" before a past participle: "my back's been bad" is "my back has been bad".
    for i in range(len(out) - 1):
        if out[i] == "is" and out[i + 1] in _PARTICIPLES:
            out[i] = "has"
    return out


def _singular(word: str) -> str:
    if len(word) <= 3 or not word.endswith("s") or word in _KEEP_S:
        return word
    if word.endswith(("ss", "us", "is")):
        return word
    if word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    return word[:-1]


def _unskipped(words: list[str], skip: frozenset[tuple[str, ...]]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(words):
        for size in (2, 1):
            if tuple(words[i : i + size]) in skip:
                i += size
                break
        else:
            out.append(words[i])
            i += 1
    return out


def _trimmed(words: list[str], grammar: Grammar) -> list[list[str]]:
    """The sentence, then without skip words, then without openings and closings."""
    attempts = [words]
    current = _unskipped(words, grammar.skip)
    if current and current != words:
        attempts.append(current)
    text = " ".join(current)
    while True:
        # One layer at a time, opening first: "right, let's go again" is "let's go again".
        shorter = CARRIERS.sub("", text).strip() or text
        if shorter == text:
            shorter = TRAILERS.sub("", text).strip() or text
        if shorter == text:
            return attempts
        attempts.append(shorter.split())
        text = shorter


def _spans(words: Sequence[str], grammar: Grammar) -> list[_Span]:
    """Every known slot value (or distinctive part of one) in words, longest first."""
    found: list[_Span] = []
    for start in range(len(words)):
        for end in range(min(len(words), start + grammar.longest), start, -1):
            for kind, ident, whole in grammar.phrases.get(tuple(words[start:end]), ()):
                found.append(_Span(start, end, kind, ident, whole))
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
    found.sort(key=lambda s: (s.start > 0 and words[s.start - 1] in _NEGATIONS,
                              all(w in _SMALL for w in words[s.start : s.end]),
                              not s.whole, s.start - s.end, s.start))  # fmt: skip
    return found


def _best_spans(words: Sequence[str], grammar: Grammar) -> dict[str, _Span]:
    """For each slot type, the value to believe: a whole value, then the longest."""
    best: dict[str, _Span] = {}
    for span in _spans(words, grammar):
        best.setdefault(span.kind, span)
    return best


def _exact(words: list[str], grammar: Grammar) -> Match | None:
    candidates: list[tuple[tuple[int, ...], Match]] = []
    for key, span in [(tuple(words), None)] + [
        ((*words[: s.start], "{" + s.kind + "}", *words[s.end :]), s)
        for s in _spans(words, grammar)
        if not _turned_down(words, s.start, pain=s.kind == PAIN_KIND_TYPE)
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


def _turned_down(words: Sequence[str], start: int, *, pain: bool = False) -> bool:
    """Whether the value at start is said as not so: "not down my leg", "not really sharp".

    Such a value never fills a slot word for word: "no, not down my legs" is no pain that
    spreads, however near "not really, just stretchy" it reads.
    """
    before = words[max(0, start - 3) : start]
    if not before:
        return False
    denials = _NEGATIONS - {"no"}
    if before[-1] in denials or (
        before[-2:-1] and before[-2] in denials and before[-1] in _DEGREES
    ):
        return True  # "not sharp", "not really sharp"
    if not pain:
        return False
    # Of pain, also "no numbness" (but "oh no, my back" denies nothing), and a "not" a
    # little before: "it doesn't go down my leg" (but "not really, just stretchy" is).
    contrast = max((i + 1 for i, w in enumerate(before) if w in _CONTRASTS), default=0)
    return (before[-1] == "no" and before[-2:-1] != ["oh"]) or bool(
        denials & set(before[contrast:])
    )


# Words after which what is said is affirmed again: "not really, just stretchy".
_CONTRASTS = frozenset({"just", "only", "more", "but", "it", "is", "rather"})


_DEGREES = frozenset({"really", "very", "that", "so", "too", "at", "all"})


def _bare(words: list[str], grammar: Grammar) -> Match | None:
    """A known value with only words like "the", "one", "please" around it: "my daily one"."""
    for span in _spans(words, grammar):
        rest = words[: span.start] + words[span.end :]
        if span.whole and span.kind in grammar.bare and all(w in _BARE_WORDS for w in rest):
            intent, name = grammar.bare[span.kind]
            heard = " ".join(words[span.start : span.end])
            return Match(intent, {name: Slot(heard, span.id)})
    return None


def _clause(words: list[str], grammar: Grammar, shortest: int = 1) -> Match | None:
    """A request said whole at the start or end, with a reason around it.

    "stop, I'm shattered", "hold on, my phone's ringing", "I'm knackered, I'm calling it
    a day": the longest opening or closing run of words that is a sample, word for word,
    if it is at least shortest words, and more than two or with a word few intents use.
    """
    answered: Match | None = None
    for size in range(len(words) - 1, max(shortest, 1) - 1, -1):
        for part, before in ((words[:size], []), (words[-size:], words[:-size])):
            rare = size > 2 or max(grammar.idf.get(_stem(w), 0.0) for w in part) >= CLAUSE_IDF
            named = any(
                s.whole and not all(w in _SMALL for w in part[s.start : s.end])
                for s in _spans(part, grammar)
            )
            if not _unskipped(part, grammar.skip):
                continue  # ", eh": a sound said last is no request
            # "hold on, the dog's at the door": two everyday words that halt are enough.
            said = _exact(part, grammar) if size == 2 and not before else None
            halts = said is not None and said.intent in _STOPPING
            if not rare and not named and not halts:
                continue
            if before and before[-1] in _OBJECT_OF:
                continue  # "sciatica down my left leg": the end of a phrase, not a request
            if before and _turned_down(words, len(before)):
                continue  # "no, not down my legs": what follows "not" is not so
            found = _exact(part, grammar)
            if found is None:
                continue
            # "skip it, I can't get down that low": a request said first, then the reason
            # as a report of how the person is, asks for the request.
            if before and _report(part) and not _report(before):
                said_first = (_exact(a, grammar) for a in _trimmed(before, grammar))
                request = next(
                    (m for m in said_first if m and m.intent not in grammar.answers), None
                )
                # But pain said as the reason is heard, whatever was asked before it:
                # "next one please, my hip is killing me" stops for the pain check.
                if request is not None and not (
                    found.intent in _PAIN and request.intent not in _STOPPING
                ):
                    found = request
            # "I can't do this one, give me something easier": a report of how the person
            # is, then a request: the request.
            # Pain, though, is heard first ("my knee hurts, let's move on").
            after = words[size:] if not before else []
            if after and found.intent not in _PAIN and _report(part) and not _report(after):
                said_next = [_exact(a, grammar) for a in _trimmed(after, grammar)]
                request = next(
                    (m for m in [*said_next, _clause(after, grammar, 2)]
                     if m and m.intent not in grammar.answers and m.intent not in _PAIN),
                    None,
                )  # fmt: skip
                found = request or found
            if found.intent not in grammar.answers:
                return found
            # "not today, bye": an answer and a request, and the request says more.
            answered = answered or found
    return answered


def _report(words: Sequence[str]) -> bool:
    """Whether words tell how the person is ("I'm still getting down", "I can't reach")."""
    return bool(words) and words[0] in _FIRST_PERSON


_FIRST_PERSON = frozenset({"i", "i'm", "im", "my", "me"})
# Someone the sentence is about, or something wished for: a described situation needs one.
_PERSON = _FIRST_PERSON | {"we", "us", "our", "something"}
# Words that say a feeling is described: "it's a shooting thing", "kind of tingly".
_FELT = _FIRST_PERSON | {"it", "that", "this", "like", "kind", "sort", "more", "bit", "feel",
                         "just", "ache", "aching", "pain", "feeling", "sensation"}  # fmt: skip
# Slot types that describe the person, and the words that make a sentence about them.
_DESCRIBING = ((PAIN_KIND_TYPE, _FELT), (SITUATION_TYPE, _PERSON))
# Words after which the rest of a sentence belongs to them ("in my left leg"), not a request.
_OBJECT_OF = frozenset({"my", "his", "her", "your", "their", "our", "in", "into", "down",
                        "through", "of", "from"})  # fmt: skip


def _open(words: list[str], grammar: Grammar) -> Match | None:
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
        if _spans(heard.split(), grammar):
            continue  # a known value with extra words: the generalising stage reads it
        rank = (int(sample.custom), len(sample.words))
        if best is None or rank > best[0]:
            best = (rank, Match(sample.intent, {sample.slot[0]: Slot(heard, None)}))
    return best[1] if best else None


def _closest(words: list[str], grammar: Grammar) -> tuple[float, Match] | None:
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
        for kind, span in _best_spans(words, grammar).items()
        if not _NEGATIONS & set(words[max(0, span.start - 2) : span.start])
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
        if not sample.weight or not variants[kind][1]:
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
    content = ["#" if w in _NUMBERS else _stem(w) for w in words if w not in STOPWORDS]
    return sorted({*content, *(f"{a}+{b}" for a, b in itertools.pairwise(content))})


def _stem(word: str) -> str:
    """A light stem, so "hurting", "hurts" and "hurt" or "stretching" and "stretch" meet."""
    if word.startswith("{"):
        return word
    for suffix, instead in _STEMS:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + instead
    return word


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
            whole.setdefault(tuple(_canon(spoken.split())), {})[(kind, ident)] = True
    for kind, table in values.items():
        if kind not in named:
            continue
        owners: dict[tuple[str, ...], set[str]] = {}
        for spoken, ident in table.items():
            name = _canon(spoken.split())
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
                    tuple(_canon(spoken.split())) == (*part, noun)
                    for spoken, owner in table.items()
                    if owner == ident
                    for noun in _TYPE_NOUNS
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
