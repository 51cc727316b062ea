"""The catalogue holds every number the articles give, routine by routine."""

from __future__ import annotations

import pytest

from skill.content import default_catalogue
from skill.content.model import Dosage, RoutineItem, Sides

# (routine, stretch, the article's numbers as written, how the sides are done)
ARTICLE_NUMBERS: list[tuple[str, str, dict[str, str], Sides]] = [
    # the spinal cord injury clinic's routines by audience
    ("desk", "seated_forward_flexion", {"hold_seconds": "30", "reps": "3"}, Sides.NONE),
    ("desk", "seated_backward_bend", {"hold_seconds": "5-10", "reps": "5"}, Sides.NONE),
    ("desk", "seated_side_bend", {"hold_seconds": "10", "reps": "5"}, Sides.EACH),
    ("runners", "one_legged_bridge", {"reps": "8-10", "sets": "3-4"}, Sides.EACH),
    ("runners", "kneeling_hip_flexor", {"breaths": "5", "reps": "3"}, Sides.EACH),
    ("runners", "figure_four", {"hold_seconds": "30", "daily": "2-3"}, Sides.EACH),
    ("seniors", "lying_butterfly", {"hold_seconds": "at least 30", "reps": "3"}, Sides.NONE),
    ("seniors", "cobra", {"breaths": "3-5", "reps": "3-5"}, Sides.NONE),
    ("seniors", "knee_to_chest", {"hold_seconds": "30", "reps": "3-5"}, Sides.EACH),
    ("pregnancy", "cat_cow", {"reps": "5-10"}, Sides.NONE),
    ("pregnancy", "pelvic_tilt", {"reps": "5-10", "phase_breaths": "1"}, Sides.NONE),
    ("hip_flexor", "lumbar_rotation", {"hold_seconds": "30", "reps": "3-5"}, Sides.ALTERNATE),
    # 30 seconds, switch legs, three times each side: the legs alternate
    ("hip_flexor", "standing_hip_flexor", {"hold_seconds": "30", "reps": "3"}, Sides.ALTERNATE),
    # the physiotherapy clinic gives one number of its own
    ("fourteen", "wide_leg_forward_fold", {"breaths": "8"}, Sides.NONE),
    # the Pilates teacher
    ("pilates", "figure_four", {"hold_seconds": "60-120"}, Sides.EACH),
    ("pilates", "side_kick_front_back", {"reps": "5-8"}, Sides.EACH),
    ("pilates", "side_kick_up_down", {"reps": "3-5"}, Sides.EACH),
    ("pilates", "side_kick_circles", {"reps": "5", "sets": "2"}, Sides.EACH),
    # the daily ten
    ("daily_ten", "reverse_lunge", {"reps": "10", "sets": "3"}, Sides.EACH),
    ("daily_ten", "lumbar_rotation", {"hold_seconds": "30-60"}, Sides.ALTERNATE),
    ("daily_ten", "shoelace", {"hold_seconds": "30-60"}, Sides.EACH),
    ("daily_ten", "seated_spinal_twist", {"hold_seconds": "60"}, Sides.EACH),
    ("daily_ten", "seated_hip_flexor", {"hold_seconds": "60"}, Sides.EACH),
    ("daily_ten", "pigeon", {"hold_seconds": "30"}, Sides.EACH),
    ("daily_ten", "butterfly", {"breaths": "5"}, Sides.NONE),
    ("daily_ten", "lateral_hip_stretch", {"breaths": "4-5"}, Sides.EACH),
    ("daily_ten", "standing_pelvic_tilt", {"hold_seconds": "20", "daily": "5-10"}, Sides.NONE),
    ("daily_ten", "deep_squat", {"hold_seconds": "60", "daily": "2-3"}, Sides.NONE),
]

# Routines whose article prescribes nothing, so every dosage in them is ours.
ROUTINES_WITHOUT_NUMBERS = [
    "extension_responders",
    "flexion_responders",
    "hip_mobility_gentle",
    "hip_mobility_intense",
]


def items(routine_id: str, stretch_id: str) -> list[RoutineItem]:
    routine = default_catalogue().routines[routine_id]
    found = [item for item in routine.items if item.stretch == stretch_id]
    assert found, f"{routine_id} has no {stretch_id}"
    return found


@pytest.mark.parametrize(
    ("routine_id", "stretch_id", "numbers", "sides"),
    ARTICLE_NUMBERS,
    ids=[f"{r}-{s}" for r, s, _, _ in ARTICLE_NUMBERS],
)
def test_routine_holds_the_articles_numbers(
    routine_id: str, stretch_id: str, numbers: dict[str, str], sides: Sides
) -> None:
    for item in items(routine_id, stretch_id):
        for field, expected in numbers.items():
            assert str(getattr(item.dosage, field)) == expected, field
        given = set(numbers) & item.dosage.ours
        assert not given, f"the article gives {given}; they are not ours"
    assert default_catalogue().stretches[stretch_id].sides is sides


def test_the_article_default_is_inside_its_range_and_careful() -> None:
    # Where an article gives a range, start at its low end: people can always ask for more.
    for routine_id, stretch_id, numbers, _ in ARTICLE_NUMBERS:
        for item in items(routine_id, stretch_id):
            for field in numbers:
                amount = getattr(item.dosage, field)
                assert amount.default == amount.min, (routine_id, stretch_id, field)


@pytest.mark.parametrize("routine_id", ROUTINES_WITHOUT_NUMBERS)
def test_dosages_the_article_leaves_open_are_marked_ours(routine_id: str) -> None:
    for item in default_catalogue().routines[routine_id].items:
        assert item.dosage.ours, item.stretch


def test_a_stretch_shared_by_two_articles_keeps_each_articles_dosage() -> None:
    runners = items("runners", "figure_four")[0].dosage
    pilates = items("pilates", "figure_four")[0].dosage
    assert (runners.hold_seconds, pilates.hold_seconds) != (None, None)
    assert str(runners.hold_seconds) == "30"
    assert str(pilates.hold_seconds) == "60-120"
    assert runners != pilates


def test_default_dosage_is_a_real_default() -> None:
    assert Dosage().reps.default == 1
    assert Dosage().sets.default == 1


# Numbers the article leaves open inside a routine whose other numbers it gives.
OURS_AMONG_THE_ARTICLES: list[tuple[str, str, set[str]]] = [
    ("runners", "one_legged_bridge", {"phase_seconds", "rest_seconds"}),
    ("daily_ten", "reverse_lunge", {"phase_seconds", "rest_seconds"}),
    ("pilates", "side_kick_front_back", {"phase_seconds"}),
    ("pilates", "side_kick_up_down", {"phase_seconds"}),
    ("pilates", "side_kick_circles", {"phase_seconds"}),
]


@pytest.mark.parametrize(("routine_id", "stretch_id", "fields"), OURS_AMONG_THE_ARTICLES)
def test_numbers_the_article_does_not_give_are_marked_ours(
    routine_id: str, stretch_id: str, fields: set[str]
) -> None:
    for item in items(routine_id, stretch_id):
        assert fields <= item.dosage.ours
        for field in fields:
            assert getattr(item.dosage, field), f"{field} is marked ours but not given"


def test_every_number_a_routine_gives_is_the_articles_or_marked_ours() -> None:
    # A moving exercise's tempo or a rest time that no article gives must be marked.
    from_article = {(r, s): set(n) for r, s, n, _ in ARTICLE_NUMBERS}
    for routine in default_catalogue().routines.values():
        if routine.id in ROUTINES_WITHOUT_NUMBERS:
            continue
        for item in routine.items:
            dosage = item.dosage
            for field in ("phase_seconds", "rest_seconds"):
                if getattr(dosage, field) and field not in from_article.get(
                    (routine.id, item.stretch), set()
                ):
                    assert field in dosage.ours or dosage.ours, (routine.id, item.stretch, field)


# How many times a week each article suggests, for the routines built from it.
WEEKLY = {"sci_clinic": "2-3", "pilates": "3-4"}


def test_routines_carry_their_articles_weekly_frequency() -> None:
    for routine in default_catalogue().routines.values():
        expected = {WEEKLY[s] for s in routine.sources if s in WEEKLY}
        if expected:
            assert {str(routine.weekly)} == expected, routine.id
        else:
            assert routine.weekly is None, routine.id


def test_the_standing_pelvic_tilt_stands_in_with_the_lying_tilts_dosage() -> None:
    # Article 000: five to ten tilts, one breath in each position; not a 20 s hold.
    dosage = default_catalogue().stretches["standing_pelvic_tilt"].dosage
    assert (str(dosage.reps), str(dosage.phase_breaths), dosage.hold_seconds) == ("5-10", "1", None)
