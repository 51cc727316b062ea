"""The self-hosted endpoint: Amazon's verification rules, HTTP status for every mistake, load."""

from __future__ import annotations

import contextlib
import copy
import http.client
import itertools
import json
import logging
import socket
import sqlite3
import threading
import time
import tracemalloc
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from waitress.server import BaseWSGIServer, create_server

from skill.alexa.app import CoachSkill
from skill.cli import main
from skill.config import Config
from skill.store.memory import MemoryAdapter
from skill.store.sqlite import SqliteAdapter
from skill.web import serve as serve_module
from skill.web import verify as verify_module
from skill.web.app import MAX_BODY_BYTES, create_app
from skill.web.serve import UnsafeServeError, build, is_loopback
from skill.web.verify import (
    CACHE_ENTRIES,
    FAILED_FETCH_SECONDS,
    FETCH_TIMEOUT_SECONDS,
    FETCHES_PER_MINUTE,
    MAX_CERT_URL_CHARS,
    MAX_SKEW_SECONDS,
    RequestVerifier,
    VerificationFailed,
    fetch_url,
)
from tests.alexa import MALFORMED, envelope, malformed
from tests.certs import NOW, Chain, authority

CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert.pem"
SKILL_ID = "amzn1.ask.skill.00000000-0000-0000-0000-000000000000"


class Fetcher:
    """Serves test chains by URL instead of the network, and counts what it is asked."""

    def __init__(self, chains: dict[str, Chain] | None = None, default: Chain | None = None):
        self.chains = chains or {}
        self.default = default
        self.calls: list[str] = []

    def __call__(self, url: str) -> bytes:
        self.calls.append(url)
        chain = self.chains.get(url, self.default)
        if chain is None:
            raise OSError("no such certificate")
        return chain.pem


class Clock:
    def __init__(self) -> None:
        self.now = NOW.timestamp()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def fetcher() -> Fetcher:
    return Fetcher(default=authority().good)


@pytest.fixture
def skill() -> CoachSkill:
    return CoachSkill(Config(store_url="memory://"), store=MemoryAdapter())


def verifier_for(fetcher: Fetcher, clock: Clock, skill_id: str | None = None) -> RequestVerifier:
    return RequestVerifier(roots=[authority().root], skill_id=skill_id, fetch=fetcher, clock=clock)


@pytest.fixture
def client(skill: CoachSkill, fetcher: Fetcher, clock: Clock) -> FlaskClient:
    return create_app(skill, verifier_for(fetcher, clock)).test_client()


_request_ids = itertools.count(1)


def fresh_id(event: dict[str, Any]) -> dict[str, Any]:
    """A new request id, as every real request has: the same one twice is a replay."""
    if isinstance(event.get("request"), dict):
        event["request"]["requestId"] = f"amzn1.echo-api.request.web-{next(_request_ids)}"
    return event


def launch(offset: float = 0.0, kind: str = "launch") -> bytes:
    event = fresh_id(envelope(kind))
    event["request"]["timestamp"] = time.strftime(
        "%Y-%m-%dT%H:%M:%SZ", time.gmtime(NOW.timestamp() + offset)
    )
    return json.dumps(event).encode("utf-8")


def post(client: FlaskClient, body: bytes, chain: Chain | None = None, *,
         url: str = CERT_URL, headers: dict[str, str] | None = None) -> Any:  # fmt: skip
    chain = chain or authority().good
    sent = {"SignatureCertChainUrl": url, "Signature-256": chain.sign(body),
            "Content-Type": "application/json"}  # fmt: skip
    if headers is not None:
        sent = {**sent, **headers}
        sent = {k: v for k, v in sent.items() if v}
    return client.post("/", data=body, headers=sent)


def test_a_signed_request_is_answered(client: FlaskClient) -> None:
    response = post(client, launch())
    assert response.status_code == 200
    assert "Welcome to Stretch Coach" in response.get_json()["response"]["outputSpeech"]["ssml"]


@pytest.mark.parametrize(
    "url",
    [
        CERT_URL,
        "HTTPS://s3.amazonaws.com/echo.api/echo-api-cert.pem",
        "https://S3.AMAZONAWS.COM/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem",
    ],
)
def test_certificate_urls_amazon_allows(client: FlaskClient, url: str) -> None:
    assert post(client, launch(), url=url).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "http://s3.amazonaws.com/echo.api/echo-api-cert.pem",
        "https://notamazon.com/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com.evil.example/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem",
        "https://s3.amazonaws.com/invalid.path/echo-api-cert.pem",
        "https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com:notaport/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/../invalid.path/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api",
        "not a url",
    ],
)
def test_certificate_urls_amazon_forbids_are_refused_without_fetching(
    client: FlaskClient, fetcher: Fetcher, url: str
) -> None:
    response = post(client, launch(), url=url)
    assert response.status_code == 400
    assert "certificate URL" in response.get_json()["error"]
    assert fetcher.calls == []


@pytest.mark.parametrize(
    ("chain", "problem"),
    [("untrusted", "not trusted"), ("expired", "not trusted"), ("no_san", "not trusted"),
     ("wrong_san", "not trusted")],
)  # fmt: skip
def test_bad_certificates_are_refused(
    skill: CoachSkill, clock: Clock, chain: str, problem: str
) -> None:
    bad: Chain = getattr(authority(), chain)
    client = create_app(skill, verifier_for(Fetcher(default=bad), clock)).test_client()
    response = post(client, launch(), bad)
    assert response.status_code == 400
    assert problem in response.get_json()["error"]


def test_a_signature_of_another_body_is_refused(client: FlaskClient) -> None:
    body = launch()
    other = authority().good.sign(body + b" ")
    assert post(client, body, headers={"Signature-256": other}).status_code == 400


@pytest.mark.parametrize(
    "headers",
    [
        {"Signature-256": "not base64!"},
        {"Signature-256": "QUJD"},  # base64, but not a signature
        {"Signature-256": ""},  # only the legacy header below
        {"SignatureCertChainUrl": ""},
    ],
    ids=["not-base64", "short", "legacy-only", "no-url"],
)
def test_missing_or_malformed_signature_headers_are_refused(
    client: FlaskClient, headers: dict[str, str]
) -> None:
    body = launch()
    legacy = {"Signature": authority().good.sign(body)}
    response = post(client, body, headers={**legacy, **headers})
    assert response.status_code == 400


@pytest.mark.parametrize(("offset", "status"), [(-149, 200), (149, 200), (-151, 400), (151, 400)])
def test_timestamps_within_150_seconds(client: FlaskClient, offset: int, status: int) -> None:
    assert post(client, launch(offset)).status_code == status


@pytest.mark.parametrize(("offset", "status"), [(-3500, 200), (-3700, 400)])
def test_lifecycle_events_may_be_an_hour_old(client: FlaskClient, offset: int, status: int) -> None:
    assert post(client, launch(offset, "skill_disabled")).status_code == status


def test_application_id_is_checked_when_set(
    skill: CoachSkill, fetcher: Fetcher, clock: Clock
) -> None:
    ours = create_app(skill, verifier_for(fetcher, clock, SKILL_ID)).test_client()
    assert post(ours, launch()).status_code == 200
    other = create_app(skill, verifier_for(fetcher, clock, "amzn1.ask.skill.other")).test_client()
    response = post(other, launch())
    assert response.status_code == 400
    assert response.get_json()["error"] == "request is for another skill"


def test_certificates_are_cached_until_they_expire(client: FlaskClient, fetcher: Fetcher) -> None:
    for _ in range(3):
        assert post(client, launch()).status_code == 200
    assert fetcher.calls == [CERT_URL]


def test_failed_fetches_are_remembered_briefly(skill: CoachSkill, clock: Clock) -> None:
    fetcher = Fetcher()  # every fetch fails
    client = create_app(skill, verifier_for(fetcher, clock)).test_client()
    for _ in range(3):
        assert post(client, launch()).status_code == 400
    assert len(fetcher.calls) == 1
    clock.now += 61
    post(client, launch(61))
    assert len(fetcher.calls) == 2


def test_fetching_a_chain_gives_up_after_about_two_seconds() -> None:
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    port = silent.getsockname()[1]
    started = time.monotonic()
    try:
        with pytest.raises(OSError):
            fetch_url(f"http://127.0.0.1:{port}/echo.api/cert.pem")
    finally:
        silent.close()
    assert time.monotonic() - started < 4


# --- certificate fetches are bounded: in length, count, memory and time ---------------------


@pytest.mark.parametrize("extra", [MAX_CERT_URL_CHARS, 200_000])
def test_over_long_certificate_urls_are_refused_without_fetching(
    client: FlaskClient, fetcher: Fetcher, extra: int
) -> None:
    response = post(client, launch(), url=CERT_URL + "a" * extra)
    assert response.status_code == 400
    assert "too long" in response.get_json()["error"]
    assert fetcher.calls == []


def _verify(verifier: RequestVerifier, url: str, body: bytes, signature: str) -> str:
    try:
        verifier.verify({"SignatureCertChainUrl": url, "Signature-256": signature}, body,
                        json.loads(body))  # fmt: skip
    except VerificationFailed as exc:
        return str(exc)
    return "ok"


def test_distinct_urls_are_fetched_at_a_bounded_rate_in_bounded_memory(clock: Clock) -> None:
    fetcher = Fetcher()  # every fetch fails, as for URLs an attacker makes up
    verifier = verifier_for(fetcher, clock)
    body = launch()
    signature = authority().good.sign(body)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for n in range(5000):
            url = f"https://s3.amazonaws.com/echo.api/{n:06d}-{'x' * 180}.pem"
            assert _verify(verifier, url, body, signature) != "ok"
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(fetcher.calls) == FETCHES_PER_MINUTE
    assert len(verifier._cache) <= CACHE_ENTRIES
    assert grown < 512 * 1024, f"{grown} bytes kept for 5,000 URLs"
    clock.now += 61  # a new minute: a few more fetches, no more
    for n in range(100):
        _verify(verifier, f"https://s3.amazonaws.com/echo.api/later-{n}.pem", body, signature)
    assert len(fetcher.calls) == 2 * FETCHES_PER_MINUTE


def test_the_real_chain_is_still_served_once_cached(clock: Clock) -> None:
    fetcher = Fetcher(chains={CERT_URL: authority().good})
    verifier = verifier_for(fetcher, clock)
    body = launch()
    signature = authority().good.sign(body)
    assert _verify(verifier, CERT_URL, body, signature) == "ok"
    for n in range(200):  # made-up URLs use up the minute's fetches and fill the cache
        _verify(verifier, f"https://s3.amazonaws.com/echo.api/{n}.pem", body, signature)
    assert len(verifier._cache) <= CACHE_ENTRIES
    clock.now += FAILED_FETCH_SECONDS + 1
    body = launch(FAILED_FETCH_SECONDS + 1)
    assert _verify(verifier, CERT_URL, body, authority().good.sign(body)) == "ok"


@pytest.mark.parametrize(
    ("change", "problem"),
    [({"timestamp": "2020-01-01T00:00:00Z"}, "timestamp"),
     ({"skill": "amzn1.ask.skill.other"}, "another skill"),
     ({"signature": "not base64!"}, "not base64")],
)  # fmt: skip
def test_cheap_checks_come_before_any_fetch(
    clock: Clock, change: dict[str, str], problem: str
) -> None:
    fetcher = Fetcher(default=authority().good)
    verifier = verifier_for(fetcher, clock, SKILL_ID)
    event = json.loads(launch())
    event["request"]["timestamp"] = change.get("timestamp", event["request"]["timestamp"])
    event["context"]["System"]["application"]["applicationId"] = change.get("skill", SKILL_ID)
    body = json.dumps(event).encode("utf-8")
    signature = change.get("signature") or authority().good.sign(body)
    assert problem in _verify(verifier, CERT_URL, body, signature)
    assert fetcher.calls == []


TRICKLES = {
    "http-body": b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + b"-" * 1000,
    "http-headers": b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"-" * 1000,
    # A TLS handshake record that announces 16 KiB and then arrives a byte at a time.
    "tls-handshake": b"\x16\x03\x03\x40\x00" + b"\x02" * 1000,
}


@pytest.fixture
def trickler(request: pytest.FixtureRequest) -> Iterator[tuple[str, threading.Event]]:
    """A loopback server that answers every connection one byte every 0.2 s, for 15 s."""
    answer = TRICKLES[request.param]
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except (TimeoutError, OSError):
                continue
            with connection:
                connection.settimeout(0.2)
                with contextlib.suppress(OSError):
                    connection.recv(4096)
                for byte in answer[:75]:
                    if stop.wait(0.2):
                        return
                    try:
                        connection.sendall(bytes([byte]))
                    except OSError:
                        break

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    scheme = "https" if request.param.startswith("tls") else "http"
    try:
        yield f"{scheme}://127.0.0.1:{listener.getsockname()[1]}/echo.api/cert.pem", stop
    finally:
        stop.set()
        thread.join(timeout=2)
        listener.close()


@pytest.mark.parametrize("trickler", list(TRICKLES), indirect=True)
def test_a_trickling_server_cannot_hold_a_fetch_past_its_deadline(
    trickler: tuple[str, threading.Event],
) -> None:
    url, _ = trickler
    started = time.monotonic()
    with pytest.raises((OSError, http.client.HTTPException)):
        fetch_url(url)
    assert time.monotonic() - started < FETCH_TIMEOUT_SECONDS + 1


# --- replays ----------------------------------------------------------------------------------


def start_body(offset: float = 0.0) -> bytes:
    event = fresh_id(envelope("start_routine"))
    event["request"]["timestamp"] = time.strftime(
        "%Y-%m-%dT%H:%M:%SZ", time.gmtime(NOW.timestamp() + offset)
    )
    return json.dumps(event).encode("utf-8")


def started(skill: CoachSkill) -> int:
    store = skill.services.store
    assert isinstance(store, MemoryAdapter)
    return sum(int(r.get("counts", {}).get("started", 0)) for r in store.dump().values())


def test_a_replayed_request_is_answered_without_acting_twice(
    client: FlaskClient, skill: CoachSkill, clock: Clock
) -> None:
    body = start_body()
    assert post(client, body).status_code == 200
    for later in (1, 60, 149):
        clock.now = NOW.timestamp() + later
        replay = post(client, body)
        assert replay.status_code == 400
        assert "already answered" in replay.get_json()["error"]
    clock.now = NOW.timestamp() + 151  # past the window the timestamp refuses it anyway
    assert post(client, body).status_code == 400
    assert started(skill) == 1
    clock.now = NOW.timestamp()
    assert post(client, start_body()).status_code == 200  # a new request acts as ever
    assert started(skill) == 2


def test_replays_sent_at_once_act_once(client: FlaskClient, skill: CoachSkill) -> None:
    body = start_body()
    signature = authority().good.sign(body)
    app = client.application

    def send(_: int) -> int:
        with app.test_client() as own:
            return own.post("/", data=body, headers={"SignatureCertChainUrl": CERT_URL,
                            "Signature-256": signature}).status_code  # fmt: skip

    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = sorted(pool.map(send, range(16)))
    assert codes == [200] + [400] * 15
    assert started(skill) == 1


def test_remembered_request_ids_are_bounded(clock: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(verify_module, "REMEMBERED_REQUESTS", 100)
    verifier = verifier_for(Fetcher(default=authority().good), clock)
    for _ in range(300):
        body = launch()
        assert _verify(verifier, CERT_URL, body, authority().good.sign(body)) == "ok"
    assert len(verifier._seen) == 100
    clock.now += MAX_SKEW_SECONDS + 1  # the window has passed: all of them are forgotten
    body = launch(MAX_SKEW_SECONDS + 1)
    assert _verify(verifier, CERT_URL, body, authority().good.sign(body)) == "ok"
    assert len(verifier._seen) == 1


# --- HTTP status for every kind of client mistake ---------------------------------------------


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"\xff\xfe not utf-8", "not UTF-8"),
        (b"{not json", "not JSON"),
        (b"[1, 2, 3]", "not a JSON object"),
        (b'{"version": "1.0"}', "not an Alexa request envelope"),
        (b'{"version": "1.0", "request": {"type": "LaunchRequest"}}', "no type or id"),
    ],
)
def test_bodies_that_are_not_envelopes_get_400_before_any_skill_code(
    client: FlaskClient, fetcher: Fetcher, body: bytes, problem: str
) -> None:
    response = post(client, body)
    assert response.status_code == 400
    assert problem in response.get_json()["error"]
    assert fetcher.calls == []


@pytest.mark.parametrize("name", MALFORMED)
def test_a_malformed_envelope_gets_400_naming_what_is_wrong(
    client: FlaskClient, name: str, caplog: pytest.LogCaptureFixture
) -> None:
    event = fresh_id(malformed(name))
    event["request"]["timestamp"] = time.strftime(
        "%Y-%m-%dT%H:%M:%SZ", time.gmtime(NOW.timestamp())
    )
    with caplog.at_level(logging.DEBUG):
        response = post(client, json.dumps(event).encode("utf-8"))
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert MALFORMED[name][1] in error and "\n" not in error
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


def test_a_body_over_64_kib_gets_413(client: FlaskClient, fetcher: Fetcher) -> None:
    body = b"{" + b" " * MAX_BODY_BYTES + b"}"
    assert post(client, body).status_code == 413
    assert fetcher.calls == []


def deep_session(levels: int) -> bytes:
    """A launch whose session attributes nest `levels` deep, written without recursing."""
    text = json.dumps(
        json.loads(launch())
        | {"session": {**envelope("launch")["session"], "attributes": {"person": "HERE"}}}
    )
    return text.replace('"HERE"', '{"a":' * levels + "{}" + "}" * levels).encode("utf-8")


@pytest.mark.parametrize(
    "body",
    [b"[" * 5000, b'{"a":' * 5000, b"[" * 41 + b"]" * 41, deep_session(2000)],
    ids=["brackets", "objects", "just-too-deep", "deep-session"],
)
def test_bodies_nested_too_deep_get_400_before_authentication(
    client: FlaskClient, fetcher: Fetcher, body: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    response = post(client, body)
    assert response.status_code == 400
    assert "nests deeper" in response.get_json()["error"]
    assert fetcher.calls == []
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_session_attributes_nested_within_the_limit_are_served(client: FlaskClient) -> None:
    response = post(client, deep_session(30))
    assert response.status_code == 200
    assert "Welcome to Stretch Coach" in response.get_json()["response"]["outputSpeech"]["ssml"]


@pytest.mark.parametrize("method", ["get", "put", "delete", "patch"])
def test_wrong_method_gets_405(client: FlaskClient, method: str) -> None:
    assert getattr(client, method)("/").status_code == 405


def test_health_check(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert (response.status_code, response.get_json()) == (200, {"status": "ok"})


def test_an_internal_error_is_a_500_without_a_stack_trace(
    client: FlaskClient, skill: CoachSkill, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(skill, "handle", broken)
    response = post(client, launch())
    assert response.status_code == 500
    assert response.get_json() == {"error": "internal error"}
    assert b"Traceback" not in response.data and b"secret" not in response.data


# --- never a 500 for anything a client sends -----------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
INTENTS = ["StartRoutineIntent", "AMAZON.NextIntent", "AMAZON.PreviousIntent", "GoToStretchIntent",
           "DescribeStretchIntent", "AMAZON.YesIntent", "AMAZON.StopIntent", "TimeLeftIntent",
           "AMAZON.PauseIntent", "AMAZON.ResumeIntent", "NoSuchIntent"]  # fmt: skip
TEMPLATES = ["launch", "start_routine", "session_ended", "skill_disabled", "unknown_routine",
             "exception_encountered", "playback_started", "playback_failed", "play_command",
             "skill_enabled"]  # fmt: skip


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield (*prefix, key)
            yield from _paths(inner, (*prefix, key))


@st.composite
def mutated_envelopes(draw: st.DrawFn) -> dict[str, Any]:
    event = envelope(draw(st.sampled_from(TEMPLATES)))
    if event["request"]["type"] == "IntentRequest":
        event["request"]["intent"]["name"] = draw(st.sampled_from(INTENTS))
    # Session attributes a client could have tampered with, including a damaged person.
    if "session" in event:
        event["session"]["new"] = draw(st.booleans())
        event["session"]["attributes"] = draw(
            st.fixed_dictionaries({}, optional={
                "person": st.fixed_dictionaries({}, optional={
                    "position": json_values, "preferences": json_values,
                    "counts": json_values, "welcomed": json_values, "_stored": json_values,
                    "history": json_values, "screened": json_values,
                }),
                "pending": json_values,
            })
        )  # fmt: skip
    if draw(st.integers(0, 4)) == 0:
        event.pop("session", None)  # as Alexa sends some requests, and a client may send any
    for _ in range(draw(st.integers(0, 3))):
        paths = list(_paths(event))
        path = draw(st.sampled_from(paths))
        parent = event
        for key in path[:-1]:
            parent = parent[key]
        if draw(st.booleans()):
            parent[path[-1]] = draw(json_values)
        else:
            del parent[path[-1]]
    return event


FUZZ = settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                HealthCheck.function_scoped_fixture])  # fmt: skip


@FUZZ
@given(mutated_envelopes())
def test_mutated_envelopes_never_get_a_500(event: dict[str, Any]) -> None:
    app = _fuzz_app()
    response = app.post("/", data=json.dumps(event), content_type="application/json")
    assert response.status_code in (200, 400), response.data[:300]
    if response.status_code == 200:
        assert "response" in response.get_json()


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=2048))
def test_random_bytes_never_get_a_500(body: bytes) -> None:
    assert _fuzz_app().post("/", data=body).status_code in (400, 413)


@FUZZ
@given(mutated_envelopes())
def test_signed_mutated_envelopes_never_get_a_500(event: dict[str, Any]) -> None:
    body = json.dumps(fresh_id(event)).encode("utf-8")
    response = post(_signed_fuzz_app(), body)
    assert response.status_code in (200, 400), response.data[:300]


_apps: dict[str, FlaskClient] = {}


def _fuzz_app() -> FlaskClient:
    if "plain" not in _apps:
        skill = CoachSkill(Config(store_url="memory://"), store=MemoryAdapter())
        _apps["plain"] = create_app(skill, None).test_client()
    return _apps["plain"]


def _signed_fuzz_app() -> FlaskClient:
    if "signed" not in _apps:
        skill = CoachSkill(Config(store_url="memory://"), store=MemoryAdapter())
        verifier = RequestVerifier(
            roots=[authority().root],
            fetch=Fetcher(default=authority().good),
            clock=lambda: NOW.timestamp(),
        )
        _apps["signed"] = create_app(skill, verifier).test_client()
    return _apps["signed"]


# --- serving ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("host", "loopback"), [("127.0.0.1", True), ("::1", True), ("[::1]", True),
                         ("localhost", True), ("0.0.0.0", False), ("192.168.1.5", False),
                         ("coach.example.com", False)])  # fmt: skip
def test_loopback_addresses(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_no_verify_refuses_a_reachable_address() -> None:
    with pytest.raises(UnsafeServeError, match="local testing only"):
        build(Config(store_url="memory://"), verify=False, host="0.0.0.0")
    _, verifier = build(Config(store_url="memory://"), verify=False, host="127.0.0.1")
    assert verifier is None
    _, verifier = build(
        Config(store_url="memory://", skill_id=SKILL_ID), verify=True, host="0.0.0.0"
    )
    assert verifier is not None and verifier.skill_id == SKILL_ID


def test_verifying_without_a_skill_id_needs_to_be_asked_for() -> None:
    with pytest.raises(UnsafeServeError, match="SKILL_ID"):
        build(Config(store_url="memory://"), verify=True, host="0.0.0.0")
    _, verifier = build(Config(store_url="memory://"), verify=True, host="0.0.0.0", any_skill=True)
    assert verifier is not None and verifier.skill_id is None


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Servers the serve command would run: bound for real, then closed instead of run."""
    servers: list[Any] = []
    monkeypatch.setattr(serve_module, "run_server", servers.append)
    monkeypatch.delenv("SKILL_ID", raising=False)
    return servers


def test_serve_command_warns_loudly_without_verification(
    served: list[Any], caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    port = free_port()
    with caplog.at_level(logging.WARNING):
        code = main(["serve", "--no-verify", "--port", str(port),
                     "--store", f"sqlite:///{tmp_path / 'coach.db'}"])  # fmt: skip
    assert code == 0
    assert (served[0].effective_host, int(served[0].effective_port)) == ("127.0.0.1", port)
    assert "REQUEST VERIFICATION IS OFF" in caplog.text


def test_serve_command_without_a_skill_id_refuses_unless_told_then_warns(
    served: list[Any], caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    port = str(free_port())
    assert main(["serve", "--port", port, "--store", "memory://"]) == 2
    assert "SKILL_ID" in capsys.readouterr().err
    assert served == []
    with caplog.at_level(logging.WARNING):
        assert main(["serve", "--any-skill", "--port", port, "--store", "memory://"]) == 0
    assert "ANY skill" in caplog.text
    assert len(served) == 1


def test_serve_command_logs_the_port_it_serves_on(
    served: list[Any], caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SKILL_ID", SKILL_ID)
    port = free_port()
    with caplog.at_level(logging.INFO):
        assert main(["serve", "--port", str(port), "--store", "memory://"]) == 0
    assert f"http://127.0.0.1:{port}/" in caplog.text


@pytest.mark.parametrize(
    ("argv", "message"),
    [(["serve", "--no-verify", "--host", "0.0.0.0"], "local testing only"),
     (["serve", "--no-verify", "--store", "sqlite://relative.db"], "sqlite:///"),
     (["serve", "--no-verify", "--host", "nosuchhost.invalid"], "local testing only"),
     (["serve", "--any-skill", "--host", "nosuchhost.invalid"], "no such address"),
     (["serve", "--no-verify", "--port", "-1"], "not a port"),
     (["serve", "--no-verify", "--port", "0"], "not a port"),
     (["serve", "--no-verify", "--port", "99999"], "not a port"),
     (["serve", "--no-verify", "--port", "IN-USE"], "in use")],
)  # fmt: skip
def test_serve_command_refuses_unsafe_or_bad_settings_in_one_line(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str], served: list[Any]
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        argv = [str(taken.getsockname()[1]) if a == "IN-USE" else a for a in argv]
        assert main([*argv, *([] if "--store" in argv else ["--store", "memory://"])]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1 and err.startswith("stretch-coach: ")
    assert served == []


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_many_concurrent_sessions_over_loopback_lose_no_update(tmp_path: Path) -> None:
    store = SqliteAdapter(tmp_path / "coach.db")
    skill = CoachSkill(Config(store_url=f"sqlite:///{tmp_path / 'coach.db'}"), store=store)
    verifier = RequestVerifier(roots=[authority().root], fetch=Fetcher(default=authority().good))
    server = create_server(create_app(skill, verifier), host="127.0.0.1", port=0,
                                    threads=8)  # fmt: skip
    assert isinstance(server, BaseWSGIServer) and server.socket is not None
    port = server.socket.getsockname()[1]
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        _load(port)
    finally:
        server.close()
        thread.join(timeout=5)
    records = {key: store.read(key) for key in _keys(tmp_path / "coach.db")}
    counts = sorted(r.data["counts"]["started"] for r in records.values() if r is not None)
    assert counts == [3] * 12 + [16]


def _keys(path: Path) -> list[str]:
    with sqlite3.connect(path) as db:
        return [row[0] for row in db.execute("SELECT id FROM people")]


def _load(port: int) -> None:
    def send(event: dict[str, Any]) -> dict[str, Any]:
        fresh_id(event)
        event["request"]["timestamp"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        body = json.dumps(event).encode("utf-8")
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/", data=body, method="POST",
            headers={"SignatureCertChainUrl": CERT_URL, "Content-Type": "application/json",
                     "Signature-256": authority().good.sign(body)},
        )  # fmt: skip
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
            result: dict[str, Any] = json.loads(response.read())
            return result

    def person(user: str, starts: int) -> None:
        attributes: dict[str, Any] = {}
        for n in range(starts):
            event = envelope("start_routine")
            for place in (event["session"], event["context"]["System"]):
                place["user"]["userId"] = user
            event["session"]["new"] = n == 0
            event["session"]["attributes"] = copy.deepcopy(attributes)
            attributes = send(event).get("sessionAttributes") or {}

    users = [f"amzn1.ask.account.LOAD{i}" for i in range(12)]
    jobs: list[Callable[[], None]] = [lambda u=u: person(u, 3) for u in users]  # type: ignore[misc]
    # One person on two devices at once: every start must be counted.
    jobs += [lambda: person("amzn1.ask.account.TWODEVICES", 8)] * 2
    with ThreadPoolExecutor(max_workers=8) as pool:
        for future in [pool.submit(job) for job in jobs]:
            future.result()
