"""Text chunks and pauses for local speech engines, which cannot read SSML."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from skill.engine.pacing import speaking_seconds
from skill.engine.script import HOLD_KINDS, Block, Script, Segment, SegmentKind, Step


@dataclass(frozen=True)
class Chunk:
    """Words to say in a slot of speech_ms, then pause_ms of silence (hold_ms of it a hold)."""

    text: str
    pause_ms: int
    speech_ms: int = 0
    kind: SegmentKind | None = None
    step: int | None = None
    hold_ms: int = 0

    @property
    def pause(self) -> float:
        return self.pause_ms / 1000

    @property
    def ms(self) -> int:
        return self.speech_ms + self.pause_ms


def _pieces(steps: Iterable[Step]) -> Iterator[tuple[Segment, int]]:
    for step in steps:
        for segment in step.segments:
            yield segment, step.index


def chunks(segments: Iterable[Segment | tuple[Segment, int]]) -> list[Chunk]:
    """Merge silent segments into the pause before them, so each chunk is words then quiet."""
    out: list[Chunk] = []
    for item in segments:
        segment, step = item if isinstance(item, tuple) else (item, None)
        hold = segment.pause_ms if segment.kind in HOLD_KINDS else 0
        if segment.text:
            out.append(Chunk(segment.text, segment.pause_ms, segment.speech_ms, segment.kind,
                             step, hold))  # fmt: skip
        elif out:
            last = out[-1]
            out[-1] = Chunk(last.text, last.pause_ms + segment.pause_ms, last.speech_ms,
                            last.kind, last.step, last.hold_ms + hold)  # fmt: skip
        elif segment.pause_ms:
            out.append(Chunk("", segment.pause_ms, 0, segment.kind, step, hold))
    return out


def render_block(script: Script, block: Block, *, with_prompt: bool = True) -> list[Chunk]:
    result = chunks(_pieces(script.block_steps(block)))
    if with_prompt and block.prompt:
        result.append(Chunk(block.prompt, 0, _speech_ms(block.prompt)))
    return result


def render_script(script: Script, start_block: int = 0) -> list[Chunk]:
    """The routine from a block on, without prompts, as a local player speaks it through."""
    if not script.blocks:
        return []
    first = script.blocks[start_block].start
    # Picking up where the person did not just hear the step before: its cautions too.
    opening = [(segment, first) for segment in script.opening(first, entering=True)]
    return chunks([*opening, *_pieces(script.steps[first + 1 :])])


def from_ssml(ssml: str) -> list[Chunk]:
    """What an SSML response says, as chunks: its words and its <break> silences, in order."""
    root = ET.fromstring(ssml)
    parts: list[tuple[str, int]] = []

    def walk(element: ET.Element) -> None:
        if element.tag == "break":
            time = element.attrib.get("time", "0ms")
            ms = int(float(time[:-2])) if time.endswith("ms") else int(float(time[:-1]) * 1000)
            parts.append(("", ms))
        elif element.text and element.text.strip():
            parts.append((element.text.strip(), 0))
        for child in element:
            walk(child)
            if child.tail and child.tail.strip():
                parts.append((child.tail.strip(), 0))

    walk(root)
    out: list[Chunk] = []
    for words, pause in parts:
        if words:
            out.append(Chunk(words, 0, _speech_ms(words)))
        elif out:
            out[-1] = Chunk(out[-1].text, out[-1].pause_ms + pause, out[-1].speech_ms)
        else:
            out.append(Chunk("", pause))
    return out


def _speech_ms(text: str) -> int:
    return round(speaking_seconds(text) * 1000)
