"""Changing the routine while in it (leaving a stretch out) never skips a side or breaks a turn."""

from __future__ import annotations

import itertools

import pytest

from skill.alexa import touch
from skill.alexa.person import Person
from skill.engine.cursor import Cursor
from skill.engine.script import SegmentKind
from tests.alexa import Conversation, Reply
from tests.test_coaching_rules import CATALOGUE
from tests.test_skill import Coach, said, welcomed

BROKEN = "something went wrong"


def _cursor(reply: Reply) -> Cursor:
    person = Person.from_session(reply.attributes["person"])
    assert person is not None and isinstance(person.position, Cursor)
    return person.position


def _stretches(routine: str) -> list[str]:
    return list(dict.fromkeys(item.stretch for item in CATALOGUE.routines[routine].items))


def _started(routine: str) -> tuple[Coach, Conversation]:
    """A welcomed person who has started the routine (and declined to be remembered)."""
    coach = Coach()
    talk = welcomed(coach)
    name = CATALOGUE.routines[routine].name
    reply = talk.say("StartRoutineIntent", routine=(name, routine))
    # No warning signs, nothing down a leg (a back routine named), and not remembered.
    while (
        (reply.attributes.get("pending") or {})
        .get("question", "")
        .startswith(("screening", "remember"))
    ):
        reply = talk.say("AMAZON.NoIntent")
    return coach, talk


ORDINARY = sorted(r for r in CATALOGUE.routines if r not in ("pregnancy",))


@pytest.mark.parametrize("routine", ORDINARY)
def test_leaving_out_the_stretch_you_are_on_plays_the_following_one_whole(
    routine: str,
) -> None:
    stretches = _stretches(routine)
    checked = 0
    for here, following in itertools.pairwise(stretches):
        coach, talk = _started(routine)
        on = talk.say("GoToStretchIntent", stretch=(CATALOGUE.stretches[here].name, here))
        if _cursor(on).stretch != here:
            continue  # left out or swapped by the routine's settings
        reply = talk.say("ExcludeStretchIntent", stretch=(CATALOGUE.stretches[here].name, here))
        assert said(reply, "excluded_now", stretch=CATALOGUE.stretches[here].name)
        at = _cursor(reply)
        script = coach.skill.services.script(routine, Person.from_session(
            reply.attributes["person"]).effective())  # type: ignore[union-attr]  # fmt: skip
        first = next(st for st in script.steps if st.stretch == following)
        # The following stretch from its start: its first side, its set-up, its cautions.
        assert (at.stretch, at.side, at.set) == (following, first.side, 1), (routine, here)
        announce = next(x.text for x in first.segments if x.kind is SegmentKind.ANNOUNCE)
        assert reply.speech.index(announce) < min(
            (reply.speech.find(c.say) for c in CATALOGUE.stretches[following].cautions),
            default=len(reply.speech),
        )
        for caution in CATALOGUE.stretches[following].cautions:
            assert caution.say in reply.speech, (routine, following)
        checked += 1
    assert checked >= 1


def test_a_stretch_on_its_own_then_left_out_never_breaks_a_turn() -> None:
    coach = Coach()
    talk = welcomed(coach)
    talk.say("SingleStretchIntent", stretch=("cobra", "cobra"))
    left_out = talk.say("ExcludeStretchIntent", stretch=("cobra", "cobra"))
    assert said(left_out, "excluded_idle", stretch="cobra")
    for intent in ("PainIntent", "AMAZON.NextIntent", "TimeLeftIntent", "SideIntent"):
        assert BROKEN not in talk.say(intent).speech, intent
    stopped = talk.say("AMAZON.StopIntent")
    assert stopped.ended and BROKEN not in stopped.speech


@pytest.mark.parametrize("routine", ORDINARY)
def test_other_side_after_leaving_out_an_earlier_stretch_never_breaks(routine: str) -> None:
    stretches = _stretches(routine)
    _, talk = _started(routine)
    last = stretches[-1]
    talk.say("GoToStretchIntent", stretch=(CATALOGUE.stretches[last].name, last))
    talk.say("ExcludeStretchIntent", stretch=(CATALOGUE.stretches[stretches[0]].name,
                                              stretches[0]))  # fmt: skip
    for side in ("other", "left", "right"):
        reply = talk.say("SideIntent", side=(side, side))
        assert BROKEN not in reply.speech, (routine, side)


@pytest.mark.parametrize("tail", ["²", "٣", "1" * 12, "-1", ""])
def test_a_damaged_screen_token_is_a_fresh_count_not_a_crash(tail: str) -> None:
    session = {touch.SCREEN: {"token": f"seniors/0/{tail}", "advance": True}}
    token = touch.issue(session, "seniors", 1, advance=True)
    assert token == "seniors/1/1"


@pytest.mark.parametrize("routine", ORDINARY)
def test_leaving_out_this_one_without_naming_it_leaves_out_the_one_you_are_on(
    routine: str,
) -> None:
    """ "Never give me this one again" names no stretch: it means the current one."""
    _, talk = _started(routine)
    on = talk.say("AMAZON.NextIntent")
    here = _cursor(on).stretch
    assert here is not None
    if on.ended:
        return  # the routine's last part: over, so nothing is current (tested below)
    reply = talk.say("ExcludeStretchIntent")
    assert said(reply, "excluded_now", stretch=CATALOGUE.stretches[here].name) or said(
        reply, "excluded", stretch=CATALOGUE.stretches[here].name
    )
    person = Person.from_session(reply.attributes["person"])
    assert person is not None and here in person.preferences.excluded


def test_leaving_out_this_one_outside_a_routine_asks_which() -> None:
    reply = welcomed(Coach()).say("ExcludeStretchIntent")
    assert said(reply, "which_stretch_idle")
