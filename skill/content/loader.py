"""Read content/ once, check every file and every cross-reference, and build the Catalogue."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from skill.content.fields import Fields
from skill.content.model import (
    Catalogue,
    CautionGroup,
    Routine,
    RoutineItem,
    Sides,
    Source,
    Stretch,
    spoken_names,
)
from skill.content.parse import (
    check_dosage_fits,
    item_has_own_dosage,
    parse_group,
    parse_routine,
    parse_source,
    parse_stretch,
)
from skill.content.parsed import load_documents
from skill.errors import ContentError

# content/ sits beside the skill package in the repository and in the deployed bundle.
DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "content"

T = TypeVar("T")


def load_catalogue(root: Path | None = None) -> Catalogue:
    """Load and check every file under root (content/ by default); raise one ContentError."""
    root = (root or DEFAULT_ROOT).resolve()
    if not root.is_dir():
        raise ContentError(str(root), "the content folder does not exist")
    stretch_files = sorted((root / "stretches").glob("*.yaml"))
    if not stretch_files:
        raise ContentError(_name(root, root / "stretches"), "holds no .yaml files of stretches")
    paths = [root / "sources.yaml", root / "cautions.yaml", *stretch_files, root / "routines.yaml"]
    docs = load_documents(root, paths, lambda path: _read_yaml(path, _name(root, path)))

    def read(path: Path, key: str, parse: Callable[[object, str, int], T]) -> list[tuple[str, T]]:
        return _entries(_name(root, path), docs[path], key, parse)

    sources = _index(read(root / "sources.yaml", "sources", parse_source))
    groups = _index(read(root / "cautions.yaml", "groups", parse_group))
    stretches: list[tuple[str, Stretch]] = []
    for path in stretch_files:
        stretches.extend(read(path, "stretches", parse_stretch))
    routines = read(root / "routines.yaml", "routines", parse_routine)

    stretch_index = _index(stretches)
    for file, stretch in stretches:
        _check_stretch_refs(file, stretch, stretch_index, groups, sources)
    _check_variations(stretches)
    resolved = [(file, _resolve_items(file, r, stretch_index)) for file, r in routines]
    for file, routine in resolved:
        _check_refs(file, f"routine '{routine.id}'", "sources", routine.sources, sources)
    _check_names("stretch", stretches)
    _check_names("routine", resolved)
    return Catalogue(
        sources=_frozen(sources),
        groups=_frozen(groups),
        stretches=_frozen(stretch_index),
        routines=_frozen(_index(resolved)),
    )


def _name(root: Path, path: Path) -> str:
    """Show a path as the author knows it: content/stretches/lying.yaml."""
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def _read_yaml(path: Path, shown: str) -> object:
    # Imported only when a file must be parsed: with a fresh cache, no YAML parser loads.
    from skill.content.yamlfile import read_yaml

    return read_yaml(path, shown)


def _entries(
    file: str, document: object, key: str, parse: Callable[[object, str, int], T]
) -> list[tuple[str, T]]:
    top = Fields(document, file, "the file")
    entries = top.items(key, min_items=1)
    top.finish()
    return [(file, parse(raw, file, i)) for i, raw in enumerate(entries)]


def _index(entries: Iterable[tuple[str, T]]) -> dict[str, T]:
    """Map id to entry, refusing an id used twice (in one file or across files)."""
    index: dict[str, T] = {}
    where: dict[str, str] = {}
    for file, entry in entries:
        ident: str = getattr(entry, "id")  # noqa: B009 - every entry kind has an id
        kind = type(entry).__name__.lower()
        if ident in index:
            raise ContentError(
                file, f"the id is already used in {where[ident]}", f"{kind} '{ident}'", "id"
            )
        index[ident] = entry
        where[ident] = file
    return index


def _frozen(mapping: dict[str, T]) -> Mapping[str, T]:
    return MappingProxyType(mapping)


def _check_refs(
    file: str, entry: str, field: str, ids: Iterable[str], known: Mapping[str, Any]
) -> None:
    for i, ident in enumerate(ids):
        if ident not in known:
            raise ContentError(
                file,
                f"'{ident}' is not defined; known: {', '.join(sorted(known))}",
                entry,
                f"{field}[{i}]",
            )


def _check_stretch_refs(
    file: str,
    stretch: Stretch,
    stretches: Mapping[str, Stretch],
    groups: Mapping[str, CautionGroup],
    sources: Mapping[str, Source],
) -> None:
    entry = f"stretch '{stretch.id}'"
    _check_refs(file, entry, "sources", stretch.sources, sources)
    for i, caution in enumerate(stretch.cautions):
        if caution.who not in groups:
            raise ContentError(
                file,
                f"'{caution.who}' is not a group in cautions.yaml; "
                f"known: {', '.join(sorted(groups))}",
                entry,
                f"cautions[{i}].who",
            )
        if caution.instead is not None and (
            caution.instead not in stretches or caution.instead == stretch.id
        ):
            raise ContentError(
                file, f"there is no other stretch '{caution.instead}'", entry,
                f"cautions[{i}].instead",
            )  # fmt: skip
    for link in ("easier", "harder"):
        target = getattr(stretch, link)
        if target is not None and target not in stretches:
            raise ContentError(file, f"there is no stretch '{target}'", entry, link)


def _check_variations(stretches: list[tuple[str, Stretch]]) -> None:
    """The easier/harder links must order stretches by difficulty: no way round in a circle."""
    harder_than: dict[str, set[str]] = {s.id: set() for _, s in stretches}
    for _, s in stretches:
        if s.harder:
            harder_than[s.id].add(s.harder)
        if s.easier:
            harder_than[s.easier].add(s.id)
    files = {s.id: file for file, s in stretches}
    done: set[str] = set()

    def visit(node: str, trail: list[str]) -> None:
        if node in trail:
            loop = [*trail[trail.index(node) :], node]
            raise ContentError(
                files[loop[0]],
                "the easier/harder links go round in a circle: "
                + " -> ".join(loop)
                + " (each harder than the last)",
                f"stretch '{loop[0]}'",
                "harder",
            )
        if node in done:
            return
        for nxt in sorted(harder_than[node]):
            visit(nxt, [*trail, node])
        done.add(node)

    for ident in sorted(harder_than):
        visit(ident, [])


def _resolve_items(file: str, routine: Routine, stretches: Mapping[str, Stretch]) -> Routine:
    """Give every item its stretch's dosage unless the routine sets one, and check it fits."""
    entry = f"routine '{routine.id}'"
    items: list[RoutineItem] = []
    for i, item in enumerate(routine.items):
        field = f"items[{i}]"
        stretch = stretches.get(item.stretch)
        if stretch is None:
            raise ContentError(
                file, f"there is no stretch '{item.stretch}'", entry, f"{field}.stretch"
            )
        if item.side is not None and stretch.sides is Sides.NONE:
            raise ContentError(
                file,
                f"'{stretch.id}' has no sides, so no side can be chosen",
                entry,
                f"{field}.side",
            )
        if item_has_own_dosage(item):
            check_dosage_fits(Fields({}, file, entry), f"{field}.dosage", item.dosage, stretch)
        else:
            item = dataclasses.replace(item, dosage=stretch.dosage)
        items.append(item)
    return dataclasses.replace(routine, items=tuple(items))


def _check_names(kind: str, entries: list[tuple[str, Stretch]] | list[tuple[str, Routine]]) -> None:
    """Two entries answering to one spoken name would make "start X" a guess."""
    owner: dict[str, str] = {}
    for file, entry in entries:
        for name in spoken_names(entry):
            if name in owner and owner[name] != entry.id:
                raise ContentError(
                    file,
                    f"the name '{name}' also belongs to {kind} '{owner[name]}'; "
                    "spoken names must be unique",
                    f"{kind} '{entry.id}'",
                    "aliases",
                )
            owner[name] = entry.id
