"""Run the endpoint under waitress, a production WSGI server, with verification on by default."""

from __future__ import annotations

import ipaddress
import logging
from typing import Any

from waitress.server import create_server

from skill.alexa.app import CoachSkill
from skill.config import Config
from skill.errors import StretchCoachError
from skill.web.app import create_app
from skill.web.verify import RequestVerifier, trusted_roots

log = logging.getLogger(__name__)

LOOPBACK_NAMES = {"localhost"}


class UnsafeServeError(StretchCoachError):
    """Verification turned off on an address other machines can reach, or no skill id."""


class ListenError(StretchCoachError):
    """The address or port cannot be listened on: in use, unknown, or out of range."""


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def build(
    config: Config, *, verify: bool, host: str, any_skill: bool = False
) -> tuple[CoachSkill, RequestVerifier | None]:
    if not verify and not is_loopback(host):
        raise UnsafeServeError(
            f"--no-verify is for local testing only; it refuses to listen on {host}. "
            "Use --host 127.0.0.1, or keep verification on."
        )
    if verify and not config.skill_id and not any_skill:
        # Signed requests prove they come from Alexa, not that they are for this skill:
        # without an id, anyone's skill could drive this endpoint and its store.
        raise UnsafeServeError(
            "set SKILL_ID to your skill's id (amzn1.ask.skill....) so requests for other "
            "skills are refused, or pass --any-skill to serve every skill"
        )
    skill = CoachSkill(config)
    verifier = RequestVerifier(roots=trusted_roots(), skill_id=config.skill_id) if verify else None
    return skill, verifier


def listen(app: Any, *, host: str, port: int, threads: int) -> Any:
    """A waitress server bound to host:port, or one ListenError naming what is wrong."""
    if not 1 <= port <= 65535:
        raise ListenError(f"--port {port} is not a port; use 1 to 65535")
    try:
        return create_server(app, host=host, port=port, threads=threads, ident="")
    except OSError as exc:  # in use, no permission
        reason = exc.strerror or str(exc)
        raise ListenError(f"cannot listen on {host}:{port}: {reason}") from None
    except ValueError:  # waitress's word for a host that does not resolve
        raise ListenError(f"cannot listen on {host}:{port}: no such address") from None


def run_server(server: Any) -> None:
    """Serve until interrupted (tests replace this to serve nothing)."""
    server.run()


def serve_endpoint(config: Config, *, host: str, port: int, verify: bool,
                   any_skill: bool = False, threads: int = 8) -> None:  # fmt: skip
    skill, verifier = build(config, verify=verify, host=host, any_skill=any_skill)
    if verifier is None:
        log.warning(
            "REQUEST VERIFICATION IS OFF: anyone who can reach %s:%d can drive this skill. "
            "Use this only for local testing.",
            host,
            port,
        )
    elif not config.skill_id:
        log.warning("SKILL_ID is not set (--any-skill): signed requests for ANY skill are served")
    server = listen(create_app(skill, verifier), host=host, port=port, threads=threads)
    # The address actually bound, so the log never names one port while serving another.
    bound_host = getattr(server, "effective_host", host)
    bound_port = getattr(server, "effective_port", port)
    log.info("Stretch Coach skill endpoint on http://%s:%s/ (store: %s)", bound_host, bound_port,
             config.store_url.split("://")[0])  # fmt: skip
    try:
        run_server(server)
    finally:
        server.close()
