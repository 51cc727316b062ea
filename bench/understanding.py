"""How much of the phrase corpus the local matcher understands, overall and held out."""

from __future__ import annotations

import time
from dataclasses import dataclass
from unittest import mock

from skill.local import sentences
from skill.local.matcher import Grammar, recognize
from tests.phrases.corpus import Line, elsewhere, held_out, load, score


@dataclass(frozen=True)
class Understanding:
    """Right answers out of lines, for each part of the corpus, and the time per line."""

    overall: tuple[int, int]
    tuned: tuple[int, int]
    held_out: tuple[int, int]
    answers: tuple[int, int]  # lines answering one of the coach's questions
    commands: tuple[int, int]  # lines said with no question waiting
    held_out_by_words: tuple[int, int]  # held out, without the stage of nearness in meaning
    elsewhere: tuple[int, int]  # things not for the coach that fell back, of all of them
    ms_per_line: float


def understanding() -> Understanding:
    """Score the corpus; held-out lines are those tuning never saw and no sample contains."""
    grammar = Grammar.load("en-US")
    lines = load()

    def part(chosen: list[Line]) -> tuple[int, int]:
        right, total, _ = score(chosen, grammar)
        return right, total

    part(lines[:50])  # the embedding model loads on first use; time the matching after it
    started = time.perf_counter()
    overall = part(lines)
    elapsed = time.perf_counter() - started
    with mock.patch.object(sentences, "MEANING_THRESHOLD", float("inf")):
        by_words = part(held_out(lines, grammar))
    return Understanding(
        overall=overall,
        tuned=part([line for line in lines if not line.held_out]),
        held_out=part(held_out(lines, grammar)),
        answers=part([line for line in lines if line.context != "-"]),
        commands=part([line for line in lines if line.context == "-"]),
        held_out_by_words=by_words,
        elsewhere=(sum(recognize(u, grammar) is None for u in elsewhere()), len(elsewhere())),
        ms_per_line=elapsed * 1000 / len(lines),
    )


def percent(pair: tuple[int, int]) -> str:
    right, total = pair
    return f"{right}/{total} ({right / total:.1%})"
