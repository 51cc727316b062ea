"""Text chunks and pauses for local speech engines, which cannot read SSML."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from skill.engine.script import Block, Script, Segment


@dataclass(frozen=True)
class Chunk:
    """Words to say, then seconds of silence."""

    text: str
    pause: float


def chunks(segments: Iterable[Segment]) -> list[Chunk]:
    """Merge silent segments into the pause before them, so each chunk is words then quiet."""
    out: list[Chunk] = []
    for segment in segments:
        pause = segment.pause_ms / 1000
        if segment.text:
            out.append(Chunk(segment.text, pause))
        elif out:
            out[-1] = Chunk(out[-1].text, out[-1].pause + pause)
        elif pause:
            out.append(Chunk("", pause))
    return out


def render_block(script: Script, block: Block, *, with_prompt: bool = True) -> list[Chunk]:
    segments = [seg for step in script.block_steps(block) for seg in step.segments]
    result = chunks(segments)
    if with_prompt and block.prompt:
        result.append(Chunk(block.prompt, 0.0))
    return result


def render_script(script: Script) -> list[Chunk]:
    """The whole routine without prompts, as a local player speaks it straight through."""
    return chunks(seg for step in script.steps for seg in step.segments)
