"""Build the Alexa interaction models, one per locale, from intents.yaml and the catalogue."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from skill.content import Catalogue, default_catalogue
from skill.content.fields import Fields
from skill.content.model import Routine, Stretch
from skill.errors import ContentError

_HERE = Path(__file__).resolve()
SPEC_PATH = _HERE.with_name("intents.yaml")
# interaction_models/ sits at the top of the repository, beside content/.
MODELS_DIR = _HERE.parents[2] / "interaction_models"

# A word may hold apostrophes ("what's"); a slot is {name}. Alexa refuses digits and other
# marks in samples, so catching them here saves a failed build in the developer console.
_WORD = r"(?:[a-z]+(?:'[a-z]+)*|\{[a-zA-Z]+\})"
SAMPLE_PATTERN = re.compile(rf"{_WORD}(?: {_WORD})*")
SLOT_PATTERN = re.compile(r"\{([^{}]*)\}")
# Alexa wants at least two words for an invocation name, lowercase letters only.
INVOCATION_PATTERN = re.compile(r"[a-z]+(?: [a-z]+)+")
SLOT_SOURCES = ("routines", "stretches")

JsonObject = dict[str, Any]


@dataclass(frozen=True)
class Intent:
    """One intent: its slots (name and type) and the samples common to every locale."""

    name: str
    slots: tuple[tuple[str, str], ...]
    samples: tuple[str, ...]


@dataclass(frozen=True)
class Locale:
    """What one locale changes: its invocation name and samples it adds to intents."""

    invocation_name: str
    extra_samples: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class Spec:
    """intents.yaml, checked: everything a model needs except the catalogue's names."""

    slot_types: Mapping[str, str]
    intents: tuple[Intent, ...]
    locales: Mapping[str, Locale]

    def samples(self, intent: Intent, locale: str) -> tuple[str, ...]:
        return (*intent.samples, *self.locales[locale].extra_samples.get(intent.name, ()))


def load_spec(path: Path = SPEC_PATH) -> Spec:
    """Read and check intents.yaml; a mistake raises one ContentError naming the field."""
    file = _shown(path)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ContentError(file, f"cannot be read: {exc}") from None
    top = Fields(document, file, "the file")
    invocation = _invocation(top, "invocation_name", required=True)
    assert invocation is not None
    types = top.sub("slot_types", required=True)
    assert types is not None
    slot_types = {str(name): str(types.raw(str(name), required=True)) for name in types.data}
    for name, source in slot_types.items():
        if source not in SLOT_SOURCES:
            types.fail(name, f"'{source}' is not one of: {', '.join(SLOT_SOURCES)}")
    intents = tuple(
        _intent(raw, file, i, slot_types) for i, raw in enumerate(top.items("intents", min_items=1))
    )
    names = [intent.name for intent in intents]
    for name in names:
        if names.count(name) > 1:
            top.fail("intents", f"the intent '{name}' is given twice")
    locales_fields = top.sub("locales", required=True)
    assert locales_fields is not None
    locales = {
        str(code): _locale(raw, file, str(code), invocation, intents)
        for code, raw in locales_fields.data.items()
    }
    top.finish()
    spec = Spec(slot_types=slot_types, intents=intents, locales=locales)
    for code in locales:
        _check_unique(spec, code, file)
    return spec


def build_model(
    locale: str, catalogue: Catalogue | None = None, spec: Spec | None = None
) -> JsonObject:
    """One locale's interaction model as a dict in the ASK JSON shape."""
    spec = spec or load_spec()
    catalogue = catalogue or default_catalogue()
    intents = [
        {
            "name": intent.name,
            "slots": [{"name": name, "type": kind} for name, kind in intent.slots],
            "samples": list(spec.samples(intent, locale)),
        }
        for intent in spec.intents
    ]
    entries: dict[str, Iterable[Routine | Stretch]] = {
        "routines": catalogue.routines.values(),
        "stretches": catalogue.stretches.values(),
    }
    types = [
        {"name": name, "values": slot_values(entries[source])}
        for name, source in spec.slot_types.items()
    ]
    return {
        "interactionModel": {
            "languageModel": {
                "invocationName": spec.locales[locale].invocation_name,
                "intents": intents,
                "types": types,
            }
        }
    }


def slot_values(entries: Iterable[Routine | Stretch]) -> list[JsonObject]:
    """Slot values for a custom type: the id, the name as value, the aliases as synonyms."""
    values: list[JsonObject] = []
    for entry in entries:
        value = spoken(entry.name)
        synonyms = [s for s in dict.fromkeys(spoken(a) for a in entry.aliases) if s != value]
        values.append({"id": entry.id, "name": {"value": value, "synonyms": synonyms}})
    return values


def spoken(text: str) -> str:
    """A name as Alexa hears it: lowercase words; hyphens and other marks become spaces."""
    kept = "".join(ch if ch.isalnum() or ch == "'" else " " for ch in text.lower())
    return " ".join(kept.split())


def render(model: JsonObject) -> str:
    """The exact text of a model file, so a regenerated file differs only when content does."""
    return json.dumps(model, indent=2, ensure_ascii=False) + "\n"


def generate(catalogue: Catalogue | None = None, spec: Spec | None = None) -> dict[str, str]:
    """Every locale's model file: file name to text."""
    spec = spec or load_spec()
    return {
        f"{locale}.json": render(build_model(locale, catalogue, spec)) for locale in spec.locales
    }


def write_models(directory: Path = MODELS_DIR, catalogue: Catalogue | None = None) -> list[Path]:
    """Write every locale's model into directory and return the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, text in generate(catalogue).items():
        path = directory / name
        # "\n" on every platform, so a model written on Windows still matches the check.
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written


def check_models(directory: Path = MODELS_DIR, catalogue: Catalogue | None = None) -> list[str]:
    """The model files in directory that are missing or differ from what content generates."""
    stale: list[str] = []
    for name, text in generate(catalogue).items():
        path = directory / name
        try:
            current = path.read_text(encoding="utf-8")
        except (FileNotFoundError, UnicodeDecodeError):
            current = None
        if current != text:
            stale.append(name)
    return stale


def _intent(raw: object, file: str, index: int, slot_types: Mapping[str, str]) -> Intent:
    fields = Fields(raw, file, f"intent {index + 1}")
    name = fields.raw("name", required=True)
    if not isinstance(name, str) or not re.fullmatch(r"(AMAZON\.)?[A-Za-z]+", name):
        fields.fail("name", f"'{name}' is not an intent name")
    fields.entry = f"intent '{name}'"
    slots_fields = fields.sub("slots")
    slots: list[tuple[str, str]] = []
    if slots_fields is not None:
        for slot, kind in slots_fields.data.items():
            slots_fields.read.add(str(slot))
            if kind not in slot_types:
                slots_fields.fail(str(slot), f"'{kind}' is not a type in slot_types")
            slots.append((str(slot), str(kind)))
    samples = _samples(fields, "samples", {name for name, _ in slots})
    fields.finish()
    return Intent(name=name, slots=tuple(slots), samples=samples)


def _locale(
    raw: object, file: str, code: str, invocation: str, intents: tuple[Intent, ...]
) -> Locale:
    if not re.fullmatch(r"[a-z]{2}-[A-Z]{2}", code):
        raise ContentError(file, f"'{code}' is not a locale like en-US", "locales")
    fields = Fields(raw or {}, file, f"locale '{code}'")
    extra_fields = fields.sub("extra_samples")
    extra: dict[str, tuple[str, ...]] = {}
    if extra_fields is not None:
        known = {intent.name: intent for intent in intents}
        for name in list(extra_fields.data):
            if name not in known:
                extra_fields.fail(str(name), "is not an intent in the intents list")
            slots = {slot for slot, _ in known[str(name)].slots}
            extra[str(name)] = _samples(extra_fields, str(name), slots)
    own = _invocation(fields, "invocation_name", required=False)
    fields.finish()
    return Locale(invocation_name=own or invocation, extra_samples=extra)


def _invocation(fields: Fields, field: str, *, required: bool) -> str | None:
    name = fields.raw(field, required=required)
    if name is None:
        return None
    if not isinstance(name, str) or not INVOCATION_PATTERN.fullmatch(name):
        fields.fail(field, f"'{name}' is not two or more lowercase words")
    return name


def _samples(fields: Fields, field: str, slots: set[str]) -> tuple[str, ...]:
    samples: list[str] = []
    for i, sample in enumerate(fields.items(field)):
        where = f"{field}[{i}]"
        if isinstance(sample, dict):
            fields.fail(where, "is a mapping; quote a sample that starts with a {slot}")
        if not isinstance(sample, str) or not SAMPLE_PATTERN.fullmatch(sample):
            fields.fail(
                where,
                f"'{sample}' must be lowercase words, apostrophes and {{slots}} only, "
                "single-spaced",
            )
        for slot in SLOT_PATTERN.findall(sample):
            if slot not in slots:
                fields.fail(where, f"'{sample}' uses {{{slot}}}, which is not one of its slots")
        samples.append(sample)
    return tuple(samples)


def _check_unique(spec: Spec, locale: str, file: str) -> None:
    # Alexa refuses a model whose sample appears twice, even in two different intents.
    owner: dict[str, str] = {}
    for intent in spec.intents:
        for sample in spec.samples(intent, locale):
            if sample in owner:
                raise ContentError(
                    file,
                    f"the sample '{sample}' is already in {owner[sample]}; "
                    "Alexa refuses a repeated sample",
                    f"intent '{intent.name}' in {locale}",
                    "samples",
                )
            owner[sample] = intent.name


def _shown(path: Path) -> str:
    """Show a path as the author knows it: skill/alexa/intents.yaml."""
    try:
        return str(path.relative_to(_HERE.parents[2]))
    except ValueError:
        return str(path)
