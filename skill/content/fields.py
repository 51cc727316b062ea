"""Typed field readers over raw YAML mappings, so every error names its file, entry and field."""

from __future__ import annotations

import difflib
import re
from enum import StrEnum
from typing import NoReturn, TypeVar

from skill.content.model import Amount
from skill.errors import ContentError

E = TypeVar("E", bound=StrEnum)

ID_PATTERN = re.compile(r"[a-z][a-z0-9_]*")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
SIDE_PLACEHOLDERS = frozenset({"side", "other"})


def word_count(text: str) -> int:
    return len(text.split())


def placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


def _kind(value: object) -> str:
    """Name a YAML value's type the way an author would."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"yes/no ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):
        return f'text ("{value[:40]}")'
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


class Fields:
    """One YAML mapping being read field by field; unread fields are reported as unknown."""

    def __init__(self, data: object, file: str, entry: str, prefix: str = "") -> None:
        self.file = file
        self.entry = entry
        self.prefix = prefix
        if not isinstance(data, dict):
            self.fail(None, f"expected a mapping of fields, got {_kind(data)}")
        self.data: dict[object, object] = data
        self.read: set[str] = set()

    def path(self, field: str | None) -> str | None:
        if field is None:
            return self.prefix or None
        return f"{self.prefix}.{field}" if self.prefix else field

    def fail(self, field: str | None, problem: str) -> NoReturn:
        raise ContentError(self.file, problem, self.entry, self.path(field))

    def raw(self, field: str, *, required: bool) -> object:
        self.read.add(field)
        value = self.data.get(field)
        if value is None and required:
            self.fail(field, "is missing")
        return value

    def finish(self) -> None:
        """Reject fields nobody read: a misspelt key must not be silently ignored."""
        for key in self.data:
            if key not in self.read:
                name = str(key)
                close = difflib.get_close_matches(name, sorted(self.read), n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                self.fail(name, f"unknown field{hint}")

    def sub(self, field: str, *, required: bool = False) -> Fields | None:
        value = self.raw(field, required=required)
        if value is None:
            return None
        return Fields(value, self.file, self.entry, self.path(field) or field)

    def text(self, field: str, *, max_words: int, allowed: frozenset[str] = frozenset()) -> str:
        value = self.optional_text(field, max_words=max_words, allowed=allowed, required=True)
        assert value is not None
        return value

    def optional_text(
        self,
        field: str,
        *,
        max_words: int,
        allowed: frozenset[str] = frozenset(),
        required: bool = False,
    ) -> str | None:
        value = self.raw(field, required=required)
        if value is None:
            return None
        return self._check_text(field, value, max_words, allowed)

    def _check_text(
        self, field: str, value: object, max_words: int, allowed: frozenset[str]
    ) -> str:
        if not isinstance(value, str):
            self.fail(field, f"expected text, got {_kind(value)}")
        text = " ".join(value.split())
        if not text:
            self.fail(field, "is empty")
        if word_count(text) > max_words:
            self.fail(field, f"has {word_count(text)} words; keep it to {max_words} or fewer")
        if "<" in text or ">" in text:
            self.fail(field, "contains '<' or '>'; write plain words, the coach adds the markup")
        unknown = placeholders(text) - allowed
        if unknown:
            if allowed:
                names = ", ".join("{" + p + "}" for p in sorted(allowed))
                self.fail(field, f"uses {{{sorted(unknown)[0]}}}; only {names} may be used here")
            self.fail(field, f"uses {{{sorted(unknown)[0]}}}; no placeholders may be used here")
        return text

    def texts(
        self,
        field: str,
        *,
        max_words: int,
        min_items: int = 0,
        max_items: int = 20,
        allowed: frozenset[str] = frozenset(),
    ) -> tuple[str, ...]:
        value = self._list(field, min_items, max_items)
        return tuple(
            self._check_text(f"{field}[{i}]", item, max_words, allowed)
            for i, item in enumerate(value)
        )

    def _list(self, field: str, min_items: int, max_items: int) -> list[object]:
        """A list field with a number of items in range; missing is empty unless required."""
        value = self.raw(field, required=min_items > 0)
        if value is None:
            value = []
        if not isinstance(value, list):
            self.fail(field, f"expected a list, got {_kind(value)}")
        if not min_items <= len(value) <= max_items:
            self.fail(field, f"has {len(value)} items; expected {min_items} to {max_items}")
        return value

    def marked_texts(
        self,
        field: str,
        mark: str,
        *,
        max_words: int,
        min_items: int = 0,
        max_items: int = 20,
        allowed: frozenset[str] = frozenset(),
    ) -> tuple[tuple[str, ...], frozenset[int]]:
        """Texts where an item may be `{mark: text}`; also which items carried the mark."""
        value = self._list(field, min_items, max_items)
        texts: list[str] = []
        marked: set[int] = set()
        for i, item in enumerate(value):
            if isinstance(item, dict):
                spec = Fields(item, self.file, self.entry, self.path(f"{field}[{i}]") or field)
                texts.append(spec.text(mark, max_words=max_words, allowed=allowed))
                spec.finish()
                marked.add(i)
            else:
                texts.append(self._check_text(f"{field}[{i}]", item, max_words, allowed))
        return tuple(texts), frozenset(marked)

    def names(self, field: str, choices: tuple[str, ...]) -> frozenset[str] | None:
        """`true` (every choice), false or nothing (none), or a list of some of the choices."""
        value = self.raw(field, required=False)
        if value is None or value is False:
            return frozenset()
        if value is True:
            return None
        if not isinstance(value, list) or not value:
            self.fail(field, f"expected true, false or a list of field names, got {_kind(value)}")
        for i, name in enumerate(value):
            if name not in choices:
                self.fail(
                    f"{field}[{i}]",
                    f"expected one of {', '.join(choices)}; got {_kind(name)}",
                )
        return frozenset(str(name) for name in value)

    def ident(self, field: str, *, required: bool = True) -> str | None:
        value = self.raw(field, required=required)
        if value is None:
            return None
        return self._check_ident(field, value)

    def _check_ident(self, field: str, value: object) -> str:
        if not isinstance(value, str) or not ID_PATTERN.fullmatch(value):
            self.fail(
                field,
                f"expected an id of lowercase letters, digits and underscores, got {_kind(value)}",
            )
        return value

    def idents(self, field: str, *, min_items: int = 1) -> tuple[str, ...]:
        value = self.raw(field, required=min_items > 0)
        if value is None:
            value = []
        if not isinstance(value, list):
            self.fail(field, f"expected a list of ids, got {_kind(value)}")
        if len(value) < min_items:
            self.fail(field, f"needs at least {min_items} id")
        ids = tuple(self._check_ident(f"{field}[{i}]", v) for i, v in enumerate(value))
        if len(set(ids)) != len(ids):
            self.fail(field, "names the same id twice")
        return ids

    def choice(self, field: str, kind: type[E], default: E | None = None) -> E:
        value = self.raw(field, required=default is None)
        if value is None:
            assert default is not None
            return default
        try:
            if not isinstance(value, str):
                raise ValueError(value)
            return kind(value)
        except ValueError:
            options = ", ".join(m.value for m in kind)
            self.fail(field, f"expected one of {options}; got {_kind(value)}")

    def optional_choice(self, field: str, kind: type[E]) -> E | None:
        if self.data.get(field) is None:
            self.read.add(field)
            return None
        return self.choice(field, kind)

    def flag(self, field: str, default: bool) -> bool:
        value = self.raw(field, required=False)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.fail(field, f"expected true or false, got {_kind(value)}")
        return value

    def integer(self, field: str, low: int, high: int, default: int) -> int:
        value = self.raw(field, required=False)
        if value is None:
            return default
        return self._check_int(field, value, low, high)

    def _check_int(self, field: str, value: object, low: int, high: int) -> int:
        # bool is an int in Python; "yes" must not pass for 1.
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(field, f"expected a whole number, got {_kind(value)}")
        if not low <= value <= high:
            self.fail(field, f"{value} is out of range; expected {low} to {high}")
        return value

    def amount(self, field: str, low: int, high: int) -> Amount | None:
        """A number or a range: `5`, or `{min: 3, max: 5, default: 3}` (max left out: at least)."""
        value = self.raw(field, required=False)
        if value is None:
            return None
        if not isinstance(value, dict):
            return Amount.exactly(self._check_int(field, value, low, high))
        spec = Fields(value, self.file, self.entry, self.path(field) or field)
        minimum = spec._check_int("min", spec.raw("min", required=True), low, high)
        maximum = spec.raw("max", required=False)
        if maximum is not None:
            maximum = spec._check_int("max", maximum, low, high)
            if maximum < minimum:
                spec.fail("max", f"{maximum} is less than min {minimum}")
        default = spec.raw("default", required=False)
        if default is None:
            default = minimum
        default = spec._check_int("default", default, low, high)
        if default < minimum or (maximum is not None and default > maximum):
            spec.fail("default", f"{default} is outside the range {minimum} to {maximum or 'any'}")
        spec.finish()
        return Amount(default=default, min=minimum, max=maximum)

    def items(self, field: str, *, min_items: int = 0) -> list[object]:
        value = self.raw(field, required=min_items > 0)
        if value is None:
            value = []
        if not isinstance(value, list):
            self.fail(field, f"expected a list, got {_kind(value)}")
        if len(value) < min_items:
            self.fail(field, f"needs at least {min_items} entry")
        return value
