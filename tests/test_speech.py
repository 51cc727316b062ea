"""Speech rendering: SSML that Alexa accepts, and text chunks for local speech."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from skill.content import default_catalogue
from skill.content.model import Pace
from skill.engine.compiler import compile_routine
from skill.engine.preferences import Preferences
from skill.engine.script import Segment, SegmentKind
from skill.speech import ssml, text


@given(st.integers(0, 200_000))
def test_breaks_add_up_exactly_and_never_exceed_ten_seconds(pause_ms: int) -> None:
    tags = ssml.breaks(pause_ms)
    times = [int(b.attrib["time"].removesuffix("ms")) for b in ET.fromstring(f"<x>{tags}</x>")]
    assert sum(times) == pause_ms
    assert all(0 < t <= 10_000 for t in times)


def test_words_are_escaped() -> None:
    segment = Segment(SegmentKind.CUE, "Hips & knees <up>", 1500)
    rendered = ssml.segment_ssml(segment)
    assert rendered == 'Hips &amp; knees &lt;up&gt; <break time="1500ms"/>'
    assert ET.fromstring(ssml.speak(rendered)).tag == "speak"


def test_pace_sets_the_prosody_rate() -> None:
    assert ssml.speak_text("Hi", Pace.SLOWER) == '<speak><prosody rate="85%">Hi</prosody></speak>'
    assert ssml.speak_text("Hi", Pace.NORMAL) == "<speak>Hi</speak>"
    assert ssml.speak_text("Hi", Pace.FASTER).startswith('<speak><prosody rate="115%">')


def test_a_block_ends_with_its_prompt_and_carries_a_reprompt() -> None:
    catalogue = default_catalogue()
    script = compile_routine(catalogue, catalogue.routines["desk"])
    first = ssml.render_block(script, script.blocks[0])
    assert first.ssml.endswith(f"{script.blocks[0].prompt}</speak>")
    assert "Say next" in first.reprompt
    last = ssml.render_block(script, script.blocks[-1])
    assert last.reprompt == ""
    assert "That's the end of the desk routine" in last.ssml


def test_text_chunks_put_silences_after_words() -> None:
    chunks = text.chunks(
        [
            Segment(SegmentKind.TRANSITION, "", 2000),
            Segment(SegmentKind.CUE, "Lie down.", 1000),
            Segment(SegmentKind.TRANSITION, "", 4000),
            Segment(SegmentKind.HOLD, "Hold it there.", 0),
        ]
    )
    assert [(c.text, c.pause) for c in chunks] == [
        ("", 2.0),
        ("Lie down.", 5.0),
        ("Hold it there.", 0.0),
    ]


def test_ssml_back_to_chunks_keeps_words_and_breaks_in_order() -> None:
    ssml_text = (
        '<speak><prosody rate="85%">Okay. <break time="1500ms"/>Hold it there. '
        '<break time="10000ms"/><break time="5000ms"/>Halfway.</prosody></speak>'
    )
    assert [(c.text, c.pause_ms) for c in text.from_ssml(ssml_text)] == [
        ("Okay.", 1500),
        ("Hold it there.", 15000),
        ("Halfway.", 0),
    ]


def test_text_block_adds_the_prompt_only_when_asked() -> None:
    catalogue = default_catalogue()
    script = compile_routine(catalogue, catalogue.routines["seniors"], Preferences())
    block = script.blocks[0]
    assert text.render_block(script, block)[-1].text == block.prompt
    assert text.render_block(script, block, with_prompt=False)[-1].text != block.prompt
