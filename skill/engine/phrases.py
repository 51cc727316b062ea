"""The coach's own spoken phrases for timing, counting and sides, kept apart from the logic."""

from __future__ import annotations

from skill.content.model import Side, SideLabel

_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen"]  # fmt: skip
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]

HOLD = "Hold it there."
HALFWAY = "Halfway."
TEN_LEFT = "Ten seconds left."
BREATHE_EASY = "Breathe slowly and easily."
SOFTEN = "Let your body soften into it."
RELEASE = "And release."
BREATHE_IN = "Breathe in."
BREATHE_OUT = "And out."
LAST_BREATH = "Last breath in."
REST = "Rest."
NEXT_PROMPT = "Ready for {what}? Say next."
CARRY_ON_PROMPT = "Ready to carry on? Say next."
REPROMPT = "Say next when you are ready, or repeat to hear that again."
OUTRO = "That's the end of the {routine}. Well done, and thank you for stretching with me."
WEEKLY = "Come back to it {times} times a week."
# Getting up from the floor at the end of a routine, from lying down or from the knees.
GET_UP_LYING = "To get up, roll onto your side, press up to sitting, and stand up slowly."
GET_UP_LOW = "To get up, come onto one knee, then stand slowly, holding something steady."
# When the routine let the person choose a bed or couch instead of the floor.
GET_UP_MAYBE = "If you are on the floor, come onto one knee and stand slowly, holding something."


# Short scale, as English speakers count; past the last one, the largest repeats.
_SCALES = [(10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (1000, "thousand")]


def number(n: int) -> str:
    """Spell a whole number the way it is spoken: 21 -> "twenty-one", 100 -> "one hundred".

    Any size: a count is never too big to say, or a person could be stuck at the last one.
    """
    if n < 0:
        return f"minus {number(-n)}"
    for size, name in _SCALES:
        if n >= size:
            high, rest = divmod(n, size)
            if not rest:
                return f"{number(high)} {name}"
            joiner = " and " if rest < 100 else " "
            return f"{number(high)} {name}{joiner}{number(rest)}"
    if n >= 100:
        hundreds, rest = divmod(n, 100)
        return f"{_ONES[hundreds]} hundred" + (f" and {number(rest)}" if rest else "")
    if n < 20:
        return _ONES[n]
    tens, ones = divmod(n, 10)
    return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")


def seconds_phrase(seconds: float) -> str:
    """Spoken time left: "forty seconds", "two minutes"."""
    whole = round(seconds)
    if whole < 60:
        return f"{number(max(whole, 1))} second{'s' if whole != 1 else ''}"
    minutes = round(whole / 60)
    return f"{number(minutes)} minute{'s' if minutes != 1 else ''}"


def side_name(side: Side, label: SideLabel) -> str:
    """A side as spoken: "your right leg", "your left side"."""
    return f"your {side.value} {label.value}"


def amount(low: int, high: int | None) -> str:
    """A spoken range: "two to three", "at least two", "three"."""
    if high is None:
        return f"at least {number(low)}"
    return number(low) if high == low else f"{number(low)} to {number(high)}"


def switch_side(side: Side, label: SideLabel) -> str:
    return f"Now {side_name(side, label)}."


def rep_of(rep: int, reps: int) -> str:
    """Counting holds: after the first, the person has let go and needs to go back in."""
    count = f"{number(rep).capitalize()} of {number(reps)}."
    return count if rep == 1 else f"{count} Ease back into the stretch."


def set_of(current: int, sets: int) -> str:
    return f"Set {number(current)} of {number(sets)}."


def count(rep: int, reps: int) -> str:
    """Counting a moving exercise aloud; the last rep is named so people can finish strong."""
    return "Last one." if rep == reps and reps > 2 else f"{number(rep).capitalize()}."


def fill_sides(text: str, side: Side | None) -> str:
    """Put "right"/"left" into a cue's {side} and {other}."""
    if side is None:
        return text
    return text.replace("{side}", side.value).replace("{other}", side.other.value)
