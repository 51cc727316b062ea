"""The `stretch-coach` command: list and show routines, and check the catalogue."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from skill.content import load_catalogue
from skill.content.model import Amount, Catalogue, DosageKind, RoutineItem, Sides, Stretch
from skill.errors import ContentError
from skill.timing import (
    DEFAULT_PACING,
    item_seconds,
    routine_minutes,
    transition_seconds,
)

EXIT_CONTENT = 1  # the catalogue is broken: the coach refuses to start
EXIT_USAGE = 2  # the person asked for something that does not exist


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stretch-coach",
        description="A hands-free coach for lower-back and hip stretching.",
    )
    parser.add_argument(
        "--content",
        type=Path,
        metavar="DIR",
        help="read the catalogue from DIR instead of the built-in content/",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    routines = commands.add_parser("routines", help="list every routine")
    routines.add_argument("--json", action="store_true", help="print a JSON list")
    show = commands.add_parser("show", help="show one routine step by step")
    show.add_argument("routine", help="a routine's id or any of its names")
    commands.add_parser("check", help="check the catalogue and say what is wrong")
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    args = build_parser().parse_args(argv)
    try:
        catalogue = load_catalogue(args.content)
    except ContentError as exc:
        print(
            f"stretch-coach: the catalogue has a mistake, so the coach will not start.\n{exc}",
            file=sys.stderr,
        )
        return EXIT_CONTENT
    if args.command == "routines":
        return list_routines(catalogue, as_json=args.json, out=out)
    if args.command == "show":
        return show_routine(catalogue, args.routine, out=out)
    if args.command == "check":
        print(
            f"content is fine: {len(catalogue.stretches)} stretches, "
            f"{len(catalogue.routines)} routines",
            file=out,
        )
        return 0
    return list_routines(catalogue, as_json=False, out=out)


def list_routines(catalogue: Catalogue, *, as_json: bool, out: TextIO) -> int:
    rows = [
        {
            "id": routine.id,
            "name": routine.name,
            "stretches": [catalogue.stretches[i.stretch].name for i in routine.items],
            "minutes": routine_minutes(routine, catalogue),
        }
        for routine in catalogue.routines.values()
    ]
    if as_json:
        json.dump(rows, out, indent=2)
        out.write("\n")
        return 0
    width = max(len(str(r["id"])) for r in rows)
    for row in rows:
        names = ", ".join(row["stretches"])  # type: ignore[arg-type]
        print(f"{row['id']:<{width}}  {row['minutes']:>3} min  {row['name']}: {names}", file=out)
    return 0


def show_routine(catalogue: Catalogue, query: str, *, out: TextIO) -> int:
    routine = catalogue.find_routine(query)
    if routine is None:
        known = ", ".join(catalogue.routines)
        print(
            f"stretch-coach: there is no routine called '{query}'. Try one of: {known}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    print(
        f"{routine.name} ({routine.id}): about {routine_minutes(routine, catalogue)} minutes",
        file=out,
    )
    print(f"for: {routine.audience}", file=out)
    print(f"intro: {routine.intro}", file=out)
    print(f"safety: {routine.safety}", file=out)
    print(
        f"pace: {routine.defaults.pace}" + (", gentle versions" if routine.defaults.gentle else ""),
        file=out,
    )
    print(file=out)
    position = None
    for number, item in enumerate(routine.items, start=1):
        stretch = catalogue.stretches[item.stretch]
        seconds = item_seconds(stretch, item)
        if position is not None:
            seconds += transition_seconds(position, stretch.position, DEFAULT_PACING)
        position = stretch.position
        print(
            f"{number:>2}. {stretch.name} ({stretch.position.spoken}): "
            f"{describe_dosage(stretch, item)}  ~{_clock(seconds)}",
            file=out,
        )
        for cue in stretch.cues:
            print(f"      - {cue}", file=out)
    return 0


def describe_dosage(stretch: Stretch, item: RoutineItem) -> str:
    """Dosage in an author's shorthand: "hold 30 s, 3-5 times (3) each leg"."""
    dosage = item.dosage
    if dosage.kind is DosageKind.HOLD:
        assert dosage.hold_seconds is not None
        parts = [f"hold {_amount(dosage.hold_seconds)} s"]
    elif dosage.kind is DosageKind.BREATHS:
        assert dosage.breaths is not None
        parts = [f"hold {_amount(dosage.breaths)} breaths"]
    else:
        parts = [" / ".join(stretch.rep_cues)]
    parts.append(f"{_amount(dosage.reps)} times" if dosage.reps.default > 1 else "once")
    if item.side is not None:
        parts[-1] += f", {item.side} {stretch.side_label} only"
    elif stretch.sides is Sides.EACH:
        parts[-1] += f" each {stretch.side_label}"
    elif stretch.sides is Sides.ALTERNATE:
        parts[-1] += ", alternating sides"
    if dosage.sets.default > 1:
        parts.append(f"{_amount(dosage.sets)} sets")
    if dosage.rest_seconds:
        parts.append(f"rest {dosage.rest_seconds} s")
    if dosage.daily is not None:
        parts.append(f"{_amount(dosage.daily)} times a day")
    if dosage.ours:
        parts.append("(our dosage)")
    return ", ".join(parts)


def _amount(amount: Amount) -> str:
    # The default is worth showing only where the range does not already say it.
    shows_default = amount.max is None and amount.default == amount.min
    return f"{amount} ({amount.default})" if amount.is_range and not shows_default else str(amount)


def _clock(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"
