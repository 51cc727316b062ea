"""The reading of whole sentences: answers, corrections, pain, refusals, requests said with more."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from skill.alexa.questions import EMERGENCY, HEDGE, MILD_PAIN, SEVERE_PAIN, UNWELL
from skill.local import signs
from skill.local.grammar import (
    AGREEING,
    ANSWERS,
    OPEN,
    PAIN_KIND_TYPE,
    TYPE_NOUNS,
    Grammar,
    Match,
    Slot,
    Span,
    bare_value,
    best_spans,
    closest,
    exact,
    find_spans,
    open_sample,
)
from skill.local.words import (
    NEGATIONS,
    SMALL,
    STOPWORDS,
    canon,
    normalise,
    stem,
    trimmed,
    turned_down,
    unskipped,
)

# The generalising stage acts on a sample only this close (see closest for the score).
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
_HEDGES = frozenset({"not", "never", "nor", "but", "maybe", "perhaps", "whatever", "no", "should",
                     "guess", "hopefully", "sort", "sorta", "kinda"})  # fmt: skip
# Of those, the ones said as an aside ("..., I guess") that leave the rest a sample said whole.
_ASIDES = frozenset({"guess", "suppose", "maybe", "perhaps", "hopefully"})
# Denials, and the verbs of forgetting and leaving out that a denial turns around.
_DENIALS = frozenset({"not", "never"})
_UNDOING = frozenset({"forget", "delete", "erase", "wipe", "remove", "skip", "leave", "drop",
                      "exclude", "miss", "cut", "ditch", "bin", "lose", "clear"})  # fmt: skip
FORGET, KEEP = "ForgetIntent", "KeepIntent"
WELL = "WellIntent"
FOR_NOW = "ForNowIntent"
PAIN_INTENT = "PainIntent"
# The last words of a sentence that says it hurts, and the first of one that asks if it will.
_PAIN_ENDINGS = frozenset({"hurts", "hurt", "hurting", "aches", "aching", "painful", "agony"})
# Pain said in so many words.
_PAIN_WORDS = frozenset({"pain", "painful", "hurts", "hurt", "hurting", "agony", "aches",
                         "aching", "ache", "sore", "twinge", "twinged", "twinging"})  # fmt: skip
# Words that say a part of the body is well, and words that say it is not.
_WELL = frozenset({"fine", "okay", "better", "good", "great", "alright", "grand"})
_SORE = _PAIN_WORDS | {"ow", "ouch", "tender", "stiff", "killing", "pulled", "tweaked", "gone",
                       "went"}  # fmt: skip
_CONTRARY = frozenset({"but", "though", "although", "except", "apart", "just", "only", "still"})
# Of those, the ones that take back pain said to have passed ("it eased, but ...").
_AGAINST = _CONTRARY - {"apart", "just", "only"}
# Words that say pain has passed ("it's eased off"), with nothing against them.
_PASSING = frozenset({"stopped", "eased", "gone", "passed", "cleared", "settled", "vanished",
                      "disappeared", "subsided", "faded", "easing", "settling"})  # fmt: skip
_AFTER_PASSING = frozenset({"off", "away", "now", "completely", "up", "entirely", "totally",
                            "a", "bit", "little", "thanks", "thank", "you", "down"})  # fmt: skip
# Words that make the name after them a place: "off the desk", "at my desk".
_PLACES = frozenset({"off", "on", "at", "under", "from", "by", "near", "behind", "onto",
                     "beside", "over", "across"})  # fmt: skip
# Words that say a name is a routine's: "the desk one", "the fourteen stretches".
_ROUTINE_NOUNS = TYPE_NOUNS | {f"{noun}s" for noun in TYPE_NOUNS} | {"stretches", "series"}
# An emergency: stop at once and get help now, whatever was asked. Canonical words.
_EMERGENCY = frozenset(" ".join(canon(p.split())) for p in {
    "waters broke", "waters have broken", "waters broken", "waters have gone",
    "waters have just gone", "waters just broke", "waters went", "waters are breaking",
    "waters breaking", "waters are leaking", "waters have just broken",
    "contractions", "contraction", "bleeding", "ambulance", "emergency", "i am dying",
    "heart is racing", "heart is pounding", "chest pain", "pain in my chest",
    "passed out", "blacked out", "fainted", "my chest hurts", "my chest is hurting",
    "going to faint", "about to faint", "going to pass out", "about to pass out",
    "going to black out", "about to black out", "might faint", "might pass out",
    "might black out", "everything went black", "went black",
    "crushing pain", "crushing feeling",
    # Heart, stroke, breathing, and calling for help.
    "heart attack", "stroke", "can not breathe", "struggling to breathe", "nine one one",
    "nine nine nine",
    # Digits are spelt out before matching: "911" is read "nine hundred and eleven".
    "nine hundred and eleven", "nine hundred and ninety nine", "one hundred and twelve",
    "need a doctor", "call a doctor", "get a doctor",
    # Pregnancy: labour, the baby, fluid, spotting, tightenings, the signs of pre-eclampsia.
    "labour", "labor", "in labour", "baby is coming", "baby coming", "baby is not moving",
    "baby has not moved", "not felt the baby",
    "baby is stopped moving", "baby has stopped moving", "baby stopped moving", "leaking fluid",
    "fluid leaking", "spotting", "braxton hick", "tightening", "tightenings",
    "blurry vision", "vision is blurry", "blurred vision", "bad headache", "severe headache",
    # Both legs, or sudden: numbness like this with back trouble needs help the same day.
    # (Words are read singular, so "legs" alone cannot tell both legs from one.)
    "can not feel both leg", "can not feel either leg", "can not feel both my leg",
    "can not feel either of my leg", "both leg are numb", "both leg have gone numb",
    "both my leg are numb", "both my leg have gone numb", "both leg went numb",
    "suddenly can not feel", "suddenly gone numb", "suddenly numb", "suddenly went numb",
    "numb between my leg", "numb down below",
    # Bladder or bowel control lost with back pain needs help the same day.
    "bladder", "bowel", "bowels", "incontinent", "wet myself",
    "control my bladder", "control my bowel", "control my bowels", "hold my wee", "peed myself",
    "pee myself", "hold my pee", "control my pee", "hold my urine", "hold it in",
    "wetting myself", "pooed myself", "poo myself", "soiled myself",
})  # fmt: skip
# A warning sign: no stretching until a clinician has seen it, whatever was asked.
_WARNING = frozenset(" ".join(canon(p.split())) for p in {
    # Warning signs of the back screening, said at any of its questions: a fall, and a foot
    # or leg that will not do what it is told.
    "i fell", "fell over", "fell down", "had a fall", "did fall", "took a fall", "slipped",
    "took a tumble", "had a tumble",
    "tripped", "lift my foot", "foot drop", "foot is dragging", "drag my foot",
    "dragging my foot", "leg gave way", "leg gives way", "legs gave way", "legs give way",
    "panic attack",
    # The back's other warning signs: fever, weight lost, cancer.
    "fever", "cancer", "lost weight", "losing weight", "weight loss",
    # Conditions of a pregnancy that a midwife must clear first.
    "placenta previa", "pre eclampsia", "preeclampsia", "high blood pressure",
    "blood pressure is high", "hypertension",
    # Surgery or a fracture being recovered from: a clinician says when to stretch.
    "surgery", "operation", "hip replacement", "knee replacement", "c section",
    "caesarean", "cesarean", "fractured", "recovering from",
    # Told by a clinician not to exercise: stop, as "no" to the clearance question does.
    "told me not to exercise", "told me not to stretch", "said not to exercise",
    "said not to stretch", "not allowed to exercise", "not allowed to stretch",
    "told me to stop exercising", "told me to stop stretching",
})  # fmt: skip
# An injury, or being unwell, said anywhere: the pain check.
_INJURY = frozenset(" ".join(canon(p.split())) for p in {
    "tore", "torn", "broke", "broken", "sprained", "sprain", "dislocated", "fractured",
    "fracture", "injured", "injury", "overstretched", "overdid it", "over did it", "strained",
    "pulled something", "pulled a muscle", "did my back in", "done my back in", "popped",
    "snapped", "swollen", "swelling", "lie down", "feel sick", "be sick", "throw up",
    "dizzy", "faint", "light headed", "lightheaded", "cramp", "cramping", "fell", "fallen",
    "give way", "gives way", "gave way", "can not lift", "accident", "cracked",
    # "Heard a crack", but not "I'll have another crack at it".
    "heard a crack", "felt a crack", "heard something crack", "felt something crack",
    "heard a crunch", "felt a crunch", "crunched", "landed badly", "landed awkwardly",
    "can not straighten",
    "seized up", "seized", "locked up",
})  # fmt: skip
# Requests about place that a part of the body said alone is mistaken for ("back").
_PLACING = frozenset({"AMAZON.PreviousIntent", "WhichSideIntent", "AMAZON.StartOverIntent",
                      "AMAZON.RepeatIntent"})  # fmt: skip
# Words of worry: said with a part of the person's body, the pain check asks what it is.
_WORRY = frozenset({"worried", "worry", "worrying", "concerned", "wrong", "off", "weird",
                    "funny", "odd", "strange", "unsure"})  # fmt: skip
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
# The slot type of situations: one described, when nothing else was asked, is meant.
SITUATION_TYPE = "SITUATION"
# A one-word request inside a longer sentence counts only if the word is this rare (idf).
CLAUSE_IDF = 1.75
_DRAWN_OUT = re.compile(r"([a-z])\1{2,}")
_WAKE = re.compile(r"^(?:alexa[, ]+)?(?:(?:ask|tell) stretch coach(?: to)?|open stretch coach)\b")


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
    words = _g_dropped(canon(said.split()), grammar)
    if not words:
        return None
    urgent = _urgent(words, grammar)
    if urgent is not None:
        return urgent  # "no, but I can't control my bladder": before any other reading
    if tuple(w for w in words if w not in _YES_WORDS) in _SAID_BACK and grammar.yes:
        # "Are you ready?" "I am": the question's own verb said back, and nothing else.
        return grammar.yes
    eased = _eased(words, grammar)
    if eased is not None and exact(words, grammar) is None:
        return eased  # "it's stopped hurting": well, though pain is named
    corrected = _corrected(words, grammar)
    if corrected is not None:  # read, and guarded, as what was said after the correction
        found = corrected if corrected.intent in _PAIN else _pain_said(words, grammar)
        return _confirmed(found or corrected)
    return _sure(_confirmed(_guarded(_recognized(words, grammar), words, grammar)), words, grammar)


def _sure(found: Match | None, words: list[str], grammar: Grammar) -> Match | None:
    """A guess said with a yes in so many words is a yes: "I think so, yes"."""
    if found is not None and found.intent == MAYBE and _YES_WORDS & set(words) and grammar.yes:
        return grammar.yes
    return found


def _confirmed(found: Match | None) -> Match | None:
    """No reading of feeling unwell but the one _urgent heard: not "I'm sick of this one".

    Every sentence that says so was read there already, before any stage could guess.
    """
    if found is not None and any(slot.id == UNWELL for slot in found.slots.values()):
        return None
    return found


def _urgent(words: list[str], grammar: Grammar) -> Match | None:
    """An emergency or a warning sign said anywhere, which stops everything.

    An emergency ("I think my waters broke", "no, but I can't control my bladder") is the
    pain kind of that name: get help now. A warning sign ("I'm recovering from a hip
    replacement", "I slipped") is numbness: get it checked before stretching again.
    """
    if PAIN_KIND_TYPE not in grammar.bare or _OTHERS & set(words):
        return None
    intent, slot = grammar.bare[PAIN_KIND_TYPE]
    # A sign in so many words, or a part of the body and what it does ("my chest feels
    # tight", "the baby's gone quiet"), the most serious first.
    found = signs.sign(words)
    emergency = _said_anywhere(words, _EMERGENCY)
    if emergency is None and found is not None and found[0] == EMERGENCY:
        emergency = found[1]
    if emergency is not None:
        return Match(intent, {slot: Slot(emergency, EMERGENCY)})  # get help now
    warning = _said_anywhere(words, _WARNING)
    if warning is None and found is not None and found[0] == signs.WARNING:
        warning = found[1]
    if warning is None:
        unwell = _feeling_unwell(words, grammar)
        if unwell is None and found is not None and found[0] == UNWELL:
            unwell = Match(intent, {slot: Slot(found[1], UNWELL)})
        # Dizzy with sharp pain is the pain to stop for; dizzy alone, its own advice.
        return unwell and (_pain_kind_said(words, grammar) or unwell)
    # Read as numbness, the warning sign: asked about symptoms it refers to a clinician
    # whichever screening question heard it, and anywhere else it stops as sharp pain does.
    return Match(intent, {slot: Slot(warning, "numb")})


# After these, "faint" is slight ("a faint pull"), and "sick" is fed up ("sick of it").
_NOT_UNWELL_AFTER = frozenset({"of", "pull", "pulling", "stretch", "ache", "twinge", "tingle",
                               "burn", "pain", "feeling", "sensation", "tug"})  # fmt: skip


def _feeling_unwell(words: list[str], grammar: Grammar) -> Match | None:
    """Dizzy, faint or sick, said anywhere and not denied: stop and let it pass.

    Not "I'm sick of this one", "a faint pull", nor "I don't feel dizzy".
    """
    if PAIN_KIND_TYPE not in grammar.bare:
        return None
    for span in find_spans(words, grammar):
        if span.kind != PAIN_KIND_TYPE or span.id != UNWELL or not span.whole:
            continue
        if set(words[span.end : span.end + 1]) & _NOT_UNWELL_AFTER:
            continue
        if turned_down(words, span.start, pain=True) or _asked(words):
            continue
        intent, slot = grammar.bare[PAIN_KIND_TYPE]
        return Match(intent, {slot: Slot(" ".join(words[span.start : span.end]), UNWELL)})
    return None


def _asked(words: list[str]) -> bool:
    """Whether words ask a question rather than report: "will this make me dizzy?"."""
    return words[0] in _ASKING or words[:2] == ["what", "if"]


def _eased(words: list[str], grammar: Grammar) -> Match | None:
    """Pain said to have passed: "it's stopped hurting", "the twinge has eased off".

    Only in so many words, with nothing against it: not "it hasn't eased", not "it eased
    but now it's sharp", not "it's gone numb" or "gone down my leg" (pain that changed).
    """
    if WELL not in grammar.intents or _AGAINST & set(words):
        return None
    pain = _PAIN_WORDS
    for i, w in enumerate(words):
        after, before = words[i + 1 :], words[max(0, i - 2) : i]
        # "stopped hurting", "the twinge has eased off", with only "off" or "now" after.
        passing = (
            w in _PASSING
            and set(after) <= _AFTER_PASSING | pain
            and bool(pain & set(words[: i + 2]))
        )
        # "nothing hurts anymore", "it doesn't hurt any more": the pain word just before.
        ended = (
            w == "anymore"
            and bool(pain & set(before))
            and bool({"not", "nothing", "no"} & set(words[:i]))
        )
        if (passing and not {"not", "never", "nothing"} & set(before)) or (ended and not after):
            return Match(WELL)
    return None


def _g_dropped(words: list[str], grammar: Grammar) -> list[str]:
    """A word no sample uses, whose "-ing" one does, typed without its g: "doin", "comin"."""
    return [
        f"{w}g" if w.endswith("in") and stem(w) not in grammar.idf and stem(f"{w}g") in grammar.idf
        else w
        for w in words
    ]  # fmt: skip


def _guarded(found: Match | None, words: list[str], grammar: Grammar) -> Match | None:
    """The safe reading of a sentence, whatever the stages made of it.

    Pain said anywhere in it is heard first ("let's move on, this one hurts", "stop, I'm
    in pain", "it's sharp, I mean, I can carry on"), and of kinds of pain the serious one
    ("slightly sharp"). A yes said with a no, a "but" or a "maybe" ("my doctor said not
    to", "sure, but only for today") is no yes: the question is asked again. Forgetting
    or leaving out said with a "don't" is the opposite ("don't forget me").
    """
    whole = [exact(a, grammar) for a in trimmed(words, grammar.skip)[:2]]
    answered = found is not None and found.intent in grammar.answers and found not in whole
    # A sample said whole means what it says ("that's too much for me" asks for easier).
    if found is None or (found.intent not in _PAIN | {SITUATION_INTENT} and found not in whole):
        found = _pain_said(words, grammar) or found
    if found is None:
        if _pregnancy_unkept(words) and FORGET_PREGNANCY in grammar.intents:
            return Match(FORGET_PREGNANCY)  # "wipe the pregnancy stuff"
        carrying_on = {"going", "on", "up", "at"} & set(words)
        if _turned_around(words, _KEEPING) and not carrying_on:
            return _unkept(grammar)  # "I'd rather you didn't keep anything"
        return _situations(words, grammar)
    if found.intent == PAIN_INTENT and found not in whole:
        # "my back's gone really sharp": the kind of pain, when it is a serious one.
        found = _pain_kind_said(words, grammar) or found
    if found.intent == PAIN_INTENT and not found.slots and answered:
        # "aye, it's a dull kind of ache": an answer that says what the pain is like.
        found = _pain_kind_said(words, grammar, SEVERE_PAIN | MILD_PAIN) or found
    if found.intent == PAIN_INTENT and found not in whole and _chosen_by_part(words, grammar):
        # "the hip one", "the back routine": a routine picked by what it is for, no pain.
        return Match(START_ROUTINE) if START_ROUTINE in grammar.intents else None
    if found.intent == PAIN_INTENT and found not in whole and _denied_pain(words, grammar):
        return grammar.no  # "I'm not in pain", "it doesn't hurt"
    if (
        found.intent == PAIN_INTENT
        and found not in whole
        and _part_said_well(found, words, grammar)
    ):
        # "no, my back is fine, my knee hurts": the part that hurts, not the one that is well.
        found = _hurt(words, grammar) or found
    if found.intent in _PLACING and found not in whole and BODY_PART_TYPE in grammar.bare:
        # "my back, my back", "it's my knee": a part of the person's body said on its own
        # is something felt there, not "go back" or "which side".
        part = _own_part(words, grammar)
        if part is not None:
            intent, slot = grammar.bare[BODY_PART_TYPE]
            found = Match(intent, {slot: Slot(" ".join(words[part.start : part.end]), part.id)})
    if found.intent == PAIN_INTENT and found not in whole and _well(words, grammar):
        # "no, my back is fine": a part of the body named to say it is well is no pain;
        # the answer said with it stands, and without one the question is asked again.
        opening = exact(words[:1], grammar)
        return opening if opening is not None and opening.intent in grammar.answers else None
    if found.intent == PAIN_KIND_INTENT:
        kinds = {slot.id for slot in found.slots.values()}
        if kinds & MILD_PAIN:
            kinds |= MILD_PAIN  # "only a little" holds "a little": some, however much
        said = [s for s in find_spans(words, grammar) if s.kind == PAIN_KIND_TYPE and s.id in kinds]
        if said and all(turned_down(words, s.start, pain=True) for s in said):
            return grammar.no  # "no numbness", "it doesn't go down my leg"
        found = _most_serious(found, words, grammar)
        some = any(slot.id in _SOME for slot in found.slots.values())
        if not _serious(found) and not some and exact(words[:1], grammar) == grammar.no:
            return grammar.no  # "no, it's just stiff", to "any numbness?": the no stands
        # "no, only a little", "I don't think so, maybe a bit": some of it, which to a
        # question about a symptom is a yes, and to the pain check mild pain.
        return found
    yes = grammar.yes
    well = WELL in grammar.intents and found.intent in {*AGREEING, yes and yes.intent}
    if well and found not in whole and not _YES_WORDS & set(words) and _well(words, grammar):
        return Match(WELL)  # "legs are fine": how they are, to "any numbness?" a no
    # Unless the whole of it is a way of saying yes ("why not", "sure, why not").
    # A hedge undoes "let's go" and "I'm fine" as it does a yes.
    agreeing = {yes.intent, *AGREEING} if yes is not None else AGREEING
    # "Go ahead, I guess": a hedge said as an aside is still a hedge, though the rest is whole.
    aside = bool(_ASIDES & set(words)) and not _YES_WORDS & set(words)  # not "I suppose so, yes"
    said_yes = found.intent in agreeing and (found not in whole or aside)
    # "Probably fine" is no yes, though "I'll probably be back, so yes" is one.
    unsure = "probably" in words and "yes" not in words
    limited = _for_now(words) and found not in whole
    if (said_yes or found.intent == KEEP) and limited and FOR_NOW in grammar.intents:
        # "yes, just for today", "keep it for now": to "shall I remember that for next
        # time?" that is a no, for this session only; to anything else, no clear answer.
        return Match(FOR_NOW)
    if said_yes and (_HEDGES & set(words) or unsure or _opens(words, _QUESTIONS) or limited):
        return None  # "are you sure?", "what if I say yes"
    if found.intent in grammar.answers and found not in whole and _mixed(words):
        return None  # "yes and no", "not really, well, yes": which it is, asked again
    if found == grammar.no and found not in whole and _declined(words):
        return None  # "I'd rather not say": no answer, and never the no of a safety question
    if found == grammar.no and found not in whole and BODY_PART_TYPE in grammar.bare:
        leg = _leg_admitted(words, grammar)
        if leg is not None:
            # "nah, a bit in the calf", "no, only to the knee": felt down the leg after all.
            intent, slot = grammar.bare[BODY_PART_TYPE]
            return Match(intent, {slot: Slot(" ".join(words[leg.start : leg.end]), leg.id)})
    some_times = _SOMETIMES & set(words) or " only when " in f" {' '.join(words)} "
    if found == grammar.no and found not in whole and some_times:
        # "no, well sometimes", "not since yesterday", "not anymore": a no that admits
        # the thing at other times, asked again rather than taken for a clean no.
        return None
    asking = _opens(words, _QUESTIONS + _CONSEQUENCE)
    if found.intent == FORGET and found not in whole and not _letting_go(words):
        # "keep everything you've got on me": deleting is never a guess. Said without a
        # word of letting go, it is a wish to keep, or nothing the coach acts on.
        # "Don't forget me" keeps too.
        keeping = {stem(w) for w in words} & {stem(v) for v in _KEEPING} or _turned_around(
            words, _LETTING_GO
        )
        return Match(KEEP) if keeping and KEEP in grammar.intents else None
    if found.intent == FORGET and aside:
        return None  # "delete it, I guess": nothing is deleted on a shrug
    if found.intent in (FORGET, KEEP) and found not in whole and asking:
        return None  # "what would that delete?": asking about forgetting is not asking for it
    if found.intent == HARDER and _lessened(words):
        # "less intense", "don't push me", "nothing harder": easier, never harder.
        return Match(EASIER)
    gentle = _gentler(found, words, grammar)
    if gentle is not None:
        return gentle  # "nothing hard", "anything but intense": something gentle
    unkept = _pregnancy_unkept(words) and FORGET_PREGNANCY in grammar.intents
    if unkept and found.intent not in _PAIN:
        # "delete my pregnancy", "don't keep anything about my pregnancy": what is kept
        # about it, and only that; the pregnancy goes on, and so do its adaptations.
        return Match(FORGET_PREGNANCY)
    everything = _ALL & set(words) and _letting_go(words)
    pregnancy = _pregnancy_reading(found) or found.intent in (NOT_PREGNANT, FORGET_PREGNANCY)
    if pregnancy and everything:
        return Match(FORGET)  # "forget everything about me, my pregnancy too": all of it
    if _pregnancy_ended(words) and _pregnancy_reading(found) and NOT_PREGNANT in grammar.intents:
        # "I had the baby three weeks ago", "no longer expecting": the opposite of a stage.
        return Match(NOT_PREGNANT)
    pregnant = _pregnancy_said(found, words, grammar)
    if pregnant is not None:
        return pregnant  # "daily ten please, I'm thirty weeks pregnant": screened first
    if found.intent == SITUATION_INTENT and not _screened_situation(found):
        # "I'm a runner with a bad back": the back's safety questions first.
        both = _situations(words, grammar)
        if both is not None and _screened_situation(both):
            return both
    if found == grammar.no and found not in whole:
        # "I'd rather not do the cobra": a stretch turned down is one to skip.
        turned = _refused(Match(SINGLE, _named_stretch(words, grammar)), words)
        if turned is not None and turned.intent == SKIP and turned.slots:
            return _scoped(turned, words)  # "never ... remove it forever": left out for good
    if found.intent == KEEP and _turned_around(words, _KEEPING):
        return _unkept(grammar)  # "please don't keep it"
    if found.intent in (FORGET, SKIP, EXCLUDE) and _turned_around(words, _UNDOING):
        if found.intent == FORGET:
            # "don't forget me": keep it all, which to "shall I remember?" is a yes.
            return Match(KEEP) if KEEP in grammar.intents else grammar.no
        return Match(INCLUDE, found.slots) if found.intent == EXCLUDE else None
    return found


def _named_stretch(words: list[str], grammar: Grammar) -> dict[str, Slot]:
    """The stretch named in words, as the slot of a request for it (none: empty)."""
    span = best_spans(words, grammar).get(STRETCH_TYPE)
    if span is None or not span.whole or SINGLE not in grammar.slot_of:
        return {}
    name = grammar.slot_of[SINGLE][0]
    return {name: Slot(" ".join(words[span.start : span.end]), span.id)}


def _said_anywhere(
    words: list[str], phrases: frozenset[str], inside: frozenset[int] = frozenset()
) -> str | None:
    """The first of phrases said in words and not turned down ("I haven't torn anything").

    Words at the places in inside are part of something else ("lower back pain" names a
    situation) and are passed over.
    """
    for i in range(len(words)):
        if i in inside:
            continue
        for phrase in phrases:
            size = phrase.count(" ") + 1
            if " ".join(words[i : i + size]) != phrase:
                continue
            # "I can't control my bladder": what cannot be done is the symptom, not denied.
            denied = turned_down(words, i, pain=True) and not _unable(words, i)
            if denied or "without" in words[max(0, i - 3) : i]:
                continue
            return phrase
    return None


def _hurt(words: list[str], grammar: Grammar) -> Match | None:
    """An injury or pain said anywhere, of the person, and not denied: the pain check.

    "I think I tore something", "bit of pain but keep going", "I'll push through the
    pain": whatever else is asked, pain said is heard first. A question about pain ("will
    it hurt?") is not a report of it.
    """
    if PAIN_INTENT not in grammar.slot_of or _OTHERS & set(words):
        return None
    situations = frozenset(
        i for s in find_spans(words, grammar) if s.kind == SITUATION_TYPE and s.whole
        for i in range(s.start, s.end)
    )  # fmt: skip
    said = _said_anywhere(words, _INJURY, situations)
    if said is None and not _asked(words):
        said = _said_anywhere(words, _PAIN_WORDS, situations)
    if said is None:
        return None
    part = _own_part(words, grammar)
    if part is None or BODY_PART_TYPE not in grammar.bare:
        return Match(PAIN_INTENT)
    intent, slot = grammar.bare[BODY_PART_TYPE]
    return Match(intent, {slot: Slot(" ".join(words[part.start : part.end]), part.id)})


def _mixed(words: list[str]) -> bool:
    """Whether words answer both ways: "yes and no", "not really, well, yes"."""
    said = set(words)
    return bool(_YES_WORDS & said) and bool(_NO_WORDS & said or {"not", "really"} <= said)


# Words that open a sentence and are a yes only when said alone: "right, I'm in position".
_MARKERS = frozenset({"right", "okay", "ok", "alright", "so", "well", "now"})
# The plain words of yes and no, and of declining to say.
_YES_WORDS = frozenset({"yes", "yeah", "yep", "yup", "aye"})
# A question's verb said back as the whole answer: "I am", "it does", "they have".
_SAID_BACK = frozenset(tuple(p.split()) for p in (
    "i am", "i do", "i have", "i did", "it is", "it does", "it did", "it has", "they have",
    "they did", "she has", "he has", "she did", "he did", "we are", "i am indeed",
    "i certainly am", "i sure am", "i do indeed", "it certainly is", "it sure is",
))  # fmt: skip
_NO_WORDS = frozenset({"no", "nope", "nah"})
# Words that limit a no to some of the time: it was so before, or is now and then.
# A bare "when" waits instead ("no, when I'm ready"), so only "only when" counts.
_SOMETIMES = frozenset({"sometimes", "occasionally", "since", "anymore", "lately", "recently",
                        "mostly", "mainly", "usually", "often", "times", "until", "till",
                        "used", "except", "night", "nights", "morning", "mornings", "evening",
                        "evenings"})  # fmt: skip
# Parts of the leg: pain said to be there answers "does it travel down your leg?".
_LEG_PARTS = frozenset({"leg", "knee", "foot", "buttock"})
# Words that place a feeling in a part of the body: "in my calf", "down to the knee".
_IN_THE_LEG = frozenset({"my", "in", "into", "to", "down", "behind", "round", "around"})
# Words after a denial that take some of it back: "not really, a bit in the calf".
_ADMITTING = frozenset({"just", "only", "bit", "little", "but", "though", "except", "maybe",
                        "slightly", "well", "apart", "mostly", "mainly"})  # fmt: skip
# The kind of pain that is an amount of it ("a bit", "a little"): some is not none.
_SOME = frozenset({"mild", HEDGE})
_DECLINING = frozenset({"say", "answer", "tell", "share", "telling", "saying", "answering"})


def _declined(words: list[str]) -> bool:
    """Whether the person declines to answer: "I'd rather not say", "prefer not to tell"."""
    return any(
        w in _DECLINING and {"rather", "prefer", "not"} & set(words[max(0, i - 3) : i])
        for i, w in enumerate(words)
    )


def _opens(words: list[str], openings: tuple[tuple[str, ...], ...]) -> bool:
    """Whether words open with one of openings: "are you sure?", "what do you mean by ..."."""
    return any(tuple(words[: len(opening)]) == opening for opening in openings)


def _lessened(words: list[str]) -> bool:
    """Whether a word of hardness is turned down: "less intense", "don't push me"."""
    return any(
        w in _HARD_WORDS
        and _LESSENING & set(words[max(0, i - 2) : i])
        and words[i + 1 : i + 2] != ["enough"]  # "not hard enough" asks for harder
        for i, w in enumerate(words)
    )


def _for_now(words: list[str]) -> bool:
    """Whether words limit what they say to now: "yes, just for today"."""
    said = " " + " ".join(words) + " "
    return any(f" {w} " in said for w in _FOR_NOW)


def _gentler(found: Match, words: list[str], grammar: Grammar) -> Match | None:
    """Something gentle, when what is hard is turned down: "nothing intense", "not the hard one"."""
    if SITUATION_TYPE not in grammar.bare or found.intent in _PAIN:
        return None
    ids = {slot.id for slot in found.slots.values()}
    if not (found == grammar.no or found.intent == HARDER or ids & {"intense", _INTENSE}):
        return None  # only what was read as a no or as something hard is read again
    for s in find_spans(words, grammar):
        if s.kind != SITUATION_TYPE or s.id != "intense" or not s.whole:
            continue
        if words[s.end : s.end + 1] == ["enough"]:
            continue  # "not hard enough" wants it harder
        before = words[max(0, s.start - 3) : s.start]
        if (NEGATIONS | _LESSENING | {"but", "except"}) & set(before):
            intent, slot = grammar.bare[SITUATION_TYPE]
            return Match(intent, {slot: Slot("gentle", "gentle")})
    return None


# Words that make a time a stage of pregnancy.
_EXPECTING = frozenset({"pregnant", "pregnancy", "trimester", "baby", "bump", "due", "overdue",
                        "expecting", "midwife"})  # fmt: skip


def _pregnancy_said(found: Match, words: list[str], grammar: Grammar) -> Match | None:
    """Pregnancy said of the person with another request: the pregnancy questions first."""
    # Pain said with it is asked about in the pregnancy questions; a serious kind stops.
    # "Hang on, I'm thirty weeks now" is news to act on, not a pause: the pregnancy
    # questions stop the clock as well, and nothing then plays an earlier stage's version.
    stopping = _STOPPING - {"AMAZON.PauseIntent"}
    # Nor is it asking to forget or keep what is known ("forget me, my pregnancy too").
    own_reading = {PAIN_KIND_INTENT, NOT_PREGNANT, FORGET_PREGNANCY, FORGET, KEEP} | stopping
    if found.intent in own_reading or _OTHERS & set(words):
        return None
    if _pregnancy_ended(words):
        return None  # "I'm six weeks postpartum": how long since, not how far along
    ids = {slot.id for slot in found.slots.values()}
    if found.intent == STAGE_INTENT or (found.intent == SITUATION_INTENT and "pregnant" in ids):
        return None  # already the pregnancy questions
    for s in find_spans(words, grammar):
        # How far along counts only said as a pregnancy: "sciatica for two weeks" is not,
        # "the third trimester" and "baby's due in six weeks" are.
        staged = s.kind == STAGE_TYPE and (
            bool(_EXPECTING & set(words))
            or (_of_the_person(words, s.start) and not _a_while_of_something(words, s.end))
        )
        pregnant = (s.kind == SITUATION_TYPE and s.id == "pregnant") or staged
        if pregnant and s.whole and not turned_down(words, s.start) and s.kind in grammar.bare:
            if words[max(0, s.start - 2) : s.start] == ["no", "longer"]:
                continue
            intent, slot = grammar.bare[s.kind]
            return Match(intent, {slot: Slot(" ".join(words[s.start : s.end]), s.id)})
    return None


NOT_PREGNANT = "NotPregnantIntent"
FORGET_PREGNANCY = "ForgetPregnancyIntent"
MAYBE = "MaybeIntent"
# Ways of saying a pregnancy is over, in canonical words.
_ENDED = (("no", "longer"), ("not", "pregnant"), ("not", "expecting"), ("pregnant", "anymore"),
          ("pregnant", "any", "more"), ("expecting", "anymore"), ("postpartum",), ("postnatal",),
          ("post", "partum"), ("post", "natal"), ("gave", "birth"), ("given", "birth"),
          ("had", "the", "baby"), ("had", "my", "baby"), ("had", "our", "baby"),
          ("had", "the", "twin"), ("had", "my", "twin"), ("born",),
          ("pregnancy", "is", "over"))  # fmt: skip


def _pregnancy_ended(words: list[str]) -> bool:
    """Whether the person says a pregnancy is over ("I had the baby", "no longer pregnant")."""
    if _OTHERS & set(words):
        return False  # "my sister had the baby": hers, not theirs
    return any(
        tuple(words[i : i + len(ended)]) == ended
        for ended in _ENDED
        for i in range(len(words) - len(ended) + 1)
    ) and bool((_EXPECTING | {"twin", "birth", "born", "postpartum", "postnatal", "partum",
                              "natal"}) & set(words))  # fmt: skip


# "Forget everything, the pregnancy too": all of it, not the pregnancy alone.
_ALL = frozenset({"everything", "me", "whole"})
# What is kept about a pregnancy, when asked to be let go of.
_PREGNANCY_KEPT = frozenset({"pregnant", "pregnancy", "trimester", "expecting"})
_LETTING_GO = frozenset({"forget", "delete", "erase", "wipe", "remove", "clear", "rid", "reset",
                         "scrub", "purge", "bin", "destroy", "lose", "ditch"})  # fmt: skip


def _unkept(grammar: Grammar) -> Match | None:
    """A wish that nothing be kept: to "shall I remember?" a no, to "shall I forget?" a yes."""
    return Match(FORGET) if FORGET in grammar.intents else grammar.no


def _letting_go(words: list[str]) -> bool:
    """Whether words ask to let go of something kept: a verb of forgetting, or "don't keep".

    "Stop storing it" and "no more remembering" are a "don't keep" too.
    """
    said = {stem(w) for w in words} & {stem(v) for v in _LETTING_GO}
    keeping = {stem(v) for v in _KEEPING}
    stopped = any(
        w in ("stop", "quit") and stem(after) in keeping for w, after in itertools.pairwise(words)
    )
    return (
        bool(said and not _turned_around(words, _LETTING_GO))
        or _turned_around(words, _KEEPING)
        or stopped
    )


def _pregnancy_unkept(words: list[str]) -> bool:
    """Whether the person asks to have what is kept about their pregnancy let go of.

    Not all of it ("forget everything, my pregnancy too"), though "everything else" is kept
    and "me being pregnant" is the pregnancy.
    """
    # Nor is "me being pregnant" all of me.
    all_of_it = any(
        w in _ALL and not {"else", "being"} & set(words[i + 1 : i + 2]) for i, w in enumerate(words)
    )
    if not _PREGNANCY_KEPT & set(words) or _OTHERS & set(words) or all_of_it:
        return False
    return _letting_go(words)


def _pregnancy_reading(found: Match) -> bool:
    """Whether a reading is about a pregnancy going on: a stage, or being pregnant."""
    ids = {slot.id for slot in found.slots.values()}
    return found.intent == STAGE_INTENT or bool(
        found.intent in (SITUATION_INTENT, "StartRoutineIntent") and ids & {"pregnant", "pregnancy"}
    )


# Words between "I'm" and how far along: "I'm nearly thirty weeks".
_ABOUT = frozenset({"about", "around", "roughly", "nearly", "almost", "just", "over", "only"})


def _of_the_person(words: list[str], start: int) -> bool:
    """Whether a time is said as the person's own: "I'm thirty three weeks", "we're 31 weeks".

    Said so, a number of weeks is how far along a pregnancy is, with or without the word.
    """
    while start > 0 and words[start - 1] in _ABOUT:
        start -= 1
    return words[max(0, start - 2) : start] in (["i", "am"], ["we", "are"])


def _a_while_of_something(words: list[str], end: int) -> bool:
    """A time, not a stage: "I'm two weeks into a new job", "two weeks off work"."""
    return bool(set(words[end : end + 1]) & _NOT_A_STAGE)


_NOT_A_STAGE = frozenset({"into", "ago", "off", "of", "since", "without", "until", "till", "in"})


# Openings of a question that a yes inside it does not answer.
_QUESTIONS = (("are", "you"), ("what", "if"), ("and", "if"), ("what", "happen"),
              ("is", "that"), ("will", "it"), ("do", "you"), ("how", "do"), ("can", "i"),
              ("could", "i"), ("should", "i"), ("is", "it"), ("does", "it"))  # fmt: skip
# Questions about what something would do: "what would that delete?", "does it wipe ...".
_CONSEQUENCE = (("what",), ("which",), ("how",), ("does",), ("would", "that"), ("would", "it"),
                ("would", "this"), ("will", "that"), ("will", "this"), ("is", "it"))  # fmt: skip
# Words of hardness that a "less" or a "not" before them turns into easier.
_HARD_WORDS = frozenset({"intense", "intensity", "harder", "hard", "challenging", "tough",
                         "tougher", "push", "difficult", "demanding", "strenuous"})  # fmt: skip
# Words that turn down how hard something is: "less intense", "don't push me".
_LESSENING = frozenset({"less", "nothing", "not", "no", "never", "without"})
HARDER, EASIER = "HarderIntent", "EasierIntent"
_INTENSE = "hip_mobility_intense"
STAGE_INTENT, STAGE_TYPE = "PregnancyStageIntent", "PREGNANCY_STAGE"
# Openings that ask about a word rather than report it.
_ASKING_ABOUT = (("what", "do", "you", "mean"), ("what", "is"), ("what", "does"),
                 ("what", "are"), ("how", "do", "i", "know"), ("why", "do", "you"))  # fmt: skip


def _denied_pain(words: list[str], grammar: Grammar) -> bool:
    """Whether pain is said only to say there is none: "I'm not in pain"."""
    said = _symptoms(words, grammar)  # "my leg isn't numb": a kind of pain, denied
    return (
        bool(said)
        and _hurt(words, grammar) is None
        and all(turned_down(words, i, pain=True) for i in said)
    )


def _symptoms(words: list[str], grammar: Grammar) -> list[int]:
    """Where words name pain or a serious kind of it: "pain", "numb", "down my leg"."""
    named = [s.start for s in find_spans(words, grammar)
             if s.kind == PAIN_KIND_TYPE and s.whole and s.id in SEVERE_PAIN]  # fmt: skip
    return [i for i, w in enumerate(words) if w in _PAIN_WORDS] + named


def _leg_admitted(words: list[str], grammar: Grammar) -> Span | None:
    """A part of the leg named after a no, and not denied: "no, just in my calf".

    Not the place of a symptom the no denies: "no numbness in my legs".
    """
    symptoms = set(_symptoms(words, grammar))
    for span in find_spans(words, grammar):
        if span.kind != BODY_PART_TYPE or not span.whole or span.id not in _LEG_PARTS:
            continue
        if _said_well(words, span):
            continue  # "no, my legs are fine"
        placed = _IN_THE_LEG & set(words[max(0, span.start - 2) : span.start])
        if not placed or (words[span.end : span.end + 1] and words[span.end] in _ROUTINE_NOUNS):
            continue  # "no, skip the knee one": a stretch, not a place that hurts
        # The no comes first and the part after it ("so I'll say no" is about something else).
        before = words[: span.start]
        denied = [i for i, w in enumerate(before) if w in NEGATIONS | _NO_WORDS | {"nothing"}]
        if denied and denied[-1] + 1 in symptoms:
            continue  # "no tingling down my leg": the no is of the symptom there
        if denied and (len(denied) == 1 or _ADMITTING & set(before[denied[-1] :])):
            return span
    return None


def _own_part(words: list[str], grammar: Grammar) -> Span | None:
    """A part of the person's own body ("my knee"), not said to be well."""
    return next(
        (s for s in find_spans(words, grammar)
         if s.kind == BODY_PART_TYPE and s.whole and words[s.start - 1 : s.start] == ["my"]
         and not _said_well(words, s)),
        None,
    )  # fmt: skip


def _part_said_well(found: Match, words: list[str], grammar: Grammar) -> bool:
    """Whether the part of the body found is one the sentence says is well."""
    ids = {slot.id for slot in found.slots.values()}
    return any(
        s.kind == BODY_PART_TYPE and s.id in ids and _said_well(words, s)
        for s in find_spans(words, grammar)
    )


def _said_well(words: list[str], span: Span) -> bool:
    """Whether the part of the body at span is said to be well just after it is named."""
    return any(
        w in _WELL and not _unwell(words, i)
        for i, w in enumerate(words[span.end : span.end + 4], start=span.end)
    )


def _pain_said(words: list[str], grammar: Grammar) -> Match | None:
    """Pain reported at the start or end of a sentence, not turned down ("not sharp")."""
    hurt = _hurt(words, grammar)
    if hurt is not None:
        return hurt
    for size in range(len(words), 0, -1):
        for start in {0, len(words) - size}:
            part = words[start : start + size]
            found = exact(part, grammar)
            if found is None or found.intent not in _PAIN or not _serious(found):
                continue
            if start and turned_down(words, start, pain=True):
                continue
            if start and _opens(words, _ASKING_ABOUT):
                continue  # "what do you mean by weakness": a question, not a report
            return found
    # A serious kind of pain said anywhere, of the person: "my foot's numb, I mean ...".
    # "knee to chest hurts": a sentence that ends in pain, unless it asks ("will it hurt").
    ending = words[-1] in _PAIN_ENDINGS and not turned_down(words, len(words) - 1, pain=True)
    if ending and words[0] not in _ASKING and PAIN_INTENT in grammar.slot_of:
        return Match(PAIN_INTENT)
    if not _FELT & set(words):
        return None
    return _pain_kind_said(words, grammar) or _worried(words, grammar)


def _well(words: list[str], grammar: Grammar) -> bool:
    """Whether words say one part of the body is well ("no, my knee's fine"), and no more.

    Only one part named, said well after it is named, with no kind of pain, no word of
    pain and no "but": "my back is fine but my knee is killing me" is pain.
    """
    if (_PAIN_ENDINGS | _SORE | _CONTRARY) & set(words) or _said_anywhere(words, _INJURY):
        return False
    spans = [s for s in find_spans(words, grammar) if s.whole]
    parts = [s for s in spans if s.kind == BODY_PART_TYPE]
    if len({s.id for s in parts}) != 1 or any(s.kind == PAIN_KIND_TYPE for s in spans):
        return False
    return any(
        w in _WELL and i >= parts[0].end and not _unwell(words, i)
        and words[i + 1 : i + 2] != ["for"]  # "whatever's good for that" tells nothing
        for i, w in enumerate(words)
    )  # fmt: skip


def _unwell(words: list[str], i: int) -> bool:
    """Whether the word of wellness at i is turned down: "not fine", "not too good".

    Not by the "no" that answers first: "nope, legs are fine".
    """
    start = max(1 if words[0] == "no" and i > 1 else 0, i - 3)
    return bool(NEGATIONS & set(words[start:i]))


def _worried(words: list[str], grammar: Grammar) -> Match | None:
    """Worry about a part of the person's own body: "something's off in my lower back"."""
    unwell = any(w in _WELL and _unwell(words, i) for i, w in enumerate(words))
    if BODY_PART_TYPE not in grammar.bare or _OTHERS & set(words):
        return None
    if not (_WORRY & set(words) or unwell):
        return None
    for span in find_spans(words, grammar):
        if (
            span.kind == BODY_PART_TYPE
            and span.whole
            and words[span.start - 1 : span.start] == ["my"]
        ):
            intent, slot = grammar.bare[BODY_PART_TYPE]
            return Match(intent, {slot: Slot(" ".join(words[span.start : span.end]), span.id)})
    return None


def _pain_kind_said(
    words: list[str], grammar: Grammar, kinds: frozenset[str] = SEVERE_PAIN
) -> Match | None:
    """A kind of pain (by default a serious one) said anywhere in words, not turned down."""
    if PAIN_KIND_TYPE not in grammar.bare:
        return None
    # Also with the filler words out: "I can't really feel my foot" is numbness.
    for said in (words, unskipped(words, grammar.skip)):
        for span in find_spans(said, grammar):
            serious = span.kind == PAIN_KIND_TYPE and span.whole and span.id in kinds
            if serious and not turned_down(said, span.start, pain=True):
                intent, slot = grammar.bare[PAIN_KIND_TYPE]
                return Match(intent, {slot: Slot(" ".join(said[span.start : span.end]), span.id)})
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
    for span in find_spans(words, grammar):
        serious = span.kind == PAIN_KIND_TYPE and span.id in SEVERE_PAIN
        if serious and span.whole and not turned_down(words, span.start, pain=True):
            heard = " ".join(words[span.start : span.end])
            return Match(found.intent, {next(iter(found.slots), "painKind"): Slot(heard, span.id)})
    return found


def _turned_around(words: list[str], verbs: frozenset[str]) -> bool:
    """A "don't" on one of verbs: "don't delete anything", "I'd rather you didn't keep it".

    The "not" may come a word or two before ("don't you dare erase my history"), but what
    they cannot do is no "don't" ("I can't kneel, so drop it").
    """
    stems = {stem(v) for v in verbs}  # "don't go wiping it" turns "wipe" around too
    return any(
        stem(w) in stems and _DENIALS & set(words[max(0, i - 3) : i]) and not _unable(words, i)
        for i, w in enumerate(words)
    )


def _unable(words: list[str], at: int) -> bool:
    """Whether a "can't" comes just before at: "I can't control my bladder" is the symptom."""
    before = words[max(0, at - 4) : at]
    return any(before[j : j + 2] in (["can", "not"], ["could", "not"]) for j in range(3))


# Verbs of keeping, which a "don't" before them turns into a no.
_KEEPING = frozenset({"keep", "save", "store", "remember", "hold", "hang"})


def _recognized(words: list[str], grammar: Grammar) -> Match | None:
    answers = grammar.answers
    # The opening answer, if any: "yes", "not really", "yeah nah".
    opening = (
        (size, exact(words[:size], grammar)) for size in range(min(len(words) - 1, 3), 0, -1)
    )
    # "never mind" opens with no answer, though "never" alone would be one.
    size, answer = next(
        ((n, m) for n, m in opening if m is not None and m.intent in answers | {CANCEL}),
        (0, None),
    )
    if answer is not None and answer.intent == CANCEL:
        size, answer = 0, None
    lead = next((i for i, w in enumerate(words) if w not in _MARKERS
                 and words[i : i + 2] != ["all", "right"]), len(words))  # fmt: skip
    if 0 < lead < len(words) and exact(words, grammar) is None:  # a sample said whole stands
        # "okay, no, don't", "so no, leave it": words that only open; the answer follows.
        after_opening = _recognized(words[lead:], grammar)
        if after_opening is not None and after_opening.intent in answers | {"NotYetIntent"}:
            return after_opening
    if answer is not None and any(
        s.whole and s.start == 0 and s.end > size for s in find_spans(words, grammar)
    ):
        size, answer = 0, None  # "nothing too strenuous": the start of a value, no answer
    attempts = trimmed(words, grammar.skip)
    found: Match | None = None
    for attempt in attempts:
        found = exact(attempt, grammar)
        if found is not None:
            if attempt[0] in ANSWERS or attempt is words:
                answer = None  # "yeah nah": the answer said last, or the whole phrase, stands
            break
    else:
        found = bare_value(attempts[-1], grammar) or open_sample(words, grammar)
    # A request said whole in the first or last half of the sentence, before guessing.
    found = found or _clause(words, grammar, (len(words) + 1) // 2) or _halted(words, grammar)
    plain = set(ANSWERS) & set(words)
    if (
        found is not None
        and found.intent in answers
        and not plain
        and found != exact(words, grammar)
    ):
        # "go harder, let's go": a request said with what only sounds like an answer says
        # more ("pardon? oh, yes please" is a yes).
        found = _clause(words, grammar) or found
    if found is None:
        # The nearest sample to the sentence or to any of its shorter forms.
        nearest = [near for attempt in attempts if (near := closest(attempt, grammar))]
        # On a tie the later, cleaner form wins: "something really gentle" is read as
        # "something gentle" there, a whole situation rather than part of a name.
        ranked = [(near[0], n, near[1]) for n, near in enumerate(nearest)]
        if ranked:
            score, _, match = max(ranked, key=lambda r: r[:2])
            near_enough = score >= THRESHOLD and _about_them(match, words, grammar)
            found = match if near_enough else None
    said_as_answer = found is None or found.intent in answers | {CANCEL} or _located(found, words)
    agreeing = AGREEING | ({grammar.yes.intent} if grammar.yes is not None else set())
    if answer is not None and said_as_answer:
        # "not today, bye", "ready, next please": a request said after the answer says
        # more than the answer.
        # But "not really sharp" is no sharp pain: what follows "not" is not so.
        said_after = (
            size and not turned_down(words, size) and unskipped(words[size:], grammar.skip)
        )  # "for sure, eh": a sound after the answer is no request
        rest = (
            (exact(a, grammar) for a in trimmed(words[size:], grammar.skip)) if said_after else ()
        )
        later = next((m for m in rest if m is not None), None) or _clause(words, grammar)
        if later is not None and later.intent in AGREEING and set(words[:size]) <= _MARKERS:
            return later  # "right, I'm in position": a word that only opens, then the answer
        if later is not None and later.intent in OPEN and answer.intent in agreeing:
            return later  # "fine, whatever you think", "yes, for now": the yes, qualified
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


def _halted(words: list[str], grammar: Grammar) -> Match | None:
    """Two words that halt, said first: "hold on, that's the doorbell", before any guess.

    The reason after them may sound like some other sample ("hold on to that"), but the
    halt is what was asked for.
    """
    said = exact(words[:2], grammar) if len(words) > 2 else None
    if said is None or said.intent not in _STOPPING or turned_down(words, 2):
        return None
    # "hang on, which leg is up?", "hold it for longer": a request after it asks for more.
    return said if _recognized(words[2:], grammar) is None else None


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
        return _taken_back(words, grammar)
    after = words[last:]
    if not after and len(words) <= 3:
        return None  # "no wait" alone: a request to wait, read as a sentence of its own
    found = recognize(" ".join(after), grammar) if after else None
    if found is None and "no" in words[max(0, last - 2) : last]:
        return grammar.no
    return found


def _taken_back(words: list[str], grammar: Grammar) -> Match | None:
    """A request, a "no", and another request: the second ("carry on, no, skip it")."""
    for i, word in enumerate(words[1:-1], start=1):
        first = exact(words[:i], grammar) if word in _NO_WORDS else None
        if first is None or first.intent in grammar.answers:
            continue  # "no, no, I didn't mean that": answers, not a request taken back
        found = recognize(" ".join(words[i + 1 :]), grammar)
        if found is not None and found.intent not in grammar.answers:
            return found
    return None


# Words by which people take back what they just said.
_CORRECTIONS = tuple(tuple(m.split()) for m in (
    "no wait", "wait no", "actually no", "no actually", "no sorry", "sorry no", "i mean",
    "or rather", "scratch that", "no no wait", "oh no wait", "never mind", "never mind that",
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
    if not (NEGATIONS - {"no"}) & set(before) and before[-1:] != ["no"]:
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
        " again " in said and bool(NEGATIONS & set(words) or "never" in words)
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
    span = best_spans(words, grammar).get(kind)
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
    found_spans = find_spans(words, grammar)
    # "he's running late": a routine's other name that is also a situation ("running",
    # "pregnant") is a description, which is the person's only when about them.
    described = {(s.start, s.end) for s in found_spans if s.kind == SITUATION_TYPE and s.whole}
    spans = [
        s for s in found_spans
        if s.kind == ROUTINE_TYPE and s.whole
        and (found is not None or (s.start, s.end) not in described)
    ]  # fmt: skip
    refused = NEGATIONS - {"no"}
    wanted = [s for s in spans if not refused & set(words[max(0, s.start - 3) : s.start])]
    asked = found is None or found.intent in grammar.answers
    # "grab my phone off the desk": a name after a word of place is a place.
    # But "kick off the fourteen lower back stretches" names a routine as one.
    placed = any(
        _PLACES & set(words[max(0, s.start - 2) : s.start])
        and not _ROUTINE_NOUNS & set(words[s.end - 1 : s.end + 3])
        for s in spans
    )
    if asked and not placed and len({s.id for s in spans}) == 1:
        found = Match(intent, {slot: Slot(" ".join(words[spans[0].start : spans[0].end]),
                                          spans[0].id)})  # fmt: skip
    if found is None or found.intent != intent or wanted == spans:
        return found
    if not wanted:
        return grammar.no
    first = wanted[0]
    return Match(intent, {slot: Slot(" ".join(words[first.start : first.end]), first.id)})


START_ROUTINE = "StartRoutineIntent"


def _chosen_by_part(words: list[str], grammar: Grammar) -> bool:
    """Whether a part of the body names a kind of routine: "the hip one", "a back routine"."""
    if _PAIN_WORDS & set(words):
        return False
    return any(
        s.kind == BODY_PART_TYPE
        and s.start > 0
        and words[s.start - 1] in {"the", "a", "that", "this"}
        and s.end < len(words)
        and words[s.end] in _ROUTINE_NOUNS
        for s in find_spans(words, grammar)
    )


def _situations(words: list[str], grammar: Grammar) -> Match | None:
    """More than one situation said of the person, which no sample holds together.

    "Something for an old fella with a stiff back": a pregnancy or back pain, whose safety
    questions come before anything else; else the first said.
    """
    if SITUATION_TYPE not in grammar.bare:
        return None
    said = [
        s for s in find_spans(words, grammar)
        if s.kind == SITUATION_TYPE and s.whole and not turned_down(words, s.start)
    ]  # fmt: skip
    if len({s.id for s in said}) < 2:
        return None
    chosen = min(said, key=lambda s: (_SCREENED_FIRST.index(s.id) if s.id in _SCREENED_FIRST
                                      else len(_SCREENED_FIRST), s.start))  # fmt: skip
    intent, slot = grammar.bare[SITUATION_TYPE]
    found = Match(intent, {slot: Slot(" ".join(words[chosen.start : chosen.end]), chosen.id)})
    return found if _about_them(found, words, grammar) else None


def _screened_situation(found: Match) -> bool:
    return any(slot.id in _SCREENED_FIRST for slot in found.slots.values())


# Situations with safety questions of their own, the most pressing first.
_SCREENED_FIRST = ("pregnant", "back_pain")


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
    return bool(heard) and all(w in SMALL for w in heard)


def _described(words: list[str], grammar: Grammar) -> Match | None:
    """A situation or a pain the person describes, in a sentence nothing else explained.

    "I run about forty k a week", "he's got sciatica down his left leg", "like an electric
    shooting thing": one value named, and not turned down ("not pregnant", "not sharp"),
    is the person saying how they are. A situation needs someone it is about.
    """
    # Last, a part of the person's body in a sentence nothing else explained is something
    # felt there ("that's twingey in my groin"): the pain check asks what.
    described = (*_DESCRIBING, (BODY_PART_TYPE, _MINE))
    plain = unskipped(words, grammar.skip)
    # "Is this the one where I hug my knees?": a question naming a part asks, feels nothing.
    asked = bool(plain) and plain[0] in _ASKING | {"what", "which", "where", "how", "when"}
    for kind, about in described:
        if kind not in grammar.bare or not about & set(words) or _OTHERS & set(words):
            continue  # "turn the lights off", "my sister is pregnant": not about the person
        if kind == BODY_PART_TYPE and asked:
            continue
        spans = [
            s for s in find_spans(words, grammar)
            if s.kind == kind and s.whole
            and not all(w in SMALL for w in words[s.start : s.end])
            and not (NEGATIONS | {"too"}) & set(words[max(0, s.start - 3) : s.start])
            and words[max(0, s.start - 2) : s.start] != ["for", "my"]  # "for my hips": a purpose
        ]  # fmt: skip
        if len({s.id for s in spans}) == 1:
            intent, slot = grammar.bare[kind]
            heard = " ".join(words[spans[0].start : spans[0].end])
            return Match(intent, {slot: Slot(heard, spans[0].id)})
    return None


def _by_meaning(words: list[str], grammar: Grammar) -> Match | None:
    if not [w for w in unskipped(words, grammar.skip) if w not in STOPWORDS]:
        return None  # "hmm", "erm": a sound is near "mm hmm", but it says nothing
    near = grammar.meaning.nearest(" ".join(words))
    if near is None or near[0] < MEANING_THRESHOLD:
        return None
    sample = grammar.samples[near[1]]
    if sample.slot is None:
        return Match(sample.intent)
    # A sample about a named thing means it only if a name of that kind was said.
    span = best_spans(words, grammar).get(sample.slot[1])
    if span is None or turned_down(words, span.start):
        return None  # "I'm not pregnant" is near "I'm pregnant", and means the opposite
    heard = " ".join(words[span.start : span.end])
    return Match(sample.intent, {sample.slot[0]: Slot(heard, span.id)})


def _clause(words: list[str], grammar: Grammar, shortest: int = 1) -> Match | None:
    """A request said whole at the start or end, with a reason around it.

    "stop, I'm shattered", "hold on, my phone's ringing", "I'm knackered, I'm calling it
    a day": the longest opening or closing run of words that is a sample, word for word,
    if it is at least shortest words, and more than two or with a word few intents use.
    """
    answered: Match | None = None
    for size in range(len(words) - 1, max(shortest, 1) - 1, -1):
        for part, before in ((words[:size], []), (words[-size:], words[:-size])):
            rare = size > 2 or max(grammar.idf.get(stem(w), 0.0) for w in part) >= CLAUSE_IDF
            named = any(
                s.whole and not all(w in SMALL for w in part[s.start : s.end])
                for s in find_spans(part, grammar)
            )
            if not unskipped(part, grammar.skip):
                continue  # ", eh": a sound said last is no request
            # "hold on, the dog's at the door": two everyday words that halt are enough.
            said = exact(part, grammar) if size == 2 and not before else None
            halts = said is not None and said.intent in _STOPPING
            if not rare and not named and not halts:
                continue
            if before and before[-1] in _OBJECT_OF:
                continue  # "sciatica down my left leg": the end of a phrase, not a request
            if before and named and size <= 2 and (_PLACES | _OTHERS) & set(before[-3:]):
                continue  # "grab my phone off the desk", "my sister is pregnant": no request
            if _split_name(words, size if not before else len(before), grammar):
                continue  # "not right in my lower back": "back" is the end of a name
            if before and turned_down(words, len(before)):
                continue  # "no, not down my legs": what follows "not" is not so
            # "um, something easy for my hips, I reckon": a sound before the request too.
            found = exact(part, grammar)
            sounds = next((n for n, w in enumerate(part) if (w,) not in grammar.skip), 0)
            if found is None and sounds:
                part = part[sounds:]
                found = exact(part, grammar)
            if found is None:
                continue
            # "skip it, I can't get down that low": a request said first, then the reason
            # as a report of how the person is, asks for the request.
            if before and _report(part) and not _report(before):
                said_first = (exact(a, grammar) for a in trimmed(before, grammar.skip))
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
                said_next = [exact(a, grammar) for a in trimmed(after, grammar.skip)]
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


def _split_name(words: list[str], cut: int, grammar: Grammar) -> bool:
    """Whether a known value said in words runs across the cut ("my lower | back")."""
    return any(s.whole and s.start < cut < s.end for s in find_spans(words, grammar))


def _report(words: Sequence[str]) -> bool:
    """Whether words tell how the person is ("I'm still getting down", "I can't reach")."""
    return bool(words) and words[0] in _FIRST_PERSON


_FIRST_PERSON = frozenset({"i", "i'm", "im", "my", "me"})
# Someone the sentence is about, or something wished for: a described situation needs one.
# "which one helps with back pain" asks for the person, though it names no one.
_PERSON = _FIRST_PERSON | {"we", "us", "our", "something", "anything", "which"}
# Words that say a feeling is described: "it's a shooting thing", "kind of tingly".
_FELT = _FIRST_PERSON | {"it", "that", "this", "like", "kind", "sort", "more", "bit", "feel",
                         "just", "ache", "aching", "pain", "feeling", "sensation"}  # fmt: skip
# Slot types that describe the person, and the words that make a sentence about them.
_DESCRIBING = ((PAIN_KIND_TYPE, _FELT), (SITUATION_TYPE, _PERSON))
# Words after which the rest of a sentence belongs to them ("in my left leg"), not a request.
_OBJECT_OF = frozenset({"my", "his", "her", "your", "their", "our", "in", "into", "down",
                        "through", "of", "from"})  # fmt: skip
