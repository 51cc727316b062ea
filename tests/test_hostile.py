"""What a hostile test of the skill broke, on every store: each rule here once failed."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from skill.alexa import app
from skill.alexa.app import CoachSkill
from skill.alexa.person import Person
from skill.alexa.prompts import prompts_for
from skill.alexa.turn import SUGGESTED
from skill.alexa.untrusted import MAX_SLOT_CHARS
from skill.config import Config
from skill.content.model import Pace
from skill.engine.phrases import number
from skill.engine.preferences import Preferences
from skill.store.base import (
    STORED,
    Record,
    StoreError,
    VersionedAdapter,
    key_for_user,
    merge,
)
from skill.store.dynamodb import DynamoDbAdapter
from skill.store.memory import MemoryAdapter
from skill.store.sqlite import SqliteAdapter
from tests.alexa import MALFORMED, Conversation, Reply, envelope, malformed
from tests.moto import moto_server
from tests.test_skill import said

PROMPTS = prompts_for("en-US")
USER = "amzn1.ask.account.TESTUSER"
KEY = key_for_user(USER)
REGION = "us-east-1"


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    """moto's DynamoDB over HTTP on a loopback port, with fake credentials only."""
    with pytest.MonkeyPatch.context() as env:
        for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                            "AWS_EC2_METADATA_DISABLED": "true"}.items():  # fmt: skip
            env.setenv(name, value)
        for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB"):
            env.delenv(name, raising=False)
        with moto_server() as url:
            yield url


@pytest.fixture(params=["memory", "sqlite", "dynamodb"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> VersionedAdapter:
    if request.param == "memory":
        return MemoryAdapter()
    if request.param == "sqlite":
        return SqliteAdapter(tmp_path / "coach.db")
    endpoint: str = request.getfixturevalue("moto_endpoint")
    table = f"people-{uuid.uuid4().hex[:12]}"
    boto3.session.Session().client(
        "dynamodb", endpoint_url=endpoint, region_name=REGION,
        aws_access_key_id="testing", aws_secret_access_key="testing",
    ).create_table(
        TableName=table,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )  # fmt: skip
    return DynamoDbAdapter(table, endpoint_url=endpoint, region=REGION)


def talk_to(skill: CoachSkill, user: str = USER) -> Conversation:
    def handle(event: dict[str, Any]) -> dict[str, Any]:
        # Through JSON, as over the wire.
        result: dict[str, Any] = json.loads(json.dumps(skill.handle(json.loads(json.dumps(event)))))
        return result

    return Conversation(handle, user=user)


def finish(talk: Conversation, routine: tuple[str, str] = ("desk", "desk")) -> Reply:
    """Start a routine and say next until it ends."""
    reply = talk.say("StartRoutineIntent", routine=routine)
    for _ in range(100):
        if reply.ended:
            return reply
        reply = talk.say("AMAZON.NextIntent")
    raise AssertionError("the routine never ended")


# --- 2. any count can be said, and saying it never stops a save ------------------------------


@pytest.mark.parametrize("done", [99, 999, 123_455])
def test_routine_one_hundred_and_beyond_can_be_finished(store: VersionedAdapter, done: int) -> None:
    store.write(KEY, {"welcomed": True, "counts": {"started": done, "completed": done}})
    skill = CoachSkill(Config(store_url="memory://"), store=store)
    talk = talk_to(skill)
    talk.launch()
    last = finish(talk)
    assert said(last, "summary", done=number(done + 1), routines="routines")
    record = store.read(KEY)
    assert record is not None and record.data["counts"]["completed"] == done + 1
    again = finish(talk_to(skill))
    assert said(again, "summary", done=number(done + 2), routines="routines")


def test_a_failure_in_rendering_the_summary_does_not_stop_the_save(
    store: VersionedAdapter, monkeypatch: pytest.MonkeyPatch
) -> None:
    from skill.alexa.turn import Turn

    def broken(self: Turn) -> str:
        raise ValueError("cannot say it")

    monkeypatch.setattr(Turn, "summary", broken)
    store.write(KEY, {"welcomed": True})
    skill = CoachSkill(Config(store_url="memory://"), store=store)
    talk = talk_to(skill)
    reply = talk.say("StartRoutineIntent", routine=("desk", "desk"))
    while not said(reply, "error"):
        assert not reply.ended
        reply = talk.say("AMAZON.NextIntent")
    record = store.read(KEY)
    assert record is not None and record.data["counts"]["completed"] == 1


@pytest.mark.parametrize(
    ("n", "spoken"),
    [(0, "zero"), (19, "nineteen"), (21, "twenty-one"), (99, "ninety-nine"),
     (100, "one hundred"), (101, "one hundred and one"), (342, "three hundred and forty-two"),
     (1000, "one thousand"), (1005, "one thousand and five"),
     (12_345, "twelve thousand three hundred and forty-five"),
     (2_000_001, "two million and one"), (10**12, "one trillion"), (-4, "minus four")],
)  # fmt: skip
def test_numbers_of_any_size_are_spoken(n: int, spoken: str) -> None:
    assert number(n) == spoken


def test_every_number_up_to_ten_thousand_is_words_only_and_distinct() -> None:
    said_as = {number(n) for n in range(10_001)}
    assert len(said_as) == 10_001
    assert all(text.replace("-", " ").replace(" ", "").isalpha() for text in said_as)


# --- 3. requests without a session ------------------------------------------------------------

SESSIONLESS = ["exception_encountered", "playback_started", "playback_failed", "play_command",
               "skill_enabled"]  # fmt: skip
WITH_SESSION = ["launch", "start_routine", "session_ended", "unknown_routine"]


@pytest.fixture
def lambda_on(store: VersionedAdapter, monkeypatch: pytest.MonkeyPatch) -> CoachSkill:
    """The real lambda_handler, its skill on this test's store."""
    skill = CoachSkill(Config(store_url="memory://"), store=store)
    monkeypatch.setattr(app, "_skill", skill)
    return skill


@pytest.mark.parametrize("name", SESSIONLESS)
def test_requests_without_a_session_get_an_empty_response_and_no_error(
    lambda_on: CoachSkill, name: str, caplog: pytest.LogCaptureFixture
) -> None:
    event = envelope(name)
    assert "session" not in event
    with caplog.at_level(logging.DEBUG):
        answer = app.lambda_handler(event, None)
    assert answer["version"] == "1.0"
    assert answer["response"] == {}  # no speech, reprompt, card or session flag
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    if name == "exception_encountered":
        [reported] = errors
        assert "INVALID_RESPONSE" in reported.getMessage()
        assert "invalid outputSpeech" in reported.getMessage()
        assert reported.exc_info is None
    else:
        assert errors == []
    assert "TESTUSER" not in caplog.text


@pytest.mark.parametrize("name", WITH_SESSION)
def test_any_request_stripped_of_its_session_is_answered_without_an_error(
    lambda_on: CoachSkill, name: str, caplog: pytest.LogCaptureFixture
) -> None:
    event = envelope(name)
    del event["session"]
    answer = app.lambda_handler(event, None)
    assert answer["response"] == {}
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_failure_on_a_sessionless_request_is_logged_and_answered_without_speech(
    lambda_on: CoachSkill, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from skill.alexa import sessionless

    def broken(self: Any, handler_input: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(sessionless.SessionlessHandler, "handle", broken)
    answer = app.lambda_handler(envelope("playback_started"), None)
    assert "outputSpeech" not in answer.get("response", {})
    assert any(r.exc_info for r in caplog.records if r.levelno >= logging.ERROR)


# --- 4. deep nesting never crashes the Lambda path ------------------------------------------


def nested(levels: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(levels):
        value = {"a": value}
    return value


@pytest.mark.parametrize("levels", [45, 5000])
def test_deep_session_attributes_are_dropped_and_the_person_read_from_the_store(
    lambda_on: CoachSkill, store: VersionedAdapter, levels: int
) -> None:
    store.write(KEY, {"welcomed": True})
    event = envelope("start_routine")
    event["session"]["attributes"] = {"person": nested(levels), "pending": nested(levels)}
    reply = Reply(app.lambda_handler(event, None))
    assert reply.speech.startswith("The seniors routine.")
    record = store.read(KEY)
    assert record is not None and record.data["counts"]["started"] == 1


def test_a_request_nested_too_deep_elsewhere_gets_an_empty_response(
    lambda_on: CoachSkill, caplog: pytest.LogCaptureFixture
) -> None:
    event = envelope("start_routine")
    event["request"]["intent"]["slots"]["routine"]["value"] = nested(5000)
    assert app.lambda_handler(event, None)["response"] == {}
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize(
    ("place", "value"),
    [(("request", "timestamp"), {"not": "a date"}), (("request", "intent"), "not an intent"),
     (("session", "new"), {"a": []}), (("context", "System"), ["x"])],
)  # fmt: skip
def test_the_lambda_answers_an_unreadable_event_without_crashing(
    lambda_on: CoachSkill, place: tuple[str, str], value: Any
) -> None:
    event = envelope("start_routine")
    event[place[0]][place[1]] = value
    answer = app.lambda_handler(event, None)
    assert answer["version"] == "1.0" and "response" in answer


# --- 6. tampered session attributes: checked, dropped or reset, never stored -----------------

WRONG = ["abc", "", -1, 10**30, 1.5, True, None, [], {}, {"a": [1]}]
RICH = Person(
    preferences=Preferences(pace=Pace.SLOWER, gentle=True, hold_scale=1.25, breath_seconds=6.0,
                            excluded=frozenset({"cobra"}), substitutes=(("cobra", "sphinx"),),
                            extra_seconds=(("knee_to_chest", 10),)),
    counts={"started": 4, "completed": 3, "pain": 1},
    welcomed=True,
    screened={"back": Preferences(excluded=frozenset({"seated_forward_bend"}))},
    ask_again={"pregnancy": "2026-12-01"},
    history={"last_day": "2026-11-20", "streak": 2, "last_routine": "seniors",
             "last_finished": True},
)  # fmt: skip


def places(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every key and index in session attributes, leaves and the containers above them."""
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, inner in items:
        yield (*path, key)
        if isinstance(inner, dict | list) and inner:
            yield from places(inner, (*path, key))


def tampered(attributes: dict[str, Any], path: tuple[Any, ...], wrong: Any) -> dict[str, Any]:
    copy: dict[str, Any] = json.loads(json.dumps(attributes))
    parent: Any = copy
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = wrong
    return copy


def clean(data: dict[str, Any]) -> bool:
    """What the store holds is exactly what checking it would keep: nothing wrong got in."""
    return Person.from_attributes(data).to_attributes() == data


def test_every_tampered_session_value_is_checked_before_use_or_save(
    store: VersionedAdapter,
) -> None:
    skill = CoachSkill(Config(store_url="memory://"), store=store)
    store.write(KEY, RICH.to_attributes())
    talk = talk_to(skill)
    talk.launch()
    talk.say("StartRoutineIntent", routine=("seniors routine", "seniors"))
    session = talk.say("AMAZON.NextIntent").attributes
    session["stage"] = {"stage": "late", "weeks": 30}  # how far along, said this session
    paths = list(places(session))
    assert ("person", "_stored", "base", "history", "streak") in paths
    assert ("person", "position", "block") in paths
    assert ("person", "ask_again", "pregnancy") in paths and ("stage", "weeks") in paths
    assert len(paths) > 40
    problems: list[str] = []
    # Checking is the same on every store; over HTTP to moto, a few wrong values suffice.
    wrongs = WRONG if not isinstance(store, DynamoDbAdapter) else ["abc", {}]
    for path in paths:
        for wrong in wrongs:
            store.remove(KEY)
            store.write(KEY, {**RICH.to_attributes(), "position": session["person"]["position"]})
            talk.attributes = tampered(session, path, wrong)
            reply = talk.say("AMAZON.NextIntent")
            record = store.read(KEY)
            where = f"{'.'.join(map(str, path))}={wrong!r}"
            if said(reply, "error"):
                problems.append(f"{where}: apologised")
            if record is None or not clean(record.data):
                problems.append(f"{where}: stored {record.data if record else None}")
            elif record.data["counts"].get("started", 0) < RICH.counts["started"]:
                problems.append(f"{where}: a count went down")
    assert problems == []
    fresh = talk_to(skill)  # and a clean session afterwards works as ever
    assert not said(fresh.launch(), "error")
    assert not said(fresh.say("StartRoutineIntent", routine=("desk", "desk")), "error")
    assert not said(fresh.say("AMAZON.NextIntent"), "error")


def test_a_record_poisoned_before_the_fix_is_read_clean_and_healed(
    store: VersionedAdapter,
) -> None:
    poisoned = {"welcomed": True, "counts": {"started": -3, "completed": "7"},
                "history": {"streak": "abc", "last_day": 5}, "position": "cobra"}  # fmt: skip
    store.write(KEY, poisoned)
    talk = talk_to(CoachSkill(Config(store_url="memory://"), store=store))
    assert not said(talk.launch(), "error")
    last = finish(talk)
    assert said(last, "summary", done="one", routines="routine")
    record = store.read(KEY)
    assert record is not None and clean(record.data)
    assert record.data["counts"] == {"started": 1, "completed": 1}


@pytest.mark.parametrize(
    ("history", "kept"),
    [({"streak": "abc"}, {}), ({"streak": -3}, {}), ({"streak": True}, {}),
     ({"last_day": "yesterday"}, {}), ({"last_day": "2026-13-40"}, {}),
     ({"last_routine": "x" * 500}, {}), ({"last_finished": "yes"}, {}),
     ({"streak": 4, "last_day": "2026-11-20"}, {"streak": 4, "last_day": "2026-11-20"})],
)  # fmt: skip
def test_history_values_of_the_wrong_type_or_range_are_dropped(
    history: dict[str, Any], kept: dict[str, Any]
) -> None:
    assert Person.from_attributes({"history": history}).history == kept


@pytest.mark.parametrize("counts", [{"started": -1}, {"started": "3"}, {"started": 10**12},
                                    {"started": False}, {"": 2}, {"x" * 200: 1}])  # fmt: skip
def test_counts_of_the_wrong_type_or_range_are_dropped(counts: dict[str, Any]) -> None:
    assert Person.from_attributes({"counts": counts}).counts == {}


@pytest.mark.parametrize(
    "meta",
    [{"version": "3", "base": {}}, {"version": -1, "base": {}}, {"version": True, "base": {}},
     {"version": 2**60, "base": {}}, {"version": 1, "base": []}, {"version": 1}, "abc", [],
     {"version": 1, "base": {}, "extra": 1}],
)  # fmt: skip
def test_a_tampered_stored_version_is_never_saved_against(
    store: VersionedAdapter, meta: Any
) -> None:
    with pytest.raises(StoreError, match="names no version"):
        store.write(KEY, {"counts": {"started": 1}, STORED: meta})
    assert store.read(KEY) is None


def test_a_tampered_base_never_makes_a_count_go_down() -> None:
    assert merge({"counts": {"n": 50}}, {"counts": {"n": 6}}, {"counts": {"n": 5}}) == {
        "counts": {"n": 5}
    }


# --- 7. whatever is said, the response stays within Alexa's limits ------------------------

MODEL = json.loads((Path(__file__).resolve().parents[1] / "interaction_models" / "en-US.json")
                   .read_text(encoding="utf-8"))  # fmt: skip
SLOTTED = [(i["name"], s["name"]) for i in MODEL["interactionModel"]["languageModel"]["intents"]
           for s in i.get("slots", [])]  # fmt: skip
MAX_RESPONSE_BYTES = 24 * 1024  # Alexa's limit on a whole response


@pytest.mark.parametrize(("intent", "slot"), SLOTTED)
@pytest.mark.parametrize("in_routine", [False, True])
@pytest.mark.parametrize("heard", ["a" * 10_000, "pigeon " * 1500, "<speak>&" * 1200])
def test_long_slot_values_are_never_echoed_past_the_limits(
    intent: str, slot: str, in_routine: bool, heard: str
) -> None:
    skill = CoachSkill(Config(store_url="memory://"), store=MemoryAdapter())
    talk = talk_to(skill)
    talk.launch()
    if in_routine:
        talk.say("StartRoutineIntent", routine=("desk", "desk"))
    reply = talk.say(intent, **{slot: heard})  # Conversation checks 8,000 characters of SSML
    assert len(json.dumps(reply.raw)) < MAX_RESPONSE_BYTES
    assert not said(reply, "error")
    assert heard[: MAX_SLOT_CHARS + 1] not in reply.speech  # echoed, if at all, cut short


def test_a_response_past_the_limit_is_replaced_by_an_apology(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from skill.alexa.turn import Turn

    skill = CoachSkill(Config(store_url="memory://"), store=MemoryAdapter())
    talk = talk_to(skill)
    monkeypatch.setattr(Turn, "suggestions", lambda self: "the desk routine " * 600)
    reply = talk.launch()
    assert said(reply, "error") and reply.reprompt
    assert any("more than Alexa allows" in r.getMessage() for r in caplog.records)


# --- 8. deletion sticks ---------------------------------------------------------------------


def disable(skill: CoachSkill, status: str = "NOT_PERSISTED") -> None:
    event = envelope("skill_disabled")
    event["request"]["body"]["userInformationPersistenceStatus"] = status
    assert app.lambda_handler(event, None)["response"] == {}


@pytest.mark.parametrize("then", ["timeout", "exit", "next", "stop", "pain"])
def test_a_session_still_open_after_deletion_does_not_bring_the_person_back(
    lambda_on: CoachSkill, store: VersionedAdapter, then: str
) -> None:
    talk = Conversation(lambda event: app.lambda_handler(event, None))
    talk.launch()
    talk.say("StartRoutineIntent", routine=("desk", "desk"))
    talk.say("AMAZON.NextIntent")
    assert store.read(KEY) is not None
    disable(lambda_on)
    assert store.read(KEY) is None
    if then == "timeout":
        talk.end("EXCEEDED_MAX_REPROMPTS")
    elif then == "exit":
        talk.end("USER_INITIATED")
    elif then == "next":
        talk.say("AMAZON.NextIntent")
    elif then == "stop":
        talk.say("AMAZON.StopIntent")
    else:
        talk.say("PainIntent")
    assert store.read(KEY) is None


def test_after_deletion_a_new_session_starts_afresh(
    lambda_on: CoachSkill, store: VersionedAdapter
) -> None:
    talk = Conversation(lambda event: app.lambda_handler(event, None))
    talk.launch()
    talk.say("StartRoutineIntent", routine=("desk", "desk"))
    disable(lambda_on)
    again = Conversation(lambda event: app.lambda_handler(event, None))
    assert said(again.launch(), "welcome_first", suggestions=_suggestions(lambda_on))
    record = store.read(KEY)
    assert record is not None and record.data["counts"] == {}


def test_keeping_data_when_disabled_keeps_saving(
    lambda_on: CoachSkill, store: VersionedAdapter
) -> None:
    talk = Conversation(lambda event: app.lambda_handler(event, None))
    talk.launch()
    talk.say("StartRoutineIntent", routine=("desk", "desk"))
    disable(lambda_on, "PERSISTED")
    talk.end("EXCEEDED_MAX_REPROMPTS")
    record = store.read(KEY)
    assert record is not None and record.data["position"]["status"] == "heard"


def _suggestions(skill: CoachSkill) -> str:
    names = [f"the {skill.services.catalogue.routines[r].name}" for r in SUGGESTED]
    return ", ".join(names[:-1]) + f", or {names[-1]}"


# --- 11. after a failed save, nothing promises a saved place ------------------------------------

PROMISES = ["pick up there", "saved your place"]


class Unwritable(VersionedAdapter):
    """A store that reads but cannot write, as a full disk or a throttled table does."""

    def __init__(self, inner: VersionedAdapter) -> None:
        super().__init__()
        self.inner = inner

    def load(self, key: str) -> Record | None:
        return self.inner.load(key)

    def store(self, key: str, record: Record, expected: int | None) -> bool:
        raise StoreError("unwritable")

    def remove(self, key: str) -> None:
        self.inner.remove(key)


CONVERSATIONS: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "stop": [("StartRoutineIntent", {"routine": ("seniors routine", "seniors")}),
             ("AMAZON.NextIntent", {}), ("AMAZON.StopIntent", {})],
    "screening": [("StartRoutineIntent", {"routine": ("pregnancy", "pregnancy")}),
                  ("AMAZON.YesIntent", {}), ("AMAZON.NoIntent", {}), ("AMAZON.StopIntent", {})],
    "pain": [("StartRoutineIntent", {"routine": ("desk", "desk")}), ("PainIntent", {}),
             ("AMAZON.YesIntent", {})],
    "pause": [("StartRoutineIntent", {"routine": ("desk", "desk")}), ("AMAZON.PauseIntent", {}),
              ("AMAZON.CancelIntent", {})],
}  # fmt: skip


@pytest.mark.parametrize("conversation", CONVERSATIONS)
def test_a_failed_save_is_said_once_and_never_contradicted(
    store: VersionedAdapter, conversation: str
) -> None:
    store.write(KEY, {"welcomed": True})
    skill = CoachSkill(Config(store_url="memory://"), store=Unwritable(store))
    talk = talk_to(skill)
    replies = [talk.launch()]
    for intent, slots in CONVERSATIONS[conversation]:
        replies.append(talk.say(intent, **slots))
    not_saved = PROMPTS.say("not_saved")
    failed = False
    for reply in replies:
        assert reply.speech.count(not_saved) <= 1, reply.speech
        failed = failed or not_saved in reply.speech
        if failed:
            assert not any(promise in reply.speech for promise in PROMISES), reply.speech
    assert failed
    assert replies[-1].ended


def test_with_a_working_store_the_place_is_promised(store: VersionedAdapter) -> None:
    skill = CoachSkill(Config(store_url="memory://"), store=store)
    talk = talk_to(skill)
    talk.launch()
    talk.say("StartRoutineIntent", routine=("seniors routine", "seniors"))
    assert "pick up there" in talk.say("AMAZON.StopIntent").speech


def test_with_an_unwritable_store_the_session_keeps_the_place(store: VersionedAdapter) -> None:
    store.write(KEY, {"welcomed": True})  # a partial record, as older versions left
    skill = CoachSkill(Config(store_url="memory://"), store=Unwritable(store))
    talk = talk_to(skill)
    talk.launch()
    talk.say("StartRoutineIntent", routine=("seniors routine", "seniors"))
    assert talk.say("AMAZON.NextIntent").speech.startswith(PROMPTS.say("not_saved") + " Cobra.")


@pytest.mark.parametrize(
    "locale", ["../../../etc/passwd", "x" * 5000, "en\x00", "{'a': None}", "", "EN-gb", "fr-FR"]
)
def test_any_locale_is_answered_in_a_known_language(locale: str) -> None:
    assert prompts_for(locale).catalogue == prompts_for("en-US").catalogue
    skill = CoachSkill(Config(store_url="memory://"), store=MemoryAdapter())
    event = envelope("launch")
    event["request"]["locale"] = locale
    assert "Welcome to Stretch Coach" in Reply(skill.handle(event)).speech


# --- 12. a turn whose read failed never overwrites what is stored ------------------------------


class FailingReads(VersionedAdapter):
    """A store whose next reads fail (a lock, a throttle, a timeout) while writes go through."""

    def __init__(self, inner: VersionedAdapter, failures: int) -> None:
        super().__init__()
        self.inner = inner
        self.failures = failures

    def load(self, key: str) -> Record | None:
        if self.failures > 0:
            self.failures -= 1
            raise StoreError("the read timed out")
        return self.inner.load(key)

    def store(self, key: str, record: Record, expected: int | None) -> bool:
        return self.inner.store(key, record, expected)

    def remove(self, key: str) -> None:
        self.inner.remove(key)


def remember_late_pregnancy(store: VersionedAdapter) -> Record:
    """A person cleared, late in pregnancy, who said to remember it: what a read must keep."""
    talk = talk_to(CoachSkill(Config(store_url="memory://"), store=store))
    talk.launch()
    talk.say("StartRoutineIntent", routine=("pregnancy", "pregnancy"))
    for _ in range(3):  # cleared; in the last three months; remember that
        talk.say("AMAZON.YesIntent")
    talk.say("AMAZON.StopIntent")
    record = store.read(KEY)
    assert record is not None and record.data["consent"] is True
    assert "lying_butterfly" in record.data["screened"]["pregnancy"]["excluded"]
    return record


@pytest.mark.parametrize("failures", [1, 2])
def test_a_failed_read_never_overwrites_consent_screening_or_place(
    store: VersionedAdapter, failures: int
) -> None:
    before = remember_late_pregnancy(store)
    skill = CoachSkill(Config(store_url="memory://"), store=FailingReads(store, failures))
    talk = talk_to(skill)
    replies = [talk.launch()]
    # Several saves in one session: each would have merged a blank person over the record.
    for intent, slots in [("StartRoutineIntent", {"routine": ("desk", "desk")}),
                          ("AMAZON.NextIntent", {}), ("AMAZON.StopIntent", {})]:  # fmt: skip
        replies.append(talk.say(intent, **slots))
    assert said(replies[0], "not_loaded")
    assert said(replies[1], "not_saved")
    assert not any(promise in r.speech for r in replies for promise in PROMISES)
    assert store.read(KEY) == before
    # The next session, with the store back, finds everything the person agreed to keep.
    again = talk_to(CoachSkill(Config(store_url="memory://"), store=store))
    assert "in the pregnancy routine" in again.launch().speech


@pytest.mark.parametrize(
    "meta", [None, {"version": 0, "base": {}}], ids=["no-version", "empty-base"]
)
def test_a_session_that_read_nothing_cannot_overwrite_the_store(
    store: VersionedAdapter, meta: dict[str, Any] | None
) -> None:
    before = remember_late_pregnancy(store)
    talk = talk_to(CoachSkill(Config(store_url="memory://"), store=store))
    talk.launch()
    # The session comes back from the device: here it carries a blank person that claims
    # to have read nothing, as a failed read leaves, or a client may send.
    blank = Person().to_attributes()
    if meta is not None:
        blank[STORED] = meta
    talk.attributes = {**(talk.attributes or {}), "person": blank}
    started = talk.say("StartRoutineIntent", routine=("desk", "desk"))
    # No version: nothing is saved, and the person hears so. An empty base is no session
    # the skill wrote: the store is read instead, and the start is saved on top of it.
    assert said(started, "not_saved") == (meta is None)
    talk.say("AMAZON.StopIntent")
    after = store.read(KEY)
    assert after is not None
    for kept in ("consent", "screened", "preferences", "welcomed"):
        assert after.data[kept] == before.data[kept], kept


def test_a_save_that_names_no_version_only_creates(store: VersionedAdapter) -> None:
    kept = {"consent": True, "screened": {"pregnancy": {"excluded": ["cobra"]}}}
    store.write(KEY, dict(kept))
    blank: dict[str, Any] = {"consent": None, "screened": {}}
    with pytest.raises(StoreError, match="never read"):
        store.write(KEY, dict(blank))
    record = store.read(KEY)
    assert record is not None and (record.data, record.version) == (kept, 1)
    # Someone new is still written by a save that read nothing.
    store.write("someone-new", dict(blank))
    assert store.read("someone-new") is not None


class StaleReads(FailingReads):
    """A store whose next reads still see nothing: read before another device's first save."""

    def load(self, key: str) -> Record | None:
        if self.failures > 0:
            self.failures -= 1
            return None
        return self.inner.load(key)


def test_a_first_save_that_lost_the_race_keeps_the_other_devices_answers(
    store: VersionedAdapter,
) -> None:
    # The speaker read nothing before the phone's first saves; its own first save then
    # loses the race, and merges only what it changed from a blank person.
    before = remember_late_pregnancy(store)
    speaker = talk_to(CoachSkill(Config(store_url="memory://"), store=StaleReads(store, 1)))
    welcome = speaker.launch()
    assert not said(welcome, "not_saved")
    after = store.read(KEY)
    assert after is not None and after.version == before.version + 1
    for kept in ("consent", "screened", "position", "history"):
        assert after.data[kept] == before.data[kept], kept


# --- 13. a malformed envelope is refused in one line, never with a traceback -------------------


@pytest.mark.parametrize("name", MALFORMED)
def test_the_lambda_answers_a_malformed_envelope_without_speech_or_traceback(
    name: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(app, "_skill", CoachSkill(Config(store_url="memory://"),
                                                  store=MemoryAdapter()))  # fmt: skip
    with caplog.at_level(logging.DEBUG):
        answer = app.lambda_handler(malformed(name), None)
    assert answer == {"version": "1.0", "response": {}}
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert "\ud800" not in caplog.text and "\udc00" not in caplog.text


def test_surrogates_in_session_attributes_drop_them_and_the_store_is_read(
    store: VersionedAdapter,
) -> None:
    store.write(KEY, {"welcomed": True, "counts": {"started": 4}})
    event = envelope("start_routine")
    event["session"]["attributes"] = {"person\ud800": {}, "pending": "\udfff"}
    skill = CoachSkill(Config(store_url="memory://"), store=store)
    reply = Reply(skill.handle(json.loads(json.dumps(event))))
    assert reply.speech.startswith("The seniors routine.")
    record = store.read(KEY)
    assert record is not None and record.data["counts"]["started"] == 5
