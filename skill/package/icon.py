"""Draw the skill's icons from icon.json with Pillow, at the sizes Alexa asks for."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

DRAWING = Path(__file__).with_name("icon.json")
# Alexa's two icon sizes: the small one in the app's lists, the large one on its skill page.
SIZES = {"small": 108, "large": 512}
# Drawn this many times larger and scaled down, which smooths the edges of every line.
SUPERSAMPLE = 4


def draw(size: int, drawing: dict[str, Any] | None = None) -> Image.Image:
    """The icon as a square RGB image of `size` pixels."""
    spec = drawing if drawing is not None else json.loads(DRAWING.read_text(encoding="utf-8"))
    big = size * SUPERSAMPLE
    scale = big / 100

    def at(*values: float) -> list[float]:
        return [v * scale for v in values]

    image = Image.new("RGB", (big, big), spec["background"])
    pen = ImageDraw.Draw(image)
    disc = spec["disc"]
    (x, y), r = disc["centre"], disc["radius"]
    pen.ellipse(at(x - r, y - r, x + r, y + r), fill=disc["colour"])
    floor = spec["floor"]
    pen.line(at(*floor["points"]), fill=floor["colour"], width=round(floor["width"] * scale))
    figure = spec["figure"]
    width = round(figure["width"] * scale)
    for line in figure["lines"]:
        pen.line(at(*line), fill=figure["colour"], width=width, joint="curve")
        for px, py in zip(line[::2], line[1::2], strict=True):
            # Round ends, so limbs do not end in square stumps.
            half = figure["width"] / 2
            pen.ellipse(at(px - half, py - half, px + half, py + half), fill=figure["colour"])
    (hx, hy), hr = figure["head"]["centre"], figure["head"]["radius"]
    pen.ellipse(at(hx - hr, hy - hr, hx + hr, hy + hr), fill=figure["colour"])
    return image.resize((size, size), Image.Resampling.LANCZOS)


def write_icons(directory: Path) -> dict[str, Path]:
    """Write icon-108.png and icon-512.png into `directory`; their paths by kind."""
    directory.mkdir(parents=True, exist_ok=True)
    written = {}
    for kind, size in SIZES.items():
        path = directory / f"icon-{size}.png"
        draw(size).save(path, format="PNG", optimize=True)
        written[kind] = path
    return written
