"""Time estimates: positions cost what moving between them costs, and routines add up."""

from __future__ import annotations

import pytest

from skill.content import default_catalogue
from skill.content.model import Position
from skill.timing import (
    DEFAULT_PACING,
    item_seconds,
    routine_minutes,
    routine_seconds,
    transition_seconds,
)


def test_getting_down_to_the_floor_takes_longer_than_switching_on_the_floor() -> None:
    down = transition_seconds(Position.STANDING, Position.LYING_ON_BACK)
    roll = transition_seconds(Position.LYING_ON_BACK, Position.LYING_ON_FRONT)
    stay = transition_seconds(Position.LYING_ON_BACK, Position.LYING_ON_BACK)
    assert down > roll > stay > 0


@pytest.mark.parametrize("a", list(Position))
@pytest.mark.parametrize("b", list(Position))
def test_transitions_are_symmetric(a: Position, b: Position) -> None:
    assert transition_seconds(a, b) == transition_seconds(b, a)


def test_held_stretch_estimate_counts_every_hold() -> None:
    catalogue = default_catalogue()
    item = next(i for i in catalogue.routines["seniors"].items if i.stretch == "knee_to_chest")
    stretch = catalogue.stretches["knee_to_chest"]
    seconds = item_seconds(stretch, item)
    holding = 2 * 3 * 30  # both legs, three times, thirty seconds
    assert holding < seconds < holding + 60


def test_breath_holds_use_the_breath_period() -> None:
    catalogue = default_catalogue()
    item = next(
        i for i in catalogue.routines["fourteen"].items if i.stretch == "wide_leg_forward_fold"
    )
    seconds = item_seconds(catalogue.stretches[item.stretch], item)
    assert seconds >= 8 * DEFAULT_PACING.breath_seconds


def test_routine_minutes_round_up_the_seconds() -> None:
    catalogue = default_catalogue()
    for routine in catalogue.routines.values():
        seconds = routine_seconds(routine, catalogue)
        minutes = routine_minutes(routine, catalogue)
        assert (minutes - 1) * 60 < seconds <= minutes * 60


def test_longer_article_holds_make_longer_routines() -> None:
    catalogue = default_catalogue()
    # The daily ten holds each side for up to a minute; the seniors routine is three stretches.
    assert routine_seconds(catalogue.routines["daily_ten"], catalogue) > routine_seconds(
        catalogue.routines["seniors"], catalogue
    )
