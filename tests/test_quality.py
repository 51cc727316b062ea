"""Style and types are part of the tests: ruff, mypy, docstrings, and a pure core."""

from __future__ import annotations

import ast
import subprocess
from pathlib import Path

from tests.conftest import tool

REPO = Path(__file__).resolve().parents[1]
PURE = ["skill/content", "skill/engine", "skill/speech", "skill/errors.py"]
ADAPTER_LIBRARIES = {"ask_sdk_core", "ask_sdk_model", "ask_sdk_runtime", "boto3", "botocore",
                     "flask", "pyttsx3", "PIL"}  # fmt: skip


def test_ruff_is_clean() -> None:
    result = subprocess.run(
        [tool("ruff"), "check", "."], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean() -> None:
    result = subprocess.run(
        [tool("ruff"), "format", "--check", "."],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_clean() -> None:
    result = subprocess.run([tool("mypy")], cwd=REPO, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def python_files(*roots: str) -> list[Path]:
    files: list[Path] = []
    for root in roots:
        path = REPO / root
        files.extend([path] if path.is_file() else sorted(path.rglob("*.py")))
    return files


def test_the_core_imports_no_adapter_library() -> None:
    for path in python_files(*PURE):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in ADAPTER_LIBRARIES, f"{path}: imports {name}"


def test_every_module_has_a_one_line_docstring() -> None:
    for path in python_files("skill", "tests"):
        docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        if path.name == "__init__.py" and path.parent.name == "tests":
            continue
        assert docstring, f"{path} has no module docstring"
        assert "\n" not in docstring.strip(), f"{path}: keep the module docstring to one line"
