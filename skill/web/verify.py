"""Alexa request verification for self-hosted skills: certificate URL, chain, signature, time."""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import http.client
import logging
import posixpath
import socket
import ssl
import threading
import time
import warnings
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol
from urllib.parse import urlsplit

import certifi
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

from skill.errors import StretchCoachError

log = logging.getLogger(__name__)

SIGNING_NAME = "echo-api.amazon.com"
# Amazon's rules: requests older or newer than this are replays or clock trouble.
MAX_SKEW_SECONDS = 150
# Skill lifecycle events (enabled, disabled, linked...) may arrive up to an hour late.
LIFECYCLE_SKEW_SECONDS = 3600
# One fetch, from connecting to the last byte: a server trickling a byte a second must not
# hold a request (a per-read timeout alone let one hold it for 12 s).
FETCH_TIMEOUT_SECONDS = 2.0
# A URL whose chain could not be fetched is not tried again for this long, so requests
# naming random URLs cannot make this server fetch on every request.
FAILED_FETCH_SECONDS = 60.0
MAX_CHAIN_BYTES = 64 * 1024
# Amazon's URL is about sixty characters; a long one is only a way to fill memory.
MAX_CERT_URL_CHARS = 256
# Chains remembered, least recently used dropped first: Alexa signs with one or two.
CACHE_ENTRIES = 32
# Outbound fetches of chains not in the cache, per minute: anyone can name a new URL under
# s3.amazonaws.com/echo.api/, and each would otherwise cost a fetch.
FETCHES_PER_MINUTE = 6
# Request ids answered within their time window, so a replay inside it is refused. Far
# more than a self-hosted skill answers in an hour; past it, the oldest are forgotten.
REMEMBERED_REQUESTS = 50_000

Fetch = Callable[[str], bytes]


class Headers(Protocol):
    """Request headers with case-insensitive lookup, as HTTP has them."""

    def get(self, key: str, /) -> str | None: ...


class VerificationFailed(StretchCoachError):
    """A request that is not provably from Alexa for this skill; answered with HTTP 400."""


def fetch_url(url: str, timeout: float = FETCH_TIMEOUT_SECONDS) -> bytes:
    """Download a certificate chain within `timeout` seconds in all, and at most 64 KiB."""
    # Only ever called with a URL that passed check_cert_url (tests use loopback http).
    parts = urlsplit(url)
    host = parts.hostname or ""
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(
            host, parts.port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(host, parts.port, timeout=timeout)
    deadline = time.monotonic() + timeout
    # A socket timeout bounds each read, not the whole: a server trickling a byte at a
    # time (in the TLS handshake, the headers or the body) could hold the fetch for ever.
    # At the deadline the watchdog shuts whatever socket the connection has, which ends
    # any read still waiting.
    watchdog = threading.Timer(timeout, _shut, args=(connection,))
    watchdog.daemon = True
    watchdog.start()
    try:
        connection.connect()
        connection.request("GET", parts.path or "/", headers={"Accept": "*/*"})
        response = connection.getresponse()
        if response.status != 200:
            raise VerificationFailed(f"certificate chain fetch answered {response.status}")
        data: bytes = response.read(MAX_CHAIN_BYTES + 1)
        if time.monotonic() > deadline:
            raise TimeoutError("certificate fetch took too long")
    finally:
        watchdog.cancel()
        connection.close()
    if len(data) > MAX_CHAIN_BYTES:
        raise VerificationFailed("certificate chain is too large")
    return data


def _shut(connection: http.client.HTTPConnection) -> None:
    sock = connection.sock
    if sock is None:
        return  # still connecting: the connect timeout bounds that
    with contextlib.suppress(OSError):  # already closed: the fetch ended on its own
        sock.shutdown(socket.SHUT_RDWR)


def check_cert_url(url: str) -> None:
    """https, host s3.amazonaws.com, port 443 if any, path under /echo.api/ once normalised."""
    if len(url) > MAX_CERT_URL_CHARS:
        raise VerificationFailed("certificate URL is too long")
    parts = urlsplit(url)
    if parts.scheme.lower() != "https":
        raise VerificationFailed("certificate URL is not https")
    if (parts.hostname or "").lower() != "s3.amazonaws.com":
        raise VerificationFailed("certificate URL is not on s3.amazonaws.com")
    try:
        port = parts.port
    except ValueError:
        raise VerificationFailed("certificate URL has a bad port") from None
    if port not in (None, 443):
        raise VerificationFailed("certificate URL port is not 443")
    if not posixpath.normpath(parts.path).startswith("/echo.api/"):
        raise VerificationFailed("certificate URL path is not under /echo.api/")


@dataclass(frozen=True)
class _Cached:
    leaf: x509.Certificate | None
    until: float


class RequestVerifier:
    """Checks that a request was signed by Alexa, recently, for this skill."""

    def __init__(
        self,
        *,
        roots: list[x509.Certificate],
        skill_id: str | None = None,
        fetch: Fetch = fetch_url,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = Store(roots)
        self.skill_id = skill_id
        self.fetch = fetch
        self.clock = clock
        self._cache: OrderedDict[str, _Cached] = OrderedDict()
        self._fetches: deque[float] = deque()
        self._lock = threading.Lock()
        self._fetching = threading.Lock()
        self._warned = float("-inf")
        self._seen: OrderedDict[bytes, float] = OrderedDict()

    def verify(self, headers: Headers, body: bytes, envelope: dict[str, Any]) -> None:
        """Raise VerificationFailed unless every one of Amazon's checks passes.

        Everything that costs nothing is checked before a certificate chain is fetched.
        """
        url = headers.get("SignatureCertChainUrl")
        signature = headers.get("Signature-256")
        if not url:
            raise VerificationFailed("no SignatureCertChainUrl header")
        if not signature:
            raise VerificationFailed("no Signature-256 header")
        check_cert_url(url)
        try:
            raw = base64.b64decode(signature, validate=True)
        except (binascii.Error, ValueError):
            raise VerificationFailed("signature is not base64") from None
        window_ends = self._check_time(envelope)
        self._check_skill(envelope)
        leaf = self._signing_cert(url)
        key = leaf.public_key()
        if not isinstance(key, rsa.RSAPublicKey):
            raise VerificationFailed("signing certificate does not hold an RSA key")
        try:
            key.verify(raw, body, padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature:
            raise VerificationFailed("signature does not match the body") from None
        # Last, so only requests Alexa signed are remembered.
        self._check_first_time(envelope, window_ends)

    def _check_first_time(self, envelope: dict[str, Any], window_ends: float) -> None:
        """Refuse a request id already answered while its timestamp is still accepted.

        A signed request replayed inside its window would otherwise act again (count a
        start twice). Ids are kept as digests, so a long id costs no more than a short one.
        """
        request_id = str((envelope.get("request") or {}).get("requestId", ""))
        digest = hashlib.sha256(request_id.encode("utf-8")).digest()
        now = self.clock()
        with self._lock:
            seen = self._seen
            while seen and next(iter(seen.values())) <= now:
                seen.popitem(last=False)
            if digest in seen and seen[digest] > now:
                raise VerificationFailed("this request was already answered")
            seen[digest] = window_ends
            while len(seen) > REMEMBERED_REQUESTS:
                seen.popitem(last=False)

    def _cached(self, url: str, now: float) -> _Cached | None:
        with self._lock:
            cached = self._cache.get(url)
            if cached is None:
                return None
            if cached.until <= now:
                del self._cache[url]  # failures and expired chains are forgotten, not kept
                return None
            self._cache.move_to_end(url)
            return cached

    def _remember(self, url: str, entry: _Cached) -> None:
        with self._lock:
            self._cache[url] = entry
            self._cache.move_to_end(url)
            while len(self._cache) > CACHE_ENTRIES:
                self._cache.popitem(last=False)

    def _may_fetch(self, now: float) -> bool:
        """Take one of the minute's fetches, if any are left."""
        with self._lock:
            while self._fetches and self._fetches[0] <= now - 60:
                self._fetches.popleft()
            if len(self._fetches) >= FETCHES_PER_MINUTE:
                return False
            self._fetches.append(now)
            return True

    def _signing_cert(self, url: str) -> x509.Certificate:
        cached = self._cached(url, self.clock())
        if cached is None:
            # One fetch at a time: requests naming the same new URL wait for one answer,
            # but never longer than a fetch may take.
            if not self._fetching.acquire(timeout=FETCH_TIMEOUT_SECONDS):
                raise VerificationFailed("certificate chain is still being fetched")
            try:
                now = self.clock()
                cached = self._cached(url, now)
                if cached is None:
                    if not self._may_fetch(now):
                        if now - self._warned > 60:  # once a minute, not once a request
                            self._warned = now
                            log.warning("refusing certificate fetches: too many this minute")
                        raise VerificationFailed("too many certificate fetches; try again later")
                    cached = self._fetch(url, now)
            finally:
                self._fetching.release()
        if cached.leaf is None:
            raise VerificationFailed("certificate chain recently failed to load")
        return cached.leaf

    def _fetch(self, url: str, now: float) -> _Cached:
        try:
            leaf = self._load_chain(url, now)
        except VerificationFailed:
            self._remember(url, _Cached(None, now + FAILED_FETCH_SECONDS))
            raise
        entry = _Cached(leaf, leaf.not_valid_after_utc.timestamp())
        self._remember(url, entry)
        return entry

    def _load_chain(self, url: str, now: float) -> x509.Certificate:
        try:
            pem = self.fetch(url)
        except VerificationFailed:
            raise
        except Exception as exc:  # any network trouble: the request cannot be verified
            log.warning("could not fetch a certificate chain: %s", type(exc).__name__)
            raise VerificationFailed("certificate chain could not be fetched") from None
        try:
            chain = x509.load_pem_x509_certificates(pem)
        except ValueError:
            raise VerificationFailed("certificate chain is not PEM") from None
        leaf, intermediates = chain[0], chain[1:]
        verifier = (
            PolicyBuilder()
            .store(self.store)
            .time(datetime.fromtimestamp(now, tz=UTC))
            .build_server_verifier(x509.DNSName(SIGNING_NAME))
        )
        try:
            # Chains to a trusted root, every certificate in date, and the signing
            # certificate names echo-api.amazon.com.
            verifier.verify(leaf, intermediates)
        except VerificationError as exc:
            raise VerificationFailed(f"certificate chain is not trusted: {exc}") from None
        return leaf

    def _check_time(self, envelope: dict[str, Any]) -> float:
        """Raise unless the timestamp is recent; return when it stops being accepted."""
        request = envelope.get("request") or {}
        stamp = request.get("timestamp")
        try:
            when = datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
        except ValueError:
            raise VerificationFailed("request timestamp is not a date") from None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        lifecycle = str(request.get("type", "")).startswith("AlexaSkillEvent.")
        allowed = LIFECYCLE_SKEW_SECONDS if lifecycle else MAX_SKEW_SECONDS
        if abs(self.clock() - when.timestamp()) > allowed:
            raise VerificationFailed("request timestamp is too far from now")
        return when.timestamp() + allowed

    def _check_skill(self, envelope: dict[str, Any]) -> None:
        if not self.skill_id:
            return
        system = (envelope.get("context") or {}).get("System") or {}
        application = (system.get("application") or {}).get("applicationId")
        if application != self.skill_id:
            raise VerificationFailed("request is for another skill")


def trusted_roots() -> list[x509.Certificate]:
    """The public root certificates Alexa's signing chain ends in (Mozilla's set)."""
    with open(certifi.where(), "rb") as bundle:
        pem = bundle.read()
    # A few old roots in the bundle have non-positive serial numbers; cryptography warns
    # about each, but they are not the roots Alexa's chains end in.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        return x509.load_pem_x509_certificates(pem)
