"""The phrase corpus: how people really talk, and how much of it the coach understands."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

import pytest

from skill.alexa.models import load_spec
from skill.alexa.questions import QUESTIONS, Act, answer_of
from skill.local import meaning, sentences
from skill.local.matcher import Grammar, recognize
from tests.phrases.corpus import Line, elsewhere, held_out, load, score

OVERALL_GOAL = 0.97
HELD_OUT_GOAL = 0.95
# Neither is met today. Each new writer's lines lower both before any tuning on them
# (writer 19, many Englishes: 96.1% right before tuning, 93.9% of those in no sample
# list); the corpus is 96.6% now, and the held-out lines in no sample list are 89.4%. A
# change may not fall below these floors; the goals stay below as tests known to fail, so
# meeting one is seen at once.
OVERALL_FLOOR = 0.966
HELD_OUT_FLOOR = 0.893
# The corpus says "screening" for any of the yes/no safety questions.
CONTEXTS = {"-", *QUESTIONS}


# Lower case words with apostrophes, and the punctuation a transcript or a typist adds.
SPOKEN = r"[^\W\d_A-Z]+(?:[' ,.?!;:\-\u2014]+[^\W\d_A-Z]*)*"


@cache
def grammar() -> Grammar:
    return Grammar.load("en-US")


@cache
def lines() -> list[Line]:
    return load()


def test_the_corpus_is_large_and_well_formed() -> None:
    corpus = lines()
    assert len(corpus) >= 400
    for line in corpus:
        assert line.context in CONTEXTS, line
        assert re.fullmatch(SPOKEN, line.utterance), line
    per_intent = Counter(
        alternative.split()[0]
        for line in corpus
        if line.context == "-"
        for alternative in set(line.expected)
    )
    custom = [i.name for i in load_spec().intents if not i.name.startswith("AMAZON.")]
    for intent in custom:
        assert per_intent[intent] >= 10, intent
    per_question = Counter(line.context for line in corpus if line.context != "-")
    for question in QUESTIONS:
        # Asked together with "screening", and "remember" after pain, in the corpus.
        if question not in ("screening_symptom", "remember_pain"):
            assert per_question[question] >= 6, question


def test_a_held_out_hundred_is_in_no_sample_list() -> None:
    assert len(held_out(lines(), grammar())) >= 100


def _overall() -> tuple[int, int, str]:
    right, total, wrong = score(lines(), grammar())
    # Only the tuning lines are shown: the held-out ones stay unread by whoever tunes.
    shown = "\n".join(
        f"{w.utterance!r} [{w.context}] -> {got}" for w, got in wrong if not w.held_out
    )
    return right, total, shown


def test_the_matcher_understands_the_corpus_at_least_as_well_as_today() -> None:
    right, total, shown = _overall()
    assert right / total >= OVERALL_FLOOR, f"{right}/{total}\n{shown}"


@pytest.mark.xfail(reason="the overall goal is not met yet (96.6% of 97%)", strict=True)
def test_the_matcher_understands_the_corpus() -> None:
    right, total, shown = _overall()
    assert right / total >= OVERALL_GOAL, f"{right}/{total}\n{shown}"


def test_the_matcher_understands_what_it_was_not_tuned_on_at_least_as_well_as_today() -> None:
    right, total, _ = score(held_out(lines(), grammar()), grammar())
    # Only the score: the held-out lines stay unread by whoever tunes the model.
    assert right / total >= HELD_OUT_FLOOR, f"held out: {right}/{total}"


@pytest.mark.xfail(reason="the held-out goal is not met yet (89.4% of 95%)", strict=True)
def test_the_matcher_understands_what_it_was_not_tuned_on() -> None:
    right, total, _ = score(held_out(lines(), grammar()), grammar())
    assert right / total >= HELD_OUT_GOAL, f"held out: {right}/{total}"


ELSEWHERE = elsewhere()


@pytest.mark.parametrize(
    "utterance", ["what's the weather", "play some music", "call mum", *ELSEWHERE]
)
def test_what_is_not_for_the_coach_falls_back(utterance: str) -> None:
    assert recognize(utterance, grammar()) is None


# Sentences no word-based stage understands, whose nearest sample in meaning is right.
IN_OTHER_WORDS = [
    ("i could do with a breather", "AMAZON.PauseIntent"),
    ("can i have a short breather now", "AMAZON.PauseIntent"),
    ("could the holds be longer", "HoldLongerIntent"),
]


@pytest.mark.parametrize(("utterance", "intent"), IN_OTHER_WORDS)
def test_what_no_sample_says_is_understood_by_its_meaning(
    utterance: str, intent: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = recognize(utterance, grammar())
    assert found is not None and found.intent == intent
    monkeypatch.setattr(sentences, "MEANING_THRESHOLD", float("inf"))
    assert recognize(utterance, grammar()) is None  # the words alone do not say it


# How a sentence with more than one thing in it is read: rules, each with its reason.
SENTENCES = [
    # Numbness said with a filler word in it is still numbness, not "I can't feel it".
    ("i can't really feel my toes properly", "PainKindIntent", {"painKind": "numb"}),
    # A name said last is not a request of its own: "back" ends "lower back" here.
    ("i'm a little worried about my lower back", "PainIntent", {"bodyPart": "back"}),
    # Worry about a part of the person's body, or saying it is not well, is for the pain check.
    ("i'm concerned something's off in my hip", "PainIntent", {"bodyPart": "hip"}),
    ("my knee doesn't feel too good", "PainIntent", {"bodyPart": "knee"}),
    # An answer word that starts a longer value is the value: "nothing too demanding".
    ("nothing too demanding please, i'm worn out", "SituationIntent", {"situation": "gentle"}),
    # A request said with a clause that only sounds like an answer ("let's go") says more.
    ("go faster, let's go", "FasterIntent", {}),
    # Asking which one suits a situation asks for the person, though it names no one.
    ("which one is good for sciatica", "SituationIntent", {"situation": "back_pain"}),
    # A part of the body named as what a stretch is for is not where it hurts.
    ("just the bridge for my knees", "SingleStretchIntent", {"stretch": "glute_bridge"}),
    # A stretch turned down with words of ever leaves it out for good.
    ("never do the pigeon, take it out for good", "ExcludeStretchIntent", {"stretch": "pigeon"}),
    # A long polite opening is trimmed whole, "so" or not.
    ("would you be so good as to skip this one", "SkipIntent", {}),
    # Named to say it is well, it is no pain: the answer said with it stands.
    ("no my back is fine", "AMAZON.NoIntent", {}),
    ("my back hurts but my knee is fine", "PainIntent", {"bodyPart": "back"}),
    # A request said first, then the reason as a report of how the person is.
    ("skip it i can't get down that low", "SkipIntent", {}),
    ("extra time please i'm not there yet", "AddTimeIntent", {}),
    # A report first, then a request: the first is not overruled by a yes at the end.
    ("i'm back let's go", "AMAZON.ResumeIntent", {}),
    # A routine named in a sentence that asks nothing else is a request for it.
    ("so maybe we could do the seniors routine if that's okay", "StartRoutineIntent",
     {"routine": "seniors"}),
    # A routine turned down is a no, or the other one named is the one wanted.
    ("no not the desk routine", "AMAZON.NoIntent", {}),
    ("let's not do the desk one", "AMAZON.NoIntent", {}),
    ("i don't want the desk routine give me the seniors one", "StartRoutineIntent",
     {"routine": "seniors"}),
    # "no, the desk one" answers no and names the one wanted.
    ("no the desk one please", "StartRoutineIntent", {"routine": "desk"}),
    # An answer, then a request: the request says more.
    ("no thanks, goodbye", "AMAZON.StopIntent", {}),
    # A situation described by someone, in a sentence that asks nothing else.
    ("i jog most mornings before work", "SituationIntent", {"situation": "runner"}),
    ("i spend my days in front of a screen", "SituationIntent", {"situation": "desk"}),
    # A side said as where it is felt is no side asked for.
    ("i've got a twinge down my right leg", "PainIntent", {"bodyPart": "leg"}),
    # A request near a sample without its slot still gets the value said.
    ("oof, the old knee", "PainIntent", {"bodyPart": "knee"}),
    # A stretch turned down is skipped, or left out when it is for good.
    ("could we not do the cobra today", "SkipIntent", {"stretch": "cobra"}),
    ("i don't want to do the pigeon", "SkipIntent", {"stretch": "pigeon"}),
    ("no i want the pigeon", "SingleStretchIntent", {"stretch": "pigeon"}),
    ("nope, never doing the happy baby ever again", "ExcludeStretchIntent",
     {"stretch": "happy_baby"}),
    ("don't put the cobra back", "ExcludeStretchIntent", {"stretch": "cobra"}),
    # Skipping is for now, leaving out for good: the words of time decide.
    ("skip the pigeon for good", "ExcludeStretchIntent", {"stretch": "pigeon"}),
    ("leave out the cobra today", "SkipIntent", {"stretch": "cobra"}),
    # A request after an opening answer; but "a bit" after one only says how much.
    ("okay, next one please", "AMAZON.NextIntent", {}),
    ("yes a little, in my right leg", "AMAZON.YesIntent", {}),
    # A kind of pain described in a sentence nothing else explains.
    ("honestly it's more of a shooting thing i guess", "PainKindIntent", {"painKind": "shooting"}),
    # "Don't bother" after an answer is the answer again; "never mind" opens with none.
    ("nah, don't bother", "AMAZON.NoIntent", {}),
    ("never mind, that's enough for today", "AMAZON.StopIntent", {}),
    # What follows "not" is not so: no pain that spreads, no sharp pain.
    ("no, not down my legs", "AMAZON.NoIntent", {}),
    ("not really sharp", "AMAZON.NoIntent", {}),
    ("nope, it's not spreading anywhere", "AMAZON.NoIntent", {}),
    # Pain said anywhere is heard first, even with a stop: it stops with advice.
    ("next one please, my hip is killing me", "PainIntent", {"bodyPart": "hip"}),
    ("can we keep going, my knee really hurts", "PainIntent", {"bodyPart": "knee"}),
    ("let's move on, this one hurts", "PainIntent", {}),
    ("stop, it hurts", "PainIntent", {}),
    ("it's sharp, i mean, i can carry on", "PainKindIntent", {"painKind": "sharp"}),
    ("my foot's numb, i mean it's probably nothing", "PainKindIntent", {"painKind": "numb"}),
    ("a little bit spreading", "PainKindIntent", {"painKind": "spreading"}),
    # About to faint is no pain to grade: stop and get help.
    ("i think i'm going to pass out", "PainKindIntent", {"painKind": "emergency"}),
    ("knee to chest hurts", "PainIntent", {}),
    # A side said as a place after an answer is where: "yes, my left leg" answers yes.
    ("yes, my left leg", "AMAZON.YesIntent", {}),
    # A stretch turned down in a no is one to skip; consent for this session only is a no.
    ("i'd rather not do the cobra", "SkipIntent", {"stretch": "cobra"}),
    ("just this session", "ForNowIntent", {}),
    ("it's gone all fuzzy in my leg", "PainKindIntent", {"painKind": "numb"}),
    # A part of their body in a sentence nothing else explains: the pain check asks what.
    ("that's gone all twingey in my groin", "PainIntent", {"bodyPart": "groin"}),
    # "No wait" alone, and "no, I need another minute", wait rather than say no.
    ("no wait", "AMAZON.PauseIntent", {}),
    ("no, i need another minute", "AMAZON.PauseIntent", {}),
    # A symptom denied is a no: "no numbness", "it doesn't go down my leg".
    ("no numbness", "AMAZON.NoIntent", {}),
    ("no it doesn't go down my leg", "AMAZON.NoIntent", {}),
    ("yes a little", "AMAZON.YesIntent", {}),
    # Forgetting or leaving out said with a "don't" is the opposite.
    ("don't delete anything", "KeepIntent", {}),
    ("don't forget me", "KeepIntent", {}),
    ("please don't you go wiping my history", "KeepIntent", {}),
    ("don't leave out the cobra", "IncludeStretchIntent", {"stretch": "cobra"}),
    # Someone who corrects themself: what they end up asking for.
    ("skip, no wait, repeat that", "AMAZON.RepeatIntent", {}),
    ("carry on, actually no, i'm done", "AMAZON.StopIntent", {}),
    ("the left, sorry no, the right side", "SideIntent", {"side": "right"}),
    ("forget it all, no wait", "AMAZON.NoIntent", {}),
    # "Eh?" before an answer: the answer.
    ("pardon? oh, yes please", "AMAZON.YesIntent", {}),
    # A name said without its last word ("stretch") is the whole name.
    ("put the seated piriformis back in please", "IncludeStretchIntent",
     {"stretch": "seated_piriformis"}),
    # A sound before a request and a hedge after it: the request, not the hedge's "yes".
    ("hmm something easy for my hips i reckon", "SituationIntent", {"situation": "gentle"}),
    ("um, stop, i'm shattered", "AMAZON.StopIntent", {}),
    # "More gentle" is "gentler", never "gentle cobra" left out.
    ("is there a more gentle way please", "EasierIntent", {}),
    # Having another crack at it is another go, not a crack heard in the back.
    ("yeah righto i'll have another crack", "AMAZON.YesIntent", {}),
    ("i heard a crack in my back", "PainIntent", {"bodyPart": "back"}),
    # An answer that says what the pain is like is that kind of pain.
    ("aye it's a dull kind of ache nae bother", "PainKindIntent", {"painKind": "dull"}),
    # Letting go of what is kept about a pregnancy is the pregnancy's own question, which
    # deletes nothing else; never the pregnancy questions, nor deleting everything.
    ("delete my pregnancy", "ForgetPregnancyIntent", {}),
    ("wipe the pregnancy stuff", "ForgetPregnancyIntent", {}),
    ("please don't keep anything about my pregnancy", "ForgetPregnancyIntent", {}),
    # But everything, the pregnancy with it, is everything.
    ("forget everything about me including my pregnancy", "ForgetIntent", {}),
    # A routine picked by what it is for is no pain in that part; pain said with it is.
    ("the hip one", "StartRoutineIntent", {}),
    ("the back routine please", "StartRoutineIntent", {}),
    ("the knee one hurts", "PainIntent", {"bodyPart": "knee"}),
    # The articles say to stop at a pinch: a pinch is no mild pain.
    ("it's like a pinch really", "PainKindIntent", {"painKind": "sharp"}),
    # Two situations of the person: one with safety questions of its own goes first.
    ("something for an old fella with a stiff back", "SituationIntent",
     {"situation": "back_pain"}),
    ("i'm a runner with a bad back", "SituationIntent", {"situation": "back_pain"}),
    ("i'm a runner and pregnant", "SituationIntent", {"situation": "pregnant"}),
    # Keeping said with no word of letting go is never a deletion.
    ("keep everything you've got on me", "KeepIntent", {}),
    ("don't you dare erase my history", "KeepIntent", {}),
]  # fmt: skip


# A yes said with a no, a "but" or a "maybe" is no yes: the question is asked again, or,
# where the words say no outright ("my midwife said no"), it is a no.
@pytest.mark.parametrize(
    "utterance",
    ["my doctor said not to", "my midwife said no", "sure, but only for today", "hmm maybe",
     "she told me not to stretch", "don't skip the cobra"],
)  # fmt: skip
def test_a_hedged_or_contrary_yes_is_no_answer(utterance: str) -> None:
    match = recognize(utterance, grammar())
    # A clinician's "not to stretch" may also stop at once, as serious pain does; a yes kept
    # to today is "for now", which answers only "shall I remember that?" (this session).
    stops = match is not None and match.intent == "PainKindIntent"
    limited = match is not None and match.intent == "ForNowIntent"
    assert match is None or match.intent == "AMAZON.NoIntent" or stops or limited, match
    if limited:
        assert QUESTIONS["screening"].act(answer_of("ForNowIntent", {})) is Act.REASK


@pytest.mark.parametrize(
    "utterance", ["i'm not pregnant", "turn on the light in the kitchen", "i'm too old for this"]
)
def test_a_situation_turned_down_or_about_no_one_is_not_described(utterance: str) -> None:
    found = recognize(utterance, grammar())
    assert found is None or found.intent != "SituationIntent"


@pytest.mark.parametrize(("utterance", "intent", "slots"), SENTENCES)
def test_a_sentence_with_more_than_one_thing_in_it(
    utterance: str, intent: str, slots: dict[str, str]
) -> None:
    found = recognize(utterance, grammar())
    assert found is not None and found.intent == intent
    assert {name: slot.id for name, slot in found.slots.items()} == slots


def test_without_the_meaning_model_matching_by_words_still_works(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(meaning, "_model", lambda: None)
    fresh = Grammar.load("en-US")
    assert recognize("i could do with a breather", fresh) is None
    found = recognize("let's do the desk stretches", fresh)
    assert found is not None and found.slots["routine"].id == "desk"


def test_a_sample_that_names_something_is_meant_only_when_a_name_is_said(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    g = grammar()
    named = next(n for n, s in enumerate(g.samples) if s.slot == ("stretch", "STRETCH_NAME"))
    monkeypatch.setattr(g.meaning, "nearest", lambda text: (1.0, named))
    assert sentences._by_meaning(["pop", "it", "on", "for", "me"], g) is None
    found = sentences._by_meaning(["pop", "the", "pigeon", "on", "for", "me"], g)
    assert found is not None and found.intent == g.samples[named].intent
    assert found.slots["stretch"].id == "pigeon"
    monkeypatch.setattr(g.meaning, "nearest", lambda text: (sentences.MEANING_THRESHOLD - 0.01, 0))
    assert sentences._by_meaning(["pop", "the", "pigeon", "on", "for", "me"], g) is None


# The words that ask to let go of what is kept, and a "don't" on a word of keeping.
LETTING_GO = re.compile(
    r"\b(forget|delet|eras|wip|remov|clear|rid|reset|scrub|purg|bin|destroy|los|ditch)\w*"
    r"|\b(don't|do not|dont|didn't|not|never)\b.*\b(keep|stor|sav|remember|hold)\w*"
)


def test_deleting_is_never_a_guess() -> None:
    """Every line of the corpus read as "forget me" says a word of letting go.

    A deletion cannot be undone, and the nearest sample by shared words once made "keep
    everything you've got on me" one: without such a word a sentence is never read so.
    """
    forgetting = [
        line.utterance
        for line in lines()
        if (found := recognize(line.utterance, grammar())) is not None
        and found.intent == "ForgetIntent"
    ]
    assert len(forgetting) >= 40  # the rule is tested on many ways of asking
    assert [u for u in forgetting if not LETTING_GO.search(u)] == []


@pytest.mark.parametrize(
    "utterance",
    ["is this the one where i hug my knees", "um which one is it where my knees go to my chest",
     "what do i do with my hips here", "the hip one"],
)  # fmt: skip
def test_a_part_of_the_body_named_in_a_question_or_a_choice_is_no_pain(utterance: str) -> None:
    """Naming a knee to ask about a stretch, or to choose one, feels nothing there."""
    found = recognize(utterance, grammar())
    assert found is None or found.intent not in ("PainIntent", "PainKindIntent"), found
