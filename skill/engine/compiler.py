"""Compile a routine and a person's settings into a timed script of steps and blocks."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, replace

from skill.content.model import (
    Amount,
    Catalogue,
    Dosage,
    DosageKind,
    Position,
    Routine,
    Side,
    Sides,
    Stretch,
)
from skill.engine import phrases
from skill.engine.blocks import DEFAULT_BUDGET, Budget, plan_blocks
from skill.engine.pacing import DEFAULT_PACING, PACES, Pacing, speaking_seconds, transition_seconds
from skill.engine.preferences import Preferences, Settings
from skill.engine.script import Script, Segment, SegmentKind, Step
from skill.errors import StretchCoachError

# The longest hold a single voice response can carry with its cues (Alexa: about 240 s).
MAX_HOLD_SECONDS = 180
MAX_BREATHS = 20
# Holds this long or longer get the "ten seconds left" cue.
LONG_HOLD_MS = 20_000
# No two cues of a hold (other than the last count) closer than this: silence is coaching.
MIN_CUE_GAP_MS = 8_000
# A cue placed in a hold leaves at least this long before "three, two, one".
COUNTDOWN_GAP_MS = 3_000
# Breath holds prompt the first breaths aloud, then count quietly to a last-breath cue.
PROMPTED_BREATHS = 2
# The floor positions: a routine ending in one ends with how to get up.
LYING = frozenset({Position.LYING_ON_BACK, Position.LYING_ON_FRONT, Position.SIDE_LYING})
LOW = frozenset({Position.KNEELING, Position.HANDS_AND_KNEES, Position.SITTING_ON_FLOOR})
UPRIGHT = frozenset({Position.STANDING, Position.CHAIR, Position.SQUAT})


@dataclass(frozen=True)
class Place:
    """Where the person is: a position, and for lying on one side, the side they lie on."""

    position: Position
    down: Side | None = None


def move_words(before: Place, after: Place) -> str:
    """The real move from where the person is to where the next stretch starts."""
    here, there = before.position, after.position
    if here is there and before.down == after.down:
        return ""
    if there is Position.SIDE_LYING:
        side = f"your {after.down.value} side" if after.down else "your side"
        if here is Position.SIDE_LYING:
            return f"Roll over onto {side}."
        if here in LYING:
            return f"Roll onto {side}."
        if here in LOW:
            return f"Lie down on {side}."
        return f"Come down to the floor and lie on {side}."
    if there in (Position.LYING_ON_BACK, Position.LYING_ON_FRONT):
        which = "your back" if there is Position.LYING_ON_BACK else "your front"
        if here in LYING:
            return f"Roll over onto {which}."
        if here in LOW:
            return f"Lie down on {which}."
        return f"Come down to the floor and lie on {which}."
    if there is Position.HANDS_AND_KNEES:
        if here in LYING:
            return "Come up onto your hands and knees."
        if here in LOW:
            return "Come forward onto your hands and knees."
        return "Come down onto your hands and knees."
    if there is Position.KNEELING:
        if here in LYING or here in LOW:
            return "Come up to kneeling."
        return "Come down to kneeling, slowly."
    if there is Position.SITTING_ON_FLOOR:
        if here in LYING:
            return "Come up to sitting."
        return "Sit down on the floor."
    if there is Position.CHAIR:
        if here in UPRIGHT:
            return "Sit on a steady chair."
        return "Get up off the floor, slowly, and sit on a steady chair."
    # Standing, or standing ready to squat.
    if here is Position.CHAIR:
        return "Stand up from your chair."
    if here in UPRIGHT:
        return ""
    if here in LYING:
        return "Roll onto your side, press up to sitting, then stand up slowly."
    return "Come up to standing, slowly."


def get_up_words(place: Place, *, floor_optional: bool = False) -> str:
    """How to get up safely from where a routine ends; nothing when already up."""
    if place.position in LYING:
        return phrases.GET_UP_LYING
    if place.position in LOW:
        # A routine that offered a bed or couch does not know the person is on the floor.
        return phrases.GET_UP_MAYBE if floor_optional else phrases.GET_UP_LOW
    return ""


class EmptyRoutineError(StretchCoachError):
    """Every stretch of a routine is left out by the person's exclusions."""


@dataclass(frozen=True)
class Planned:
    """A routine item as it will be played: maybe an easier stretch, with its dosage."""

    item: int
    stretch: Stretch
    dosage: Dosage
    side: Side | None


def scaled_hold_ms(seconds: Amount, scale: float) -> int:
    """A hold lengthened or shortened by the person's scale, inside safe bounds."""
    wanted = round(seconds.default * scale)
    floor = min(seconds.default, 5)  # never shorten a hold below five seconds
    return max(floor, min(wanted, MAX_HOLD_SECONDS)) * 1000


def scaled_breaths(breaths: Amount, scale: float) -> int:
    return max(1, min(round(breaths.default * scale), MAX_BREATHS))


def plan_items(routine: Routine, catalogue: Catalogue, settings: Settings) -> list[Planned]:
    """Which stretch each item plays: the easier version in gentle mode or when excluded."""
    planned: list[Planned] = []
    for index, item in enumerate(routine.items):
        chosen = _choose(catalogue, catalogue.stretches[item.stretch], settings)
        if chosen is None:
            continue
        if chosen.id == item.stretch:
            planned.append(Planned(index, chosen, item.dosage, item.side))
        else:
            # A substitute brings its own dosage, but one standing in for a group that must
            # avoid the original keeps the article's dosage when it can be done that way.
            # A one-sided item stays one-sided if it can.
            side = item.side if chosen.sides is not Sides.NONE else None
            original = catalogue.stretches[item.stretch]
            stands_in = any(c.instead == chosen.id for c in original.cautions)
            dosage = item.dosage if stands_in and _fits(item.dosage, chosen) else chosen.dosage
            planned.append(Planned(index, chosen, dosage, side))
    if not planned:
        raise EmptyRoutineError(f"every stretch in the {routine.name} is left out")
    return planned


def _fits(dosage: Dosage, stretch: Stretch) -> bool:
    """Whether a stretch's cues can carry a dosage (the loader's rule for routine items)."""
    if dosage.kind is DosageKind.MOVING and not stretch.rep_cues:
        return False
    return not stretch.set_cues or dosage.sets.default == len(stretch.set_cues)


def _choose(catalogue: Catalogue, stretch: Stretch, settings: Settings) -> Stretch | None:
    # A version the person chose for this stretch (easier, harder, or a screening's
    # "instead") comes first; gentle mode and exclusions apply to what it chose.
    chosen = settings.substitutes.get(stretch.id)
    if chosen is not None and chosen in catalogue.stretches and chosen not in settings.excluded:
        stretch = catalogue.stretches[chosen]
    if settings.gentle and stretch.easier and stretch.easier not in settings.excluded:
        return catalogue.stretches[stretch.easier]
    seen = set()
    current: Stretch | None = stretch
    while current is not None and current.id in settings.excluded and current.id not in seen:
        seen.add(current.id)
        current = catalogue.stretches[current.easier] if current.easier else None
    return current


def compile_routine(
    catalogue: Catalogue,
    routine: Routine,
    preferences: Preferences | None = None,
    *,
    budget: Budget = DEFAULT_BUDGET,
    pacing: Pacing = DEFAULT_PACING,
) -> Script:
    """The whole routine as steps of speech and silence, grouped into voice-sized blocks."""
    settings = (preferences or Preferences()).settle(routine)
    planned = plan_items(routine, catalogue, settings)
    builder = _Builder(settings, pacing)
    builder.intro(routine)
    place = Place(Position.STANDING)
    for plan in planned:
        place = builder.item(plan, place, routine.items[plan.item].get_into)
    builder.outro(
        routine, place, floor_optional=routine.items[planned[-1].item].get_into is not None
    )
    steps = tuple(builder.steps)
    return Script(
        routine=routine,
        settings=settings,
        items=tuple(p.item for p in planned),
        stretches=tuple(p.stretch.id for p in planned),
        steps=steps,
        blocks=plan_blocks(steps, budget, _rate(settings), pacing),
    )


def _rate(settings: Settings) -> float:
    return PACES[settings.pace].speech_rate


def _order(plan: Planned, sets: int, reps: int) -> Iterator[tuple[int, Side | None, int]]:
    """(set, side, rep) in the order they are done: one side's reps, then the other's."""
    if plan.side is not None or plan.stretch.sides is Sides.NONE:
        sides: list[Side | None] = [plan.side]
    else:
        sides = [Side.RIGHT, Side.LEFT]
    for set_ in range(1, sets + 1):
        if plan.stretch.sides is Sides.ALTERNATE:
            for rep in range(1, reps + 1):
                for side in sides:
                    yield set_, side, rep
        else:
            for side in sides:
                for rep in range(1, reps + 1):
                    yield set_, side, rep


class _Builder:
    """Accumulates steps; knows the clock so every segment carries its real length."""

    def __init__(self, settings: Settings, pacing: Pacing) -> None:
        self.settings = settings
        self.pacing = pacing
        self.rate = _rate(settings)
        self.gap_scale = PACES[settings.pace].gap_scale
        self.breath_ms = round(settings.breath_seconds * 1000)
        self.steps: list[Step] = []

    def say(self, kind: SegmentKind, text: str, pause_ms: int = 0) -> Segment:
        speech = round(speaking_seconds(text, self.rate, self.pacing) * 1000) if text else 0
        return Segment(kind=kind, text=text, pause_ms=pause_ms, speech_ms=speech)

    def gap(self, seconds: float) -> int:
        return round(seconds * self.gap_scale * 1000)

    def add(self, segments: list[Segment], **fields: object) -> None:
        values: dict[str, object] = {
            "item": None, "stretch": None, "name": None, "side": None,
            "set": 1, "sets": 1, "rep": 1, "reps": 1, "hold_ms": None,
        }  # fmt: skip
        values.update(fields)
        self.steps.append(Step(index=len(self.steps), segments=tuple(segments), **values))  # type: ignore[arg-type]

    def intro(self, routine: Routine) -> None:
        self.add(
            [
                self.say(SegmentKind.INTRO, f"The {routine.name}. {routine.intro}", 500),
                self.say(SegmentKind.SAFETY, routine.safety, 500),
            ]
        )

    def outro(self, routine: Routine, place: Place, *, floor_optional: bool = False) -> None:
        segments = []
        get_up = get_up_words(place, floor_optional=floor_optional)
        if get_up:
            moving = transition_seconds(place.position, Position.STANDING, self.pacing)
            segments.append(self.say(SegmentKind.TRANSITION, get_up, self.gap(moving)))
        segments.append(self.say(SegmentKind.OUTRO, phrases.OUTRO.format(routine=routine.name)))
        if routine.weekly is not None:
            times = phrases.amount(routine.weekly.min, routine.weekly.max)
            segments.append(self.say(SegmentKind.OUTRO, phrases.WEEKLY.format(times=times)))
        self.add(segments)

    def item(self, plan: Planned, before: Place, get_into: str | None = None) -> Place:
        """Add one routine item's steps; return where it leaves the person."""
        stretch, dosage = plan.stretch, plan.dosage
        sets, reps = dosage.sets.default, dosage.reps.default
        previous_side: Side | None = None
        place = before
        entry = tuple(self.cautions(stretch))
        for n, (set_, side, rep) in enumerate(_order(plan, sets, reps)):
            segments: list[Segment] = []
            new_set = rep == 1 and set_ > 1 and side == _first_side(plan)
            if new_set:
                # Rest first, then count the set, then set the side up again.
                if dosage.rest_seconds:
                    rest_ms = dosage.rest_seconds * 1000
                    segments.append(self.say(SegmentKind.REST, phrases.REST, rest_ms))
                segments.append(self.say(SegmentKind.COUNT, phrases.set_of(set_, sets), 500))
            here = Place(stretch.position, _down(stretch, side))
            if n == 0:
                segments += self.setup(
                    stretch, side, before, here, one_side=plan.side is not None, get_into=get_into
                )
            elif side != previous_side or (new_set and side is not None):
                segments += self.switch(stretch, side, place, here, named=side != previous_side)
            place = here
            if rep == 1 and stretch.set_cues:
                cue = phrases.fill_sides(stretch.set_cues[set_ - 1], side)
                segments.append(self.say(SegmentKind.CUE, cue, 500))
            hold_ms = self.rep(stretch, dosage, side, rep, reps, segments)
            self.add(
                segments,
                item=plan.item, stretch=stretch.id, name=stretch.name, side=side,
                set=set_, sets=sets, rep=rep, reps=reps, hold_ms=hold_ms,
                side_label=stretch.side_label, cautions=entry,
            )  # fmt: skip
            previous_side = side
        return place

    def cautions(self, stretch: Stretch) -> list[Segment]:
        """The cautions to speak as a stretch or a side of it begins: all of them, every time.

        A caution is for the moment it matters, so it is said again on every side and every
        time the stretch comes back, even when another stretch said the same words before:
        a person who rolled over or came back to the mat has not kept it in mind.
        """
        lines = dict.fromkeys(c.say for c in stretch.cautions)
        return [self.say(SegmentKind.CAUTION, line, 500) for line in lines]

    def setup(
        self,
        stretch: Stretch,
        side: Side | None,
        before: Place,
        here: Place,
        *,
        one_side: bool,
        get_into: str | None,
    ) -> list[Segment]:
        """Name the stretch and any caution, get into position, then the cues in body order."""
        announce = stretch.name[0].upper() + stretch.name[1:] + "."
        if side is not None:
            name = phrases.side_name(side, stretch.side_label)
            announce += f" {name.capitalize()}." if one_side else f" {name.capitalize()} first."
        moving = transition_seconds(before.position, here.position, self.pacing)
        if before.position is here.position and before.down != here.down:
            moving += self.pacing.roll_seconds  # turning over onto the other side
        text = get_into or move_words(before, here)
        segments = [self.say(SegmentKind.ANNOUNCE, announce, 500), *self.cautions(stretch)]
        segments.append(self.say(SegmentKind.TRANSITION, text, self.gap(moving)))
        cue_gap = self.gap(self.pacing.cue_gap_seconds)
        segments += [
            self.say(SegmentKind.CUE, phrases.fill_sides(cue, side), cue_gap)
            for cue in stretch.cues
        ]
        return segments

    def switch(
        self, stretch: Stretch, side: Side | None, before: Place, here: Place, *, named: bool
    ) -> list[Segment]:
        """A new side or set: name the side and its cautions, roll over if lying on one, set up."""
        assert side is not None
        roll = move_words(before, here)
        moving = self.pacing.side_switch_seconds + (self.pacing.roll_seconds if roll else 0.0)
        lines = []
        if named:
            lines.append((SegmentKind.SIDE, phrases.switch_side(side, stretch.side_label)))
        if roll:
            lines.append((SegmentKind.TRANSITION, roll))
        if not lines:
            lines.append((SegmentKind.TRANSITION, ""))
        # The time to move comes after the last thing said, before the cues.
        segments = [self.say(kind, text) for kind, text in lines]
        if named and stretch.sides is not Sides.ALTERNATE:
            # A new side is a new moment for every caution: after its name, before moving.
            # Sides taken in turn are one movement, whose cautions came as it began.
            segments[1:1] = self.cautions(stretch)
        segments[-1] = replace(segments[-1], pause_ms=self.gap(moving))
        cue_gap = self.gap(self.pacing.cue_gap_seconds)
        segments += [
            self.say(SegmentKind.CUE, phrases.fill_sides(cue, side), cue_gap)
            for cue in stretch.every_side_cues
        ]
        return segments

    def rep(
        self,
        stretch: Stretch,
        dosage: Dosage,
        side: Side | None,
        rep: int,
        reps: int,
        segments: list[Segment],
    ) -> int | None:
        """Append one rep's segments; return the hold time they carry (None when moving)."""
        recover = self.gap(self.pacing.rep_gap_seconds)
        release = stretch.release or phrases.RELEASE
        if dosage.kind is DosageKind.MOVING:
            segments.append(self.say(SegmentKind.COUNT, phrases.count(rep, reps)))
            phase_ms = self.phase_ms(dosage)
            segments += [
                self.say(SegmentKind.MOVE, phrases.fill_sides(cue, side), phase_ms)
                for cue in stretch.rep_cues
            ]
            if rep == reps:
                segments.append(self.say(SegmentKind.RELEASE, release, recover))
            return None
        if reps > 1:
            segments.append(self.say(SegmentKind.COUNT, phrases.rep_of(rep, reps), 500))
        extra = self.settings.extra_seconds.get(stretch.id, 0)
        if dosage.kind is DosageKind.HOLD:
            assert dosage.hold_seconds is not None
            hold_ms = scaled_hold_ms(dosage.hold_seconds, self.settings.hold_scale)
            hold_ms = min(hold_ms + extra * 1000, max(hold_ms, MAX_HOLD_SECONDS * 1000))
            focus = [phrases.fill_sides(line, side) for line in stretch.focus]
            segments += self.hold(hold_ms, focus)
        else:
            assert dosage.breaths is not None
            count = scaled_breaths(dosage.breaths, self.settings.hold_scale)
            # Extra time on a breath hold comes as extra breaths at the person's pace.
            count = min(count + round(extra * 1000 / self.breath_ms), MAX_BREATHS)
            hold_ms = count * self.breath_ms
            segments += self.breaths(count)
        segments.append(self.say(SegmentKind.RELEASE, release, recover))
        return hold_ms

    def phase_ms(self, dosage: Dosage) -> int:
        if dosage.phase_breaths is not None:
            return dosage.phase_breaths.default * self.breath_ms
        seconds = (
            dosage.phase_seconds.default
            if dosage.phase_seconds is not None
            else self.pacing.default_phase_seconds
        )
        return self.gap(seconds)

    def hold(self, hold_ms: int, focus: list[str] | None = None) -> list[Segment]:
        """Cues at fixed points of a hold; the silences between them add up to hold_ms.

        No two cues but the last count come within eight seconds of each other.
        """
        points: dict[int, str] = {0: phrases.HOLD}
        countdown = hold_ms - 3_000 if hold_ms >= 5_000 else hold_ms
        latest = countdown - COUNTDOWN_GAP_MS

        def free(at: int) -> bool:
            return all(abs(at - t) >= MIN_CUE_GAP_MS for t in points)

        # "Ten seconds left" may sit closer to the last count: it announces it.
        if hold_ms >= LONG_HOLD_MS and free(hold_ms - 10_000):
            points[hold_ms - 10_000] = phrases.TEN_LEFT
        if free(hold_ms // 2) and hold_ms // 2 <= latest:
            points[hold_ms // 2] = phrases.HALFWAY
        # Then what to focus on, in the widest gaps, until no gap has room for another cue.
        lines = [*(focus or []), phrases.BREATHE_EASY, phrases.SOFTEN]
        while lines:
            edges = sorted([*points, countdown])
            gaps = sorted(itertools.pairwise(edges), key=lambda g: g[0] - g[1])
            at = (gaps[0][0] + gaps[0][1]) // 2 if gaps else -1
            if not gaps or not free(at) or at > latest:
                break
            points[at] = lines.pop(0)
        if hold_ms >= 5_000:
            for k in (3, 2, 1):
                points[hold_ms - k * 1000] = phrases.number(k).capitalize() + "."
        times = sorted(points)
        ends = [*times[1:], hold_ms]
        return [
            self.say(SegmentKind.HOLD, points[t], end - t)
            for t, end in zip(times, ends, strict=True)
        ]

    def breaths(self, count: int) -> list[Segment]:
        """Slow breaths: the first prompted, the rest counted quietly, the last named."""
        inhale = self.breath_ms // 2
        exhale = self.breath_ms - inhale
        segments: list[Segment] = []
        quiet = 0
        for n in range(1, count + 1):
            if n == 1:
                text = f"{phrases.HOLD} {phrases.BREATHE_IN}"
            elif n == count:
                text = phrases.LAST_BREATH
            elif n <= PROMPTED_BREATHS:
                text = phrases.BREATHE_IN
            else:
                quiet += self.breath_ms
                continue
            if quiet:
                segments.append(self.say(SegmentKind.BREATH, "", quiet))
                quiet = 0
            segments.append(self.say(SegmentKind.BREATH, text, inhale))
            segments.append(self.say(SegmentKind.BREATH, phrases.BREATHE_OUT, exhale))
        return segments


def _down(stretch: Stretch, side: Side | None) -> Side | None:
    """The side a person lies on: the one below the side being worked."""
    if stretch.position is not Position.SIDE_LYING or side is None:
        return None
    return side.other


def _first_side(plan: Planned) -> Side | None:
    if plan.side is not None or plan.stretch.sides is Sides.NONE:
        return plan.side
    return Side.RIGHT
