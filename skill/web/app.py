"""POST / runs the skill on a verified Alexa request; every client mistake is a 4xx."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from ask_sdk_core.exceptions import SerializationException
from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from skill.alexa.app import CoachSkill, SkillIdError
from skill.alexa.untrusted import MAX_DEPTH, MalformedRequest
from skill.web.verify import RequestVerifier, VerificationFailed

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024


class BadRequest(Exception):
    """A body that is not an Alexa request envelope."""


# A string (to the end of the text if never closed, so no match ever backtracks: linear
# time on any body) or a bracket.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]')


def nests_deeper_than(text: str, limit: int) -> bool:
    """Whether JSON text opens more than `limit` brackets at once, found without parsing it.

    json.loads recurses once per level: "[" five thousand times is a RecursionError.
    """
    depth = 0
    for token in _TOKEN.findall(text):
        if token in ("[", "{"):
            depth += 1
            if depth > limit:
                return True
        elif token in ("]", "}"):
            depth -= 1
    return False


def parse_envelope(body: bytes) -> dict[str, Any]:
    """UTF-8 JSON with the shape of an Alexa request envelope, or BadRequest."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("the body is not UTF-8") from None
    if nests_deeper_than(text, MAX_DEPTH):
        raise BadRequest(f"the body nests deeper than {MAX_DEPTH} levels")
    try:
        envelope = json.loads(text)
    except (ValueError, RecursionError):
        raise BadRequest("the body is not JSON") from None
    if not isinstance(envelope, dict):
        raise BadRequest("the body is not a JSON object")
    request_part = envelope.get("request")
    context = envelope.get("context")
    if not isinstance(envelope.get("version"), str) or not isinstance(request_part, dict):
        raise BadRequest("not an Alexa request envelope")
    if not isinstance(request_part.get("type"), str) or not isinstance(
        request_part.get("requestId"), str
    ):
        raise BadRequest("the request has no type or id")
    if not isinstance(request_part.get("timestamp"), str):
        raise BadRequest("the request has no timestamp")
    system = context.get("System") if isinstance(context, dict) else None
    if not isinstance(system, dict) or not isinstance(system.get("application"), dict):
        raise BadRequest("the request has no context.System.application")
    user = system.get("user")
    if not isinstance(user, dict) or not isinstance(user.get("userId"), str):
        raise BadRequest("the request has no user")
    session = envelope.get("session")
    if session is not None and (
        not isinstance(session, dict)
        or not isinstance(session.get("attributes", {}), dict | type(None))
    ):
        raise BadRequest("the session is malformed")
    return envelope


def create_app(skill: CoachSkill, verifier: RequestVerifier | None) -> Flask:
    """The endpoint; verifier None turns verification off (loopback testing only)."""
    app = Flask("stretch_coach")
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES

    @app.get("/healthz")
    def healthz() -> Response:
        return jsonify(status="ok")

    @app.post("/")
    def alexa() -> Response | tuple[Response, int]:
        body = request.get_data(cache=False)  # raises 413 past MAX_CONTENT_LENGTH
        try:
            envelope = parse_envelope(body)
            if verifier is not None:
                verifier.verify(request.headers, body, envelope)
        except (BadRequest, VerificationFailed) as exc:
            log.info("refused a request: %s", exc)
            return jsonify(error=str(exc)), 400
        try:
            answer = skill.handle(envelope)
        except SkillIdError:
            return jsonify(error="request is for another skill"), 400
        except MalformedRequest as exc:
            log.info("refused a request: %s", exc)
            return jsonify(error=str(exc)), 400
        except SerializationException:
            # The right shape with the wrong types inside: still the client's mistake.
            log.info("refused a request the skill could not read")
            return jsonify(error="not a request this skill can read"), 400
        return jsonify(answer)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> tuple[Response, int]:
        return jsonify(error=exc.description or exc.name), exc.code or 500

    @app.errorhandler(Exception)
    def internal_error(exc: Exception) -> tuple[Response, int]:
        log.error("internal error: %s", type(exc).__name__, exc_info=True)
        return jsonify(error="internal error"), 500

    return app
