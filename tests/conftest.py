"""Shared fixtures: a small, valid catalogue the tests can break one field at a time."""

from __future__ import annotations

import copy
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

Docs = dict[str, Any]

_MINIMAL: Docs = {
    "sources.yaml": {
        "sources": [
            {"id": "article", "about": "a test article", "publisher": "us", "file": "a.txt"}
        ]
    },
    "cautions.yaml": {
        "groups": [
            {"id": "late_pregnancy", "name": "late pregnancy", "description": "Third trimester."}
        ]
    },
    "stretches/main.yaml": {
        "stretches": [
            {
                "id": "reach",
                "name": "reach",
                "aliases": ["big reach"],
                "position": "standing",
                "sides": "none",
                "dosage": {"hold_seconds": {"min": 20, "max": 40, "default": 30}, "reps": 2},
                "cues": ["Stand tall.", "Reach up."],
                "targets": ["back"],
                "intensity": "gentle",
                "harder": "lunge",
                "sources": ["article"],
            },
            {
                "id": "lunge",
                "name": "lunge",
                "position": "kneeling",
                "sides": "each",
                "side_label": "leg",
                "dosage": {"breaths": 5},
                "cues": ["Kneel on your {side} knee.", "Put your {other} foot forward."],
                "targets": ["hips"],
                "intensity": "moderate",
                "easier": "reach",
                "sources": ["article"],
            },
            {
                "id": "tilt",
                "name": "tilt",
                "position": "lying_on_back",
                "sides": "none",
                "dosage": {"phase_breaths": 1, "reps": {"min": 5, "max": 10}},
                "cues": ["Lie on your back."],
                "rep_cues": ["Flatten.", "Arch."],
                "targets": ["lower back"],
                "intensity": "gentle",
                "cautions": [
                    {
                        "who": "late_pregnancy",
                        "level": "avoid",
                        "say": "Late in pregnancy, skip this one: say skip.",
                    }
                ],
                "sources": ["article"],
            },
        ]
    },
    "routines.yaml": {
        "routines": [
            {
                "id": "morning",
                "name": "morning routine",
                "aliases": ["morning"],
                "audience": "Everyone.",
                "intro": "Hello.",
                "safety": "Go gently.",
                "sources": ["article"],
                "items": [
                    {"stretch": "reach"},
                    {"stretch": "lunge", "dosage": {"breaths": 3, "reps": 2}},
                    {"stretch": "tilt"},
                ],
            },
            {
                "id": "evening",
                "name": "evening routine",
                "audience": "Everyone.",
                "intro": "Hello.",
                "safety": "Go gently.",
                "sources": ["article"],
                "items": [{"stretch": "lunge", "side": "left"}],
            },
        ]
    },
}


def minimal_docs() -> Docs:
    return copy.deepcopy(_MINIMAL)


def write_content(root: Path, docs: Docs) -> Path:
    for relative, doc in docs.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return root


@pytest.fixture
def make_content(tmp_path: Path) -> Callable[[Callable[[Docs], None] | None], Path]:
    """Write the minimal catalogue to tmp_path/content after an optional change to it."""

    def make(change: Callable[[Docs], None] | None = None) -> Path:
        docs = minimal_docs()
        if change is not None:
            change(docs)
        return write_content(tmp_path / "content", docs)

    return make


def tool(name: str) -> str:
    """A command-line tool from this environment's dev extra (ruff, mypy, cfn-lint, sam)."""
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed; install the dev extra")
    return found
