"""How much of the phrase corpus the local matcher understands, overall and held out."""

from __future__ import annotations

import time
from dataclasses import dataclass

from skill.local.matcher import Grammar
from tests.phrases.corpus import Line, held_out, load, score


@dataclass(frozen=True)
class Understanding:
    """Right answers out of lines, for each part of the corpus, and the time per line."""

    overall: tuple[int, int]
    tuned: tuple[int, int]
    held_out: tuple[int, int]
    answers: tuple[int, int]  # lines answering one of the coach's questions
    commands: tuple[int, int]  # lines said with no question waiting
    ms_per_line: float


def understanding() -> Understanding:
    """Score the corpus; held-out lines are those tuning never saw and no sample contains."""
    grammar = Grammar.load("en-US")
    lines = load()

    def part(chosen: list[Line]) -> tuple[int, int]:
        right, total, _ = score(chosen, grammar)
        return right, total

    started = time.perf_counter()
    overall = part(lines)
    elapsed = time.perf_counter() - started
    return Understanding(
        overall=overall,
        tuned=part([line for line in lines if not line.held_out]),
        held_out=part(held_out(lines, grammar)),
        answers=part([line for line in lines if line.context != "-"]),
        commands=part([line for line in lines if line.context == "-"]),
        ms_per_line=elapsed * 1000 / len(lines),
    )


def percent(pair: tuple[int, int]) -> str:
    right, total = pair
    return f"{right}/{total} ({right / total:.1%})"
