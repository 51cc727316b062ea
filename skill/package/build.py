"""Write the skill package (ASK CLI v2 layout) from the manifest template, refusing placeholders."""

from __future__ import annotations

import copy
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from skill.errors import StretchCoachError

MODELS_DIR = Path(__file__).resolve().parents[2] / "interaction_models"
TEMPLATE = MODELS_DIR / "skill.json"
LOCALES = ("en-US", "en-GB", "en-CA", "en-AU", "en-IN")
# The lifecycle events the skill acts on (app.py deletes the record on SkillDisabled).
EVENTS = ("SKILL_DISABLED",)
LAMBDA_ARN = re.compile(
    r"arn:aws[a-z-]*:lambda:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:function:[A-Za-z0-9_-]{1,64}"
    r"(?::[A-Za-z0-9_$-]{1,128})?"
)
# Words and numbers that mark a value nobody filled in; none may reach a written package.
PLACEHOLDER_ACCOUNT = "123456789012"
PLACEHOLDER_HOSTS = ("example.com", "example.org", "example.net", "localhost")
PLACEHOLDER_SUFFIXES = (".example", ".invalid", ".test", ".localhost")
CERTIFICATES = ("Trusted", "Wildcard", "SelfSigned")
SKILL_ID = re.compile(r"amzn1\.ask\.skill\.[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}")
PLACEHOLDER_SKILL = "amzn1.ask.skill.00000000-0000-0000-0000-000000000000"
ICONS = "assets/images"


class PackageError(StretchCoachError):
    """A value that cannot go into a package: a placeholder, or a malformed ARN or URL."""


@dataclass(frozen=True)
class Package:
    """What a deployer gives: where the skill runs and where its policies are published."""

    endpoint: str
    privacy_url: str
    terms_url: str
    certificate: str = "Trusted"
    # The skill to update; without it `ask deploy` creates a new skill.
    skill_id: str | None = None


def check_url(what: str, url: str) -> str:
    """An https URL on a real host; anything else is a PackageError naming `what`."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not host or "." not in host or " " in url:
        raise PackageError(f"{what} must be an https:// URL on a public host, not {url!r}")
    if (
        host in PLACEHOLDER_HOSTS
        or host.endswith(PLACEHOLDER_SUFFIXES)
        or any(host.endswith("." + placeholder) for placeholder in PLACEHOLDER_HOSTS)
    ):
        raise PackageError(f"{what} is a placeholder ({host}); give the real address")
    return url


def endpoint(package: Package) -> dict[str, str]:
    """The manifest's endpoint: a Lambda ARN as is, or an https URL with its certificate type."""
    value = package.endpoint
    if value.startswith("arn:"):
        if not LAMBDA_ARN.fullmatch(value):
            raise PackageError(f"--endpoint is not a Lambda function ARN: {value!r}")
        if f":{PLACEHOLDER_ACCOUNT}:" in value:
            raise PackageError(f"--endpoint names the placeholder account {PLACEHOLDER_ACCOUNT}")
        return {"uri": value}
    check_url("--endpoint", value)
    if package.certificate not in CERTIFICATES:
        raise PackageError(f"--certificate must be one of {', '.join(CERTIFICATES)}")
    return {"uri": value, "sslCertificateType": package.certificate}


def manifest(package: Package, template: dict[str, Any] | None = None) -> dict[str, Any]:
    """The template with the deployer's endpoint, policy URLs, events and icons filled in."""
    data = copy.deepcopy(template if template is not None else load_template())
    check_url("--privacy-url", package.privacy_url)
    check_url("--terms-url", package.terms_url)
    point = endpoint(package)
    body = data["manifest"]
    body["apis"]["custom"]["endpoint"] = dict(point)
    body["events"] = {
        "endpoint": dict(point),
        "subscriptions": [{"eventName": name} for name in EVENTS],
    }
    for locale, info in body["publishingInformation"]["locales"].items():
        info["smallIconUri"] = f"file://{ICONS}/icon-108.png"
        info["largeIconUri"] = f"file://{ICONS}/icon-512.png"
        body["privacyAndCompliance"]["locales"][locale] = {
            "privacyPolicyUrl": package.privacy_url,
            "termsOfUseUrl": package.terms_url,
        }
    left = placeholders(data)
    if left:
        raise PackageError(f"the manifest still holds a placeholder: {left[0]}")
    return data


def placeholders(value: object, where: str = "manifest") -> list[str]:
    """Every string in the manifest that still carries a placeholder, by its path."""
    if isinstance(value, dict):
        return [hit for key, item in value.items() for hit in placeholders(item, f"{where}.{key}")]
    if isinstance(value, list):
        return [hit for i, item in enumerate(value) for hit in placeholders(item, f"{where}[{i}]")]
    if isinstance(value, str):
        text = value.lower()
        marks = [PLACEHOLDER_ACCOUNT, *(f"//{h}" for h in PLACEHOLDER_HOSTS),
                 *(f".{h}" for h in PLACEHOLDER_HOSTS)]  # fmt: skip
        if any(mark in text for mark in marks):
            return [where]
    return []


def load_template() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    return data


def write_package(package: Package, out: Path) -> list[Path]:
    """Write skill-package/ and ask-resources.json in `out`, all checked before any is written."""
    data = manifest(package)
    if package.skill_id is not None and not SKILL_ID.fullmatch(package.skill_id):
        raise PackageError(f"--skill-id is not an Alexa skill id: {package.skill_id!r}")
    if package.skill_id == PLACEHOLDER_SKILL:
        raise PackageError("--skill-id is the placeholder id; give your skill's own")
    # Imported here: only packaging needs Pillow, and it is no part of the Lambda bundle.
    from skill.package.icon import write_icons

    root = out / "skill-package"
    models = root / "interactionModels" / "custom"
    models.mkdir(parents=True, exist_ok=True)
    written = []
    for locale in data["manifest"]["publishingInformation"]["locales"]:
        target = models / f"{locale}.json"
        shutil.copyfile(MODELS_DIR / f"{locale}.json", target)
        written.append(target)
    written.extend(write_icons(root / ICONS).values())
    skill_json = root / "skill.json"
    skill_json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    resources = out / "ask-resources.json"
    resources.write_text(json.dumps(ASK_RESOURCES, indent=2) + "\n", encoding="utf-8")
    written = [skill_json, *written, resources]
    if package.skill_id is not None:
        # Where ASK CLI v2 keeps the skill it deploys to: `ask deploy` then updates it.
        states = out / ".ask" / "ask-states.json"
        states.parent.mkdir(exist_ok=True)
        state = {"askcliStatesVersion": "2020-03-31",
                 "profiles": {"default": {"skillId": package.skill_id}}}  # fmt: skip
        states.write_text(json.dumps(state, indent=2) + "\n", encoding="utf-8")
        written.append(states)
    return written


# ASK CLI v2: the skill package only; the Lambda is deployed by SAM, named in the manifest.
ASK_RESOURCES = {
    "askcliResourcesVersion": "2020-03-31",
    "profiles": {"default": {"skillMetadata": {"src": "./skill-package"}}},
}
