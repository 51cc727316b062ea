"""Build catalogue entries from the raw YAML of one file, checking each field on the way."""

from __future__ import annotations

from skill.content.fields import ID_PATTERN, SIDE_PLACEHOLDERS, Fields
from skill.content.model import (
    Caution,
    CautionGroup,
    Dosage,
    DosageKind,
    Intensity,
    Level,
    Pace,
    Position,
    Routine,
    RoutineDefaults,
    RoutineItem,
    Side,
    SideLabel,
    Sides,
    Source,
    Stretch,
)

# Spoken lines stay short: a long cue before a countdown is what people skip.
CUE_WORDS = 18
NAME_WORDS = 6
REP_CUE_WORDS = 10
TIP_WORDS = 30
ROUTINE_TEXT_WORDS = 30


def entry_label(kind: str, raw: object, index: int) -> str:
    """Name an entry by its id when it has a usable one, else by its place in the list."""
    if isinstance(raw, dict):
        ident = raw.get("id")
        if isinstance(ident, str) and ID_PATTERN.fullmatch(ident):
            return f"{kind} '{ident}'"
    return f"{kind} #{index + 1}"


def parse_source(raw: object, file: str, index: int) -> Source:
    f = Fields(raw, file, entry_label("source", raw, index))
    source = Source(
        id=_id(f),
        about=f.text("about", max_words=20),
        publisher=f.text("publisher", max_words=12),
        file=f.text("file", max_words=1),
    )
    f.finish()
    return source


def parse_group(raw: object, file: str, index: int) -> CautionGroup:
    f = Fields(raw, file, entry_label("group", raw, index))
    group = CautionGroup(
        id=_id(f),
        name=f.text("name", max_words=NAME_WORDS),
        description=f.text("description", max_words=ROUTINE_TEXT_WORDS),
    )
    f.finish()
    return group


# The numbers of a dosage, by field name; `ours` may name any of them.
NUMBER_FIELDS = (
    "hold_seconds", "breaths", "phase_seconds", "phase_breaths", "reps", "sets", "rest_seconds",
    "daily",
)  # fmt: skip
# What an avoid-level caution must say, since it is spoken as its stretch begins.
WAY_OUT = "say skip"


def parse_dosage(f: Fields) -> Dosage:
    given = frozenset(name for name in NUMBER_FIELDS if f.data.get(name) is not None)
    ours = f.names("ours", NUMBER_FIELDS)
    if ours is None:  # `ours: true`: every number given here is ours
        ours = given
    for name in sorted(ours - given):
        f.fail("ours", f"names {name}, which this dosage does not give")
    dosage = Dosage(
        hold_seconds=f.amount("hold_seconds", 1, 300),
        breaths=f.amount("breaths", 1, 30),
        phase_seconds=f.amount("phase_seconds", 1, 30),
        phase_breaths=f.amount("phase_breaths", 1, 5),
        reps=f.amount("reps", 1, 30) or Dosage().reps,
        sets=f.amount("sets", 1, 10) or Dosage().sets,
        rest_seconds=f.integer("rest_seconds", 0, 120, 0),
        daily=f.amount("daily", 1, 20),
        ours=ours,
    )
    if dosage.hold_seconds and dosage.breaths:
        f.fail("breaths", "a hold is timed in seconds or in breaths, not both")
    if dosage.phase_seconds and dosage.phase_breaths:
        f.fail("phase_breaths", "a moving exercise is paced in seconds or in breaths, not both")
    if dosage.kind is not DosageKind.MOVING and (dosage.phase_seconds or dosage.phase_breaths):
        field = "phase_seconds" if dosage.phase_seconds else "phase_breaths"
        f.fail(field, "only a moving exercise (no hold_seconds or breaths) has phases")
    f.finish()
    return dosage


def check_dosage_fits(f: Fields, field: str, dosage: Dosage, stretch: Stretch) -> None:
    """A dosage must be one the stretch's cues can be spoken with."""
    if dosage.kind is DosageKind.MOVING and not stretch.rep_cues:
        f.fail(field, f"a moving exercise needs rep_cues, and '{stretch.id}' has none")
    if stretch.set_cues and (dosage.sets.is_range or dosage.sets.default != len(stretch.set_cues)):
        f.fail(
            f"{field}.sets",
            f"'{stretch.id}' has {len(stretch.set_cues)} set_cues, so it needs exactly "
            f"{len(stretch.set_cues)} sets",
        )


def parse_stretch(raw: object, file: str, index: int) -> Stretch:
    f = Fields(raw, file, entry_label("stretch", raw, index))
    ident = _id(f)
    sides = f.choice("sides", Sides)
    # {side} and {other} only mean something when the stretch has two sides.
    allowed = frozenset() if sides is Sides.NONE else SIDE_PLACEHOLDERS
    dosage_fields = f.sub("dosage", required=True)
    assert dosage_fields is not None
    cues, once = f.marked_texts(
        "cues", "once", max_words=CUE_WORDS, min_items=1, max_items=8, allowed=allowed
    )
    stretch = Stretch(
        id=ident,
        name=f.text("name", max_words=NAME_WORDS),
        aliases=f.texts("aliases", max_words=NAME_WORDS),
        position=f.choice("position", Position),
        sides=sides,
        side_label=f.choice("side_label", SideLabel, SideLabel.SIDE),
        dosage=parse_dosage(dosage_fields),
        cues=cues,
        rep_cues=f.texts("rep_cues", max_words=REP_CUE_WORDS, max_items=6, allowed=allowed),
        set_cues=f.texts("set_cues", max_words=CUE_WORDS, max_items=10, allowed=allowed),
        release=f.optional_text("release", max_words=CUE_WORDS, allowed=allowed),
        tips=f.texts("tips", max_words=TIP_WORDS, max_items=6, allowed=allowed),
        targets=f.texts("targets", max_words=4, min_items=1, max_items=10),
        intensity=f.choice("intensity", Intensity),
        easier=f.ident("easier", required=False),
        harder=f.ident("harder", required=False),
        cautions=tuple(
            _parse_caution(c, file, f.entry, f"cautions[{i}]")
            for i, c in enumerate(f.items("cautions"))
        ),
        sources=f.idents("sources"),
        once=once,
        focus=f.texts("focus", max_words=REP_CUE_WORDS, max_items=3, allowed=allowed),
    )
    if once and sides is Sides.NONE:
        f.fail(f"cues[{min(once)}]", "only a stretch done on both sides has cues said once")
    if sides is not Sides.NONE and len(once) == len(cues):
        f.fail("cues", "every cue is said once; the second side needs at least one cue")
    if stretch.rep_cues and stretch.dosage.kind is not DosageKind.MOVING:
        f.fail("rep_cues", "only a moving exercise (no hold_seconds or breaths) has rep_cues")
    check_dosage_fits(f, "dosage", stretch.dosage, stretch)
    for link in ("easier", "harder"):
        if getattr(stretch, link) == ident:
            f.fail(link, "a stretch cannot be its own variation")
    f.finish()
    return stretch


def _parse_caution(raw: object, file: str, entry: str, prefix: str) -> Caution:
    f = Fields(raw, file, entry, prefix)
    who = f.ident("who")
    assert who is not None
    caution = Caution(
        who=who,
        level=f.choice("level", Level),
        say=f.text("say", max_words=CUE_WORDS),
        instead=f.ident("instead", required=False),
    )
    if caution.level is Level.AVOID and WAY_OUT not in caution.say.lower():
        f.fail(
            "say",
            f"an avoid caution is spoken as its stretch begins, so it must give the way out: "
            f"include '{WAY_OUT}'",
        )
    if caution.instead and caution.level is not Level.AVOID:
        f.fail("instead", "only a caution with level avoid can name a stretch to do instead")
    f.finish()
    return caution


def parse_routine(raw: object, file: str, index: int) -> Routine:
    """Read a routine; its items' stretches are resolved later, once all stretches are known."""
    f = Fields(raw, file, entry_label("routine", raw, index))
    ident = _id(f)
    defaults = f.sub("defaults")
    items = f.items("items", min_items=1)
    routine = Routine(
        id=ident,
        name=f.text("name", max_words=NAME_WORDS),
        aliases=f.texts("aliases", max_words=NAME_WORDS),
        audience=f.text("audience", max_words=ROUTINE_TEXT_WORDS),
        intro=f.text("intro", max_words=ROUTINE_TEXT_WORDS),
        safety=f.text("safety", max_words=ROUTINE_TEXT_WORDS),
        sources=f.idents("sources"),
        defaults=_parse_defaults(defaults),
        items=tuple(_parse_item(raw_item, f, i) for i, raw_item in enumerate(items)),
        weekly=f.amount("weekly", 1, 7),
    )
    f.finish()
    return routine


def _parse_defaults(f: Fields | None) -> RoutineDefaults:
    if f is None:
        return RoutineDefaults()
    defaults = RoutineDefaults(
        pace=f.choice("pace", Pace, Pace.NORMAL), gentle=f.flag("gentle", False)
    )
    f.finish()
    return defaults


# A routine item before its stretch is known: the dosage is filled in by the loader.
_PENDING = Dosage()


def _parse_item(raw: object, routine: Fields, index: int) -> RoutineItem:
    f = Fields(raw, routine.file, routine.entry, f"items[{index}]")
    stretch = f.ident("stretch")
    assert stretch is not None
    dosage_fields = f.sub("dosage")
    side = f.optional_choice("side", Side)
    item = RoutineItem(
        stretch=stretch,
        dosage=parse_dosage(dosage_fields) if dosage_fields else _PENDING,
        side=side,
        get_into=f.optional_text("get_into", max_words=CUE_WORDS),
    )
    f.finish()
    return item


def item_has_own_dosage(item: RoutineItem) -> bool:
    return item.dosage is not _PENDING


def _id(f: Fields) -> str:
    ident = f.ident("id")
    assert ident is not None
    return ident
