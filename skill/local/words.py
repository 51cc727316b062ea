"""Words as the matcher compares them: normalised, canonical, stemmed, trimmed, turned down."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from skill.engine.phrases import number

# Polite openings that wrap a request ("could you ..."): tried without them when the
# samples do not match the whole sentence. Matched on canonical words (see canon); the
# longer openings come first, as the first that matches is the one taken.
CARRIERS = re.compile(
    r"^(?:would you be (?:so )?(?:kind|good) as to|if you would be (?:so )?kind as to|"
    r"could you possibly|"
    r"would you possibly|i wonder if you could|i was wondering if (?:you|we) could|do you mind|"
    r"would you mind|(?:can|could|would|will) (?:you|we|i) please|"
    r"(?:can|could|would|will) (?:you|we|i)|is it possible to|any chance (?:you|we) (?:could|can)|"
    r"do you think (?:you|we) could|i would like you to|i (?:want|need) you to|how about we|"
    r"why do not we|shall we|i think we should|we should|let us just|"
    r"i (?:want|need|would like|will|am going) to|"
    r"i think|i guess|maybe|please|um|uh|er|so|okay then|okay|right then|right|well|now|and|"
    r"but|actually|just|coach|hey|oh|all right|sorry about that|sorry|go on then|go on|"
    r"come on|yes|no|sure|then|cheers|mm|hmm|ah|oh dear|eh|huh|you what|pardon|come again|"
    r"meh|ugh|urgh|abeg|abeg o|look)\b ?"
)
TRAILERS = re.compile(
    r" ?\b(?:please|abeg|thanks|thank you|now|then|for me|coach|mate|love|cheers|ta|today|tonight|"
    r"i think|again|instead|if you can|if that is ok|if that is okay|if you do not mind|"
    r"if possible|right now|this time|i suppose|i guess|would you|could you|dear|darling|"
    r"and that is it|and that is all|that is all|and no more|only|by itself|on its own|"
    r"if that is all right|to be honest|do you reckon|i am afraid|for me please|"
    r"thank you (?:very|ever so) much|thank you kindly|thanks very much|ever so much|"
    r"sweetheart|my dear|hun|pet|if you would|if you please|"
    # Tags said last in many Englishes: "eh", "you know", "innit", "bro", "na", "po", "o".
    r"eh|you know|innit|bro|na|po|o|lah)$"
)
# Words that tell nothing about which intent is meant: left out of the generalising stage.
STOPWORDS = frozenset({
    "the", "a", "an", "to", "of", "please", "um", "uh", "er", "erm", "hmm", "mm", "just",
    "really", "so", "well", "oh", "actually", "alexa", "hey", "coach", "kindly", "my",
    "something", "anything",
})  # fmt: skip
# Not "-er": "faster" and "too fast" ask for opposite things.
_STEMS = (("ing", ""), ("ed", ""), ("ly", ""), ("e", ""))
NUMBERS = frozenset({
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
    "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred",
})  # fmt: skip
_PARTICIPLES = frozenset({"been", "got", "gone", "had"})
SMALL = STOPWORDS | {"bit", "little", "tiny"}
NEGATIONS = frozenset({"not", "no", "never", "nor"})
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
    # One word for a set of stretches, as the samples say it.
    "programme": "routine", "program": "routine", "programmes": "routines",
    "programs": "routines",
}  # fmt: skip
_SUFFIXES = (("n't", "not"), ("'re", "are"), ("'ve", "have"), ("'ll", "will"), ("'d", "would"),
             ("'m", "am"), ("'s", "is"))  # fmt: skip
_KEEP_S = frozenset({"yes", "news", "this", "is", "was", "has", "does", "goes", "its", "plus", "us",
                     "always", "less", "thanks", "towards", "chess", "series", "pilates",
                     "abs", "lots", "perhaps", "sometimes", "across", "bus"})  # fmt: skip


_DIGITS = re.compile(r"\d{1,6}")
_ORDINAL_WORDS = {"1": "first", "2": "second", "3": "third", "4": "fourth", "5": "fifth",
                  "6": "sixth", "7": "seventh", "8": "eighth", "9": "ninth"}  # fmt: skip
_ORDINALS = re.compile(r"\b([1-9])(?:st|nd|rd|th)\b")


def normalise(text: str) -> str:
    """Lowercase words and apostrophes only: "Let's do the DESK stretches!" -> let's do ..."""
    text = text.lower().replace("\u2019", "'")  # a typographic apostrophe, as phones type it
    # "café", "sí": a letter with an accent is the letter, not a break in the word.
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    # "34 weeks", "give me 10 more seconds": numbers typed or transcribed as digits are
    # the words the samples use ("thirty four").
    text = _ORDINALS.sub(lambda m: " " + _ORDINAL_WORDS[m.group(1)] + " ", text)  # "3rd"
    text = _DIGITS.sub(lambda m: " " + number(int(m.group())) + " ", text)
    return " ".join(re.sub(r"[^a-z0-9'{} ]+", " ", text).split())


def canon(words: Iterable[str]) -> list[str]:
    """Words as the matcher compares them: contractions spelt out, plurals singular."""
    out: list[str] = []
    for word in words:
        if word in _SPOKEN:
            out += _SPOKEN[word].split()
            continue
        if word.endswith("in'") and len(word) > 4:
            word = word[:-1] + "g"  # "lookin'", "somethin'": the g people drop
        for suffix, full in _SUFFIXES:
            if word.endswith(suffix) and len(word) > len(suffix):
                out += [word[: -len(suffix)], full]
                break
        else:
            out.append(_singular(word.strip("'")))
    out = [w for w in out if w]
    # "a more gentle way" is "a gentler way", as the samples say it.
    for i in range(len(out) - 1, 0, -1):
        if out[i - 1] == "more" and out[i] in _COMPARATIVES:
            out[i - 1 : i + 1] = [_COMPARATIVES[out[i]]]
    # "'s" is "has" before a past participle: "my back's been bad" is "my back has been bad".
    for i in range(len(out) - 1):
        if out[i] == "is" and out[i + 1] in _PARTICIPLES:
            out[i] = "has"
    return out


_COMPARATIVES = {"gentle": "gentler", "easy": "easier", "simple": "simpler"}


def _singular(word: str) -> str:
    if len(word) <= 3 or not word.endswith("s") or word in _KEEP_S:
        return word
    if word.endswith(("ss", "us", "is")):
        return word
    if word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    return word[:-1]


def unskipped(words: list[str], skip: frozenset[tuple[str, ...]]) -> list[str]:
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


def trimmed(words: list[str], skip: frozenset[tuple[str, ...]]) -> list[list[str]]:
    """The sentence, then without skip words, then without openings and closings."""
    attempts = [words]
    current = unskipped(words, skip)
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


def turned_down(words: Sequence[str], start: int, *, pain: bool = False) -> bool:
    """Whether the value at start is said as not so: "not down my leg", "not really sharp".

    Such a value never fills a slot word for word: "no, not down my legs" is no pain that
    spreads, however near "not really, just stretchy" it reads.
    """
    before = words[max(0, start - 3) : start]
    if not before:
        return False
    denials = NEGATIONS - {"no"}
    # Of pain, "not very sharp" is some sharpness still: only "not really" takes it back.
    degrees = _DEGREES - {"very", "that", "so", "too"} if pain else _DEGREES
    if before[-1] in denials or (before[-2:-1] and before[-2] in denials and before[-1] in degrees):
        return True  # "not sharp", "not really sharp"
    if not pain:
        return False
    if before[-2:-1] and before[-2] in denials and before[-1] in ("very", "that", "so", "too"):
        return False  # "not very sharp" is sharp still
    if before[-2:-1] == ["no"] and before[-1] in _SYMPTOMS:
        return True  # "no pain down my leg": the no is of the pain, where it would be
    # Of pain, also "no numbness" (but "oh no, my back" denies nothing), and a "not" a
    # little before: "it doesn't go down my leg" (but "not really, just stretchy" is).
    contrast = max((i + 1 for i, w in enumerate(before) if w in _CONTRASTS), default=0)
    if before[-1] in ("or", "nor") and ({"no"} | denials) & set(before):
        return True  # "no numbness or weakness": the denial carries on
    return (before[-1] == "no" and before[-2:-1] != ["oh"]) or bool(
        denials & set(before[contrast:])
    )


# What a "no" denies when said just before it: "no pain", "no tingling".
_SYMPTOMS = frozenset({"pain", "ache", "aching", "tingling", "tingle", "numbness", "burning",
                       "problem", "trouble", "issue", "twinge", "symptom"})  # fmt: skip
# Words after which what is said is affirmed again: "not really, just stretchy".
_CONTRASTS = frozenset({"just", "only", "more", "but", "it", "is", "rather"})


_DEGREES = frozenset({"really", "very", "that", "so", "too", "at", "all"})


def stem(word: str) -> str:
    """A light stem, so "hurting", "hurts" and "hurt" or "stretching" and "stretch" meet."""
    if word.startswith("{"):
        return word
    for suffix, instead in _STEMS:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + instead
    return word
