"""Health data kept only with a yes, and "forget me", by transcript on every store."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from skill.alexa.app import CoachSkill
from skill.alexa.person import HEALTH_COUNTS, HEALTH_FIELDS, Person
from skill.cli import main
from skill.config import Config
from skill.engine.cursor import Cursor
from skill.engine.preferences import Preferences
from skill.engine.screening import REVEALING_ROUTINES
from skill.store.base import VersionedAdapter, key_for_user
from skill.store.sqlite import SqliteAdapter
from tests import test_hostile
from tests.alexa import Conversation, Reply
from tests.test_hostile import KEY, talk_to
from tests.test_skill import said
from tests.test_skill import said as heard  # values not given may be anything

YES, NO = "AMAZON.YesIntent", "AMAZON.NoIntent"
SUGGESTIONS = "the seniors routine, the desk routine, or the daily ten"
# One moto server (HTTP) for this module, and the same three stores as the hostile tests.
moto_endpoint = test_hostile.moto_endpoint
store = test_hostile.store


def stored(store: VersionedAdapter) -> dict[str, Any] | None:
    record = store.read(KEY)
    return record.data if record else None


def health_in(data: dict[str, Any] | None) -> dict[str, Any]:
    """Everything a stored record holds that reveals health (the rule, not an example)."""
    return Person.from_attributes(data or {}).health()


def back_screening(talk: Conversation) -> Reply:
    """Which routine suits my back: no warning signs, worse sitting, nothing down the leg."""
    talk.launch()
    talk.say("WhichRoutineIntent")
    talk.say(NO)
    talk.say(YES)
    return talk.say(NO)


def mild_pain(talk: Conversation) -> Reply:
    talk.say("StartRoutineIntent", routine=("desk", "desk"))
    talk.say("PainIntent")
    return talk.say("PainKindIntent", painKind=("dull", "dull"))


def test_yes_keeps_the_screening_and_the_pain_count_for_next_time(store: VersionedAdapter) -> None:
    skill = CoachSkill(Config(store_url="memory://"), store=store)
    talk = talk_to(skill)
    asked = back_screening(talk)
    assert said(asked, "remember_screening") and not asked.ended
    # Until the answer, the consequence is the session's only.
    assert health_in(stored(store)) == {}
    reply = talk.say(YES)
    assert said(reply, "remembered") and said(reply, "recommend", advice="",
                                              routine="extension routine")  # fmt: skip
    record = stored(store)
    assert record is not None and record["consent"] is True
    assert set(health_in(record)) == {"screened"}
    # Asked once: the next health data is kept without asking again.
    again = talk_to(skill)
    again.launch()
    choice = mild_pain(again)
    assert not said(choice, "remember_pain") and "Would you like" in choice.speech
    assert (choice.attributes["pending"] or {}).get("question") == "pain_choice"
    assert health_in(stored(store))["counts"] == {"pain": 1}
    # And the next session's routines still leave out what the screening left out.
    person = Person.from_attributes(stored(store) or {})
    assert "childs_pose" in person.effective().excluded


def test_no_keeps_it_for_this_session_only(store: VersionedAdapter) -> None:
    skill = CoachSkill(Config(store_url="memory://"), store=store)
    talk = talk_to(skill)
    back_screening(talk)
    reply = talk.say(NO)
    assert said(reply, "session_only") and said(reply, "recommend", advice="",
                                                routine="extension routine")  # fmt: skip
    record = stored(store)
    assert record is not None and record["consent"] is False
    assert health_in(record) == {}
    # The session still knows, so the routine it recommends leaves the stretches out.
    assert "back" in reply.attributes["person"]["screened"]
    started = talk.say(YES)
    assert "Child's pose" not in started.speech
    talk.say("PainIntent")
    talk.say("PainKindIntent", painKind=("dull", "dull"))  # not asked again: the no stands
    assert reply.attributes["person"]["consent"] is False
    session = talk.say("AMAZON.RepeatIntent").attributes["person"]
    assert session["counts"].get("pain") == 1 and session["screened"]
    assert health_in(stored(store)) == {}
    text = json.dumps(stored(store))
    assert "pain" not in text and "childs_pose" not in text
    # A new session starts from the store: nothing about health, and no question again.
    fresh = talk_to(skill)
    fresh.launch()
    fresh.say("StartRoutineIntent", routine=("pregnancy", "pregnancy"))
    fresh.say(YES)
    started = fresh.say(YES)
    assert not said(started, "remember_screening") and "Cat cow." in started.speech
    assert health_in(stored(store)) == {}


@pytest.mark.parametrize("answer", ["ForNowIntent", "EitherIntent"])
def test_just_for_today_or_a_shrug_keeps_it_for_this_session_only(
    answer: str, store: VersionedAdapter
) -> None:
    """ "Just for today" and "doesn't matter" keep the least: as a no does, and go on."""
    skill = CoachSkill(Config(store_url="memory://"), store=store)
    talk = talk_to(skill)
    back_screening(talk)
    reply = talk.say(answer)
    assert said(reply, "session_only") and not reply.ended
    assert said(reply, "recommend", advice="", routine="extension routine")
    record = stored(store)
    assert record is not None and record["consent"] is False
    assert health_in(record) == {}


@pytest.mark.parametrize("kind", ["mild", "dull", "stretchy"])
def test_mild_pain_with_no_routine_running_asks_nothing_about_remembering(
    kind: str, store: VersionedAdapter
) -> None:
    skill = CoachSkill(Config(store_url="memory://"), store=store)
    talk = talk_to(skill)
    talk.launch()
    reply = talk.say("PainKindIntent", painKind=(kind, kind))
    assert not said(reply, "remember_pain") and heard(reply, "pain_idle")
    assert (reply.attributes.get("pending") or {}).get("question") != "remember"
    assert health_in(stored(store)) == {}


def test_a_screening_that_changed_nothing_asks_nothing(store: VersionedAdapter) -> None:
    skill = CoachSkill(Config(store_url="memory://"), store=store)
    talk = talk_to(skill)
    talk.launch()
    talk.say("WhichRoutineIntent")
    talk.say(NO)
    talk.say(NO)
    offer = talk.say(NO)  # neither pattern: gentle hip mobility, nothing left out
    assert not said(offer, "remember_screening") and "gentle hip mobility" in offer.speech
    record = stored(store)
    assert record is not None and record["consent"] is None and health_in(record) == {}


def test_severe_pain_before_any_answer_is_never_stored(store: VersionedAdapter) -> None:
    skill = CoachSkill(Config(store_url="memory://"), store=store)
    talk = talk_to(skill)
    talk.launch()
    talk.say("StartRoutineIntent", routine=("desk", "desk"))
    talk.say("PainIntent")
    assert said(talk.say("PainKindIntent", painKind=("sharp", "sharp")), "pain_stop")
    record = stored(store)
    assert record is not None and record["consent"] is None and health_in(record) == {}


def test_forget_me_deletes_the_record_after_a_yes(store: VersionedAdapter) -> None:
    skill = CoachSkill(Config(store_url="memory://"), store=store)
    talk = talk_to(skill)
    back_screening(talk)
    talk.say(YES)
    talk.say("AMAZON.StopIntent")
    talk = talk_to(skill)
    talk.launch()
    assert said(talk.say("ForgetIntent"), "forget_confirm")
    kept = talk.say(NO)
    assert said(kept, "kept", suggestions=SUGGESTIONS) and not kept.ended
    assert stored(store) is not None
    talk.say("ForgetIntent")
    other = talk.say("AMAZON.NextIntent")  # not an answer: asked again, nothing deleted
    assert said(other, "forget_reprompt") and stored(store) is not None
    gone = talk.say(YES)
    assert said(gone, "forgotten") and gone.ended
    assert stored(store) is None and store.load(KEY) is None
    # The next visit is a first one, with the disclaimer.
    assert said(talk_to(skill).launch(), "welcome_first", suggestions=SUGGESTIONS)


def test_a_person_keeps_no_health_field_without_consent() -> None:
    """Every health field and count, set, then saved with each answer to the question."""
    person = Person(
        screened={"back": Preferences(excluded=frozenset({"childs_pose"}), gentle=True)},
        counts={"started": 2, **dict.fromkeys(HEALTH_COUNTS, 3)},
        ask_again={"pregnancy": "2026-12-01"},
    )
    assert set(person.health()) == {*HEALTH_FIELDS, "counts"}
    for consent in (None, False):
        person.consent = consent
        kept = person.to_stored()
        assert Person.from_attributes(kept).health() == {}
        assert kept["counts"] == {"started": 2} and kept["consent"] is consent
    person.consent = True
    assert person.to_stored() == person.to_attributes()


def test_a_revealing_routine_is_kept_in_no_store_without_consent() -> None:
    """Being in the pregnancy routine, or one for a kind of back pain, reveals it too."""
    assert {"pregnancy", "extension_responders", "flexion_responders"} == REVEALING_ROUTINES
    for routine in REVEALING_ROUTINES:
        person = Person(position=Cursor(routine=routine, block=1))
        person.started_routine(routine)
        assert set(person.health()) == {"position", "history"}
        for consent in (None, False):
            person.consent = consent
            kept = Person.from_attributes(person.to_stored())
            assert kept.health() == {} and kept.position is None
            assert kept.counts == {"started": 1} and person.holds_back_position()
        person.consent = True
        assert person.to_stored() == person.to_attributes() and not person.holds_back_position()
    ordinary = Person(position=Cursor(routine="desk", block=1))
    ordinary.started_routine("desk")
    assert ordinary.health() == {} and ordinary.to_stored() == ordinary.to_attributes()


def test_no_to_the_pregnancy_screening_keeps_no_place_and_promises_none(
    store: VersionedAdapter,
) -> None:
    skill = CoachSkill(Config(store_url="memory://"), store=store)
    talk = talk_to(skill)
    talk.launch()
    talk.say("StartRoutineIntent", routine=("pregnancy", "pregnancy"))
    talk.say(YES)
    assert said(talk.say(NO), "remember_screening")
    started = talk.say(NO)
    assert "Cat cow." in started.speech
    assert started.attributes["person"]["position"]["routine"] == "pregnancy"
    stopped = talk.say("AMAZON.StopIntent")
    assert said(stopped, "stopped_unsaved", stretch="cat cow") and stopped.ended
    record = stored(store)
    assert record is not None and health_in(record) == {}
    assert record["position"] is None and "pregnancy" not in json.dumps(record)
    assert said(talk_to(skill).launch(), "welcome_back", suggestions=SUGGESTIONS)


SCREENING = {"screening", "screening_late", "screening_symptom"}


def _start_by_name(talk: Conversation, routine: str) -> tuple[list[Reply], Reply]:
    """Start a routine by name, answering any screening (cleared, not late, no warning
    signs, nothing down a leg); every reply."""
    replies = [talk.say("StartRoutineIntent", routine=(routine.replace("_", " "), routine))]
    for _ in range(4):
        question = (replies[-1].attributes.get("pending") or {}).get("question")
        if question not in SCREENING:
            break
        replies.append(talk.say(YES if question == "screening" else NO))
    return replies[:-1], replies[-1]


@pytest.mark.parametrize("routine", sorted(REVEALING_ROUTINES))
@pytest.mark.parametrize("answer", [YES, NO])
def test_starting_a_revealing_routine_asks_once_before_keeping_the_place(
    routine: str, answer: str, store: VersionedAdapter
) -> None:
    skill = CoachSkill(Config(store_url="memory://"), store=store)
    talk = talk_to(skill)
    talk.launch()
    before, asked = _start_by_name(talk, routine)
    assert (asked.attributes.get("pending") or {}).get("question") == "remember", routine
    assert not any((r.attributes.get("pending") or {}).get("question") == "remember"
                   for r in before)  # fmt: skip
    started = talk.say(answer)
    assert started.attributes["person"]["position"]["routine"] == routine
    stopped = talk.say("AMAZON.StopIntent")
    record = stored(store)
    assert record is not None and record["consent"] is (answer == YES)
    if answer == YES:
        assert heard(stopped, "stopped") and record["position"]["routine"] == routine
        assert heard(talk_to(skill).launch(), "offer_resume")
    else:
        assert heard(stopped, "stopped_unsaved") and record["position"] is None
        assert health_in(record) == {} and routine not in json.dumps(record)
    # Asked once: the answer stands for the next start.
    again = talk_to(skill)
    again.launch()
    _, restarted = _start_by_name(again, routine)
    assert (restarted.attributes.get("pending") or {}).get("question") != "remember"


# --- stretch-coach forget, on a laptop --------------------------------------------------------


def _forget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *args: str, typed: str | None,
            ) -> tuple[int, bool]:  # fmt: skip
    db = tmp_path / "coach.db"
    adapter = SqliteAdapter(db)
    from skill.local.identity import local_user_id

    key = key_for_user(local_user_id())
    attributes = adapter.attributes(key)
    attributes["welcomed"] = True
    adapter.write(key, attributes)
    monkeypatch.setattr("sys.stdin.isatty", lambda: typed is not None, raising=False)
    monkeypatch.setattr("builtins.input", lambda prompt="": typed or "")
    code = main(["forget", "--store", f"sqlite:///{db}", *args], out=io.StringIO())
    return code, adapter.read(key) is not None


def test_forget_on_a_laptop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                            capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert _forget(tmp_path, monkeypatch, "--yes", typed=None) == (0, False)
    # No terminal and no --yes: refused in one line, nothing deleted, nothing waited for.
    assert _forget(tmp_path, monkeypatch, typed=None) == (2, True)
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--yes" in err
    assert _forget(tmp_path, monkeypatch, typed="n") == (0, True)
    assert _forget(tmp_path, monkeypatch, typed="y") == (0, False)


def test_forgetting_a_pregnancy_deletes_its_record_and_keeps_adapting_this_visit(
    store: VersionedAdapter,
) -> None:
    """A privacy request is no news that the pregnancy is over: lying flat stays left out."""
    skill = CoachSkill(Config(store_url="memory://"), store=store)
    talk = talk_to(skill)
    talk.launch()
    talk.say("StartRoutineIntent", routine=("pregnancy routine", "pregnancy"))
    talk.say(YES)  # cleared by a midwife
    talk.say(YES)  # in the last three months
    talk.say(YES)  # remember it
    assert "pregnancy" in health_in(stored(store))["screened"]
    again = talk_to(skill)
    again.launch()
    reply = again.say("ForgetPregnancyIntent")
    assert said(reply, "pregnancy_unkept_idle") or said(reply, "pregnancy_unkept")
    assert "pregnancy" not in health_in(stored(store)).get("screened", {})
    # This visit still leaves out lying on the back, and saving as it goes keeps none of it.
    started = again.say("StartRoutineIntent", routine=("seniors routine", "seniors"))
    adapted = started.speech
    assert "Lying butterfly" not in adapted and "lie on your back" not in adapted.lower()
    again.say("AMAZON.NextIntent")
    assert "pregnancy" not in health_in(stored(store)).get("screened", {})
    # The next visit knows nothing of it: the person said so.
    later = talk_to(skill)
    later.launch()
    plain = later.say("StartRoutineIntent", routine=("seniors routine", "seniors")).speech
    assert "Lying butterfly" in plain


def test_forgetting_a_pregnancy_never_kept_says_so() -> None:
    talk = talk_to(CoachSkill(Config(store_url="memory://")))
    talk.launch()
    reply = talk.say("ForgetPregnancyIntent")
    assert said(reply, "pregnancy_nothing_kept_idle"), reply.speech
