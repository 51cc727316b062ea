"""Nearness in meaning: the sample closest to a sentence by static word embeddings."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# WordLlama's small English model: 256 numbers per token, shipped inside its wheel, so
# nothing is downloaded when it runs.
_WEIGHTS = ("weights", "l2_supercat_256.safetensors")
_TOKENIZER = ("tokenizers", "l2_supercat_tokenizer_config.json")


class Meaning:
    """The samples of a grammar, embedded on first use; one per grammar."""

    def __init__(self, texts: Sequence[str], guessable: Sequence[bool] = ()) -> None:
        self._texts = tuple(texts)
        # Samples a sentence may be found near; the others only match word for word.
        self._guessable = tuple(guessable) or (True,) * len(self._texts)
        self._matrix: Any = None

    def nearest(self, text: str) -> tuple[float, int] | None:
        """The cosine similarity and index of the sample nearest to text.

        None when the model is not installed, so the matcher works without it.
        """
        model = _model()
        if model is None or not self._texts:
            return None
        if self._matrix is None:
            matrix = model.embed(list(self._texts), norm=True)
            # A sample never guessed is nowhere near anything: its row is zero, once.
            matrix[[not g for g in self._guessable]] = 0.0
            self._matrix = matrix
        said = model.embed([text], norm=True)[0]
        near = self._matrix @ said
        best = int(near.argmax())
        return float(near[best]), best


@cache
def _model() -> Any:
    """WordLlama's bundled model, or None without it.

    Built from the wheel's own files: its loader looks for the tokenizer in a folder the
    wheel does not have and then tries the network, which a laptop offline lacks.
    """
    try:
        import wordllama
        from safetensors import safe_open
        from tokenizers import Tokenizer
        from wordllama.inference import WordLlamaInference
    except ImportError:
        log.info("wordllama is not installed: matching by words alone")
        return None
    root = Path(wordllama.__file__).resolve().parent
    weights, tokenizer = root.joinpath(*_WEIGHTS), root.joinpath(*_TOKENIZER)
    if not weights.is_file() or not tokenizer.is_file():
        log.warning("wordllama's bundled model is missing: matching by words alone")
        return None
    with safe_open(str(weights), framework="np") as tensors:
        embedding = tensors.get_tensor("embedding.weight")
    return WordLlamaInference(embedding, Tokenizer.from_file(str(tokenizer)))
