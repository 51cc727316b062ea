"""Strict YAML reading: a key given twice is an error, and every error names its file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from skill.errors import ContentError

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """A safe YAML loader that refuses a key given twice instead of keeping the last one."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[object] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key '{key}' is given twice", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path, shown: str) -> object:
    """The document in a YAML file; any problem is one ContentError naming `shown`."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentError(shown, "the file is missing") from None
    except UnicodeDecodeError as exc:
        raise ContentError(shown, f"is not UTF-8 text ({exc.reason})") from None
    try:
        return yaml.load(text, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise ContentError(shown, f"{where}not valid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise ContentError(shown, f"not valid YAML: {exc}") from None
