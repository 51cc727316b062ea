"""Run the endpoint under waitress, a production WSGI server, with verification on by default."""

from __future__ import annotations

import ipaddress
import logging

import waitress

from skill.alexa.app import CoachSkill
from skill.config import Config
from skill.errors import StretchCoachError
from skill.web.app import create_app
from skill.web.verify import RequestVerifier, trusted_roots

log = logging.getLogger(__name__)

LOOPBACK_NAMES = {"localhost"}


class UnsafeServeError(StretchCoachError):
    """Verification turned off on an address other machines can reach."""


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def build(config: Config, *, verify: bool, host: str) -> tuple[CoachSkill, RequestVerifier | None]:
    if not verify and not is_loopback(host):
        raise UnsafeServeError(
            f"--no-verify is for local testing only; it refuses to listen on {host}. "
            "Use --host 127.0.0.1, or keep verification on."
        )
    skill = CoachSkill(config)
    verifier = RequestVerifier(roots=trusted_roots(), skill_id=config.skill_id) if verify else None
    return skill, verifier


def serve_endpoint(config: Config, *, host: str, port: int, verify: bool, threads: int = 8) -> None:
    skill, verifier = build(config, verify=verify, host=host)
    if verifier is None:
        log.warning(
            "REQUEST VERIFICATION IS OFF: anyone who can reach %s:%d can drive this skill. "
            "Use this only for local testing.",
            host,
            port,
        )
    log.info("Stretch Coach skill endpoint on http://%s:%d/ (store: %s)", host, port,
             config.store_url.split("://")[0])  # fmt: skip
    waitress.serve(create_app(skill, verifier), host=host, port=port, threads=threads, ident="")
