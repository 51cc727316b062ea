"""moto's DynamoDB server on a free loopback port: the real HTTP path, nothing outside."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def one_at_a_time(app: WsgiApp) -> WsgiApp:
    """The app, answering one request at a time.

    DynamoDB applies a conditional write atomically, and the store's whole guarantee rests
    on that. moto's threaded server does not: its put_item reads the item, parses the
    condition, then writes, with nothing held, so two devices can both pass the same
    version check and the second silently replaces the first. A lock around each request
    (body included) gives the double the real service's atomicity; the devices still race
    between their reads and their writes, which is the race under test.
    """
    lock = threading.Lock()

    def serialised(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        with lock:
            return list(app(environ, start_response))

    return serialised


@contextlib.contextmanager
def moto_server() -> Iterator[str]:
    """Start the server, yield its URL, and stop it however the block ends."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # a log line per request
    app = one_at_a_time(DomainDispatcherApplication(create_backend_app))
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=MotoRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.shutdown()
        thread.join()
