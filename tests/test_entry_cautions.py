"""Cautions reach whoever starts part of the way into a stretch: tomorrow, or after going back."""

from __future__ import annotations

from typing import Any

import pytest

from skill.alexa.person import Person
from skill.alexa.untrusted import MAX_SPEECH_CHARS
from skill.engine.cursor import Cursor
from skill.engine.script import Script, SegmentKind
from skill.speech.ssml import render_block
from skill.speech.text import render_script
from tests.alexa import Reply
from tests.test_coaching_rules import CATALOGUE, scripts
from tests.test_skill import Coach, welcomed


def stretch_cautions(script: Script, step: int) -> list[str]:
    """Every caution of the stretch at this step, as the content words it."""
    stretch = script.steps[step].stretch
    assert stretch is not None
    return list(dict.fromkeys(c.say for c in CATALOGUE.stretches[stretch].cautions))


def test_whoever_enters_a_block_hears_every_caution_of_its_stretch_once() -> None:
    continuing = 0
    for name, script in scripts():
        for block in script.blocks:
            here, entry = block.start, [s.text for s in script.entry(block.start)]
            step = script.steps[here]
            if step.item is None:
                assert entry == [], (name, block.index)  # the intro
                continue
            own = [s.text for s in step.segments if s.kind is SegmentKind.CAUTION]
            # Together, what the block says and what comes first: every caution, once.
            assert sorted(entry + own) == sorted(stretch_cautions(script, here)), (name, here)
            continuing += here > 0 and script.steps[here - 1].item == step.item
            assert all(s.kind is SegmentKind.CAUTION for s in script.entry(here))
            # Still one response Alexa accepts, with the longest lines said before it.
            rendered = render_block(script, block, "x" * 600, "x" * 300, entering=True)
            assert len(rendered.ssml) <= MAX_SPEECH_CHARS, (name, block.index)
    assert continuing >= 20  # the rule is exercised part of the way into stretches too


def in_order(text: str, lines: list[str]) -> bool:
    """Whether every line is said in text, one after another."""
    at = 0
    for line in lines:
        at = text.find(line, at)
        if at < 0:
            return False
        at += len(line)
    return True


def test_a_laptop_picking_up_anywhere_hears_the_cautions_after_the_stretch_is_named() -> None:
    for name, script in scripts():
        for block in script.blocks:
            step = script.steps[block.start]
            entry = [s.text for s in script.entry(block.start)]
            said = [chunk.text for chunk in render_script(script, block.index) if chunk.text]
            opening = [s.text for s in script.opening(block.start, entering=True) if s.text]
            assert said[: len(opening)] == opening, (name, block.index)
            if entry and step.segments[0].kind is SegmentKind.ANNOUNCE:
                assert said[0] == step.segments[0].text and said[1 : 1 + len(entry)] == entry


# --- through the skill ----------------------------------------------------------------------


def _person(reply: Reply) -> Person:
    person = Person.from_session(reply.attributes["person"])
    assert person is not None
    return person


def _answer_questions(talk: Any, reply: Reply) -> Reply:
    """Clear a screening or consent question so the routine plays (cleared, not late, no
    warning signs, nothing down a leg, remembered)."""
    for _ in range(5):
        question = (reply.attributes.get("pending") or {}).get("question")
        if question not in {"screening", "screening_late", "screening_symptom", "remember"}:
            break
        yes = question in ("screening", "remember")
        reply = talk.say("AMAZON.YesIntent" if yes else "AMAZON.NoIntent")
    return reply


def _place(coach: Coach, routine: str, reply: Reply) -> tuple[Script, int]:
    person = _person(reply)
    assert isinstance(person.position, Cursor)
    return coach.skill.services.script(routine, person.effective()), person.position.block


def _lines(script: Script, block: int) -> tuple[list[str], list[str]]:
    """The block's entry cautions, and everything its own steps say."""
    start = script.blocks[block].start
    own = [s.text for step in script.block_steps(script.blocks[block]) for s in step.segments]
    return [s.text for s in script.entry(start)], own


@pytest.mark.parametrize("routine", sorted(CATALOGUE.routines))
def test_through_the_skill_cautions_are_said_again_only_to_someone_who_did_not_hear_them(
    routine: str,
) -> None:
    coach = Coach()
    talk = welcomed(coach)
    name = CATALOGUE.routines[routine].name
    reply = _answer_questions(talk, talk.say("StartRoutineIntent", routine=(name, routine)))
    script, _ = _place(coach, routine, reply)
    mid_stretch = [b.index for b in script.blocks if script.entry(b.start)]
    checked = []
    while True:
        script, block = _place(coach, routine, reply)
        after = block + 1
        if after not in mid_stretch:
            if reply.ended:
                break
            reply = talk.say("AMAZON.NextIntent")
            continue
        entry, own = _lines(script, after)
        # Straight on from the block before: no more often than the block itself says them.
        straight_on = talk.say("AMAZON.NextIntent")
        assert all(straight_on.speech.count(x) == own.count(x) for x in entry), (routine, after)
        talk.say("AMAZON.PreviousIntent")
        # Heard the block before, then fell silent; tomorrow "open stretch coach", "yes":
        # the next block, part of the way into the stretch, with its cautions first.
        talk.end("EXCEEDED_MAX_REPROMPTS")
        talk.launch()
        resumed = talk.say("AMAZON.YesIntent")
        assert all(resumed.speech.count(x) == own.count(x) + 1 for x in entry), (routine, after)
        opening = [x.text for x in script.opening(script.blocks[after].start, True) if x.text]
        assert in_order(resumed.speech, opening), (routine, after)
        reply = resumed
        if after + 1 < len(script.blocks) - 1:
            # Going back into it from the block after says them again too.
            talk.say("AMAZON.NextIntent")
            reply = talk.say("AMAZON.PreviousIntent")
            assert all(reply.speech.count(x) == own.count(x) + 1 for x in entry), routine
        checked.append(after)
    assert checked == mid_stretch
