"""The stretch catalogue: stretches and routines from content/, checked once at load."""

from __future__ import annotations

from functools import cache

from skill.content.loader import DEFAULT_ROOT, load_catalogue
from skill.content.model import Catalogue

__all__ = ["DEFAULT_ROOT", "Catalogue", "default_catalogue", "load_catalogue"]


@cache
def default_catalogue() -> Catalogue:
    """The catalogue in content/, loaded on first use and shared by every caller after."""
    return load_catalogue()
