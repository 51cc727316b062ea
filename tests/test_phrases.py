"""The phrase corpus: how people really talk, and how much of it the coach understands."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

import pytest

from skill.alexa.models import load_spec
from skill.alexa.questions import QUESTIONS
from skill.local.matcher import Grammar
from tests.phrases.corpus import Line, held_out, load, score

OVERALL_GOAL = 0.97
HELD_OUT_GOAL = 0.95
# Not met yet: the held-out lines that are in no sample list are 85% right today. A change
# may not fall below this floor; the goal stays below as a test known to fail.
HELD_OUT_FLOOR = 0.84
# The corpus says "screening" for any of the yes/no safety questions.
CONTEXTS = {"-", *QUESTIONS}


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
        assert re.fullmatch(r"[a-z' ]+", line.utterance), line
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
        if question != "screening_symptom":  # asked together with "screening" in the corpus
            assert per_question[question] >= 6, question


def test_a_held_out_hundred_is_in_no_sample_list() -> None:
    assert len(held_out(lines(), grammar())) >= 100


def test_the_matcher_understands_the_corpus() -> None:
    right, total, wrong = score(lines(), grammar())
    # Only the tuning lines are shown: the held-out ones stay unread by whoever tunes.
    shown = "\n".join(
        f"{w.utterance!r} [{w.context}] -> {got}" for w, got in wrong if not w.held_out
    )
    assert right / total >= OVERALL_GOAL, f"{right}/{total}\n{shown}"


def test_the_matcher_understands_what_it_was_not_tuned_on_at_least_as_well_as_today() -> None:
    right, total, _ = score(held_out(lines(), grammar()), grammar())
    # Only the score: the held-out lines stay unread by whoever tunes the model.
    assert right / total >= HELD_OUT_FLOOR, f"held out: {right}/{total}"


@pytest.mark.xfail(reason="the held-out goal is not met yet (85% of 95%)", strict=True)
def test_the_matcher_understands_what_it_was_not_tuned_on() -> None:
    right, total, _ = score(held_out(lines(), grammar()), grammar())
    assert right / total >= HELD_OUT_GOAL, f"held out: {right}/{total}"


@pytest.mark.parametrize("utterance", ["what's the weather", "play some music", "call mum"])
def test_what_the_coach_cannot_do_falls_back(utterance: str) -> None:
    from skill.local.matcher import recognize

    assert recognize(utterance, grammar()) is None
