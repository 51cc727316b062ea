"""Safety screenings as data: yes/no questions leading to advice, or to what to leave out."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from skill.content.model import Catalogue, Level
from skill.engine.preferences import Preferences, caution_key
from skill.errors import StretchCoachError


class Result(StrEnum):
    """Where a screening ends."""

    PROCEED = "proceed"  # go on with the routine asked for
    RECOMMEND = "recommend"  # suggest a routine
    REFER = "refer"  # warning signs: advice to see a clinician, not a routine


@dataclass(frozen=True)
class Outcome:
    """The end of a screening, and its consequence for the person's settings."""

    result: Result
    routine: str | None = None
    avoid: tuple[str, ...] = ()  # caution groups whose "avoid" stretches are left out
    gentle: bool = False  # easier versions from now on
    advice: str | None = None  # prompt key said with the outcome


@dataclass(frozen=True)
class Question:
    """One yes/no question (a prompt key) and where each answer leads."""

    prompt: str
    yes: str | Outcome
    no: str | Outcome


@dataclass(frozen=True)
class Screening:
    """A small conversation: questions by id, starting at `first`."""

    id: str
    first: str
    questions: Mapping[str, Question]

    def answer(self, question: str, yes: bool) -> str | Outcome:
        asked = self.questions.get(question)
        if asked is None:
            raise ScreeningError(f"{self.id} has no question {question}")
        return asked.yes if yes else asked.no


class ScreeningError(StretchCoachError):
    """A screening state that does not exist (a damaged or stale session)."""


PREGNANCY = Screening(
    id="pregnancy",
    first="cleared",
    questions={
        "cleared": Question(
            "screen_cleared",
            yes="late",
            no=Outcome(Result.REFER, advice="advice_pregnancy_clearance"),
        ),
        "late": Question(
            "screen_late_pregnancy",
            yes=Outcome(
                Result.PROCEED,
                routine="pregnancy",
                avoid=("pregnancy", "late_pregnancy"),
                advice="advice_late_pregnancy",
            ),
            # Lying on the belly is out at any stage, so even "no" leaves something out.
            no=Outcome(Result.PROCEED, routine="pregnancy", avoid=("pregnancy",)),
        ),
    },
)

# The physiotherapy clinic's two patterns of back pain, with warning signs asked first.
BACK = Screening(
    id="back",
    first="warning",
    questions={
        "warning": Question(
            "screen_warning", yes=Outcome(Result.REFER, advice="advice_warning"), no="sitting"
        ),
        "sitting": Question("screen_sitting", yes="leg_extension", no="standing"),
        "standing": Question(
            "screen_standing",
            yes="leg_flexion",
            no=Outcome(Result.RECOMMEND, routine="hip_mobility_gentle", advice="advice_neither"),
        ),
        "leg_extension": Question(
            "screen_leg",
            yes=Outcome(
                Result.RECOMMEND,
                routine="extension_responders",
                avoid=("extension_responders",),
                gentle=True,
                advice="advice_leg",
            ),
            no=Outcome(
                Result.RECOMMEND, routine="extension_responders", avoid=("extension_responders",)
            ),
        ),
        "leg_flexion": Question(
            "screen_leg",
            yes=Outcome(
                Result.RECOMMEND,
                routine="flexion_responders",
                avoid=("flexion_responders",),
                gentle=True,
                advice="advice_leg",
            ),
            no=Outcome(
                Result.RECOMMEND, routine="flexion_responders", avoid=("flexion_responders",)
            ),
        ),
    },
)


def _by_name(back: Screening, leg: str) -> Screening:
    """The back screening for a person who named the routine it leads to themself.

    Choosing the extension routine by name says which pattern the back pain has, not that
    the warning signs are absent: those are asked first all the same, then the leg question,
    whose answer picks the gentler version, and the routine named is the one that starts.
    """
    warning, question = back.questions[back.first], back.questions[leg]
    outcomes = [o for o in (question.yes, question.no) if isinstance(o, Outcome)]
    assert len(outcomes) == 2 and outcomes[0].routine is not None
    yes, no = (replace(o, result=Result.PROCEED) for o in outcomes)
    return Screening(
        id=outcomes[0].routine,
        first=back.first,
        questions={
            back.first: Question(warning.prompt, yes=warning.yes, no=leg),
            leg: Question(question.prompt, yes=yes, no=no),
        },
    )


_NAMED = tuple(_by_name(BACK, leg) for leg in ("leg_extension", "leg_flexion"))
SCREENINGS = {s.id: s for s in (PREGNANCY, BACK, *_NAMED)}
# Routines that are not started before their screening has been answered.
SCREENED_ROUTINES = {"pregnancy": PREGNANCY} | {s.id: s for s in _NAMED}


def consequence(outcome: Outcome, catalogue: Catalogue) -> Preferences:
    """What a screening leaves behind: stretches left out or swapped, and gentleness."""
    excluded: set[str] = set()
    substitutes: dict[str, str] = {}
    cautions: set[str] = set()
    for group in outcome.avoid:
        for stretch in catalogue.stretches.values():
            cautions.update(
                caution_key(stretch.id, i)
                for i, c in enumerate(stretch.cautions)
                if c.who == group and c.level is Level.CARE
            )
            if not stretch.avoided_by(group):
                continue
            instead = stretch.instead_for(group)
            if instead and not catalogue.stretches[instead].avoided_by(group):
                substitutes[stretch.id] = instead
            else:
                excluded.add(stretch.id)
    return Preferences(
        excluded=frozenset(excluded),
        substitutes=tuple(substitutes.items()),
        gentle=True if outcome.gentle else None,
        cautions=frozenset(cautions),
    )


def _revealing() -> frozenset[str]:
    """Routines whose name says something about health: being in one reveals it.

    The routine a screening guards (pregnancy), and every routine a screening leads to for
    one group of people (extension or flexion responders).
    """
    routines = set(SCREENED_ROUTINES)
    for screening in SCREENINGS.values():
        for question in screening.questions.values():
            for outcome in (question.yes, question.no):
                if isinstance(outcome, Outcome) and outcome.avoid and outcome.routine:
                    routines.add(outcome.routine)
    return frozenset(routines)


REVEALING_ROUTINES = _revealing()


# --- how long an answer about a pregnancy holds ---------------------------------------------

# The last three months start at about twenty-eight weeks; a "no" to them holds until then.
LATE_WEEKS = 28
# When the stage was not said: a few weeks, so nobody drifts far into the last three months
# on an old answer.
ASK_AGAIN_DAYS = 28


def _outcome(found: str | Outcome) -> Outcome:
    assert isinstance(found, Outcome), found
    return found


LATE_PREGNANCY = _outcome(PREGNANCY.answer("late", True))
EARLY_PREGNANCY = _outcome(PREGNANCY.answer("late", False))

_UNITS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40}
# A stage named by its range counts as its last week: the safe end of it.
_TRIMESTERS = {"first trimester": 13, "second trimester": 27}


def weeks_pregnant(heard: str) -> int | None:
    """The latest week of pregnancy the words could mean ("twenty weeks", "five months").

    None when they give no number ("a few weeks", "early days"). Months count to their
    half-way point and up ("six months" may be twenty-eight weeks), so an answer is asked
    again sooner rather than later.
    """
    words = heard.lower().replace("-", " ").split()
    if {"due", "go", "left", "overdue"} & set(words):
        return None  # "due in six weeks" counts down to the birth, not up from the start
    text = " ".join(words)
    for name, weeks in _TRIMESTERS.items():
        if name in text:
            return weeks
    number: float | None = None
    for i, word in enumerate(words):
        if word.isdigit():
            number = int(word)
        elif word in _TENS:
            number = _TENS[word] + (_UNITS.get(words[i + 1], 0) if i + 1 < len(words) else 0)
        elif word in _UNITS and number is None and word not in ("a", "an"):
            number = _UNITS[word]
        elif word in ("a", "an") and number is None and i + 1 < len(words):
            number = 1 if words[i + 1] in ("week", "month") else None
        if number is not None:
            break
    if number is None:
        return None
    if "half" in words:
        number += 0.5
    if any(w.startswith("month") for w in words):
        return math.ceil((number + 0.5) * 52 / 12)
    if any(w.startswith("week") for w in words):
        return math.ceil(number)
    return None


def ask_again_in(weeks: int | None) -> int:
    """Days an early answer holds: until twenty-eight weeks when the stage is known."""
    if weeks is None:
        return ASK_AGAIN_DAYS
    # At least a day, so one answer is not asked again the moment it is given.
    return max(1, (LATE_WEEKS - weeks) * 7)


def late_in_pregnancy(kept: Preferences, catalogue: Catalogue) -> bool:
    """Whether a kept pregnancy consequence is the late one: it leaves out all late leaves out.

    A consequence kept before the catalogue grew a late-only stretch reads as early, and so
    is asked again: the safe side.
    """
    late, early = consequence(LATE_PREGNANCY, catalogue), consequence(EARLY_PREGNANCY, catalogue)
    only_late = (late.excluded | set(late.substitute_map)) - (
        early.excluded | set(early.substitute_map)
    )
    return bool(only_late) and only_late <= kept.excluded | set(kept.substitute_map)


def answer_expired(
    kept: Preferences | None, ask_again: str | None, today: date, catalogue: Catalogue
) -> bool:
    """Whether a pregnancy answer is too old to trust: an early one past its date.

    A late answer holds until it is withdrawn; an early one kept without a date (kept
    before dates were) is of unknown age, so it has expired.
    """
    if kept is None or late_in_pregnancy(kept, catalogue):
        return False
    try:
        return ask_again is None or today >= date.fromisoformat(ask_again)
    except ValueError:
        return True
