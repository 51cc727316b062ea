"""Who is using the coach on this computer, as the skill and the store know them."""

from __future__ import annotations

import getpass
import re

from skill.alexa.person import Person
from skill.store.base import VersionedAdapter, key_for_user


def local_user_id() -> str:
    """One stable user id per login, so play and chat share a place in a routine."""
    try:
        name = getpass.getuser()
    except Exception:  # no login name in some containers
        name = "someone"
    return "amzn1.ask.account.local-" + re.sub(r"[^A-Za-z0-9]+", "-", name)


def load_person(store: VersionedAdapter, user_id: str) -> Person:
    return Person.from_attributes(store.attributes(key_for_user(user_id)))


def save_person(store: VersionedAdapter, user_id: str, person: Person) -> Person:
    """Save as the skill does: what reveals health only with the person's yes."""
    attributes = person.to_stored()
    store.write(key_for_user(user_id), attributes)
    saved = Person.from_attributes(attributes)
    saved.keep_health_of(person)
    return saved
