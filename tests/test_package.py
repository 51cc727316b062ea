"""`stretch-coach package`: a skill package ASK accepts, with icons, and no placeholder left."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from ask_sdk_core.serialize import DefaultSerializer
from PIL import Image

from skill.cli import main
from skill.package.build import MODELS_DIR

MANIFEST_CLASS = "ask_smapi_model.v1.skill.manifest.skill_manifest_envelope.SkillManifestEnvelope"
MODEL_CLASS = (
    "ask_smapi_model.v1.skill.interaction_model.interaction_model_data.InteractionModelData"
)
LOCALES = ["en-US", "en-GB", "en-CA", "en-AU", "en-IN"]
ARN = "arn:aws:lambda:eu-west-1:210987654321:function:stretch-coach-StretchCoachFunction-AbC12"
PRIVACY = "https://stretch.coach.dev/privacy"
TERMS = "https://stretch.coach.dev/terms"


def package(out: Path, *extra: str, endpoint: str = ARN, privacy: str = PRIVACY,
            terms: str = TERMS, skill_id: str | None = None) -> tuple[int, str]:  # fmt: skip
    if skill_id is not None:
        extra = (*extra, "--skill-id", skill_id)
    text = io.StringIO()
    code = main(["package", "--out", str(out), "--endpoint", endpoint, "--privacy-url", privacy,
                 "--terms-url", terms, *extra], out=text)  # fmt: skip
    return code, text.getvalue()


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pkg")
    code, _ = package(out)
    assert code == 0
    return out


def skill_json(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / "skill-package/skill.json").read_text())
    return data


def test_the_layout_is_ask_cli_v2(written: Path) -> None:
    files = sorted(str(p.relative_to(written)) for p in written.rglob("*") if p.is_file())
    assert files == sorted([
        "ask-resources.json",
        "skill-package/skill.json",
        "skill-package/assets/images/icon-108.png",
        "skill-package/assets/images/icon-512.png",
        *(f"skill-package/interactionModels/custom/{locale}.json" for locale in LOCALES),
    ])  # fmt: skip
    resources = json.loads((written / "ask-resources.json").read_text())
    assert resources["askcliResourcesVersion"] == "2020-03-31"
    assert resources["profiles"]["default"]["skillMetadata"]["src"] == "./skill-package"


def test_the_manifest_deserialises_and_says_what_was_asked(written: Path) -> None:
    text = (written / "skill-package/skill.json").read_text()
    envelope = DefaultSerializer().deserialize(text, MANIFEST_CLASS)
    body = envelope.manifest
    assert body.apis.custom.endpoint.uri == ARN
    assert body.events.endpoint.uri == ARN
    assert [s.event_name.value for s in body.events.subscriptions] == ["SKILL_DISABLED"]
    assert body.privacy_and_compliance.uses_personal_info is True
    for locale in LOCALES:
        info = body.publishing_information.locales[locale]
        assert info.small_icon_uri == "file://assets/images/icon-108.png"
        assert info.large_icon_uri == "file://assets/images/icon-512.png"
        policy = body.privacy_and_compliance.locales[locale]
        assert (policy.privacy_policy_url, policy.terms_of_use_url) == (PRIVACY, TERMS)
    # ask-smapi-model drops keys it does not know: check the spelling ourselves.
    data = skill_json(written)["manifest"]
    assert set(data) == {"manifestVersion", "publishingInformation", "apis", "events",
                         "privacyAndCompliance"}  # fmt: skip
    assert data["events"] == {"endpoint": {"uri": ARN},
                              "subscriptions": [{"eventName": "SKILL_DISABLED"}]}  # fmt: skip
    for locale in LOCALES:
        info = data["publishingInformation"]["locales"][locale]
        assert {"smallIconUri", "largeIconUri"} <= set(info)
        assert set(data["privacyAndCompliance"]["locales"][locale]) == {
            "privacyPolicyUrl", "termsOfUseUrl"}  # fmt: skip
    assert "example.com" not in text and "123456789012" not in text


def test_every_icon_the_manifest_names_is_a_png_of_its_size(written: Path) -> None:
    root = written / "skill-package"
    for info in skill_json(written)["manifest"]["publishingInformation"]["locales"].values():
        for key, size in (("smallIconUri", 108), ("largeIconUri", 512)):
            with Image.open(root / info[key].removeprefix("file://")) as image:
                assert (image.format, image.mode, image.size) == ("PNG", "RGB", (size, size))
                # A drawing, not a flat square: the figure and the disc differ from the corner.
                assert len(image.getcolors(maxcolors=512 * 512) or []) > 20


def test_the_models_are_the_repository_models_and_deserialise(written: Path) -> None:
    for locale in LOCALES:
        path = written / f"skill-package/interactionModels/custom/{locale}.json"
        assert path.read_text() == (MODELS_DIR / f"{locale}.json").read_text()
        model = DefaultSerializer().deserialize(path.read_text(), MODEL_CLASS)
        assert model.interaction_model.language_model.invocation_name == "stretch coach"


def test_a_skill_id_is_written_where_ask_deploy_looks_for_it(tmp_path: Path) -> None:
    skill_id = "amzn1.ask.skill.0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"
    assert package(tmp_path, "--skill-id", skill_id)[0] == 0
    states = json.loads((tmp_path / ".ask/ask-states.json").read_text())
    assert states == {"askcliStatesVersion": "2020-03-31",
                      "profiles": {"default": {"skillId": skill_id}}}  # fmt: skip


def test_an_https_endpoint_carries_its_certificate_type(tmp_path: Path) -> None:
    url = "https://coach.stretch.dev/alexa"
    assert package(tmp_path, "--certificate", "Wildcard", endpoint=url)[0] == 0
    data = skill_json(tmp_path)["manifest"]
    assert data["apis"]["custom"]["endpoint"] == {"uri": url, "sslCertificateType": "Wildcard"}
    assert data["events"]["endpoint"] == data["apis"]["custom"]["endpoint"]


REFUSED = [
    {"endpoint": "arn:aws:lambda:us-east-1:123456789012:function:stretch-coach"},
    {"endpoint": "arn:aws:lambda:us-east-1:2109876543:function:stretch-coach"},
    {"endpoint": "arn:aws:s3:::bucket"},
    {"endpoint": "http://coach.stretch.dev/alexa"},
    {"endpoint": "https://example.com/alexa"},
    {"privacy": "https://example.com/stretch-coach/privacy"},
    {"privacy": "https://www.example.org/privacy"},
    {"privacy": "stretch.coach.dev/privacy"},
    {"terms": "https://example.com/stretch-coach/terms"},
    {"terms": "https://localhost/terms"},
    {"terms": "ftp://stretch.coach.dev/terms"},
    {"skill_id": "amzn1.ask.skill.00000000-0000-0000-0000-000000000000"},
    {"skill_id": "amzn1.ask.skill...."},
]


@pytest.mark.parametrize("bad", REFUSED, ids=[next(iter(b.values())) for b in REFUSED])
def test_a_placeholder_or_malformed_value_is_refused_in_one_line(
    bad: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code, _ = package(out, **bad)
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("stretch-coach: ") and "Traceback" not in err
    assert not out.exists()


def test_the_template_itself_still_holds_placeholders_and_would_be_refused() -> None:
    from skill.package.build import load_template, placeholders

    assert placeholders(load_template())


# --- health-policy wording: what is said and published makes no therapeutic claim -----------

REPO = MODELS_DIR.parent
# Words that promise an effect on the body's health; cues and tips say what to do and feel.
CLAIM = re.compile(
    r"\b(helps?|helping|can help)\b(?! (?:me|you)\b)(?! yourself)(?! quickly)"
    r"|\b(relieves?|cures?|heals?|treats?|corrects?|fix(?:es)?|prevents?|protects? (?:the|your) "
    r"(?:back|hips?|spine))\b"
    r"|\bstrengthens?\b|\bgood for\b|\bbenefits?\b",
    re.IGNORECASE,
)


def spoken_and_published() -> list[tuple[str, str]]:
    texts = [*(REPO / "content").rglob("*.yaml"), REPO / "skill/alexa/locale/en.yaml"]
    lines = [(f"{p.name}:{n}", line) for p in texts
             for n, line in enumerate(p.read_text().splitlines(), 1)]  # fmt: skip
    manifest = json.loads((MODELS_DIR / "skill.json").read_text())["manifest"]
    for locale, info in manifest["publishingInformation"]["locales"].items():
        lines += [
            (f"skill.json {locale}", info["summary"]),
            (f"skill.json {locale}", info["description"]),
        ]
    return lines


def test_no_therapeutic_claims_in_cues_tips_prompts_or_the_manifest() -> None:
    lines = spoken_and_published()
    assert len(lines) > 1000
    claims = [f"{where}: {text.strip()}" for where, text in lines
              if CLAIM.search(text.split("#")[0] if where.endswith("yaml") else text)]  # fmt: skip
    # "get help quickly" is advice to seek care, not a claim.
    assert claims == [], "\n".join(claims)
    assert CLAIM.search("This helps correct a pelvis that tips forward")
    assert CLAIM.search("It can help when sitting itself is painful")


# --- the README's deploy walkthrough runs as written -------------------------------------------


def test_the_readme_walkthrough_matches_the_commands(tmp_path: Path) -> None:
    import shlex

    readme = (REPO / "README.md").read_text()
    walkthrough = readme[readme.index("## Deploying to AWS") :]
    walkthrough = walkthrough[: walkthrough.index("\n## ", 1)]
    for command in ("sam build", "sam deploy --guided", "ask deploy"):
        assert command in walkthrough, command
    assert "FunctionArn" in (REPO / "template.yaml").read_text()
    block = walkthrough[walkthrough.index("stretch-coach package --out") :]
    line = block[: block.index("```")].replace("\\\n", " ")
    argv = shlex.split(line)[1:]
    # As printed, it still holds placeholders: refused.
    assert main(argv, out=io.StringIO()) == 2
    real = {
        "REGION": "eu-west-1",
        "ACCOUNT": "210987654321",
        "NAME": "coach",
        "YOUR.SITE": "stretch.coach.dev",
        "YOUR-ID": "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
    }
    filled = []
    for arg in argv:
        for placeholder, value in real.items():
            arg = arg.replace(placeholder, value)
        filled.append(str(tmp_path) if arg == "build/ask" else arg)
    assert main(filled, out=io.StringIO()) == 0
    for path in ("skill-package/skill.json", "ask-resources.json", ".ask/ask-states.json"):
        assert (tmp_path / path).is_file() and path.split("/")[-1] in walkthrough


def test_the_manifest_declares_the_screen_interface(written: Path) -> None:
    text = (written / "skill-package/skill.json").read_text()
    custom = DefaultSerializer().deserialize(text, MANIFEST_CLASS).manifest.apis.custom
    [interface] = custom.interfaces
    assert interface.object_type == "ALEXA_PRESENTATION_APL"
    modes = {(v.mode.value, v.shape.value) for v in interface.supported_viewports}
    assert modes == {("HUB", "ROUND"), ("HUB", "RECTANGLE"), ("TV", "RECTANGLE")}
    # Spelling, which the model would drop silently.
    [raw] = skill_json(written)["manifest"]["apis"]["custom"]["interfaces"]
    assert raw["type"] == "ALEXA_PRESENTATION_APL"
    template = json.loads((MODELS_DIR / "skill.json").read_text())
    assert template["manifest"]["apis"]["custom"]["interfaces"] == [raw]
