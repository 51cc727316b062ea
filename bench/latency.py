"""Warm request latency through lambda_handler, per store, against a bare ask-sdk-core skill."""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from ask_sdk_core.dispatch_components.request_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_model.response import Response

from bench.common import REPO, environment, median_of, moto_dynamodb, percentile
from skill.alexa import app

ENVELOPES = REPO / "tests" / "envelopes"
# What a session of stretching sounds like: open, start, and move about the routine.
MIX = ["launch", "start", "AMAZON.NextIntent", "AMAZON.RepeatIntent", "AMAZON.PreviousIntent",
       "AMAZON.NextIntent", "AMAZON.StopIntent"]  # fmt: skip
USERS = 30
RUNS = 5

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


class _Hello(AbstractRequestHandler):
    """The bare skill: one sentence for every request."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> Response:
        response: Response = handler_input.response_builder.speak("Hello.").response
        return response


def bare_handler() -> Handler:
    builder = SkillBuilder()
    builder.add_request_handler(_Hello())
    # ask-sdk's own annotation of its wrapper is wrong (it takes the event dict).
    return cast(Handler, builder.lambda_handler())


def _template(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((ENVELOPES / f"{name}.json").read_text())
    return data


def conversation(user: str) -> list[dict[str, Any]]:
    """The mix as one person's session: session attributes are filled in as it goes."""
    events = []
    for step in MIX:
        if step == "launch":
            event = _template("launch")
        else:
            event = _template("start_routine")
            if step != "start":
                event["request"]["intent"] = {"name": step, "confirmationStatus": "NONE"}
        for place in (event["session"], event["context"]["System"]):
            place["user"]["userId"] = user
        events.append(event)
    return events


def run(handler: Handler, users: int = USERS) -> list[float]:
    """Seconds per request over `users` sessions of the mix, attributes carried forward."""
    times: list[float] = []
    for n in range(users):
        attributes: dict[str, Any] = {}
        for i, event in enumerate(conversation(f"amzn1.ask.account.BENCH{n}-{time.time_ns()}")):
            event = copy.deepcopy(event)
            event["session"]["new"] = i == 0
            event["session"]["attributes"] = attributes
            started = time.perf_counter()
            response = handler(event, None)
            times.append(time.perf_counter() - started)
            attributes = response.get("sessionAttributes") or {}
    return times


@dataclass(frozen=True)
class Latency:
    name: str
    p50_ms: float
    p99_ms: float


def measure(name: str, handler: Handler) -> Latency:
    run(handler, users=3)  # warm: the first requests build the skill and compile scripts
    samples = [run(handler) for _ in range(RUNS)]
    p50 = sorted(percentile(s, 0.50) for s in samples)[RUNS // 2]
    p99 = sorted(percentile(s, 0.99) for s in samples)[RUNS // 2]
    return Latency(name, p50 * 1000, p99 * 1000)


def coach(store: str, extra_env: dict[str, str] | None = None) -> Latency:
    with environment({"STRETCH_COACH_STORE": store, **(extra_env or {})}):
        app._skill = None  # a fresh skill reading this store setting, as a new Lambda would
        try:
            return measure(store.split("://")[0], app.lambda_handler)
        finally:
            app._skill = None


def all_latencies(workdir: Path) -> list[Latency]:
    results = [measure("bare ask-sdk-core", bare_handler())]
    results.append(coach("memory://"))
    results.append(coach(f"sqlite:///{workdir / 'bench.db'}"))
    with moto_dynamodb() as (env, table):
        results.append(coach(f"dynamodb://{table}", env))
    return results


__all__ = ["Latency", "all_latencies", "median_of"]
