"""One request's view of the world: the person, the routine they are in, and how to answer."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils.request_util import get_request_type, is_new_session
from ask_sdk_model.response import Response

from skill.alexa import screen, touch
from skill.alexa.person import Person
from skill.alexa.prompts import Prompts, prompts_for
from skill.alexa.questions import ASKED_BY, GO_ON, QUESTIONS, REPEAT_OFFER, Pending
from skill.alexa.untrusted import stage_of
from skill.content.model import Catalogue, Pace, Routine, RoutineDefaults, RoutineItem, Stretch
from skill.engine.compiler import EmptyRoutineError, compile_routine
from skill.engine.cursor import Cursor, CursorError, progress, repair, resumable, stretch_done
from skill.engine.phrases import number
from skill.engine.preferences import Preferences
from skill.engine.screening import LATE_PREGNANCY, SCREENINGS, consequence
from skill.engine.script import Script
from skill.engine.timeline import timeline
from skill.speech import ssml
from skill.store.base import StoreError, VersionedAdapter

log = logging.getLogger(__name__)

# Routines offered first to someone who has not chosen yet: gentle, short, and common.
SUGGESTED = ("seniors", "desk", "daily_ten")
# A stretch done on its own plays as a routine of one, under this prefix and its id.
SINGLE = "just:"
# The session's list of the back screenings answered in it (by the routine they guard).
SCREENED_NOW = "screenedNow"
# Screenings the person asked not to be kept: they adapt this visit, and are never stored.
UNKEPT = "unkept"
SINGLE_SAFETY = "Move gently, and stop if anything hurts."
# In the session while the person's latest changes are not in the store; a prompt with a
# "_unsaved" variant says that one instead, so nothing promises a place that was not kept.
UNSAVED = "unsaved"
UNSAVED_SUFFIX = "_unsaved"


@dataclass
class Services:
    """What every request shares: the catalogue, the store, and compiled scripts."""

    catalogue: Catalogue
    store: VersionedAdapter
    _compile: Any = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # Compiling is pure, so the same routine and preferences always give the same script.
        @lru_cache(maxsize=128)
        def compiled(routine_id: str, preferences: Preferences) -> Script:
            routine = self.routine(routine_id)
            assert routine is not None, routine_id
            return compile_routine(self.catalogue, routine, preferences)

        self._compile = compiled

    def script(self, routine_id: str, preferences: Preferences) -> Script:
        script: Script = self._compile(routine_id, preferences)
        return script

    def routine(self, routine_id: str) -> Routine | None:
        """A routine of the catalogue, or one stretch on its own ("just:pigeon")."""
        if routine_id in self.catalogue.routines:
            return self.catalogue.routines[routine_id]
        stretch = self.catalogue.stretches.get(routine_id.removeprefix(SINGLE))
        if not routine_id.startswith(SINGLE) or stretch is None:
            return None
        return single_routine(stretch)


def single_routine(stretch: Stretch) -> Routine:
    """One stretch as a routine of its own, with its usual dosage."""
    return Routine(
        id=f"{SINGLE}{stretch.id}",
        name=stretch.name,
        aliases=(),
        audience="",
        intro="",
        safety=SINGLE_SAFETY,
        sources=stretch.sources,
        defaults=RoutineDefaults(),
        items=(RoutineItem(stretch=stretch.id, dosage=stretch.dosage),),
    )


class Turn:
    """Load once per request, change, save once, answer: the shape of every handler."""

    def __init__(self, handler_input: HandlerInput, services: Services) -> None:
        self.input = handler_input
        self.services = services
        self.catalogue = services.catalogue
        self.prompts: Prompts = prompts_for(locale_of(handler_input))
        manager = handler_input.attributes_manager
        session = manager.session_attributes
        if session is None:
            session = {}
            manager.session_attributes = session
        # The manager's own dict: what the handlers put here goes back in the response.
        self.session: dict[str, Any] = session
        if handler_input.request_envelope.session is not None and is_new_session(handler_input):
            # Said in another conversation, perhaps weeks ago: asked again in this one.
            session.pop("stage", None)
            session.pop(SCREENED_NOW, None)
            session.pop(UNKEPT, None)
        self.notes: list[str] = []
        self.saved = False
        self.dirty = False
        self.person = self._load()
        if not self.person.welcomed and get_request_type(handler_input) == "IntentRequest":
            # A first visit that opens with a request ("ask stretch coach to ...") still
            # hears the health disclaimer before anything else.
            self.notes.append(self.prompts.say("disclaimer"))
            self.person.welcomed = True
            self.dirty = True

    def _load(self) -> Person:
        stored = self.session.get("person")
        if isinstance(stored, dict) and not is_new_session(self.input):
            # The session comes back from the device: anything damaged in it sends us to
            # the store for the truth.
            person = Person.from_session(stored)
            if person is not None:
                return person
            log.info("the session's attributes were damaged; reading the store")
        try:
            attributes = self.services.store.get_attributes(self.input.request_envelope)
        except StoreError as exc:
            log.warning("could not read the store: %s", exc)
            self.notes.append(self.prompts.say("not_loaded"))
            return Person()
        return Person.from_attributes(attributes)

    # --- state ----------------------------------------------------------------------

    @property
    def pending(self) -> Pending | None:
        return pending_of(self.input)

    @pending.setter
    def pending(self, value: Pending | None) -> None:
        self.session["pending"] = value.to_attributes() if value else None

    def script(self, routine: Routine | str) -> Script:
        routine_id = routine if isinstance(routine, str) else routine.id
        return self.services.script(routine_id, self.preferences())

    def preferences(self) -> Preferences:
        """The person's choices and screenings, with a stale early pregnancy answer as late.

        The late version is safe at every stage, so it is used until the question about the
        last three months is answered again.
        """
        preferences = self.person.effective()
        if self.person.pregnancy_expired(self.today(), self.catalogue):
            preferences = preferences.combined(consequence(LATE_PREGNANCY, self.catalogue))
        return preferences

    @property
    def stage(self) -> tuple[str, int | None] | None:
        """How far along a pregnancy is, as said in this session ("late", 30), if said."""
        return stage_of(self.session.get("stage"))

    def note_stage(self, stage: str, weeks: int | None) -> None:
        """Keep a stage said for the rest of the session: a later one never makes it earlier."""
        known = self.stage
        if known is not None and known[0] == "late" and stage != "late":
            return
        if known is not None and known[0] == stage and known[1] is not None:
            # Of two numbers for one stage, the later is the safe one to go by.
            weeks = max(known[1], weeks) if weeks is not None else known[1]
        self.session["stage"] = {"stage": stage, "weeks": weeks}

    @property
    def cursor(self) -> Cursor | None:
        """Where the person is: a stretch on its own in this session, else their routine."""
        single = self.session.get("single")
        if isinstance(single, dict):
            try:
                cursor = Cursor.from_dict(single)
            except CursorError:
                cursor = None
            if cursor is not None and self.services.routine(cursor.routine) is not None:
                return cursor
        return self.person.position

    @cursor.setter
    def cursor(self, cursor: Cursor) -> None:
        # A stretch on its own lives in the session: it never replaces the saved routine.
        if cursor.routine.startswith(SINGLE):
            self.session["single"] = cursor.to_dict()
        else:
            self.session["single"] = None
            self.person.position = cursor

    def active(self) -> tuple[Script, Cursor] | None:
        """The routine the person is in (this session or left earlier), with its cursor."""
        cursor = self.cursor
        if cursor is None or self.services.routine(cursor.routine) is None:
            return None
        try:
            script = self.script(cursor.routine)
        except EmptyRoutineError:
            return None  # everything in it is left out ("just cobra", then "never cobra")
        return script, repair(script, cursor)

    def unfinished(self) -> tuple[Script, Cursor] | None:
        """A routine left part-way in an earlier session, worth offering to pick up."""
        cursor = self.person.position
        if cursor is None or cursor.routine not in self.catalogue.routines:
            return None
        try:
            script = self.script(cursor.routine)
        except EmptyRoutineError:
            return None
        return (script, cursor) if resumable(script, cursor) else None

    def save(self) -> bool:
        """Write the person to the store; on failure, say so and carry on in the session."""
        self.saved = True
        # Health data without consent stays in the session: the store never sees it.
        unkept = self.unkept()
        attributes = self.person.to_stored(unkept)
        ok = True
        try:
            self.services.store.save_attributes(self.input.request_envelope, attributes)
            # What was stored may include another device's changes, merged in; what only
            # this session may know comes along.
            stored = Person.from_attributes(attributes)
            stored.keep_health_of(self.person, unkept)
            self.person = stored
        except StoreError as exc:
            log.warning("could not save to the store: %s", exc)
            not_saved = self.prompts.say("not_saved")
            if not_saved not in self.notes:  # a turn that saves twice says so once
                self.notes.append(not_saved)
            ok = False
        # Remembered until a save succeeds, so no later answer promises a saved place; a
        # place held back for privacy (no consent) is not saved either, so the same holds.
        kept = ok and not self.person.holds_back_position()
        if kept:
            self.session.pop(UNSAVED, None)
        else:
            self.session[UNSAVED] = True
        self.session["person"] = self.person.to_attributes()
        return kept

    def unkept(self) -> frozenset[str]:
        """Screenings never to be stored; the session comes from the client, so checked."""
        value = self.session.get(UNKEPT)
        if not isinstance(value, list):
            return frozenset()
        return frozenset(v for v in value if isinstance(v, str) and v in SCREENINGS)

    def wording(self, key: str) -> str:
        """The prompt to say: after a failed save, the variant that promises no saved place."""
        if self.session.get(UNSAVED) is True and f"{key}{UNSAVED_SUFFIX}" in self.prompts.catalogue:
            return f"{key}{UNSAVED_SUFFIX}"
        return key

    # --- answers --------------------------------------------------------------------

    def suggestions(self, besides: str | None = None) -> str:
        """Three routines to offer, each one this person can play.

        A screening may leave every stretch of one out: the usual ones first, then the
        rest of the catalogue.
        """
        order = [*SUGGESTED, *(r for r in self.catalogue.routines if r not in SUGGESTED)]
        names = [f"the {self.catalogue.routines[r].name}" for r in order
                 if r != besides and self._playable(r)][:3]  # fmt: skip
        if len(names) < 2:
            return " ".join(names) or "a single stretch"
        return ", ".join(names[:-1]) + f", or {names[-1]}"

    def _playable(self, routine_id: str) -> bool:
        try:
            self.script(routine_id)
        except EmptyRoutineError:
            return False
        return True

    def routine_names(self) -> str:
        names = [r.name for r in self.catalogue.routines.values()]
        return ", ".join(names[:-1]) + f", and the {names[-1]}"

    def ask(
        self, key: str, *, reprompt_key: str | None = None, about: str | None = None,
        **values: object,
    ) -> Response:  # fmt: skip
        """Say a prompt and keep listening for the answer to the question it asks.

        The question is the prompt's own (see questions.py); the reprompt asks it again.
        """
        return self.ask_with(key, values, reprompt_key=reprompt_key, about=about)

    def ask_with(
        self, key: str, values: Mapping[str, object], *, reprompt_key: str | None = None,
        about: str | None = None,
    ) -> Response:  # fmt: skip
        """ask(), with the prompt's values passed as one mapping."""
        # Any prompt that offers a choice of routine may name the suggested ones.
        values = {"suggestions": self.suggestions(), **values}
        question = ASKED_BY.get(key)
        if question == REPEAT_OFFER and "offer" not in values:
            offer, question = self._offer()
            values = {"offer": offer, **values}
        text = self.prompts.say(self.wording(key), **values)
        # A reprompt may say the question again in full ("Please answer yes or no. ...").
        values = {"question": _question(text), **values}
        self.pending = Pending(question, about) if question else None
        if reprompt_key is None and question is not None:
            reprompt_key = QUESTIONS[question].reprompt
        reprompt = self.prompts.say(reprompt_key, **values) if reprompt_key else _question(text)
        return self.ask_text(text, reprompt)

    def _offer(self) -> tuple[str, str]:
        """The question after an answer mid-routine, and its name in the question table.

        The stretch again while it is under way; once it was heard to its end, going on:
        a stretch left behind (it hurt) is never offered again by a "yes".
        """
        active = self.active()
        if active is None:
            return self.prompts.say("offer_repeat", current="this stretch"), REPEAT_OFFER
        script, cursor = active
        here = progress(script, cursor)
        if stretch_done(script, cursor):
            if here.next_name:
                return self.prompts.say("offer_next", next=here.next_name), GO_ON
            return self.prompts.say("offer_finish"), GO_ON
        key = "offer_repeat" if here.stretches_left else "offer_repeat_last"
        return self.prompts.say(key, current=here.name or "this stretch"), REPEAT_OFFER

    def reask(
        self, pending: Pending, *, understood: bool, plain: bool = False, **values: object
    ) -> Response:
        """The answer did not fit the question: say so, and ask the same question again.

        Plain: the person asked to hear it again, so it is just the question.
        """
        question = QUESTIONS[pending.question]
        again = self.prompts.say(question.reprompt, **values)
        self.pending = pending
        if plain:
            return self.ask_text(again, again)
        preface = self.prompts.say(question.unfit if understood else "reask")
        return self.ask_text(f"{preface} {again}", again)

    def ask_text(self, text: str, reprompt: str) -> Response:
        self._settle()
        touch.hold(self.session)
        pace = self._pace()
        speech = ssml.speak_text(" ".join([*self.notes, text]), pace)
        builder = self.input.response_builder
        response: Response = builder.speak(speech).ask(ssml.speak_text(reprompt, pace)).response
        return response

    def tell(self, key: str, **values: object) -> Response:
        """Say a prompt and end the session."""
        self.pending = None
        self._settle()
        touch.hold(self.session)
        text = " ".join([*self.notes, self.prompts.say(self.wording(key), **values)])
        builder = self.input.response_builder
        response: Response = (
            builder.speak(ssml.speak_text(text, self._pace())).set_should_end_session(True).response
        )
        return response

    def play(self, script: Script, cursor: Cursor, intro: str = "", from_step: int = 0) -> Response:
        """Speak the cursor's block (from one of its steps); the last block ends the routine.

        A stretch on its own ends with a question instead, so the session carries on.
        """
        self.cursor = cursor
        block = script.blocks[cursor.block]
        if from_step > block.start:
            block = replace(block, start=from_step)
        # Only a person who heard the block before (or this one, again) in this session has
        # heard the cautions of a stretch this block continues; anyone else hears them
        # first. Blocks are known by their last step, not their number, which moves when
        # the routine changes. A damaged value counts as not heard: the safe side.
        whole = script.blocks[cursor.block]
        heard = tuple(_step_key(script, n) for n in (whole.start - 1, whole.end - 1) if n >= 0)
        said = self.session.get("heard")
        entering = from_step > whole.start or said not in heard
        self.session["heard"] = _step_key(script, whole.end - 1)
        last = block.index == len(script.blocks) - 1
        single = script.routine.id.startswith(SINGLE)
        if last and single:
            self.pending = Pending(ASKED_BY["single_done"])
        elif last:
            self.person.finished_routine(script.routine.id, self.today())
            self.pending = None
        else:
            self.pending = Pending("ready_next")
        # Saved before anything is rendered: nothing in speech may stop a save.
        self.save()
        summary = ""
        if last and single:
            summary = self.prompts.say("single_done", stretch=script.routine.name)
        elif last:
            summary = self.summary()
        prefix = " ".join(n for n in [*self.notes, intro] if n)
        rendered = ssml.render_block(script, block, prefix, summary, entering=entering)
        builder = self.input.response_builder.speak(rendered.ssml)
        shown = screen.supports_apl(self.input)
        if shown:
            # The screen follows this speech, and at its end moves on by itself, unless
            # the routine is over or a question is waiting (a stretch on its own).
            token = touch.issue(self.session, script.routine.id, block.index, advance=not last)
            line = timeline(script, block, prefix=prefix, suffix=summary, entering=entering)
            for directive in screen.directives(script, line, self.catalogue, token, not last):
                builder.add_directive(directive)
        if last and not single:
            builder.set_should_end_session(True)
        elif last:
            builder.ask(ssml.speak_text(self.prompts.say("choose_reprompt"), script.settings.pace))
        elif not shown:
            builder.ask(rendered.reprompt)
        # On a screen, shouldEndSession stays unset: the session stays open without the
        # microphone while the document coaches, and the block's end event moves on.
        response: Response = builder.response
        return response

    def still(self, script: Script, cursor: Cursor) -> None:
        """On a screen, show the block paused: a new document stops the old one's clock.

        The person said pause (or that it hurts); the answer that follows is a question,
        so nothing moves on until they say resume or touch Next.
        """
        if screen.supports_apl(self.input):
            block = script.blocks[cursor.block]
            token = touch.issue(self.session, script.routine.id, block.index, advance=False)
            for directive in screen.paused(script, block, self.catalogue, token):
                self.input.response_builder.add_directive(directive)

    def _settle(self) -> None:
        """A change that no handler saved (the first visit's welcome) is saved before answering."""
        if self.dirty and not self.saved:
            self.save()

    def today(self) -> date:
        """The request's day: Alexa stamps every request, so the streak needs no clock here."""
        request = self.input.request_envelope.request
        stamp = request.timestamp if request is not None else None
        return stamp.date() if isinstance(stamp, datetime) else datetime.now(UTC).date()

    def summary(self) -> str:
        """A short spoken summary at the end of a routine: finished count and streak."""
        done = self.person.counts.get("completed", 0)
        streak = int(self.person.history.get("streak", 1))
        key = "summary_streak" if streak > 1 else "summary"
        return self.prompts.say(key, done=number(done), routines="routine" if done == 1
                                else "routines", streak=number(streak))  # fmt: skip

    def _pace(self) -> Pace:
        """Talk at the pace of the routine the person is in, so answers match the coaching."""
        active = self.active()
        if active is not None:
            return active[0].settings.pace
        return self.person.preferences.pace or Pace.NORMAL


def pending_of(handler_input: HandlerInput) -> Pending | None:
    """The question the skill is waiting to have answered, if any (kept in the session)."""
    if handler_input.request_envelope.session is None or is_new_session(handler_input):
        return None  # a question asked in an earlier session is not waiting any more
    session = handler_input.attributes_manager.session_attributes or {}
    return Pending.from_attributes(session.get("pending"))


def locale_of(handler_input: HandlerInput) -> str | None:
    request = handler_input.request_envelope.request
    return request.locale if request is not None else None


def _question(text: str) -> str:
    """The last question in a prompt, to repeat when the person says nothing."""
    sentences = [s.strip() for s in text.replace("?", "?|").split("|") if s.strip()]
    questions = [s for s in sentences if s.endswith("?")]
    if not questions:
        return text
    return questions[-1].split(". ")[-1]


def _step_key(script: Script, index: int) -> str:
    """A step by what it is (routine, item, stretch, side, set, rep), not by its number."""
    step = script.steps[index]
    return f"{script.routine.id}:{step.item}:{step.stretch}:{step.side}:{step.set}:{step.rep}"
