"""Versioned person records behind ask-sdk's persistence interface, with merge and expiry."""

from __future__ import annotations

import copy
import hashlib
import time
from abc import abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_model.request_envelope import RequestEnvelope

from skill.errors import StretchCoachError

# The key in an attributes dict that carries the stored version and what was read, so a
# save can tell a conflict from a first write and merge instead of overwriting.
STORED = "_stored"
# A person who has not used the coach for this long is forgotten.
TTL_SECONDS = 400 * 24 * 3600
# Several devices of one person can race; after this many lost races, give up and say so.
MAX_CONFLICT_RETRIES = 4
# Versions count saves; past this a number is no version we wrote (and DynamoDB's limit).
MAX_VERSION = 2**53


class StoreError(StretchCoachError):
    """The store could not be read or written (down, slow, throttled, or contended)."""


class Forgotten(StoreError):
    """The record this save was read from has been deleted: the person asked to be forgotten."""


class NeverRead(StoreError):
    """A save that read no record found one stored: it would overwrite what it never saw."""


@dataclass(frozen=True)
class Record:
    """A stored person: their attributes, the version that wrote them, and when they expire."""

    data: dict[str, Any]
    version: int
    expires_at: int


def key_for_user(user_id: str) -> str:
    """The store key for a user id: a hash, so no raw Alexa id is stored."""
    return hashlib.sha256(user_id.encode("utf-8")).hexdigest()


def user_key(request_envelope: RequestEnvelope) -> str:
    """The store key for the person behind a request."""
    system = request_envelope.context.system if request_envelope.context else None
    user_id = system.user.user_id if system and system.user else None
    if not user_id:
        raise StoreError("the request names no user")
    return key_for_user(user_id)


def stored_meta(value: object) -> dict[str, Any] | None:
    """What a save needs to merge (the version read and the data it had), if well formed.

    It travels in the session, so the client can damage it: anything else is None.
    """
    if not isinstance(value, dict) or set(value) != {"version", "base"}:
        return None
    version, base = value["version"], value["base"]
    if not _whole(version) or not 0 <= version <= MAX_VERSION or not isinstance(base, dict):
        return None
    return {"version": version, "base": base}


def merge(base: Mapping[str, Any], ours: Mapping[str, Any], theirs: Mapping[str, Any],
          *, counts: bool = False) -> dict[str, Any]:  # fmt: skip
    """Three-way merge, so two devices of one person never lose an update.

    Their changes survive where we changed nothing, ours win elsewhere, and whole numbers
    under a "counts" key add up. Counts only ever go up: what we add is never negative,
    whatever the base (which travels in the session) says.
    """
    missing = object()
    merged: dict[str, Any] = {}
    for key in [*theirs, *(k for k in ours if k not in theirs)]:
        b, o, t = base.get(key, missing), ours.get(key, missing), theirs.get(key, missing)
        value: Any
        if counts and (_whole(o) or _whole(t)):
            value = _number(t) + max(0, _number(o) - _number(b))
        elif key == "counts" and isinstance(t, dict) and isinstance(o, dict | type(missing)):
            value = merge(_mapping(b), _mapping(o), t, counts=True)
        elif o == b:
            value = t
        elif t == b:
            value = o
        elif isinstance(o, dict) and isinstance(t, dict):
            value = merge(_mapping(b), o, t, counts=counts)
        else:
            value = o
        if value is not missing:
            merged[key] = value
    return merged


def _number(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class VersionedAdapter(AbstractPersistenceAdapter):
    """A person's attributes under optimistic concurrency.

    Every write names the version it read; a lost race re-reads, merges and tries again.
    Expired records read as absent.
    """

    def __init__(self, *, ttl_seconds: int = TTL_SECONDS, clock: Callable[[], float] = time.time):
        self.ttl_seconds = ttl_seconds
        self.clock = clock

    @abstractmethod
    def load(self, key: str) -> Record | None:
        """The stored record, expired or not; raise StoreError when the store fails."""

    @abstractmethod
    def store(self, key: str, record: Record, expected: int | None) -> bool:
        """Write if the stored version is `expected` (None: nothing stored); False if not."""

    @abstractmethod
    def remove(self, key: str) -> None:
        """Forget a person entirely."""

    def read(self, key: str) -> Record | None:
        record = self.load(key)
        if record is None or record.expires_at <= self.clock():
            return None
        return record

    def write(self, key: str, attributes: dict[str, Any]) -> None:
        """Save attributes read earlier, merging with any change made since.

        Afterwards `attributes` holds what was stored, other devices' changes included, and
        the version to name in the next save. A save that names no version (its read
        failed, or never happened) only creates: it raises NeverRead rather than touch a
        live record.
        """
        # Nothing was read, so there is no base to merge from: every value would differ
        # from an empty one, and defaults such as "consent not asked" would overwrite the
        # person's stored answers.
        read_nothing = STORED not in attributes
        meta = stored_meta(attributes.get(STORED, {"version": 0, "base": {}}))
        if meta is None:
            raise StoreError("the save names no version it read")
        version: int = meta["version"]
        base: dict[str, Any] = meta["base"]
        ours = {k: v for k, v in attributes.items() if k != STORED}
        for _ in range(MAX_CONFLICT_RETRIES):
            record = Record(ours, version + 1, int(self.clock()) + self.ttl_seconds)
            if self.store(key, record, version or None):
                # The caller goes on from what was stored, or its next save would undo the
                # other device's changes merged in here.
                attributes.clear()
                attributes.update(copy.deepcopy(ours))
                attributes[STORED] = {"version": record.version, "base": copy.deepcopy(ours)}
                return
            latest = self.load(key)
            if latest is None and version:
                # Deleted since we read it ("don't keep my data"): a session still open on a
                # device must not bring the person back.
                raise Forgotten("the record was deleted since it was read")
            alive = latest is not None and latest.expires_at > self.clock()
            if alive and read_nothing:
                raise NeverRead("a record is stored that this save never read")
            theirs = latest.data if latest is not None and alive else {}
            ours = merge(base, ours, theirs)
            base, version = theirs, latest.version if latest is not None else 0
        raise StoreError("the record kept changing underneath this write")

    # --- ask-sdk's interface ---------------------------------------------------------

    def attributes(self, key: str) -> dict[str, Any]:
        """A person's attributes, carrying what write() needs to merge rather than overwrite."""
        record = self.read(key)
        data = copy.deepcopy(record.data) if record else {}
        data[STORED] = {
            "version": record.version if record else 0,
            "base": copy.deepcopy(record.data) if record else {},
        }
        return data

    def get_attributes(self, request_envelope: RequestEnvelope) -> dict[str, Any]:
        return self.attributes(user_key(request_envelope))

    def save_attributes(
        self, request_envelope: RequestEnvelope, attributes: dict[str, Any]
    ) -> None:
        self.write(user_key(request_envelope), attributes)

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        self.remove(user_key(request_envelope))
