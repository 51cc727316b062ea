"""SSML for one block: escaped words, breaks of at most ten seconds, prosody for the pace."""

from __future__ import annotations

from dataclasses import dataclass

from skill.content.model import Pace
from skill.engine import phrases
from skill.engine.blocks import MAX_BREAK_MS
from skill.engine.pacing import PACES
from skill.engine.script import Block, Script, Segment


@dataclass(frozen=True)
class Rendered:
    """One response's speech and the reprompt said if the person stays quiet."""

    ssml: str
    reprompt: str
    ms: int  # how long the speech is expected to last


def escape(text: str) -> str:
    """XML-escape words for SSML (xml.sax.saxutils would pull in urllib: slower cold starts)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def breaks(pause_ms: int) -> str:
    """A silence as <break> tags of at most ten seconds each, adding up to exactly pause_ms."""
    tags = []
    while pause_ms > 0:
        chunk = min(pause_ms, MAX_BREAK_MS)
        tags.append(f'<break time="{chunk}ms"/>')
        pause_ms -= chunk
    return "".join(tags)


def segment_ssml(segment: Segment) -> str:
    text = escape(segment.text) + " " if segment.text else ""
    return text + breaks(segment.pause_ms)


def speak(body: str, pace: Pace = Pace.NORMAL) -> str:
    """Wrap SSML in <speak>, with a prosody rate unless the pace is normal."""
    rate = PACES[pace].speech_rate
    if pace is not Pace.NORMAL:
        body = f'<prosody rate="{round(rate * 100)}%">{body}</prosody>'
    return f"<speak>{body}</speak>"


def speak_text(text: str, pace: Pace = Pace.NORMAL) -> str:
    """Plain words (a prompt, an answer) as SSML."""
    return speak(escape(text), pace)


def render_block(
    script: Script, block: Block, prefix: str = "", suffix: str = "", *, entering: bool = False
) -> Rendered:
    """A block's SSML, with short lines said before it (prefix) and after it (suffix).

    entering: the person did not just hear the block before, so a block that starts part of
    the way into a stretch first says the stretch's cautions.
    """
    pace = script.settings.pace
    body = escape(prefix) + " " if prefix else ""
    body += "".join(
        segment_ssml(seg)
        for step in script.block_steps(block)
        for seg in (
            script.opening(step.index, entering) if step.index == block.start else step.segments
        )
    )
    if suffix:
        body += escape(suffix) + " "
    if block.prompt:
        body += escape(block.prompt)
    return Rendered(
        ssml=speak(body.rstrip(), pace),
        reprompt=speak_text(phrases.REPROMPT, pace) if block.prompt else "",
        ms=block.ms,
    )
