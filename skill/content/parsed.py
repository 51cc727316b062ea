"""Parsed YAML kept as JSON beside its files, so a cold start need not load a YAML parser."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

CACHE_NAME = ".parsed.json"


def _fingerprint(root: Path, paths: Sequence[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def load_documents(
    root: Path, paths: Sequence[Path], read: Callable[[Path], object]
) -> dict[Path, object]:
    """Each file's document, from the cache when it was made from these exact bytes.

    The cache only skips parsing: every document is still checked by its caller. A
    cache that cannot be written (a read-only Lambda bundle without one) is not an error.
    """
    try:
        fingerprint: str | None = _fingerprint(root, paths)
    except (OSError, ValueError):
        fingerprint = None  # a missing file: reading it below names it
    cache = root / CACHE_NAME
    if fingerprint is not None:
        try:
            stored = json.loads(cache.read_text(encoding="utf-8"))
            if stored.get("fingerprint") == fingerprint:
                documents = stored["documents"]
                return {p: documents[str(p.relative_to(root))] for p in paths}
        except (OSError, ValueError, KeyError, AttributeError):
            pass
    parsed = {path: read(path) for path in paths}
    if fingerprint is not None:
        _write(cache, fingerprint, {str(p.relative_to(root)): d for p, d in parsed.items()})
    return parsed


def _write(cache: Path, fingerprint: str, documents: dict[str, object]) -> None:
    try:
        text = json.dumps({"fingerprint": fingerprint, "documents": documents})
        if json.loads(text)["documents"] != documents:
            return  # something JSON cannot hold exactly (a date, a number key): no cache
    except (TypeError, ValueError):
        return
    try:
        handle, temporary = tempfile.mkstemp(dir=cache.parent, prefix=".parsed-")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temporary, 0o644)  # readable by whoever runs the bundle, as its sources are
        os.replace(temporary, cache)
    except OSError:
        return
