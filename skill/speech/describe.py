"""Spoken descriptions of a stretch: how to do it, how much, and who should take care."""

from __future__ import annotations

from skill.content.model import Amount, Dosage, DosageKind, Side, Sides, Stretch
from skill.engine.phrases import fill_sides, number


def spoken_amount(amount: Amount) -> str:
    if amount.max is None:
        return f"at least {number(amount.min)}"
    if amount.max != amount.min:
        return f"{number(amount.min)} to {number(amount.max)}"
    return number(amount.min)


def spoken_dosage(stretch: Stretch, dosage: Dosage) -> str:
    """A dosage as said aloud: "Hold for thirty seconds, three to five times on each leg."."""
    if dosage.kind is DosageKind.HOLD:
        assert dosage.hold_seconds is not None
        what = f"Hold for {spoken_amount(dosage.hold_seconds)} seconds"
    elif dosage.kind is DosageKind.BREATHS:
        assert dosage.breaths is not None
        what = f"Hold for {spoken_amount(dosage.breaths)} slow breaths"
    else:
        what = "Move slowly"
    reps = dosage.reps
    times = "once" if reps.max == 1 and reps.min == 1 else f"{spoken_amount(reps)} times"
    if stretch.sides is Sides.EACH:
        times += f" on each {stretch.side_label.value}"
    elif stretch.sides is Sides.ALTERNATE:
        times += ", switching sides each time"
    sets = "" if dosage.sets.max == 1 else f", for {spoken_amount(dosage.sets)} sets"
    return f"{what}, {times}{sets}."


def describe(stretch: Stretch, dosage: Dosage) -> str:
    """Everything about a stretch, for "describe this stretch": the fuller detail on request."""
    # Described on the right side first, as the coach does it.
    side = None if stretch.sides is Sides.NONE else Side.RIGHT
    cues = " ".join(fill_sides(cue, side) for cue in stretch.cues)
    parts = [f"{stretch.name[0].upper()}{stretch.name[1:]}.", cues]
    if side is not None:
        parts.append("Then the same on the left.")
    parts += stretch.tips
    parts.append(spoken_dosage(stretch, dosage))
    parts += [c.say for c in stretch.cautions if c.say]
    return " ".join(p for p in parts if p)
