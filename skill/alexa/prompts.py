"""The per-locale catalogue of what the skill says: code refers to prompts by key."""

from __future__ import annotations

import random
from functools import cache
from pathlib import Path

import yaml

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DEFAULT_LANGUAGE = "en"


class Prompts:
    """Spoken prompts for one language, with variants picked at random."""

    def __init__(self, catalogue: dict[str, list[str]], rng: random.Random | None = None):
        self.catalogue = catalogue
        self.rng = rng or random.Random()

    def say(self, key: str, **values: object) -> str:
        """One variant of a prompt, filled in; an unknown key is a programming error."""
        variants = self.catalogue[key]
        text = variants[0] if len(variants) == 1 else self.rng.choice(variants)
        return _sentence(" ".join(text.format(**values).split()))

    def variants(self, key: str, **values: object) -> list[str]:
        """Every way a prompt can be said: tests check responses against these."""
        return [_sentence(" ".join(v.format(**values).split())) for v in self.catalogue[key]]


def _sentence(text: str) -> str:
    """A prompt may open with a name ("{stretch} takes about..."): start it with a capital."""
    return text[:1].upper() + text[1:]


@cache
def _load(language: str) -> dict[str, list[str]]:
    path = LOCALE_DIR / f"{language}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        str(k): [str(v) for v in (vs if isinstance(vs, list) else [vs])] for k, vs in data.items()
    }


def prompts_for(locale: str | None) -> Prompts:
    """The catalogue for a locale such as en-GB, falling back to English."""
    language = (locale or DEFAULT_LANGUAGE).split("-")[0].lower()
    if not (LOCALE_DIR / f"{language}.yaml").exists():
        language = DEFAULT_LANGUAGE
    return Prompts(_load(language))
