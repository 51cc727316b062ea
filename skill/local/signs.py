"""Warning signs in a person's own words: a part of the body and what it is doing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from skill.alexa.questions import EMERGENCY, UNWELL
from skill.local.words import canon, normalise, turned_down

# What a warning sign means; numbness stands for every sign a clinician must see first.
WARNING = "numb"

_PAIN = frozenset({"pain", "painful", "hurt", "hurts", "hurting", "ache", "aching", "sore",
                   "agony", "killing", "throbbing", "pane"})  # fmt: skip
_HARDENING = frozenset({"hard", "harder", "hardening", "harden", "hardens", "rock",
                        "tightening", "tighten", "tightens", "contracting"})  # fmt: skip
_NUMB = frozenset({"numb", "numbness", "dead"})
_SADDLE = frozenset({"bum", "bottom", "buttock", "butt", "groin", "genital", "crotch", "saddle",
                     "private", "backside"})  # fmt: skip
# The chest or heart, felt as more than a stretch: tight, heavy, racing, "an elephant on it".
_HEART = frozenset({"tight", "tighter", "tightness", "pressure", "heavy", "heaviness",
                    "squeezing", "squeeze", "squeezed", "crushing", "crushed", "pounding",
                    "racing", "fluttering", "flutter", "skipping", "thumping", "banging",
                    "burning", "funny", "weird", "weight", "elephant", "band", "vice"})  # fmt: skip
_SWOLLEN = frozenset({"swollen", "swelling", "swell", "swelled", "puffy", "puffed"})


@dataclass(frozen=True)
class _Sign:
    """A part of the body (any of places) said with what it is doing (any of what)."""

    kind: str
    places: frozenset[str]
    what: frozenset[str]


def _sign(kind: str, places: str, what: frozenset[str] | str) -> _Sign:
    words = frozenset(what.split()) if isinstance(what, str) else what
    return _Sign(kind, frozenset(places.split()), words)


_SIGNS = (
    # The heart: pain, tightness or pressure in the chest, a racing or fluttering heart.
    # ("chess" and "pane" are how a recogniser hears "chest" and "pain".)
    _sign(EMERGENCY, "chest chess heart breastbone sternum", _PAIN | _HEART),
    _sign(EMERGENCY, "jaw", _PAIN),
    # A pregnancy: the bump tightening or hurting, the belly going hard, the waters, the
    # baby moving less, pressure low down.
    _sign(EMERGENCY, "bump womb uterus", _PAIN | _HARDENING | {"tight", "tighter"}),
    _sign(EMERGENCY, "tummy belly stomach abdomen", _HARDENING),
    _sign(
        EMERGENCY, "water", "broke broken break breaking burst popped leaking leak gone went going"
    ),
    _sign(EMERGENCY, "baby", "quiet quieter less fewer stopped reduced slower"),
    _sign(EMERGENCY, "pelvic pelvis", "pressure pushing bearing"),
    # The eyes: blurring, flashing lights, spots (a stroke, or pre-eclampsia).
    _sign(
        EMERGENCY,
        "vision eyesight sight eye",
        "blurry blurred blur fuzzy double dark "
        "darkening flashing flash spot sparkle sparkly zigzag shimmering funny weird gone",
    ),
    _sign(EMERGENCY, "seeing", "spot flash flashing sparkle zigzag double"),
    _sign(EMERGENCY, "light", "flashing flash"),
    # The face or hands swelling suddenly, or the throat (pre-eclampsia, an allergy).
    _sign(EMERGENCY, "face hand finger eye eyelid lip tongue throat", _SWOLLEN),
    # The head: the worst headache, a blow, a face that droops, speech that slurs.
    _sign(
        EMERGENCY,
        "headache head",
        "worst pounding splitting sudden suddenly thunderclap "
        "exploding blinding terrible awful banging",
    ),
    _sign(EMERGENCY, "head", "hit banged bumped knocked smacked whacked bashed cracked"),
    _sign(EMERGENCY, "face smile mouth", "drooping droop droopy drooped lopsided"),
    _sign(
        EMERGENCY,
        "speech speaking talking word",
        "slurred slurring slur jumbled muddled garbled wrong",
    ),
    # Numb where a person sits: the nerves at the base of the spine need help the same day.
    _sign(EMERGENCY, " ".join(sorted(_SADDLE)), _NUMB),
    # Any blood: the word's other uses are passed over (see _bleeding).
    _sign(EMERGENCY, "blood", "blood"),
    # Swelling lower down, a joint or a leg: a clinician first.
    _sign(WARNING, "foot feet ankle leg calf knee", _SWOLLEN),
    # Breathing hard, being sick, a headache: stop, and let it pass.
    _sign(UNWELL, "breath", "short struggling gasping"),
    _sign(UNWELL, "head", _PAIN | {"thumping", "banging", "spinning"}),
)
# Said alone, each is the sign.
_ALONE = {
    EMERGENCY: ("palpitation", "palpitating", "collapsed", "collapse", "collapsing",
                "slurring", "slurred", "can not get up", "can not get back up",
                "can not stand up", "can not get off the floor", "flashing light",
                "seeing double", "bleed", "bled", "leaking", "pressure down below",
                "pressure down there", "pushing down feeling", "bearing down",
                "can not feel anything between my leg", "no feeling between my leg",
                "numb down there"),
    UNWELL: ("breathless", "wheezing", "wheezy", "wheeze", "throw up", "throwing up",
             "vomit", "vomiting", "puke", "puking", "retching", "headache", "migraine",
             "hard to breathe", "difficult to breathe", "hard to breath",
             "can not catch my breath", "can not get my breath", "sicky", "feel off",
             "feeling off", "feel really off", "feel a bit off", "feeling a bit off"),
}  # fmt: skip
# Uses of "blood" that are no sign: "blood pressure", "get the blood flowing".
_NOT_BLOOD = frozenset({"pressure", "flow", "flowing", "pumping", "test", "sugar", "moving",
                        "circulation", "rushing", "rush", "going", "type", "donation"})  # fmt: skip
# After these a chest is somewhere a knee goes: "knee to chest", "hug them into my chest".
_TOWARDS = frozenset({"to", "toward", "towards", "into", "onto", "against", "up"})
# Questions about what might happen: "will cobra hurt my chest?".
_WONDERING = frozenset({"will", "would", "could", "should", "might", "can", "does", "do"})
# Body parts whose numbness is a warning sign: "I can't feel my arm".
_FELT = frozenset({"leg", "foot", "toe", "arm", "hand", "finger", "knee", "hip", "thigh",
                   "calf", "shin", "ankle", "face", "side"})  # fmt: skip
# With these, "I can't feel my hip" is about the stretch: "can't feel my hip stretching".
_STRETCH_WORDS = frozenset({"stretch", "stretching", "stretched", "pull", "pulling",
                            "working", "much", "anything", "it", "this", "that"})  # fmt: skip
# The baby moving, which a "not" just before makes a sign: "the baby isn't kicking".
_MOVING = frozenset({"kick", "kicking", "kicked", "move", "moving", "moved", "movement",
                     "wriggling", "wriggle", "felt", "feel", "feeling"})  # fmt: skip


def read(text: str) -> tuple[str, str] | None:
    """A warning sign in a sentence as spoken: (EMERGENCY, UNWELL or WARNING, its words)."""
    return sign(canon(normalise(text).split()))


def sign(words: Sequence[str]) -> tuple[str, str] | None:
    """A warning sign in canonical words, not denied: the most serious one said."""
    if not words or (words[0] in _WONDERING and words[1:2] not in (["i"], ["you"], ["not"])):
        return None
    found = [*_alone(words), *_paired(words), *_unfelt(words), *_baby_still(words)]
    for kind in (EMERGENCY, WARNING, UNWELL):
        for seen, phrase in found:
            if seen == kind:
                return kind, phrase
    return None


def _said(words: Sequence[str], at: int) -> bool:
    """Whether the word at this place is said as so: not "no blood", "not tight"."""
    return not turned_down(words, at, pain=True)


def _alone(words: Sequence[str]) -> list[tuple[str, str]]:
    found = []
    for kind, phrases in _ALONE.items():
        for phrase in phrases:
            size = phrase.count(" ") + 1
            for i in range(len(words) - size + 1):
                if " ".join(words[i : i + size]) == phrase and _said(words, i):
                    found.append((kind, phrase))
    return found


def _paired(words: Sequence[str]) -> list[tuple[str, str]]:
    found = []
    for rule in _SIGNS:
        places = [i for i, w in enumerate(words) if w in rule.places and _here(words, i)]
        if not places:
            continue
        for i, w in enumerate(words):
            if w not in rule.what or (w == "blood" and not _bleeding(words, i)):
                continue
            if _said(words, i) and _said(words, places[0]):
                found.append((rule.kind, " ".join(dict.fromkeys([words[places[0]], w]))))
                break
    return found


def _here(words: Sequence[str], at: int) -> bool:
    """Whether a place is where it is felt: not the chest a knee is drawn to."""
    return words[at] not in {"chest", "chess"} or not _TOWARDS & set(words[max(0, at - 2) : at])


def _bleeding(words: Sequence[str], at: int) -> bool:
    """Blood that is bleeding: not "blood pressure", nor "the blood flowing"."""
    after = words[at + 1 : at + 2]
    before = words[max(0, at - 1) : at]
    return not (_NOT_BLOOD & set(after) or {"high", "low"} & set(before))


def _unfelt(words: Sequence[str]) -> list[tuple[str, str]]:
    """A part that cannot be felt: "I can't feel my arm", not "can't feel it in my hip"."""
    for i in range(len(words) - 4):
        if words[i : i + 3] != ["can", "not", "feel"] or words[i + 3] not in {"my", "the"}:
            continue
        part = words[i + 4]
        if _STRETCH_WORDS & set(words[i + 5 :]):
            continue
        if part in _SADDLE:
            return [(EMERGENCY, f"can not feel {part}")]
        if part in _FELT:
            return [(WARNING, f"can not feel {part}")]
    return []


def _baby_still(words: Sequence[str]) -> list[tuple[str, str]]:
    """The baby moving less: "baby's not kicking", "I haven't felt the baby move".

    The "not" comes just before the moving, and the baby near it: not "I don't want to
    hurt the baby, can I move?".
    """
    for m, w in enumerate(words):
        if w not in _MOVING or "baby" not in words[max(0, m - 4) : m + 4]:
            continue
        if {"not", "no", "never", "hardly", "barely"} & set(words[max(0, m - 3) : m]):
            return [(EMERGENCY, "baby not moving")]
    return []
