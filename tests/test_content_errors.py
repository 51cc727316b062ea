"""Every class of catalogue mistake gets one message naming the file, the entry and the field."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from skill.content import load_catalogue
from skill.errors import ContentError
from tests.conftest import Docs

STRETCHES = "content/stretches/main.yaml"
ROUTINES = "content/routines.yaml"


def stretch(docs: Docs, ident: str) -> dict[str, Any]:
    found: dict[str, Any] = next(
        s for s in docs["stretches/main.yaml"]["stretches"] if s["id"] == ident
    )
    return found


def routine(docs: Docs, ident: str) -> dict[str, Any]:
    found: dict[str, Any] = next(r for r in docs["routines.yaml"]["routines"] if r["id"] == ident)
    return found


def setter(kind: str, ident: str, field: str, value: object) -> Callable[[Docs], None]:
    """A change that sets one (dotted) field of one entry; None deletes it."""

    def change(docs: Docs) -> None:
        entry = stretch(docs, ident) if kind == "stretch" else routine(docs, ident)
        *parents, last = field.split(".")
        for part in parents:
            entry = entry[part]
        if value is None:
            del entry[last]
        else:
            entry[last] = value

    return change


def add_stretch(**fields: object) -> Callable[[Docs], None]:
    def change(docs: Docs) -> None:
        base = dict(stretch(docs, "reach"))
        base.pop("harder")
        base.update(fields)
        docs["stretches/main.yaml"]["stretches"].append(base)

    return change


def second_file(docs: Docs) -> None:
    copy = dict(stretch(docs, "reach"))
    docs["stretches/other.yaml"] = {"stretches": [copy]}


def name_clash(docs: Docs) -> None:
    routine(docs, "evening")["aliases"] = ["Morning"]


def circle(docs: Docs) -> None:
    stretch(docs, "lunge")["harder"] = "tilt"
    stretch(docs, "tilt")["harder"] = "reach"


# (case, change, file, entry, field, words of the problem)
CASES: list[tuple[str, Callable[[Docs], None], str, str, str | None, str]] = [
    (
        "missing field",
        setter("stretch", "reach", "position", None),
        STRETCHES,
        "stretch 'reach'",
        "position",
        "is missing",
    ),
    (
        "text where a list goes",
        setter("stretch", "reach", "cues", "Stand tall."),
        STRETCHES,
        "stretch 'reach'",
        "cues",
        "expected a list",
    ),
    (
        "number where text goes",
        setter("stretch", "reach", "name", 7),
        STRETCHES,
        "stretch 'reach'",
        "name",
        "expected text",
    ),
    (
        "text where a number goes",
        setter("stretch", "reach", "dosage.reps", "three"),
        STRETCHES,
        "stretch 'reach'",
        "dosage.reps",
        "expected a whole number",
    ),
    (
        "yes/no where a number goes",
        setter("stretch", "reach", "dosage.reps", True),
        STRETCHES,
        "stretch 'reach'",
        "dosage.reps",
        "expected a whole number",
    ),
    (
        "fraction where a whole number goes",
        setter("stretch", "reach", "dosage.reps", 2.5),
        STRETCHES,
        "stretch 'reach'",
        "dosage.reps",
        "expected a whole number",
    ),
    (
        "hold out of range",
        setter("stretch", "reach", "dosage.hold_seconds", 1000),
        STRETCHES,
        "stretch 'reach'",
        "dosage.hold_seconds",
        "out of range",
    ),
    (
        "negative rest",
        setter("stretch", "reach", "dosage.rest_seconds", -5),
        STRETCHES,
        "stretch 'reach'",
        "dosage.rest_seconds",
        "out of range",
    ),
    (
        "range upside down",
        setter("stretch", "reach", "dosage.hold_seconds", {"min": 40, "max": 20}),
        STRETCHES,
        "stretch 'reach'",
        "dosage.hold_seconds.max",
        "less than min",
    ),
    (
        "default outside its range",
        setter("stretch", "reach", "dosage.hold_seconds", {"min": 20, "max": 40, "default": 60}),
        STRETCHES,
        "stretch 'reach'",
        "dosage.hold_seconds.default",
        "outside the range",
    ),
    (
        "unknown position",
        setter("stretch", "reach", "position", "upside_down"),
        STRETCHES,
        "stretch 'reach'",
        "position",
        "expected one of standing, chair",
    ),
    (
        "misspelt field",
        setter("stretch", "reach", "dosage.hold_second", 30),
        STRETCHES,
        "stretch 'reach'",
        "dosage.hold_second",
        "did you mean 'hold_seconds'",
    ),
    (
        "unknown field",
        setter("stretch", "reach", "colour", "blue"),
        STRETCHES,
        "stretch 'reach'",
        "colour",
        "unknown field",
    ),
    (
        "badly formed id",
        setter("stretch", "reach", "id", "Big Reach"),
        STRETCHES,
        "stretch #1",
        "id",
        "lowercase letters",
    ),
    (
        "id used twice in a file",
        add_stretch(name="another reach", aliases=[]),
        STRETCHES,
        "stretch 'reach'",
        "id",
        "already used in content/stretches/main.yaml",
    ),
    (
        "id used twice across files",
        second_file,
        "content/stretches/other.yaml",
        "stretch 'reach'",
        "id",
        "already used in",
    ),
    (
        "easier version that does not exist",
        setter("stretch", "lunge", "easier", "plank"),
        STRETCHES,
        "stretch 'lunge'",
        "easier",
        "there is no stretch 'plank'",
    ),
    (
        "stretch as its own variation",
        setter("stretch", "lunge", "harder", "lunge"),
        STRETCHES,
        "stretch 'lunge'",
        "harder",
        "its own variation",
    ),
    (
        "variations in a circle",
        circle,
        STRETCHES,
        "stretch 'lunge'",
        "harder",
        "go round in a circle",
    ),
    (
        "routine naming a missing stretch",
        setter("routine", "morning", "items", [{"stretch": "plank"}]),
        ROUTINES,
        "routine 'morning'",
        "items[0].stretch",
        "there is no stretch 'plank'",
    ),
    (
        "routine with no items",
        setter("routine", "morning", "items", []),
        ROUTINES,
        "routine 'morning'",
        "items",
        "at least 1",
    ),
    (
        "caution naming an unknown group",
        setter(
            "stretch",
            "tilt",
            "cautions",
            [{"who": "astronauts", "level": "care", "say": "Go gently."}],
        ),
        STRETCHES,
        "stretch 'tilt'",
        "cautions[0].who",
        "'astronauts' is not a group",
    ),
    (
        "caution with an unknown level",
        setter("stretch", "tilt", "cautions", [{"who": "late_pregnancy", "level": "never"}]),
        STRETCHES,
        "stretch 'tilt'",
        "cautions[0].level",
        "expected one of avoid, care",
    ),
    (
        "unknown source",
        setter("stretch", "reach", "sources", ["magazine"]),
        STRETCHES,
        "stretch 'reach'",
        "sources[0]",
        "'magazine' is not defined",
    ),
    (
        "side placeholder on a one-sided stretch",
        setter("stretch", "reach", "cues", ["Lift your {side} arm."]),
        STRETCHES,
        "stretch 'reach'",
        "cues[0]",
        "no placeholders",
    ),
    (
        "unknown placeholder",
        setter("stretch", "lunge", "cues", ["Kneel on your {knee}."]),
        STRETCHES,
        "stretch 'lunge'",
        "cues[0]",
        "only {other}, {side}",
    ),
    (
        "cue too long to speak",
        setter("stretch", "reach", "cues", ["word " * 25]),
        STRETCHES,
        "stretch 'reach'",
        "cues[0]",
        "25 words",
    ),
    (
        "markup in spoken text",
        setter("stretch", "reach", "release", "Relax <break/> now."),
        STRETCHES,
        "stretch 'reach'",
        "release",
        "plain words",
    ),
    (
        "hold in seconds and in breaths",
        setter("stretch", "reach", "dosage.breaths", 5),
        STRETCHES,
        "stretch 'reach'",
        "dosage.breaths",
        "not both",
    ),
    (
        "phases on a hold",
        setter("stretch", "reach", "dosage.phase_seconds", 3),
        STRETCHES,
        "stretch 'reach'",
        "dosage.phase_seconds",
        "only a moving exercise",
    ),
    (
        "rep cues on a hold",
        setter("stretch", "reach", "rep_cues", ["Up."]),
        STRETCHES,
        "stretch 'reach'",
        "rep_cues",
        "only a moving exercise",
    ),
    (
        "moving exercise without rep cues",
        setter("stretch", "tilt", "rep_cues", None),
        STRETCHES,
        "stretch 'tilt'",
        "dosage",
        "needs rep_cues",
    ),
    (
        "routine dosage that moves a held stretch",
        setter("routine", "morning", "items", [{"stretch": "reach", "dosage": {"reps": 3}}]),
        ROUTINES,
        "routine 'morning'",
        "items[0].dosage",
        "needs rep_cues",
    ),
    (
        "set cues not matching the sets",
        setter("stretch", "tilt", "set_cues", ["Forward.", "Back."]),
        STRETCHES,
        "stretch 'tilt'",
        "dosage.sets",
        "needs exactly 2 sets",
    ),
    (
        "side chosen for a stretch without sides",
        setter("routine", "morning", "items", [{"stretch": "reach", "side": "left"}]),
        ROUTINES,
        "routine 'morning'",
        "items[0].side",
        "has no sides",
    ),
    (
        "side that is not left or right",
        setter("routine", "evening", "items", [{"stretch": "lunge", "side": "middle"}]),
        ROUTINES,
        "routine 'evening'",
        "items[0].side",
        "expected one of right, left",
    ),
    (
        "two routines answering to one name",
        name_clash,
        ROUTINES,
        "routine 'evening'",
        "aliases",
        "also belongs to routine 'morning'",
    ),
    (
        "unknown routine default",
        setter("routine", "morning", "defaults", {"pace": "sprint"}),
        ROUTINES,
        "routine 'morning'",
        "defaults.pace",
        "expected one of slower",
    ),
    # --- what the coach says on each side, cautions, our numbers, weekly, getting into place
    (
        "cue said once on a stretch without sides",
        setter("stretch", "reach", "cues", [{"once": "Stand tall."}, "Reach up."]),
        STRETCHES,
        "stretch 'reach'",
        "cues[0]",
        "only a stretch done on both sides has cues said once",
    ),
    (
        "every cue said once leaves the second side with none",
        setter("stretch", "lunge", "cues", [{"once": "Kneel on your {side} knee."}]),
        STRETCHES,
        "stretch 'lunge'",
        "cues",
        "the second side needs at least one cue",
    ),
    (
        "a cue mapping without once",
        setter("stretch", "lunge", "cues", [{"first": "Kneel down."}, "Put your {side} foot out."]),
        STRETCHES,
        "stretch 'lunge'",
        "cues[0].once",
        "is missing",
    ),
    (
        "a cue said once with a misspelt key beside it",
        setter("stretch", "lunge", "cues", [{"once": "Kneel.", "twice": "x"}, "Lift {side}."]),
        STRETCHES,
        "stretch 'lunge'",
        "cues[0].twice",
        "unknown field",
    ),
    (
        "caution with nothing to say",
        setter("stretch", "tilt", "cautions", [{"who": "late_pregnancy", "level": "care"}]),
        STRETCHES,
        "stretch 'tilt'",
        "cautions[0].say",
        "is missing",
    ),
    (
        "avoid caution without the way out",
        setter(
            "stretch",
            "tilt",
            "cautions",
            [{"who": "late_pregnancy", "level": "avoid", "say": "Late in pregnancy, skip it."}],
        ),
        STRETCHES,
        "stretch 'tilt'",
        "cautions[0].say",
        "must give the way out: include 'say skip'",
    ),
    (
        "ours naming a number the dosage does not give",
        setter("stretch", "lunge", "dosage", {"breaths": 5, "ours": ["rest_seconds"]}),
        STRETCHES,
        "stretch 'lunge'",
        "dosage.ours",
        "names rest_seconds, which this dosage does not give",
    ),
    (
        "ours naming something that is not a number",
        setter("stretch", "lunge", "dosage", {"breaths": 5, "ours": ["tempo"]}),
        STRETCHES,
        "stretch 'lunge'",
        "dosage.ours[0]",
        "expected one of hold_seconds",
    ),
    (
        "ours as text",
        setter("stretch", "lunge", "dosage", {"breaths": 5, "ours": "yes"}),
        STRETCHES,
        "stretch 'lunge'",
        "dosage.ours",
        "expected true, false or a list of field names",
    ),
    (
        "focus lines as text",
        setter("stretch", "reach", "focus", "Let go."),
        STRETCHES,
        "stretch 'reach'",
        "focus",
        "expected a list",
    ),
    (
        "too many focus lines",
        setter("stretch", "reach", "focus", ["Soften.", "Breathe.", "Let go.", "Sink."]),
        STRETCHES,
        "stretch 'reach'",
        "focus",
        "has 4 items; expected 0 to 3",
    ),
    (
        "weekly more than seven times",
        setter("routine", "morning", "weekly", {"min": 3, "max": 9}),
        ROUTINES,
        "routine 'morning'",
        "weekly.max",
        "9 is out of range; expected 1 to 7",
    ),
    (
        "get_into with markup",
        setter("routine", "morning", "items", [{"stretch": "reach", "get_into": "<b>Sit</b>"}]),
        ROUTINES,
        "routine 'morning'",
        "items[0].get_into",
        "contains '<' or '>'",
    ),
    (
        "get_into too long to say before a stretch",
        setter("routine", "morning", "items", [{"stretch": "reach", "get_into": "sit " * 19}]),
        ROUTINES,
        "routine 'morning'",
        "items[0].get_into",
        "has 19 words; keep it to 18 or fewer",
    ),
]


@pytest.mark.parametrize(
    ("change", "file", "entry", "field", "problem"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_each_mistake_is_named_precisely(
    make_content: Callable[[Callable[[Docs], None] | None], Path],
    change: Callable[[Docs], None],
    file: str,
    entry: str,
    field: str | None,
    problem: str,
) -> None:
    root = make_content(change)
    with pytest.raises(ContentError) as caught:
        load_catalogue(root)
    error = caught.value
    assert (error.file, error.entry, error.field) == (file, entry, field), str(error)
    assert problem in error.problem, str(error)
    message = str(error)
    for part in (file, entry, field or ""):
        assert part in message


def test_the_unchanged_fixture_is_valid(
    make_content: Callable[[Callable[[Docs], None] | None], Path],
) -> None:
    catalogue = load_catalogue(make_content(None))
    assert list(catalogue.stretches) == ["reach", "lunge", "tilt"]
    assert list(catalogue.routines) == ["morning", "evening"]


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("stretches:\n  - id: reach\n    name: [unclosed\n", 4, "not valid YAML"),
        ("stretches:\n  - id: reach\n    name: a\n    name: b\n", 4, "given twice"),
    ],
    ids=["broken syntax", "key given twice"],
)
def test_yaml_mistakes_name_the_file_and_line(
    make_content: Callable[[Callable[[Docs], None] | None], Path],
    text: str,
    line: int,
    problem: str,
) -> None:
    root = make_content(None)
    (root / "stretches" / "main.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_catalogue(root)
    message = str(caught.value)
    assert message.startswith(STRETCHES)
    assert f"line {line}" in message
    assert problem in message


def test_missing_file_is_named(
    make_content: Callable[[Callable[[Docs], None] | None], Path],
) -> None:
    root = make_content(None)
    (root / "routines.yaml").unlink()
    with pytest.raises(ContentError, match=r"^content/routines\.yaml: the file is missing$"):
        load_catalogue(root)


def test_folder_without_stretches_is_refused(
    make_content: Callable[[Callable[[Docs], None] | None], Path],
) -> None:
    root = make_content(None)
    (root / "stretches" / "main.yaml").unlink()
    with pytest.raises(ContentError, match=r"content/stretches: holds no \.yaml files"):
        load_catalogue(root)


def test_file_that_is_not_utf8_is_named(
    make_content: Callable[[Callable[[Docs], None] | None], Path],
) -> None:
    root = make_content(None)
    (root / "cautions.yaml").write_bytes(b"groups:\n  - id: caf\xe9\n")
    with pytest.raises(ContentError, match=r"^content/cautions\.yaml: is not UTF-8"):
        load_catalogue(root)


def test_wrong_top_level_key_is_named(
    make_content: Callable[[Callable[[Docs], None] | None], Path],
) -> None:
    root = make_content(None)
    (root / "routines.yaml").write_text("routine: []\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_catalogue(root)
    assert caught.value.field == "routines"
    assert caught.value.problem == "is missing"


def test_entry_that_is_not_a_mapping_is_named_by_position(
    make_content: Callable[[Callable[[Docs], None] | None], Path],
) -> None:
    def change(docs: Docs) -> None:
        docs["stretches/main.yaml"]["stretches"].append("cobra")

    with pytest.raises(ContentError) as caught:
        load_catalogue(make_content(change))
    assert caught.value.entry == "stretch #4"
    assert "expected a mapping" in caught.value.problem


def test_missing_content_folder(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="does not exist"):
        load_catalogue(tmp_path / "nowhere")


def test_parsed_copy_skips_the_yaml_parser_but_never_the_checks(
    make_content: Callable[[Callable[[Docs], None] | None], Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from skill.content import yamlfile

    root = make_content(None)
    first = load_catalogue(root)
    assert (root / ".parsed.json").exists()
    assert oct((root / ".parsed.json").stat().st_mode & 0o777) == "0o644"

    def no_parser(path: Path, shown: str) -> object:
        raise AssertionError("the YAML parser was used although the parsed copy is fresh")

    monkeypatch.setattr(yamlfile, "read_yaml", no_parser)
    assert load_catalogue(root) == first
    monkeypatch.undo()
    # A changed file is parsed again, and checked: the copy never hides a mistake.
    routines = root / "routines.yaml"
    routines.write_text(routines.read_text().replace("stretch: tilt", "stretch: plank"))
    with pytest.raises(ContentError, match="there is no stretch 'plank'"):
        load_catalogue(root)


def test_a_read_only_content_folder_still_loads(
    make_content: Callable[[Callable[[Docs], None] | None], Path],
) -> None:
    root = make_content(None)
    root.chmod(0o555)
    try:
        assert list(load_catalogue(root).routines) == ["morning", "evening"]
    finally:
        root.chmod(0o755)


def test_documents_json_cannot_hold_exactly_are_not_cached(
    make_content: Callable[[Callable[[Docs], None] | None], Path],
) -> None:
    root = make_content(None)
    (root / "sources.yaml").write_text(
        (root / "sources.yaml").read_text() + "written: 2024-01-01\n", encoding="utf-8"
    )
    with pytest.raises(ContentError, match="written"):
        load_catalogue(root)
    assert not (root / ".parsed.json").exists()
