"""One person's devices in separate processes, starting routines through the real lambda_handler."""

from __future__ import annotations

import multiprocessing
import os
from typing import Any

from tests.alexa import envelope

USER = "amzn1.ask.account.MANYDEVICES"
NOT_SAVED = "couldn't save"


def device(environ: dict[str, str], number: int, starts: int, gate: Any, out: Any) -> None:
    """Start a routine `starts` times in fresh sessions; report how many were acknowledged."""
    os.environ.update(environ)
    from skill.alexa.app import lambda_handler  # after the environment names the store

    acknowledged = 0
    gate.wait(timeout=60)
    for n in range(starts):
        event = envelope("start_routine")
        for place in (event["session"], event["context"]["System"]):
            place["user"]["userId"] = USER
        event["session"]["new"] = True
        event["session"]["sessionId"] = f"amzn1.echo-api.session.{number}.{n}"
        event["request"]["requestId"] = f"amzn1.echo-api.request.{number}.{n}"
        speech = str(lambda_handler(event, None)["response"]["outputSpeech"]["ssml"])
        if "The seniors routine." in speech and NOT_SAVED not in speech:
            acknowledged += 1
    out.put(acknowledged)


def run_devices(environ: dict[str, str], devices: int, starts: int) -> int:
    """Run the devices at once; the number of starts they were told were saved."""
    context = multiprocessing.get_context("spawn")
    gate = context.Barrier(devices)
    out = context.Queue()
    processes = [
        context.Process(target=device, args=(environ, n, starts, gate, out)) for n in range(devices)
    ]
    for process in processes:
        process.start()
    try:
        total = sum(int(out.get(timeout=120)) for _ in processes)
    finally:
        for process in processes:
            process.join(timeout=30)
    return total
