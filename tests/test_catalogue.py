"""The real catalogue: complete, consistent, and safe in the ways the articles ask."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from skill.content import default_catalogue
from skill.content.model import Level, Position, Sides

REPO = Path(__file__).resolve().parents[1]

ROUTINES = [
    "desk", "runners", "seniors", "pregnancy", "hip_flexor", "extension_responders",
    "flexion_responders", "fourteen", "pilates", "hip_mobility_gentle", "hip_mobility_intense",
    "daily_ten",
]  # fmt: skip


def test_every_routine_from_the_articles_is_there() -> None:
    assert list(default_catalogue().routines) == ROUTINES


def test_fourteen_stretches_routine_has_fourteen_different_stretches() -> None:
    items = default_catalogue().routines["fourteen"].items
    assert len({item.stretch for item in items}) == 14


def test_daily_ten_has_ten_different_stretches() -> None:
    items = default_catalogue().routines["daily_ten"].items
    assert len({item.stretch for item in items}) == 10


def test_pilates_series_does_one_side_then_the_other() -> None:
    items = default_catalogue().routines["pilates"].items
    sides = [item.side for item in items if item.stretch.startswith("side_kick")]
    assert [str(s) for s in sides] == ["left"] * 3 + ["right"] * 3


@pytest.mark.parametrize(
    ("spoken", "routine_id"),
    [
        ("seniors", "seniors"),
        ("older adults", "seniors"),
        ("Seniors Routine", "seniors"),
        ("desk", "desk"),
        ("office", "desk"),
        ("pregnancy", "pregnancy"),
        ("prenatal", "pregnancy"),
        ("hip flexor", "hip_flexor"),
        ("runners", "runners"),
        ("extension responders", "extension_responders"),
        ("flexion", "flexion_responders"),
        ("pilates", "pilates"),
        ("gentle hip mobility", "hip_mobility_gentle"),
        ("intense hip mobility", "hip_mobility_intense"),
        ("daily ten", "daily_ten"),
    ],
)
def test_routines_answer_to_their_names_and_synonyms(spoken: str, routine_id: str) -> None:
    found = default_catalogue().find_routine(spoken)
    assert found is not None and found.id == routine_id


def test_unknown_routine_is_not_guessed() -> None:
    assert default_catalogue().find_routine("marathon") is None


@pytest.mark.parametrize(
    ("easier", "harder"),
    [
        ("seated_hip_flexor", "kneeling_hip_flexor"),
        ("seated_piriformis", "modified_pigeon"),
        ("modified_pigeon", "pigeon"),
        ("seated_hip_hinge", "rocking_back"),
        ("butterfly", "deep_squat"),
        ("glute_bridge", "one_legged_bridge"),
    ],
)
def test_easier_and_harder_versions_link_both_ways(easier: str, harder: str) -> None:
    stretches = default_catalogue().stretches
    assert stretches[easier].harder == harder
    assert stretches[harder].easier == easier


@pytest.mark.parametrize(
    ("stretch_id", "group"),
    [
        ("childs_pose", "extension_responders"),
        ("seated_forward_flexion", "extension_responders"),
        ("wide_leg_forward_fold", "extension_responders"),
        ("seated_forward_bend", "extension_responders"),
        ("cobra", "flexion_responders"),
        ("sloppy_push_up", "flexion_responders"),
        ("standing_lumbar_extension", "flexion_responders"),
    ],
)
def test_articles_avoid_cautions_are_kept(stretch_id: str, group: str) -> None:
    assert default_catalogue().stretches[stretch_id].avoided_by(group)


def test_every_stretch_lying_on_the_back_is_left_out_late_in_pregnancy() -> None:
    lying = [
        s for s in default_catalogue().stretches.values() if s.position is Position.LYING_ON_BACK
    ]
    assert len(lying) >= 10
    for stretch in lying:
        assert stretch.avoided_by("late_pregnancy"), stretch.id


def test_kneeling_hip_flexor_only_warns_flexion_responders() -> None:
    cautions = default_catalogue().stretches["kneeling_hip_flexor"].cautions
    assert [c.level for c in cautions if c.who == "flexion_responders"] == [Level.CARE]


def test_every_routine_stretch_credits_the_routines_article() -> None:
    catalogue = default_catalogue()
    for routine in catalogue.routines.values():
        for item in routine.items:
            stretch = catalogue.stretches[item.stretch]
            assert set(routine.sources) <= set(stretch.sources), (routine.id, stretch.id)


def test_every_stretch_is_used_by_a_routine_or_is_a_variation() -> None:
    catalogue = default_catalogue()
    used = {item.stretch for r in catalogue.routines.values() for item in r.items}
    linked = {s.easier for s in catalogue.stretches.values()} | {
        s.harder for s in catalogue.stretches.values()
    }
    assert set(catalogue.stretches) - used - linked == set()


def test_every_stretch_with_sides_names_the_side_in_its_cues() -> None:
    for stretch in default_catalogue().stretches.values():
        spoken = " ".join(stretch.cues + stretch.rep_cues)
        if stretch.sides is Sides.NONE:
            assert "{side}" not in spoken, stretch.id
        else:
            assert "{side}" in spoken, stretch.id


def test_no_sentence_is_copied_from_the_articles() -> None:
    checker = REPO.parent / "shared" / "tools" / "copycheck.py"
    if not checker.exists():
        pytest.skip("the shared copy checker is not beside this checkout")
    result = subprocess.run(
        [sys.executable, str(checker), str(REPO)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout
