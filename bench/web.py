"""The web endpoint with verification on: requests per second and p99 at 1, 8, 32 clients."""

from __future__ import annotations

import http.client
import itertools
import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench.common import REPO, percentile
from tests.certs import authority

LEVELS = (1, 8, 32)
SECONDS = 4.0  # each level runs this long
CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert.pem"

SERVER = """
import logging, sys, time
sys.path.insert(0, {repo!r})
import waitress
from cryptography import x509
from skill.alexa.app import CoachSkill
from skill.config import Config
from skill.web.app import create_app
from skill.web.verify import RequestVerifier

logging.disable(logging.WARNING)
root = x509.load_pem_x509_certificate(open({root!r}, "rb").read())
chain = open({chain!r}, "rb").read()
verifier = RequestVerifier(roots=[root], fetch=lambda url: chain)
skill = CoachSkill(Config(store_url="sqlite:///{db}"))
waitress.serve(create_app(skill, verifier), host="127.0.0.1", port={port}, threads=8,
               connection_limit=200, ident="")
"""


@dataclass(frozen=True)
class Load:
    clients: int
    rps: float
    p99_ms: float
    errors: int


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


# Enough signed requests for every level: each request id may be answered only once (the
# endpoint refuses replays), so no body is sent twice.
BODIES = 16_000


def _bodies(count: int) -> list[tuple[bytes, str]]:
    """Signed launches from 400 people, each with its own id, made before the clock starts."""
    template = json.loads((REPO / "tests" / "envelopes" / "launch.json").read_text())
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    chain = authority().good
    out = []
    for n in range(count):
        template["request"]["timestamp"] = stamp
        template["request"]["requestId"] = f"amzn1.echo-api.request.bench-{n}"
        for place in (template["session"], template["context"]["System"]):
            place["user"]["userId"] = f"amzn1.ask.account.WEB{n % 400}"
        body = json.dumps(template).encode()
        out.append((body, chain.sign(body)))
    return out


def _client(port: int, bodies: list[tuple[bytes, str]], until: float, taken: Iterator[int],
            times: list[float], errors: list[int]) -> None:  # fmt: skip
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    while time.perf_counter() < until:
        n = next(taken)
        if n >= len(bodies):
            return
        body, signature = bodies[n]
        started = time.perf_counter()
        try:
            connection.request("POST", "/", body=body, headers={
                "Content-Type": "application/json", "SignatureCertChainUrl": CERT_URL,
                "Signature-256": signature})  # fmt: skip
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors.append(response.status)
        except OSError:
            errors.append(0)
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            continue
        times.append(time.perf_counter() - started)


def web_load(workdir: Path) -> list[Load]:
    from cryptography.hazmat.primitives.serialization import Encoding

    # The server process trusts this process's test authority, handed over as files.
    (workdir / "root.pem").write_bytes(authority().root.public_bytes(Encoding.PEM))
    (workdir / "chain.pem").write_bytes(authority().good.pem)
    port = _free_port()
    code = SERVER.format(
        repo=str(REPO),
        db=str(workdir / "web.db"),
        port=port,
        root=str(workdir / "root.pem"),
        chain=str(workdir / "chain.pem"),
    )
    server = subprocess.Popen([sys.executable, "-c", code], cwd=REPO)
    try:
        _wait(port)
        bodies = _bodies(BODIES)
        taken = itertools.count()  # shared by every client and level: no body goes twice
        results = []
        for clients in LEVELS:
            times: list[float] = []
            errors: list[int] = []
            until = time.perf_counter() + SECONDS
            threads = [threading.Thread(target=_client, args=(port, bodies, until, taken,
                                                                 times, errors))
                       for _ in range(clients)]  # fmt: skip
            started = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.perf_counter() - started
            results.append(Load(clients, len(times) / elapsed, percentile(times, 0.99) * 1000,
                                len(errors)))  # fmt: skip
        return results
    finally:
        server.terminate()
        server.wait(timeout=10)


def _wait(port: int) -> None:
    deadline = time.time() + 20
    while time.time() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the endpoint did not start")
