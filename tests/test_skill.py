"""The Alexa skill end to end: real envelopes, multi-turn transcripts, and what the store holds."""

from __future__ import annotations

import importlib.util
import json
import re
import time
from pathlib import Path
from typing import Any

import pytest

from skill.alexa import app
from skill.alexa.app import CoachSkill, SkillIdError
from skill.alexa.prompts import prompts_for
from skill.config import Config
from skill.content import default_catalogue
from skill.engine.cursor import Cursor, Status
from skill.engine.preferences import Preferences
from skill.store.base import Record, StoreError
from skill.store.memory import MemoryAdapter
from tests.alexa import Conversation, Reply, envelope

PROMPTS = prompts_for("en-US")
REPO = Path(__file__).resolve().parents[1]
SENIORS = ("seniors routine", "seniors")


def said(reply: Reply, key: str, **values: object) -> bool:
    """True when the reply contains one of the prompt's variants.

    A value the test does not give ({suggestions}, say) may be anything.
    """
    return any(re.search(pattern, reply.speech) for pattern in prompt_patterns(key, values))


def prompt_patterns(key: str, values: dict[str, object]) -> list[str]:
    patterns = []
    for template in PROMPTS.catalogue[key]:
        parts = re.split(r"(\{\w+\})", " ".join(template.split()))
        pattern = "".join(
            (re.escape(str(values[part[1:-1]])) if part[1:-1] in values else ".*?")
            if re.fullmatch(r"\{\w+\}", part)
            else r"\s*".join(re.escape(word) for word in part.split(" "))
            for part in parts
        )
        # The catalogue starts every prompt with a capital letter.
        patterns.append(f"(?i:{pattern[:1]}){pattern[1:]}" if pattern[:1].isalpha() else pattern)
    return patterns


class Coach:
    """The skill over an in-memory store, and a way to read what it stored."""

    def __init__(self, store: MemoryAdapter | None = None, skill_id: str | None = None) -> None:
        self.store = store or MemoryAdapter()
        self.skill = CoachSkill(Config(store_url="memory://", skill_id=skill_id), store=self.store)

    def handle(self, event: dict[str, Any]) -> dict[str, Any]:
        # Through JSON, as over the wire: nothing may depend on Python objects surviving.
        return json.loads(json.dumps(self.skill.handle(json.loads(json.dumps(event)))))  # type: ignore[no-any-return]

    def talk(self, user: str = "amzn1.ask.account.TESTUSER", locale: str = "en-US") -> Conversation:
        return Conversation(self.handle, user=user, locale=locale)

    def stored(self) -> list[dict[str, Any]]:
        return list(self.store.dump().values())

    def position(self) -> Cursor:
        [record] = self.stored()
        return Cursor.from_dict(record["position"])


@pytest.fixture
def coach() -> Coach:
    return Coach()


def welcomed(coach: Coach, user: str = "amzn1.ask.account.TESTUSER") -> Conversation:
    talk = coach.talk(user)
    talk.launch()
    return talk


# --- launch and choosing ------------------------------------------------------------------


def test_first_launch_welcomes_with_the_disclaimer_and_suggestions(coach: Coach) -> None:
    reply = coach.talk().launch()
    assert said(
        reply,
        "welcome_first",
        suggestions="the seniors routine, the desk routine, or the daily ten",
    )
    for words in ("not medical advice", "clinician", "sharp or spreading"):
        assert words in reply.speech
    assert not reply.ended
    assert coach.stored()[0]["welcomed"] is True


def test_returning_person_is_not_given_the_disclaimer_again(coach: Coach) -> None:
    welcomed(coach)
    reply = coach.talk().launch()
    assert "clinician" not in reply.speech
    assert said(
        reply, "welcome_back", suggestions="the seniors routine, the desk routine, or the daily ten"
    )


def test_start_a_routine_by_resolved_slot(coach: Coach) -> None:
    talk = welcomed(coach)
    reply = talk.say("StartRoutineIntent", routine=SENIORS)
    # The routine is named once, by its own introduction.
    assert reply.speech.startswith("The seniors routine. ")
    assert reply.speech.count("seniors routine") == 1
    assert "Lying butterfly." in reply.speech
    assert reply.speech.endswith("Ready for cobra? Say next.")
    assert "Say next" in reply.reprompt
    assert coach.position().block == 0


def test_start_a_routine_by_spoken_synonym_without_resolution(coach: Coach) -> None:
    reply = welcomed(coach).say("StartRoutineIntent", routine="office")
    assert reply.speech.startswith("The desk routine.")


def test_unknown_routine_gets_the_list_and_a_question(coach: Coach) -> None:
    talk = welcomed(coach)
    reply = talk.say("StartRoutineIntent", routine=("marathon", None))
    assert said(reply, "unknown_routine", heard="marathon",
                routines=_routine_list())  # fmt: skip
    assert not reply.ended
    assert talk.say("StartRoutineIntent", routine="seniors").speech.startswith("The seniors")


def test_missing_routine_gets_the_list(coach: Coach) -> None:
    reply = welcomed(coach).say("StartRoutineIntent")
    assert said(reply, "missing_routine", routines=_routine_list())


def test_real_unknown_routine_envelope(coach: Coach) -> None:
    reply = Reply(coach.handle(envelope("unknown_routine")))
    assert "I don't have a routine called marathon" in reply.speech
    assert not reply.ended and reply.reprompt


def test_list_routines(coach: Coach) -> None:
    reply = welcomed(coach).say("ListRoutinesIntent")
    assert said(reply, "list_routines", count="twelve", routines=_routine_list())


def _routine_list() -> str:
    names = [r.name for r in default_catalogue().routines.values()]
    return ", ".join(names[:-1]) + f", and the {names[-1]}"


# --- a whole routine ------------------------------------------------------------------------


def test_a_whole_routine_from_start_to_end_by_next(coach: Coach) -> None:
    talk = welcomed(coach)
    catalogue = default_catalogue()
    script = coach.skill.services.script("seniors", Preferences())
    replies = [talk.say("StartRoutineIntent", routine=SENIORS)]
    while not replies[-1].ended:
        replies.append(talk.say("AMAZON.NextIntent"))
        assert len(replies) <= len(script.blocks)
    assert len(replies) == len(script.blocks)
    heard = " ".join(r.speech for r in replies)
    for item in catalogue.routines["seniors"].items:
        assert catalogue.stretches[item.stretch].name.capitalize() in heard
    assert "That's the end of the seniors routine" in replies[-1].speech
    assert coach.stored()[0]["counts"] == {"started": 1, "completed": 1}


def test_repeat_replays_the_block_just_heard(coach: Coach) -> None:
    talk = welcomed(coach)
    talk.say("StartRoutineIntent", routine=SENIORS)
    cobra = talk.say("AMAZON.NextIntent")
    again = talk.say("AMAZON.RepeatIntent")
    assert again.ssml == cobra.ssml
    assert coach.position().stretch == "cobra"


def test_previous_goes_back_and_refuses_at_the_start(coach: Coach) -> None:
    talk = welcomed(coach)
    first = talk.say("StartRoutineIntent", routine=SENIORS)
    talk.say("AMAZON.NextIntent")
    back = talk.say("AMAZON.PreviousIntent")
    assert "Lying butterfly." in back.speech
    assert back.speech == first.speech
    refused = talk.say("AMAZON.PreviousIntent")
    assert said(refused, "at_start")
    assert not refused.ended


def test_skip_moves_to_the_next_stretch(coach: Coach) -> None:
    talk = welcomed(coach)
    talk.say("StartRoutineIntent", routine=SENIORS)
    reply = talk.say("SkipIntent")
    assert reply.speech.startswith("Cobra.")
    assert coach.position().stretch == "cobra"


def test_go_to_a_stretch_by_name(coach: Coach) -> None:
    talk = welcomed(coach)
    talk.say("StartRoutineIntent", routine=SENIORS)
    reply = talk.say("GoToStretchIntent", stretch=("knee hug", "knee_to_chest"))
    assert reply.speech.startswith("Knee to chest.")
    missing = talk.say("GoToStretchIntent", stretch="pigeon")
    assert "isn't in the seniors routine" in missing.speech


def test_next_at_the_very_end_is_refused_kindly(coach: Coach) -> None:
    talk = welcomed(coach)
    talk.say("StartRoutineIntent", routine=SENIORS)
    reply = talk.say("GoToStretchIntent", stretch="knee to chest")
    while not reply.ended:
        reply = talk.say("AMAZON.NextIntent")
    talk.launch()  # the routine is finished: no offer to resume it
    reply = talk.say("AMAZON.NextIntent")
    assert said(reply, "at_end", routine="seniors routine")


def test_pause_and_resume_replays_the_block(coach: Coach) -> None:
    talk = welcomed(coach)
    talk.say("StartRoutineIntent", routine=SENIORS)
    cobra = talk.say("AMAZON.NextIntent")
    paused = talk.say("AMAZON.PauseIntent")
    assert said(paused, "paused", stretch="cobra")
    assert coach.position().status is Status.PAUSED
    assert said(talk.say("AMAZON.PauseIntent"), "already_paused")
    assert talk.say("AMAZON.ResumeIntent").ssml == cobra.ssml


# --- stopping, timing out, and picking up later ----------------------------------------------


def test_stop_saves_the_place_and_resume_restarts_that_stretch(coach: Coach) -> None:
    talk = welcomed(coach)
    talk.say("StartRoutineIntent", routine=SENIORS)
    cobra = talk.say("AMAZON.NextIntent")
    stopped = talk.say("AMAZON.StopIntent")
    assert stopped.ended
    assert said(stopped, "stopped", stretch="cobra")
    assert coach.position().status is Status.PAUSED
    offer = talk.launch()
    assert said(offer, "offer_resume", stretch="cobra", routine="seniors routine")
    resumed = talk.say("AMAZON.YesIntent")
    assert resumed.ssml == cobra.ssml


def test_after_a_timeout_resuming_continues_with_the_following_block(coach: Coach) -> None:
    talk = welcomed(coach)
    talk.say("StartRoutineIntent", routine=SENIORS)
    talk.end("EXCEEDED_MAX_REPROMPTS")
    assert coach.position().status is Status.HEARD
    offer = talk.launch()
    assert said(offer, "offer_continue", stretch="lying butterfly", routine="seniors routine",
                next="cobra")  # fmt: skip
    assert talk.say("AMAZON.YesIntent").speech.startswith("Cobra.")


def test_saying_no_to_resuming_offers_the_routines(coach: Coach) -> None:
    talk = welcomed(coach)
    talk.say("StartRoutineIntent", routine=SENIORS)
    talk.say("AMAZON.CancelIntent")
    talk.launch()
    reply = talk.say("AMAZON.NoIntent")
    assert said(
        reply, "no_problem", suggestions="the seniors routine, the desk routine, or the daily ten"
    )


def test_resume_in_a_new_session_without_launch(coach: Coach) -> None:
    talk = welcomed(coach)
    talk.say("StartRoutineIntent", routine=SENIORS)
    cobra = talk.say("AMAZON.NextIntent")
    talk.say("AMAZON.StopIntent")
    # "Alexa, ask stretch coach to resume": a one-shot request opens a new session.
    assert talk.say("AMAZON.ResumeIntent").ssml == cobra.ssml


def test_a_second_person_is_unaffected(coach: Coach) -> None:
    first = welcomed(coach)
    first.say("StartRoutineIntent", routine=SENIORS)
    first.say("AMAZON.NextIntent")
    first.say("AMAZON.StopIntent")
    second = coach.talk("amzn1.ask.account.SOMEONEELSE")
    assert "clinician" in second.launch().speech
    second.say("StartRoutineIntent", routine="desk")
    assert len(coach.stored()) == 2
    offer = first.launch()
    assert said(offer, "offer_resume", stretch="cobra", routine="seniors routine")


# --- questions without losing the place --------------------------------------------------------


def test_questions_mid_routine(coach: Coach) -> None:
    talk = welcomed(coach)
    talk.say("StartRoutineIntent", routine=SENIORS)
    talk.say("AMAZON.NextIntent")
    where = talk.say("WhereAmIIntent")
    assert said(where, "where_am_i", stretch="cobra", number="two", total="three",
                routine="seniors routine")  # fmt: skip
    assert "Next is knee to chest, the last one." in talk.say("WhatsNextIntent").speech
    longer = talk.say("TimeLeftIntent")
    assert longer.speech.startswith("Cobra takes about")
    describe = talk.say("DescribeStretchIntent")
    assert "Cobra. Lie on your stomach" in describe.speech
    assert "Hold for three to five slow breaths, three to five times." in describe.speech
    assert coach.position().stretch == "cobra"  # still there
    assert talk.say("AMAZON.RepeatIntent").speech.startswith("Cobra.")


def test_describe_a_named_stretch_outside_a_routine(coach: Coach) -> None:
    reply = welcomed(coach).say("DescribeStretchIntent", stretch="pigeon pose")
    assert reply.speech.startswith("Pigeon.")
    assert "Which routine would you like to start?" in reply.speech


def test_help_depends_on_where_you_are(coach: Coach) -> None:
    talk = welcomed(coach)
    assert said(talk.say("AMAZON.HelpIntent"), "help_idle")
    talk.say("StartRoutineIntent", routine=SENIORS)
    assert said(talk.say("AMAZON.HelpIntent"), "help_routine", routine="seniors routine",
                stretch="lying butterfly")  # fmt: skip


def test_navigation_outside_a_routine_asks_for_one(coach: Coach) -> None:
    reply = welcomed(coach).say("AMAZON.NextIntent")
    assert said(
        reply,
        "not_in_routine",
        suggestions="the seniors routine, the desk routine, or the daily ten",
    )


def test_words_the_skill_does_not_know_ask_the_waiting_question_again(coach: Coach) -> None:
    talk = welcomed(coach)  # asked which routine
    reply = talk.say("AMAZON.FallbackIntent")
    assert said(reply, "reask") and said(reply, "choose_reprompt")
    talk.say("StartRoutineIntent", routine=SENIORS)  # asked "Ready for cobra?"
    reply = talk.say("AMAZON.FallbackIntent")
    assert said(reply, "reask") and said(reply, "ready_reprompt")
    assert coach.position().block == 0


def test_an_unknown_intent_gets_a_useful_answer(coach: Coach) -> None:
    talk = welcomed(coach)
    assert said(talk.say("NoSuchIntent"), "fallback_idle")
    talk.say("StartRoutineIntent", routine=SENIORS)
    assert said(talk.say("NoSuchIntent"), "fallback_routine")


def test_navigate_home_saves_and_ends(coach: Coach) -> None:
    talk = welcomed(coach)
    talk.say("StartRoutineIntent", routine=SENIORS)
    assert talk.say("AMAZON.NavigateHomeIntent").ended
    assert coach.position().status is Status.PAUSED


def test_stop_outside_a_routine_says_goodbye(coach: Coach) -> None:
    reply = welcomed(coach).say("AMAZON.StopIntent")
    assert reply.ended and said(reply, "goodbye")


def test_other_locales_are_answered_in_english(coach: Coach) -> None:
    for locale in ("en-GB", "en-CA", "en-AU", "en-IN"):
        reply = coach.talk(f"amzn1.ask.account.{locale}", locale).launch()
        assert "Welcome to Stretch Coach" in reply.speech


# --- errors, the store, privacy -----------------------------------------------------------------


def test_a_handler_error_is_logged_and_apologised_for(
    coach: Coach, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    talk = welcomed(coach)

    def broken(*args: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(coach.skill.services, "script", broken)
    reply = talk.say("StartRoutineIntent", routine=SENIORS)
    assert said(reply, "error")
    assert not reply.ended and reply.reprompt
    assert any(r.exc_info for r in caplog.records if r.levelname == "ERROR")
    assert "TESTUSER" not in caplog.text


class BrokenStore(MemoryAdapter):
    """A store that is down: every call fails as a real one does after its timeouts."""

    def load(self, key: str) -> Record | None:
        raise StoreError("unreachable")

    def store(self, key: str, record: Record, expected: int | None) -> bool:
        raise StoreError("unreachable")


def test_a_store_that_is_down_still_gets_spoken_answers() -> None:
    coach = Coach(BrokenStore())
    talk = coach.talk()
    launch = talk.launch()
    assert said(launch, "not_loaded")
    started = talk.say("StartRoutineIntent", routine=SENIORS)
    assert said(started, "not_saved")
    assert "Lying butterfly." in started.speech
    # Within the session the place is kept, so the routine goes on.
    assert talk.say("AMAZON.NextIntent").speech.startswith(PROMPTS.say("not_saved") + " Cobra.")
    assert talk.say("AMAZON.StopIntent").ended


def test_the_store_holds_position_preferences_and_counts_only(coach: Coach) -> None:
    talk = welcomed(coach)
    talk.say("StartRoutineIntent", routine=SENIORS)
    talk.say("AMAZON.StopIntent")
    [key] = coach.store.keys()
    assert "TESTUSER" not in key and len(key) == 64
    [record] = coach.stored()
    assert set(record) == {
        "position", "preferences", "counts", "welcomed", "screened", "ask_again", "history",
        "consent",
    }  # fmt: skip
    assert set(record["history"]) <= {"last_day", "streak", "last_routine", "last_finished"}
    assert "TESTUSER" not in json.dumps(record)


@pytest.mark.parametrize(("status", "kept"), [("NOT_PERSISTED", False), ("PERSISTED", True)])
def test_disabling_the_skill_deletes_data_when_asked(coach: Coach, status: str, kept: bool) -> None:
    welcomed(coach)
    event = envelope("skill_disabled")
    event["request"]["body"]["userInformationPersistenceStatus"] = status
    assert coach.handle(event)["version"] == "1.0"
    assert bool(coach.stored()) is kept


def test_skill_id_is_checked_when_set() -> None:
    event = envelope("launch")
    assert Reply(Coach(skill_id=None).handle(event)).speech
    right = event["context"]["System"]["application"]["applicationId"]
    assert Reply(Coach(skill_id=right).handle(event)).speech
    with pytest.raises(SkillIdError):
        Coach(skill_id="amzn1.ask.skill.someone-else").handle(event)


def test_session_ended_envelope_marks_the_block_heard(coach: Coach) -> None:
    talk = welcomed(coach)
    start = talk.say("StartRoutineIntent", routine=SENIORS)
    event = envelope("session_ended")
    event["session"]["attributes"] = start.attributes
    assert coach.handle(event)["response"] == {}
    assert coach.position().status is Status.HEARD


# --- the Lambda entry point ------------------------------------------------------------------


def load_lambda_module() -> Any:
    spec = importlib.util.spec_from_file_location(
        "lambda_function", REPO / "lambda" / "lambda_function.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_lambda_handler_reads_the_store_setting_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "coach.db"
    monkeypatch.setenv("STRETCH_COACH_STORE", f"sqlite:///{database}")
    monkeypatch.delenv("SKILL_ID", raising=False)
    monkeypatch.setattr(app, "_skill", None)
    module = load_lambda_module()
    reply = Reply(module.lambda_handler(envelope("launch"), None))
    assert "Welcome to Stretch Coach" in reply.speech
    assert database.exists()
    reply = Reply(module.lambda_handler(envelope("start_routine"), None))
    assert reply.speech.startswith("The seniors routine.")


def test_importing_the_lambda_builds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app, "_skill", None)
    monkeypatch.setenv("STRETCH_COACH_STORE", "dynamodb://no-such-table")
    load_lambda_module()
    assert app._skill is None


def test_an_unreachable_dynamodb_still_gets_spoken_answers_in_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from skill.store.dynamodb import DynamoDbAdapter

    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": "us-east-1"}.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    # Port 9 on loopback: nothing listens, so every call fails as an outage would.
    store = DynamoDbAdapter("people", endpoint_url="http://127.0.0.1:9", region="us-east-1")
    skill = CoachSkill(Config(store_url="memory://"), store=store)
    talk = Conversation(lambda event: skill.handle(event))
    started = time.monotonic()
    launch = talk.launch()
    routine = talk.say("StartRoutineIntent", routine=SENIORS)
    assert time.monotonic() - started < 8
    assert said(launch, "not_loaded")
    assert said(routine, "not_saved") and "Lying butterfly." in routine.speech
