"""The benchmarks' own arithmetic: what a routine prescribes is what its script schedules."""

from __future__ import annotations

import pytest

from bench.common import percentile
from bench.speech import prescribed_seconds
from skill.content import default_catalogue
from skill.engine.compiler import compile_routine


@pytest.mark.parametrize("routine", list(default_catalogue().routines))
def test_scheduled_holds_are_the_prescription(routine: str) -> None:
    catalogue = default_catalogue()
    script = compile_routine(catalogue, catalogue.routines[routine])
    scheduled = sum(step.hold_ms or 0 for step in script.steps) / 1000
    assert scheduled == prescribed_seconds(script)


def test_percentiles() -> None:
    values = [float(n) for n in range(1, 101)]
    assert percentile(values, 0.5) in (50.0, 51.0)
    assert percentile(values, 0.99) == 99.0
    assert percentile([3.0], 0.99) == 3.0
