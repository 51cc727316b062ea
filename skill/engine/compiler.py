"""Compile a routine and a person's settings into a timed script of steps and blocks."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

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
# Holds this long or longer get the "ten seconds left" cue and a breathing reminder.
LONG_HOLD_MS = 20_000
# Cue points closer than this to one already placed are dropped, so cues never pile up.
MIN_CUE_GAP_MS = 2_500

_GET_INTO = {
    Position.STANDING: "Come up to standing.",
    Position.CHAIR: "Sit on a steady chair.",
    Position.LYING_ON_BACK: "Come down to lie on your back.",
    Position.LYING_ON_FRONT: "Come down to lie on your front.",
    Position.SIDE_LYING: "Come down to lie on your side.",
    Position.HANDS_AND_KNEES: "Come onto your hands and knees.",
    Position.KNEELING: "Come down to kneeling.",
    Position.SITTING_ON_FLOOR: "Sit down on the floor.",
    Position.SQUAT: "Stand with your feet apart, ready to squat.",
}


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
            # A substitute brings its own dosage; a one-sided item stays one-sided if it can.
            side = item.side if chosen.sides is not Sides.NONE else None
            planned.append(Planned(index, chosen, chosen.dosage, side))
    if not planned:
        raise EmptyRoutineError(f"every stretch in the {routine.name} is left out")
    return planned


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
    position = Position.STANDING
    for plan in planned:
        builder.item(plan, position)
        position = plan.stretch.position
    builder.outro(routine)
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

    def outro(self, routine: Routine) -> None:
        self.add([self.say(SegmentKind.OUTRO, phrases.OUTRO.format(routine=routine.name))])

    def item(self, plan: Planned, before: Position) -> None:
        stretch, dosage = plan.stretch, plan.dosage
        sets, reps = dosage.sets.default, dosage.reps.default
        previous_side: Side | None = None
        for n, (set_, side, rep) in enumerate(_order(plan, sets, reps)):
            segments: list[Segment] = []
            if n == 0:
                segments += self.setup(stretch, side, before, one_side=plan.side is not None)
            elif side != previous_side:
                segments += self.switch(stretch, side)
            if rep == 1 and set_ > 1 and side == _first_side(plan):
                if dosage.rest_seconds:
                    rest_ms = dosage.rest_seconds * 1000
                    segments.append(self.say(SegmentKind.REST, phrases.REST, rest_ms))
                segments.append(self.say(SegmentKind.COUNT, phrases.set_of(set_, sets), 500))
            if rep == 1 and stretch.set_cues:
                cue = phrases.fill_sides(stretch.set_cues[set_ - 1], side)
                segments.append(self.say(SegmentKind.CUE, cue, 500))
            hold_ms = self.rep(stretch, dosage, side, rep, reps, segments)
            self.add(
                segments,
                item=plan.item, stretch=stretch.id, name=stretch.name, side=side,
                set=set_, sets=sets, rep=rep, reps=reps, hold_ms=hold_ms,
                side_label=stretch.side_label,
            )  # fmt: skip
            previous_side = side

    def setup(
        self, stretch: Stretch, side: Side | None, before: Position, *, one_side: bool
    ) -> list[Segment]:
        """Name the stretch, get into position, then the cues in the order the body moves."""
        announce = stretch.name[0].upper() + stretch.name[1:] + "."
        if side is not None:
            name = phrases.side_name(side, stretch.side_label)
            announce += f" {name.capitalize()}." if one_side else f" {name.capitalize()} first."
        moving = transition_seconds(before, stretch.position, self.pacing)
        text = _GET_INTO[stretch.position] if before is not stretch.position else ""
        segments = [
            self.say(SegmentKind.ANNOUNCE, announce, 500),
            self.say(SegmentKind.TRANSITION, text, self.gap(moving)),
        ]
        cue_gap = self.gap(self.pacing.cue_gap_seconds)
        segments += [
            self.say(SegmentKind.CUE, phrases.fill_sides(cue, side), cue_gap)
            for cue in stretch.cues
        ]
        return segments

    def switch(self, stretch: Stretch, side: Side | None) -> list[Segment]:
        """Change sides: name the new one and repeat only the cues that mention a side."""
        assert side is not None
        segments = [
            self.say(
                SegmentKind.SIDE,
                phrases.switch_side(side, stretch.side_label),
                self.gap(self.pacing.side_switch_seconds),
            )
        ]
        cue_gap = self.gap(self.pacing.cue_gap_seconds)
        segments += [
            self.say(SegmentKind.CUE, phrases.fill_sides(cue, side), cue_gap)
            for cue in stretch.cues
            if "{side}" in cue or "{other}" in cue
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
            segments += self.hold(hold_ms)
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

    def hold(self, hold_ms: int) -> list[Segment]:
        """Cues at fixed points of a hold; the silences between them add up to hold_ms."""
        points: dict[int, str] = {0: phrases.HOLD}
        if hold_ms >= 5_000:
            for k in (3, 2, 1):
                points[hold_ms - k * 1000] = phrases.number(k).capitalize() + "."
        optional = []
        if hold_ms >= LONG_HOLD_MS:
            optional.append((hold_ms - 10_000, phrases.TEN_LEFT))
        if hold_ms >= 10_000:
            optional.append((hold_ms // 2, phrases.HALFWAY))
        if hold_ms >= LONG_HOLD_MS:
            optional.append((hold_ms // 4, phrases.BREATHE_EASY))
        if hold_ms >= 60_000:
            optional.append((hold_ms * 3 // 4, phrases.SOFTEN))
        for at, text in optional:  # in order of importance
            if all(abs(at - t) >= MIN_CUE_GAP_MS for t in points):
                points[at] = text
        times = sorted(points)
        ends = [*times[1:], hold_ms]
        return [
            self.say(SegmentKind.HOLD, points[t], end - t)
            for t, end in zip(times, ends, strict=True)
        ]

    def breaths(self, count: int) -> list[Segment]:
        """A hold counted in slow breaths: in and out prompts, each half a breath long."""
        inhale = self.breath_ms // 2
        exhale = self.breath_ms - inhale
        segments: list[Segment] = []
        for n in range(1, count + 1):
            if n == 1:
                text = f"{phrases.HOLD} {phrases.BREATHE_IN}"
            elif n == count:
                text = phrases.LAST_BREATH
            else:
                text = phrases.BREATHE_IN
            segments.append(self.say(SegmentKind.BREATH, text, inhale))
            segments.append(self.say(SegmentKind.BREATH, phrases.BREATHE_OUT, exhale))
        return segments


def _first_side(plan: Planned) -> Side | None:
    if plan.side is not None or plan.stretch.sides is Sides.NONE:
        return plan.side
    return Side.RIGHT
