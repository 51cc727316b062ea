"""The per-locale catalogue of what the skill says: code refers to prompts by key."""

from __future__ import annotations

import random
from functools import cache
from pathlib import Path

from skill.content.parsed import load_documents

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
    data = load_documents(LOCALE_DIR, [path], lambda p: read_yaml(p, p.name))[path]
    assert isinstance(data, dict), f"{path.name} must map prompt keys to variants"
    return {
        str(k): [str(v) for v in (vs if isinstance(vs, list) else [vs])] for k, vs in data.items()
    }


def read_yaml(path: Path, shown: str) -> object:
    # Only when the parsed copy is stale: a cold start then loads no YAML parser.
    from skill.content.yamlfile import read_yaml as read

    return read(path, shown)


def prompts_for(locale: str | None) -> Prompts:
    """The catalogue for a locale such as en-GB, falling back to English."""
    language = str(locale or DEFAULT_LANGUAGE).split("-")[0].lower()
    # The locale comes from the request: only a plain language code names a file here
    # ("../x" or a 10,000-character name must not reach the file system).
    if (
        not (language.isascii() and language.isalpha() and len(language) <= 3)
        or not (LOCALE_DIR / f"{language}.yaml").exists()
    ):
        language = DEFAULT_LANGUAGE
    return Prompts(_load(language))
