"""The Alexa interaction models and manifest: generated from content/, valid, and consistent."""

from __future__ import annotations

import ast
import io
import itertools
import json
import re
import shutil
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from ask_sdk_core.serialize import DefaultSerializer

from skill.alexa import models
from skill.alexa.models import MODELS_DIR, check_models, load_spec, write_models
from skill.cli import main
from skill.content import default_catalogue
from skill.content.model import Routine, Stretch, normalise_name
from skill.errors import ContentError

LOCALES = ["en-US", "en-GB", "en-CA", "en-AU", "en-IN"]
BUILT_INS = {
    "AMAZON.NextIntent", "AMAZON.PreviousIntent", "AMAZON.RepeatIntent",
    "AMAZON.StartOverIntent", "AMAZON.PauseIntent", "AMAZON.ResumeIntent",
    "AMAZON.HelpIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.FallbackIntent",
    "AMAZON.NavigateHomeIntent", "AMAZON.YesIntent", "AMAZON.NoIntent",
}  # fmt: skip
MODEL_CLASS = (
    "ask_smapi_model.v1.skill.interaction_model.interaction_model_data.InteractionModelData"
)
MANIFEST_CLASS = "ask_smapi_model.v1.skill.manifest.skill_manifest_envelope.SkillManifestEnvelope"
# Written here rather than imported, so the test does not trust the code it checks.
SAMPLE_WORD = re.compile(r"[a-z]+(?:'[a-z]+)*|\{[a-zA-Z]+\}")


@cache
def committed_text(name: str) -> str:
    return (MODELS_DIR / name).read_text(encoding="utf-8")


def language_model(locale: str) -> dict[str, Any]:
    model: dict[str, Any] = json.loads(committed_text(f"{locale}.json"))
    return model["interactionModel"]["languageModel"]  # type: ignore[no-any-return]


def intents(locale: str = "en-US") -> dict[str, dict[str, Any]]:
    return {intent["name"]: intent for intent in language_model(locale)["intents"]}


def type_values(locale: str = "en-US") -> dict[str, list[str]]:
    """Every value and synonym of each slot type: what a filled slot may say."""
    return {
        kind["name"]: [
            text
            for value in kind["values"]
            for text in (value["name"]["value"], *value["name"]["synonyms"])
        ]
        for kind in language_model(locale)["types"]
    }


def manifest() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(committed_text("skill.json"))
    return data["manifest"]  # type: ignore[no-any-return]


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


# Generation


def test_committed_models_are_what_content_generates(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # From another folder: the models and content are found beside the package.
    monkeypatch.chdir(tmp_path)
    assert check_models() == []
    code, text = run("models", "--check")
    assert code == 0
    assert "match content/" in text


def test_check_names_a_changed_or_missing_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "models"
    shutil.copytree(MODELS_DIR, copy)
    assert check_models(copy) == []
    changed = copy / "en-GB.json"
    changed.write_text(changed.read_text(encoding="utf-8").replace("skip it", "skip that"))
    (copy / "en-IN.json").unlink()
    assert check_models(copy) == ["en-GB.json", "en-IN.json"]

    code, text = run("models", "--check", "--dir", str(copy))
    assert (code, text) == (1, "")
    assert "en-GB.json, en-IN.json" in capsys.readouterr().err

    code, text = run("models", "--dir", str(copy))
    assert code == 0
    assert text.splitlines() == [f"wrote {copy / f'{locale}.json'}" for locale in LOCALES]
    assert check_models(copy) == []


def test_write_models_writes_one_file_per_locale(tmp_path: Path) -> None:
    paths = write_models(tmp_path / "new")
    assert [p.name for p in paths] == [f"{locale}.json" for locale in LOCALES]
    for path in paths:
        assert path.read_bytes() == committed_text(path.name).encode("utf-8")


def test_the_model_builder_imports_no_adapter_library() -> None:
    tree = ast.parse(Path(models.__file__).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}  # fmt: skip
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {name.split(".")[0] for name in imported} & {
        "ask_sdk_core", "ask_sdk_model", "ask_sdk_runtime", "ask_smapi_model", "boto3",
        "botocore", "flask", "pyttsx3",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('      - "skip"\n', '      - "skip"\n      - "what\'s next"\n',
         "the sample 'what's next' is already in SkipIntent"),
        ("  - name: DescribeStretchIntent\n    slots: {stretch: STRETCH_NAME}\n    templates:\n",
         "  - name: DescribeStretchIntent\n    slots: {stretch: STRETCH_NAME}\n    templates:\n"
         '      - "explain {routine}"\n',
         "uses {routine}, which is not one of its slots"),
        ("  - name: TimeLeftIntent\n    templates:\n",
         '  - name: TimeLeftIntent\n    templates:\n      - "how long is left for step two"\n',
         None),
        ("  - name: TimeLeftIntent\n    templates:\n",
         '  - name: TimeLeftIntent\n    templates:\n      - "how long is left?"\n',
         "must be lowercase"),
        ("  - name: TimeLeftIntent\n    templates:\n",
         '  - name: TimeLeftIntent\n    templates:\n      - "How long is left"\n',
         "must be lowercase"),
        ("  - name: TimeLeftIntent\n    templates:\n",
         '  - name: TimeLeftIntent\n    templates:\n      - "how long is 2 left"\n',
         "must be lowercase"),
        ("  - name: TimeLeftIntent\n    templates:\n",
         "  - name: TimeLeftIntent\n    templates:\n      - [how long]\n",
         "must be a template"),
        ("  - name: SingleStretchIntent\n    slots: {stretch: STRETCH_NAME}\n    templates:\n",
         "  - name: SingleStretchIntent\n    slots: {stretch: STRETCH_NAME}\n    templates:\n"
         "      - {stretch}\n",
         "quote a template that starts with {"),
        ("  - name: TimeLeftIntent\n    templates:\n",
         '  - name: TimeLeftIntent\n    templates:\n'
         '      - "[one] [two] [three] [four] [five] [six] [seven] [eight] left"\n',
         "stands for 256 samples"),
        ("  - name: TimeLeftIntent\n    templates:\n",
         '  - name: TimeLeftIntent\n    templates:\n      - "how long <nope>"\n',
         "uses <nope>, which is not in rules"),
        ("  - name: TimeLeftIntent\n    templates:\n",
         "  - name: TimeLeftIntent\n    slots: {stretch: STRETCH_NAME}\n    templates:\n",
         "{stretch} is declared but no template uses it"),
        ("  - name: GoToStretchIntent\n    slots: {stretch: STRETCH_NAME}",
         "  - name: GoToStretchIntent\n    slots: {stretch: STRETCH}",
         "'STRETCH' is not a type in slot_types"),
        ("  ROUTINE_NAME: {from: routines}", "  ROUTINE_NAME: {from: workouts}",
         "'workouts' is not one of: routines, stretches"),
        ("invocation_name: stretch coach", "invocation_name: coach", "not two or more"),
        ("  en-GB: {}", "  en-GB: {extra_templates: {SkipIntent: [\"what's next\"]}}",
         "the sample 'what's next' is already in SkipIntent"),
        ("  en-GB: {}", "  en-GB: {extra_sample: {}}", "unknown field"),
    ],
)  # fmt: skip
def test_mistakes_in_intents_yaml_are_named(
    tmp_path: Path, old: str, new: str, message: str | None
) -> None:
    text = models.SPEC_PATH.read_text(encoding="utf-8")
    assert old in text
    spec = tmp_path / "intents.yaml"
    spec.write_text(text.replace(old, new, 1), encoding="utf-8")
    if message is None:
        load_spec(spec)  # a harmless change loads
        return
    with pytest.raises(ContentError, match=re.escape(message)):
        load_spec(spec)


# The shape Alexa accepts


@pytest.mark.parametrize("locale", LOCALES)
def test_model_deserialises_with_ask_smapi_model(locale: str) -> None:
    data = DefaultSerializer().deserialize(committed_text(f"{locale}.json"), MODEL_CLASS)
    built = data.interaction_model.language_model
    raw = language_model(locale)
    assert built.invocation_name == raw["invocationName"]
    assert [i.name for i in built.intents] == [i["name"] for i in raw["intents"]]
    assert [i.samples for i in built.intents] == [i["samples"] for i in raw["intents"]]
    assert [t.name for t in built.types] == [
        "ROUTINE_NAME", "STRETCH_NAME", "PREGNANCY_STAGE", "SITUATION", "BODY_PART", "PAIN_KIND",
        "SIDE",
    ]  # fmt: skip
    first = built.types[0].values[0]
    assert (first.id, first.name.value) == ("desk", "desk routine")


@pytest.mark.parametrize("locale", LOCALES)
def test_model_keys_are_exactly_the_ask_ones(locale: str) -> None:
    # ask-smapi-model drops a misspelt key without a word, so the keys are checked here.
    top = json.loads(committed_text(f"{locale}.json"))
    assert set(top) == {"interactionModel"}
    assert set(top["interactionModel"]) == {"languageModel"}
    model = top["interactionModel"]["languageModel"]
    assert set(model) == {"invocationName", "intents", "types"}
    for intent in model["intents"]:
        assert set(intent) == {"name", "slots", "samples"}, intent["name"]
        for slot in intent["slots"]:
            assert set(slot) == {"name", "type"}, intent["name"]
    for kind in model["types"]:
        assert set(kind) == {"name", "values"}
        for value in kind["values"]:
            assert set(value) == {"id", "name"}
            assert set(value["name"]) == {"value", "synonyms"}


@pytest.mark.parametrize("locale", LOCALES)
def test_invocation_name_is_two_lowercase_words(locale: str) -> None:
    name = language_model(locale)["invocationName"]
    assert name == "stretch coach"
    assert re.fullmatch(r"[a-z]+ [a-z]+", name)


def test_every_required_built_in_intent_is_present() -> None:
    names = set(intents())
    assert names >= BUILT_INS
    assert names >= {
        "StartRoutineIntent", "ListRoutinesIntent", "SkipIntent", "TimeLeftIntent",
        "WhatsNextIntent", "WhereAmIIntent", "DescribeStretchIntent", "GoToStretchIntent",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("intent", "least"),
    [("StartRoutineIntent", 20), ("ListRoutinesIntent", 8), ("SkipIntent", 6),
     ("TimeLeftIntent", 6), ("WhatsNextIntent", 5), ("WhereAmIIntent", 5),
     ("DescribeStretchIntent", 8), ("GoToStretchIntent", 5)],
)  # fmt: skip
def test_custom_intents_have_enough_samples(intent: str, least: int) -> None:
    assert len(intents()[intent]["samples"]) >= least


def test_start_routine_can_be_asked_with_or_without_a_routine() -> None:
    samples = intents()["StartRoutineIntent"]["samples"]
    assert len(samples) >= 15
    assert "start the {routine} routine" in samples
    assert any("{" not in s for s in samples), "a sample without the slot, to ask for it"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_slot_is_declared_and_typed(locale: str) -> None:
    types = set(type_values(locale))
    for intent in language_model(locale)["intents"]:
        declared = {slot["name"] for slot in intent["slots"]}
        used = {slot for s in intent["samples"] for slot in re.findall(r"\{(\w+)\}", s)}
        assert used <= declared, intent["name"]
        assert declared <= used, f"{intent['name']} declares a slot no sample uses"
        assert {slot["type"] for slot in intent["slots"]} <= types, intent["name"]


@pytest.mark.parametrize("locale", LOCALES)
def test_samples_are_unique_across_the_model(locale: str) -> None:
    samples = [s for intent in language_model(locale)["intents"] for s in intent["samples"]]
    assert len(samples) == len(set(samples))


@pytest.mark.parametrize("locale", LOCALES)
def test_samples_are_plain_lowercase_words(locale: str) -> None:
    for intent in language_model(locale)["intents"]:
        for sample in intent["samples"]:
            assert sample.split(" ") and all(
                SAMPLE_WORD.fullmatch(word) for word in sample.split(" ")
            ), f"{intent['name']}: '{sample}'"
            assert not re.search(r"\d", sample)


def test_no_filled_sample_belongs_to_two_intents() -> None:
    # Alexa cannot route "go to cobra" if another intent says the same once its slot is filled.
    values = type_values()
    owner: dict[str, str] = {}
    for intent in intents().values():
        types = {slot["name"]: slot["type"] for slot in intent["slots"]}
        for sample in intent["samples"]:
            for said in fillings(sample, types, values):
                assert owner.setdefault(said, intent["name"]) == intent["name"], said


def fillings(sample: str, types: dict[str, str], values: dict[str, list[str]]) -> set[str]:
    choices = [
        values[types[word[1:-1]]] if word.startswith("{") else [word] for word in sample.split()
    ]
    return {" ".join(words) for words in itertools.product(*choices)}


# Slot values from the catalogue


def check_slot_type(kind: str, entries: dict[str, Routine] | dict[str, Stretch]) -> None:
    (values,) = [t["values"] for t in language_model("en-US")["types"] if t["name"] == kind]
    assert [v["id"] for v in values] == list(entries)
    for value in values:
        entry = entries[value["id"]]
        said, synonyms = value["name"]["value"], value["name"]["synonyms"]
        assert normalise_name(said) == normalise_name(entry.name)
        assert {normalise_name(s) for s in [said, *synonyms]} == {
            normalise_name(n) for n in [entry.name, *entry.aliases]
        }
        assert said not in synonyms
        assert len(synonyms) == len(set(synonyms))
        for text in [said, *synonyms]:
            assert text == text.lower() and text == " ".join(text.split()), text


def test_routine_names_cover_every_routine() -> None:
    catalogue = default_catalogue()
    check_slot_type("ROUTINE_NAME", dict(catalogue.routines))
    for text in type_values()["ROUTINE_NAME"]:
        assert catalogue.find_routine(text) is not None, text


def test_stretch_names_cover_every_stretch() -> None:
    catalogue = default_catalogue()
    check_slot_type("STRETCH_NAME", dict(catalogue.stretches))
    for text in type_values()["STRETCH_NAME"]:
        assert catalogue.find_stretch(text) is not None, text


# The skill manifest


def test_manifest_deserialises_and_has_the_asked_for_keys() -> None:
    envelope = DefaultSerializer().deserialize(committed_text("skill.json"), MANIFEST_CLASS)
    assert envelope.manifest.manifest_version.value == "1.0"
    assert envelope.manifest.publishing_information.locales["en-GB"].name == "Stretch Coach"
    data = manifest()
    assert set(data) == {
        "manifestVersion", "publishingInformation", "apis", "events", "privacyAndCompliance"
    }  # fmt: skip
    # The code deletes a record on SkillDisabled: Alexa sends it only to a subscriber.
    assert data["events"]["subscriptions"] == [{"eventName": "SKILL_DISABLED"}]
    assert data["events"]["endpoint"] == data["apis"]["custom"]["endpoint"]
    publishing = data["publishingInformation"]
    assert publishing["category"] == "HEALTH_AND_FITNESS"
    assert publishing["isAvailableWorldwide"] is False
    assert publishing["distributionCountries"] == ["US", "GB", "CA", "AU", "IN"]
    assert data["apis"]["custom"]["endpoint"]["uri"].startswith("arn:aws:lambda:")
    privacy = data["privacyAndCompliance"]
    # It keeps a hashed user id, and health data after a yes: personal information.
    assert (privacy["usesPersonalInfo"], privacy["isChildDirected"]) == (True, False)
    assert (privacy["isExportCompliant"], privacy["containsAds"]) == (True, False)
    assert privacy["allowsPurchases"] is False
    assert sorted(privacy["locales"]) == sorted(LOCALES)


@pytest.mark.parametrize("locale", LOCALES)
def test_manifest_locale_names_the_skill_and_carries_the_disclaimer(locale: str) -> None:
    info = manifest()["publishingInformation"]["locales"][locale]
    assert set(info) == {"name", "summary", "description", "examplePhrases", "keywords"}
    assert info["name"] == "Stretch Coach"
    assert len(info["summary"]) <= 160
    description = info["description"]
    for words in ("not medical advice", "clinician", "sharp or spreading",
                  "not a substitute for professional medical advice"):  # fmt: skip
        assert words in description
    assert len(info["examplePhrases"]) == 3
    assert info["keywords"]


def sample_pattern(sample: str, types: dict[str, str], values: dict[str, list[str]]) -> str:
    """A sample as a regex: each {slot} is any value or synonym of its type."""
    parts = []
    for word in sample.split():
        if word.startswith("{"):
            options = sorted(values[types[word[1:-1]]], key=len, reverse=True)
            parts.append("(?:" + "|".join(map(re.escape, options)) + ")")
        else:
            parts.append(re.escape(word))
    return " ".join(parts)


def intent_for(utterance: str, locale: str) -> str | None:
    values = type_values(locale)
    for intent in language_model(locale)["intents"]:
        types = {slot["name"]: slot["type"] for slot in intent["slots"]}
        for sample in intent["samples"]:
            if re.fullmatch(sample_pattern(sample, types, values), utterance):
                return str(intent["name"])
    return None


@pytest.mark.parametrize("locale", LOCALES)
def test_example_phrases_really_work(locale: str) -> None:
    name = language_model(locale)["invocationName"]
    routed = []
    for phrase in manifest()["publishingInformation"]["locales"][locale]["examplePhrases"]:
        said = phrase.lower().rstrip(".?!")
        if said == f"alexa, open {name}":
            routed.append("launch")
            continue
        for prefix in (f"alexa, ask {name} to ", f"alexa, ask {name} "):
            if said.startswith(prefix):
                said = said.removeprefix(prefix)
                break
        else:
            pytest.fail(f"'{phrase}' does not name the skill the way Alexa expects")
        routed.append(intent_for(said, locale) or f"nothing: '{said}'")
    assert routed == ["launch", "StartRoutineIntent", "ListRoutinesIntent"]
