"""Build the Alexa interaction models, one per locale, from intents.yaml and the catalogue."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from hassil.errors import HassilError
from hassil.parse_expression import parse_sentence
from hassil.sample import sample_expression

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
SLOT_PATTERN = re.compile(r"\{([^{}:]*)\}")
RULE_PATTERN = re.compile(r"<([^<>]*)>")
# Alexa wants at least two words for an invocation name, lowercase letters only.
INVOCATION_PATTERN = re.compile(r"[a-z]+(?: [a-z]+)+")
SLOT_SOURCES = ("routines", "stretches")
# One template may stand for many samples; past this it is a typo'd optional, not intent.
MAX_SAMPLES_PER_TEMPLATE = 200

JsonObject = dict[str, Any]


@dataclass(frozen=True)
class SlotType:
    """A custom slot type: its values come from the catalogue or are listed in the spec."""

    name: str
    source: str | None  # "routines" or "stretches"; None when values are listed
    values: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (id, what people say)


@dataclass(frozen=True)
class Intent:
    """One intent: its slots (name and type), its templates, and its expanded samples."""

    name: str
    slots: tuple[tuple[str, str], ...]
    templates: tuple[str, ...]
    samples: tuple[str, ...]
    amazon_knows: tuple[str, ...] = ()  # phrases Alexa maps to a built-in without ours


@dataclass(frozen=True)
class Locale:
    """What one locale changes: its invocation name and templates it adds to intents."""

    invocation_name: str
    extra_templates: Mapping[str, tuple[str, ...]]
    extra_samples: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class Spec:
    """intents.yaml, checked: everything a model needs except the catalogue's names."""

    slot_types: Mapping[str, SlotType]
    rules: Mapping[str, str]
    skip_words: tuple[str, ...]
    intents: tuple[Intent, ...]
    locales: Mapping[str, Locale]

    def samples(self, intent: Intent, locale: str) -> tuple[str, ...]:
        extra = self.locales[locale].extra_samples.get(intent.name, ())
        return tuple(dict.fromkeys((*intent.samples, *extra)))

    def templates(self, intent: Intent, locale: str) -> tuple[str, ...]:
        return (*intent.templates, *self.locales[locale].extra_templates.get(intent.name, ()))


def load_spec(path: Path = SPEC_PATH) -> Spec:
    """Read and check intents.yaml; a mistake raises one ContentError naming the field."""
    return _load_spec(path, path.stat().st_mtime_ns if path.exists() else 0)


@cache
def _load_spec(path: Path, _stamp: int) -> Spec:
    file = _shown(path)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ContentError(file, f"cannot be read: {exc}") from None
    top = Fields(document, file, "the file")
    invocation = _invocation(top, "invocation_name", required=True)
    assert invocation is not None
    skip = top.raw("skip_words", required=False) or []
    if not isinstance(skip, list) or not all(isinstance(w, str) for w in skip):
        top.fail("skip_words", "must be a list of words")
    slot_types = _slot_types(top, file)
    rules = _rules(top, file)
    intents = tuple(
        _intent(raw, file, i, slot_types, rules)
        for i, raw in enumerate(top.items("intents", min_items=1))
    )
    names = [intent.name for intent in intents]
    for name in names:
        if names.count(name) > 1:
            top.fail("intents", f"the intent '{name}' is given twice")
    locales_fields = top.sub("locales", required=True)
    assert locales_fields is not None
    locales = {
        str(code): _locale(raw, file, str(code), invocation, intents, rules)
        for code, raw in locales_fields.data.items()
    }
    top.finish()
    spec = Spec(
        slot_types=slot_types,
        rules=rules,
        skip_words=tuple(skip),
        intents=intents,
        locales=locales,
    )
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
        {
            "name": kind.name,
            "values": slot_values(entries[kind.source]) if kind.source else listed(kind),
        }
        for kind in spec.slot_types.values()
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


def listed(kind: SlotType) -> list[JsonObject]:
    """Slot values written in the spec: the first phrase is the value, the rest synonyms."""
    return [
        {"id": ident, "name": {"value": said[0], "synonyms": list(said[1:])}}
        for ident, said in kind.values
    ]


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


def expand(template: str, rules: Mapping[str, str]) -> list[str]:
    """Every sample a template stands for, slots left as {name}, in a stable order."""
    sentence = parse_sentence(template)
    parsed = {name: parse_sentence(body) for name, body in rules.items()}
    out = sample_expression(sentence.expression, None, parsed, expand_lists=False)
    return list(dict.fromkeys(" ".join(text.split()) for text in out))


def _slot_types(top: Fields, file: str) -> dict[str, SlotType]:
    fields = top.sub("slot_types", required=True)
    assert fields is not None
    kinds: dict[str, SlotType] = {}
    for name in list(fields.data):
        kind = Fields(fields.data[name], file, f"slot type '{name}'")
        fields.read.add(str(name))
        source = kind.raw("from", required=False)
        values = kind.sub("values")
        if (source is None) == (values is None):
            kind.fail(None, "needs exactly one of 'from' (the catalogue) or 'values'")
        if source is not None:
            if source not in SLOT_SOURCES:
                kind.fail("from", f"'{source}' is not one of: {', '.join(SLOT_SOURCES)}")
            kinds[str(name)] = SlotType(str(name), str(source))
        else:
            assert values is not None
            listed_values = []
            for ident in list(values.data):
                said = values.raw(str(ident), required=True)
                if (
                    not isinstance(said, list)
                    or not said
                    or not all(
                        isinstance(s, str) and SAMPLE_PATTERN.fullmatch(s) and "{" not in s
                        for s in said
                    )
                ):
                    values.fail(str(ident), "must list lowercase phrases, the first the value")
                listed_values.append((str(ident), tuple(dict.fromkeys(said))))
            kinds[str(name)] = SlotType(str(name), None, tuple(listed_values))
        kind.finish()
    return kinds


def _rules(top: Fields, file: str) -> dict[str, str]:
    fields = top.sub("rules")
    if fields is None:
        return {}
    rules: dict[str, str] = {}
    for name in list(fields.data):
        body = fields.raw(str(name), required=True)
        if not isinstance(body, str):
            fields.fail(str(name), "must be a template")
        rules[str(name)] = body
    for name, body in rules.items():
        try:
            parse_sentence(body)
        except (HassilError, ValueError, IndexError) as exc:
            fields.fail(name, f"'{body}' is not a template: {exc}")
    return rules


def _intent(
    raw: object, file: str, index: int, slot_types: Mapping[str, SlotType], rules: Mapping[str, str]
) -> Intent:
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
    templates = _templates(fields, "templates")
    samples = _samples(fields, "templates", templates, {n for n, _ in slots}, rules)
    used = {slot for sample in samples for slot in SLOT_PATTERN.findall(sample)}
    for slot, _ in slots:
        if slot not in used:
            fields.fail("slots", f"{{{slot}}} is declared but no template uses it")
    known = _templates(fields, "amazon_knows")
    if known and not name.startswith("AMAZON."):
        fields.fail("amazon_knows", "is only for built-in intents")
    fields.finish()
    return Intent(
        name=name,
        slots=tuple(slots),
        templates=templates,
        samples=samples,
        amazon_knows=tuple(s for t in known for s in expand(t, rules)),
    )


def _templates(fields: Fields, field: str) -> tuple[str, ...]:
    out: list[str] = []
    for i, template in enumerate(fields.items(field)):
        if isinstance(template, dict):
            fields.fail(f"{field}[{i}]", "is a mapping; quote a template that starts with {")
        if not isinstance(template, str):
            fields.fail(f"{field}[{i}]", "must be a template")
        out.append(template)
    return tuple(out)


def _samples(
    fields: Fields, field: str, templates: tuple[str, ...], slots: set[str],
    rules: Mapping[str, str],
) -> tuple[str, ...]:  # fmt: skip
    samples: list[str] = []
    for i, template in enumerate(templates):
        where = f"{field}[{i}]"
        for rule in RULE_PATTERN.findall(template):
            if rule not in rules:
                fields.fail(where, f"'{template}' uses <{rule}>, which is not in rules")
        try:
            expanded = expand(template, rules)
        except (HassilError, ValueError, IndexError) as exc:
            fields.fail(where, f"'{template}' is not a template: {exc}")
        if len(expanded) > MAX_SAMPLES_PER_TEMPLATE:
            fields.fail(
                where,
                f"'{template}' stands for {len(expanded)} samples; "
                f"split it (at most {MAX_SAMPLES_PER_TEMPLATE})",
            )
        for sample in expanded:
            if not SAMPLE_PATTERN.fullmatch(sample):
                fields.fail(
                    where,
                    f"'{sample}' (from '{template}') must be lowercase words, apostrophes "
                    "and {slots} only",
                )
            for slot in SLOT_PATTERN.findall(sample):
                if slot not in slots:
                    fields.fail(
                        where, f"'{template}' uses {{{slot}}}, which is not one of its slots"
                    )
            samples.append(sample)
    return tuple(dict.fromkeys(samples))


def _locale(
    raw: object, file: str, code: str, invocation: str, intents: tuple[Intent, ...],
    rules: Mapping[str, str],
) -> Locale:  # fmt: skip
    if not re.fullmatch(r"[a-z]{2}-[A-Z]{2}", code):
        raise ContentError(file, f"'{code}' is not a locale like en-US", "locales")
    fields = Fields(raw or {}, file, f"locale '{code}'")
    extra_fields = fields.sub("extra_templates")
    templates: dict[str, tuple[str, ...]] = {}
    samples: dict[str, tuple[str, ...]] = {}
    if extra_fields is not None:
        known = {intent.name: intent for intent in intents}
        for name in list(extra_fields.data):
            if name not in known:
                extra_fields.fail(str(name), "is not an intent in the intents list")
            slots = {slot for slot, _ in known[str(name)].slots}
            templates[str(name)] = _templates(extra_fields, str(name))
            samples[str(name)] = _samples(extra_fields, str(name), templates[str(name)], slots,
                                          rules)  # fmt: skip
    own = _invocation(fields, "invocation_name", required=False)
    fields.finish()
    return Locale(invocation_name=own or invocation, extra_templates=templates,
                  extra_samples=samples)  # fmt: skip


def _invocation(fields: Fields, field: str, *, required: bool) -> str | None:
    name = fields.raw(field, required=required)
    if name is None:
        return None
    if not isinstance(name, str) or not INVOCATION_PATTERN.fullmatch(name):
        fields.fail(field, f"'{name}' is not two or more lowercase words")
    return name


def _check_unique(spec: Spec, locale: str, file: str) -> None:
    # Alexa refuses a model whose sample appears twice, even in two different intents; and
    # a phrase Alexa already gives a built-in must not be claimed by another intent.
    owner: dict[str, str] = {}
    for intent in spec.intents:
        for sample in (*spec.samples(intent, locale), *intent.amazon_knows):
            if owner.get(sample, intent.name) != intent.name:
                raise ContentError(
                    file,
                    f"the sample '{sample}' is already in {owner[sample]}; "
                    "Alexa refuses a repeated sample",
                    f"intent '{intent.name}' in {locale}",
                    "templates",
                )
            owner[sample] = intent.name


def _shown(path: Path) -> str:
    """Show a path as the author knows it: skill/alexa/intents.yaml."""
    try:
        return str(path.relative_to(_HERE.parents[2]))
    except ValueError:
        return str(path)
