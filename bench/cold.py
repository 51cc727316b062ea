"""Cold start: a fresh process importing the Lambda handler and answering one LaunchRequest."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass

from bench.common import REPO, median_of, moto_dynamodb

RUNS = 7
LAUNCH = REPO / "tests" / "envelopes" / "launch.json"

# The repository's root and lambda/ on the path, as the bundle lays them out (rather than
# through the editable install's import hook, which Lambda does not have).
OURS = f"""
import json, sys
sys.path[:0] = [{str(REPO / "lambda")!r}, {str(REPO)!r}]
import lambda_function
event = json.load(open({str(LAUNCH)!r}))
assert lambda_function.lambda_handler(event, None)["response"]["outputSpeech"]
"""

BARE = f"""
import json
import boto3
from ask_sdk_core.dispatch_components.request_components import AbstractRequestHandler
from ask_sdk_core.skill_builder import SkillBuilder

class Hello(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return True

    def handle(self, handler_input):
        return handler_input.response_builder.speak("Hello.").response

builder = SkillBuilder()
builder.add_request_handler(Hello())
event = json.load(open({str(LAUNCH)!r}))
assert builder.lambda_handler()(event, None)["response"]["outputSpeech"]
"""


@dataclass(frozen=True)
class ColdStart:
    store: str
    bare_s: float
    ours_s: float

    @property
    def ratio(self) -> float:
        return self.ours_s / self.bare_s


def _process(code: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=REPO)
    return time.perf_counter() - started


def _compare(store: str, env: dict[str, str]) -> ColdStart:
    _process(BARE, env)  # warm the disk cache for both, so neither pays for it alone
    _process(OURS, env)
    bare = median_of(RUNS, lambda: _process(BARE, env))
    ours = median_of(RUNS, lambda: _process(OURS, env))
    return ColdStart(store, bare, ours)


def cold_starts() -> list[ColdStart]:
    """The skill alone (memory store), and as deployed (DynamoDB, moto on loopback)."""
    results = [_compare("memory", {**os.environ, "STRETCH_COACH_STORE": "memory://"})]
    with moto_dynamodb() as (aws, table):
        env = {**os.environ, **aws, "STRETCH_COACH_STORE": f"dynamodb://{table}"}
        results.append(_compare("dynamodb", env))
    return results
