"""Shared by the benchmarks: statistics, the machine, and a DynamoDB (moto) on loopback."""

from __future__ import annotations

import contextlib
import os
import platform
import statistics
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
TABLE = "stretch-coach-bench"


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def median_of(runs: int, measure: Callable[[], float]) -> float:
    """Each figure is the median of repeated runs, so one noisy run cannot move it."""
    return statistics.median(measure() for _ in range(runs))


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return (
        f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


@contextlib.contextmanager
def moto_dynamodb() -> Iterator[tuple[dict[str, str], str]]:
    """A DynamoDB on loopback (moto's server, real HTTP) with a fresh table: (env, table)."""
    import boto3

    from tests.moto import moto_server  # conditional writes atomic, as DynamoDB's are

    with moto_server() as url:
        yield _fresh_table(boto3, url)


def _fresh_table(boto3: Any, url: str) -> tuple[dict[str, str], str]:
    env = {
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL_DYNAMODB": url,
    }
    client: Any = boto3.client(
        "dynamodb",
        region_name="us-east-1",
        endpoint_url=env["AWS_ENDPOINT_URL_DYNAMODB"],
        aws_access_key_id="bench",
        aws_secret_access_key="bench",
    )
    # moto keeps its tables for the life of the process: a new name each time.
    table = f"{TABLE}-{uuid.uuid4().hex[:8]}"
    client.create_table(
        TableName=table,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    return env, table


@contextlib.contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
