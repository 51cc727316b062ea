"""Coaching that adapts: screenings, pain check-ins, adjustments, exclusions and history."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils.predicate import is_intent_name
from ask_sdk_model.response import Response

from skill.alexa.handlers import (
    Handler,
    ask_screening,
    begin_screening,
    choose,
    go,
    intent_name,
    intents,
    leave_behind,
    screened_now,
    slot_text,
    start_routine,
    start_single,
    start_situation,
    stretch_named,
    welcome_back,
)
from skill.alexa.questions import BACK, Answer, answer_of
from skill.alexa.turn import SCREENED_NOW, Services, Turn
from skill.content.model import Pace, Side
from skill.engine.cursor import (
    Move,
    NavigationError,
    Status,
    anchored,
    move,
    progress,
)
from skill.engine.phrases import number
from skill.engine.preferences import HOLD_SCALE_RANGE, Preferences
from skill.engine.screening import (
    EARLY_PREGNANCY,
    LATE_PREGNANCY,
    PREGNANCY,
    REVEALING_ROUTINES,
    SCREENED_ROUTINES,
    SCREENINGS,
    Outcome,
    Result,
    Screening,
    ScreeningError,
    ask_again_in,
    consequence,
)
from skill.engine.script import Block, Script, Step

HOLD_STEP = 0.25
PACE_ORDER = (Pace.SLOWER, Pace.NORMAL, Pace.FASTER)


def screening_answer(turn: Turn, yes: bool) -> Response:
    """A yes or no to the screening question waiting: the next question, or the outcome."""
    pending = turn.pending
    try:
        assert pending is not None and pending.about is not None
        # "pregnancy:late", or with where to go after it: "pregnancy:late:start:desk".
        name, question, *then = pending.about.split(":", 2)
        screening = SCREENINGS[name]
        stage = turn.stage
        if screening is PREGNANCY and question == "late" and stage and stage[0] == "late":
            yes = True  # a stage said earlier in the session is never undone by a bare no
        following = screening.answer(question, yes)
    except (AssertionError, ValueError, KeyError, ScreeningError):
        # A damaged session: start the choice again rather than guess at an answer.
        return choose(turn)
    if isinstance(following, str):
        known = _stage_answer(turn, screening, following)
        if known is not None:
            # Not asked, so the advice says why rather than "then".
            said = replace(known, advice=f"{known.advice}_said" if known.advice else None)
            return conclude(turn, screening, said)
        return ask_screening(turn, screening, following, then[0] if then else "")
    return conclude(turn, screening, following, then[0] if then else "")


def _stage_answer(turn: Turn, screening: Screening, question: str) -> Outcome | None:
    """The answer to the late question that a stage said in this session already gives.

    Late always answers it; early only with a number ("twenty weeks"), since "a few
    months" could be seven.
    """
    stage = turn.stage
    if screening is not PREGNANCY or question != "late" or stage is None:
        return None
    if stage[0] == "late":
        return LATE_PREGNANCY
    return EARLY_PREGNANCY if stage[1] is not None else None


def refer(turn: Turn, advice: str = "advice_warning") -> Response:
    """A warning sign heard during a screening: advice to see a clinician, and no routine.

    Nor one next time: the place left in a routine is let go, so "shall we carry on?" is
    never the first thing heard after being told to see a clinician.
    """
    turn.person.position = None
    turn.session["single"] = None
    turn.save()
    return turn.tell(advice)


def emergency(turn: Turn) -> Response:
    """An emergency said anywhere: stop, get help now, and no routine offered next time."""
    return refer(turn, "emergency")  # the place is let go, so there is no clock to stop


def conclude(turn: Turn, screening: Screening, outcome: Outcome, then: str = "") -> Response:
    """Keep the consequence (never the answers), then advise, recommend, or carry on.

    `then` is where a question asked again goes next ("launch:", "resume:", "start:desk")
    instead of the screening's own routine.
    """
    if outcome.result is Result.REFER:
        return refer(turn, outcome.advice or "advice_warning")
    kept = consequence(outcome, turn.catalogue)
    turn.person.screened[screening.id] = kept
    if screening.id in SCREENED_ROUTINES:  # asked this session: not again until the next
        turn.session[SCREENED_NOW] = sorted(screened_now(turn) | {screening.id})
    if screening is PREGNANCY:
        _date_pregnancy(turn, outcome)
    assert outcome.routine is not None
    if then:
        about = f"{then}:{outcome.advice or ''}"
    else:
        then = "start" if outcome.result is Result.PROCEED else (
            "recommend" if outcome.avoid else "recommend_plain")  # fmt: skip
        about = f"{then}:{outcome.routine}:{outcome.advice or ''}"
    turn.save()  # without consent, the consequence stays in the session
    # Asked only when there is something to remember: a screening that changed nothing,
    # on its way to a routine anyone might do, has no health data to keep.
    revealing = kept != Preferences() or outcome.routine in REVEALING_ROUTINES
    if turn.person.consent is None and revealing:
        return turn.ask("remember_screening", about=about)
    return after_consent(turn, about)


def _date_pregnancy(turn: Turn, outcome: Outcome) -> None:
    """An early answer holds until the person could be late: asked again from that day."""
    if set(LATE_PREGNANCY.avoid) <= set(outcome.avoid):
        turn.person.ask_again.pop(PREGNANCY.id, None)  # late holds until withdrawn
        return
    stage = turn.stage
    weeks = stage[1] if stage is not None and stage[0] == "early" else None
    day = turn.today() + timedelta(days=ask_again_in(weeks))
    turn.person.ask_again[PREGNANCY.id] = day.isoformat()


def after_consent(turn: Turn, about: str, intro: str = "") -> Response:
    """Go on to where the flow was going when the consent question came up.

    `about` is "start:ROUTINE:ADVICE", "recommend:ROUTINE:ADVICE",
    "recommend_plain:ROUTINE:ADVICE", "launch::ADVICE", "resume::ADVICE",
    "single:STRETCH:ADVICE" or "pain_choice";
    it comes back in the session, so anything else is a fresh choice.
    """
    if about == "pain_choice":
        return pain_choice(turn, intro)
    then, _, rest = about.partition(":")
    routine_id, _, advice_key = rest.partition(":")
    routine = turn.catalogue.routines.get(routine_id)
    advice = turn.prompts.say(advice_key) if advice_key in turn.prompts.catalogue else ""
    if then == "single":
        stretch = turn.catalogue.stretches.get(routine_id)
        if stretch is None:
            return choose(turn)
        turn.notes.extend(t for t in (intro, advice) if t)
        return start_single(turn, stretch)
    if then in ("launch", "resume"):
        # A question asked again on the way in: on to what the person came for.
        turn.notes.extend(t for t in (intro, advice) if t)
        if then == "resume" and turn.active() is not None:
            return go(turn, Move.RESUME)
        return welcome_back(turn)
    if routine is None or then not in ("start", "recommend", "recommend_plain"):
        return choose(turn)
    if then == "start":
        return start_routine(turn, routine, " ".join(t for t in (intro, advice) if t))
    if intro:
        turn.notes.append(intro)
    return turn.ask(then, about=routine.id, routine=routine.name, advice=advice)


def consent_answer(turn: Turn, yes: bool) -> Response:
    """Yes: what reveals health is kept across sessions; no: this session only. Then go on."""
    pending = turn.pending
    turn.person.consent = yes
    turn.save()
    intro = turn.prompts.say("remembered" if yes else "session_only")
    return after_consent(turn, pending.about if pending and pending.about else "", intro)


class WhichRoutineHandler(Handler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("WhichRoutineIntent")(handler_input))

    def answer(self, turn: Turn) -> Response:
        return begin_screening(turn, SCREENINGS["back"])


# --- pain ------------------------------------------------------------------------------------


class PainHandler(Handler):
    """It hurts: stop the clock, then ask whether the pain is sharp or spreading."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("PainIntent")(handler_input))

    def answer(self, turn: Turn) -> Response:
        turn.person.count("pain")  # only how often, never what was said
        active = turn.active()
        if active is None:
            turn.save()
            # "My back's bad" with no routine running says why they came: the back
            # screening asks the warning signs first, then suggests a routine that suits.
            if slot_text(turn.input, "bodyPart")[0] == BACK:
                return begin_screening(turn, SCREENINGS["back"])
            return choose(turn, "pain_idle")
        pause_here(turn)
        turn.save()
        part = slot_text(turn.input, "bodyPart")[0]  # only a known part is said back
        if part is not None:
            return turn.ask("pain_check_part", part=part.replace("_", " "))
        return turn.ask("pain_check")


def pain_stop(turn: Turn) -> Response:
    """Sharp, shooting, spreading, tingling or numb: stop, and get it checked."""
    pause_here(turn)
    leave_behind(turn)  # next time goes on after the stretch that hurt, never with it
    turn.save()
    # "I've saved your place" only when there is a place: the unsaved wording says nothing.
    return turn.tell("pain_stop" if turn.active() is not None else "pain_stop_unsaved")


def unwell(turn: Turn) -> Response:
    """Dizzy, faint or sick: stop the clock, keep the place, and say how to let it pass.

    Nothing about it is kept: no stretch is blamed, and no consent is asked for.
    """
    pause_here(turn)
    turn.save()
    return turn.tell("unwell" if turn.active() is not None else "unwell_unsaved")


def mild_pain(turn: Turn) -> Response:
    """Mild pain: the first time health data arises, ask to remember it; then the choice."""
    if turn.active() is None:
        return pain_choice(turn)  # no stretch to have felt it in: nothing to remember yet
    if turn.person.consent is None:
        pause_here(turn)
        turn.save()
        return turn.ask("remember_pain", about="pain_choice")
    return pain_choice(turn)


def pain_choice(turn: Turn, intro: str = "") -> Response:
    """Mild pain: an easier version, skip it, carry on, or stop for today."""
    if intro:
        turn.notes.append(intro)
    pause_here(turn)
    active = turn.active()
    if active is None:
        turn.save()
        return choose(turn, "pain_idle")
    here = progress(*active)
    name = here.name or "this stretch"
    stretch = turn.catalogue.stretches.get(here.stretch or "")
    key = "pain_choice" if stretch is not None and stretch.easier else "pain_choice_no_easier"
    turn.save()
    return turn.ask(key, stretch=name)


def pause_here(turn: Turn) -> None:
    """Stop the clock: whatever comes next picks up at the start of this part."""
    active = turn.active()
    if active is not None:
        script, cursor = active
        if cursor.status in (Status.PLAYING, Status.HEARD):
            stopped = move(script, cursor, Move.PAUSE)
            turn.cursor = stopped
            turn.still(script, stopped)


class PainKindHandler(Handler):
    """Pain described without being asked ("it's sharp"): the same as the answer."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("PainKindIntent")(handler_input))

    def answer(self, turn: Turn) -> Response:
        kind = answer_of("PainKindIntent", {"painKind": slot_text(turn.input, "painKind")[0]})
        if kind is Answer.UNWELL:
            return unwell(turn)  # no pain to count
        turn.person.count("pain")  # only how often, never what was said
        if kind is Answer.EMERGENCY:
            return emergency(turn)
        if kind in (Answer.SEVERE, Answer.NUMB):
            return pain_stop(turn)
        if kind in (Answer.MILD, Answer.HEDGE):
            return mild_pain(turn)
        pause_here(turn)
        turn.save()
        return turn.ask("pain_check")


# --- adjustments by voice ---------------------------------------------------------------------

ADJUSTMENTS = ("SlowerIntent", "FasterIntent", "HoldLongerIntent", "HoldShorterIntent",
               "AddTimeIntent", "EasierIntent", "HarderIntent")  # fmt: skip


# Asked for outside a routine, easier and harder mean the routine for wanting so.
_OUTSIDE = {"EasierIntent": "gentle", "HarderIntent": "intense"}


class AdjustHandler(Handler):
    """Slower, faster, longer, shorter, ten more seconds, easier, harder: kept for next time."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(intents(*ADJUSTMENTS)(handler_input))

    def answer(self, turn: Turn) -> Response:
        return adjust(turn, intent_name(turn))


def adjust(turn: Turn, intent: str) -> Response:
    """Make an adjustment and play the current stretch again with it."""
    mine = turn.person.preferences
    active = turn.active()
    if intent in ("SlowerIntent", "FasterIntent", "HoldLongerIntent", "HoldShorterIntent"):
        changed, key = _general(mine, intent, turn)
        if changed is None:
            name = progress(*active).name if active else None
            if active is None or name is None:
                return choose(turn, "adjust_limit_idle")
            return turn.ask("adjust_limit", stretch=name)
        turn.person.preferences = changed
        done = turn.prompts.say(key)
        if active is None:
            turn.save()
            return choose(turn, "adjusted_idle", done=done)
        return replay(turn, done)
    if active is None and intent in _OUTSIDE:
        # "Something easier", with no stretch to change: the routine for wanting that.
        return start_situation(turn, _OUTSIDE[intent])
    if active is None:
        return choose(turn, "needs_stretch")
    script, cursor = active
    here = progress(script, cursor)
    if here.stretch is None:
        return choose(turn, "needs_stretch")
    playing = turn.catalogue.stretches[here.stretch]
    original = script.routine.items[script.items[here.number - 1]].stretch
    if intent == "AddTimeIntent":
        step = script.block_steps(here.block)
        if all(st.hold_ms is None for st in step if st.stretch == playing.id):
            return turn.ask("not_a_hold", stretch=playing.name)
        if mine.extra_map.get(playing.id, 0) >= 30:
            return turn.ask("adjust_limit", stretch=playing.name)
        turn.person.preferences = mine.with_extra(playing.id, 10)
        return replay(turn, turn.prompts.say("adjusted_more_time", stretch=playing.name))
    link = playing.easier if intent == "EasierIntent" else playing.harder
    if link is None:
        key = "no_easier" if intent == "EasierIntent" else "no_harder"
        return turn.ask(key, stretch=playing.name)
    turn.person.preferences = mine.with_substitute(original, link)
    new = turn.catalogue.stretches[link]
    key = "adjusted_easier" if intent == "EasierIntent" else "adjusted_harder"
    return replay(turn, turn.prompts.say(key, stretch=new.name, was=playing.name))


def _general(mine: Preferences, intent: str, turn: Turn) -> tuple[Preferences | None, str]:
    if intent in ("SlowerIntent", "FasterIntent"):
        active = turn.active()
        current = mine.pace or (active[0].settings.pace if active else Pace.NORMAL)
        index = PACE_ORDER.index(current) + (-1 if intent == "SlowerIntent" else 1)
        if not 0 <= index < len(PACE_ORDER):
            return None, ""
        key = "adjusted_slower" if intent == "SlowerIntent" else "adjusted_faster"
        return replace(mine, pace=PACE_ORDER[index]), key
    step = HOLD_STEP if intent == "HoldLongerIntent" else -HOLD_STEP
    scale = round(mine.hold_scale + step, 2)
    low, high = HOLD_SCALE_RANGE
    if not low <= scale <= high:
        return None, ""
    key = "adjusted_longer" if intent == "HoldLongerIntent" else "adjusted_shorter"
    return replace(mine, hold_scale=scale), key


def replay(turn: Turn, done: str) -> Response:
    """Recompile with the new settings and play the current stretch again from its start."""
    active = turn.active()  # the place, put right for the new settings
    assert active is not None
    script, here = active
    try:
        again = move(script, here, Move.REPEAT if here.status is not Status.NOT_STARTED
                     else Move.START)  # fmt: skip
    except NavigationError:
        again = move(script, here, Move.START)
    name = progress(script, again).name
    intro = f"{done} {turn.prompts.say('from_the_top', stretch=name)}" if name else done
    return turn.play(script, again, intro=intro)


# --- questions, exclusions and history -----------------------------------------------------------


def side_heard(script: Script, block: Block) -> Step:
    """The last step with a side in a block: the side the person is on once it has played.

    A stretch's sides (and sets) come in order, so the other side may be done already.
    """
    return [st for st in script.block_steps(block) if st.side is not None][-1]


class WhichSideHandler(Handler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("WhichSideIntent")(handler_input))

    def answer(self, turn: Turn) -> Response:
        active = turn.active()
        if active is None:
            return choose(turn, "not_in_routine")
        here = progress(*active)
        if here.side is None:
            return turn.ask("which_side_none", stretch=here.name or "This part")
        script = active[0]
        step = side_heard(script, here.block)
        side = step.side or here.side
        later = any(
            st.item == step.item and st.side is side.other for st in script.steps[step.index + 1 :]
        )
        return turn.ask("which_side" if later else "which_side_last", side=side.value,
                        other=side.other.value, label=step.side_label.value,
                        stretch=here.name)  # fmt: skip


class SideHandler(Handler):
    """The other side, or a named one: play this stretch from that side's set-up."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("SideIntent")(handler_input))

    def answer(self, turn: Turn) -> Response:
        active = turn.active()
        if active is None:
            return choose(turn, "not_in_routine")
        script, cursor = active
        here = progress(script, cursor)
        if here.stretch is None:
            return turn.ask("which_side_none", stretch=here.name or "This part")
        if here.side is None:
            return turn.ask("which_side_none", stretch=here.name)
        # On the side heard last, as "which side am I on?" says: the other one is the one
        # that comes after it ("the right comes after... say other side to switch"), or,
        # on the last side, the one just done.
        heard = side_heard(script, here.block)
        wanted = slot_text(turn.input, "side")[0] or "other"
        side = heard.side.other if wanted == "other" and heard.side else Side(wanted)
        # Each side's turn starts where the side changes: play from that turn's set-up. A
        # routine may give each side its own place (the Pilates series): the same stretch.
        starts = [
            st for st in script.steps
            if st.stretch == heard.stretch and st.side is not None
            and (st.index == 0 or (script.steps[st.index - 1].side, script.steps[st.index - 1].item)
                 != (st.side, st.item))
        ]  # fmt: skip
        now = [st for st in starts if st.index <= heard.index][-1]
        later = [st for st in starts if st.index > heard.index and st.side == side]
        earlier = [st for st in starts if st.index < now.index and st.side == side]
        if side == heard.side:
            target = now  # the side said is the one they are on: it again, from its set-up
        elif later or earlier:
            target = later[0] if later else earlier[-1]
        else:
            return turn.ask("which_side_none", stretch=here.name)
        block = script.block_of_step(target.index)
        return turn.play(script, anchored(script, block.index, Status.PLAYING),
                         from_step=target.index)  # fmt: skip


class ExcludeHandler(Handler):
    """Leave a stretch out from now on ("skip pigeon from now on"), or put it back."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(intents("ExcludeStretchIntent", "IncludeStretchIntent")(handler_input))

    def answer(self, turn: Turn) -> Response:
        resolved, heard = slot_text(turn.input, "stretch")
        stretch = stretch_named(turn, resolved, heard)
        if stretch is None and heard is None and intent_name(turn) == "ExcludeStretchIntent":
            # "never give me this one again": the stretch the person is on.
            active = turn.active()
            current = progress(*active).stretch if active is not None else None
            stretch = turn.catalogue.stretches.get(current or "")
        if stretch is None:
            return follow_up(turn, "which_stretch")
        mine = turn.person.preferences
        if intent_name(turn) == "ExcludeStretchIntent":
            was = turn.active()
            turn.person.preferences = replace(mine, excluded=mine.excluded | {stretch.id})
            key = "excluded"
            now = turn.active()
            if was is not None and was[1].stretch == stretch.id and now is not None:
                # Left out the stretch the person is on: on to what followed it, whole.
                script, item = now[0], was[1].item
                after = [
                    step.index for step in script.steps
                    if item is not None and step.item is not None and step.item > item
                ]  # fmt: skip
                if after:
                    said = turn.prompts.say("excluded_now", stretch=stretch.name)
                    block = script.block_of_step(after[0]).index
                    here = anchored(script, block, Status.PLAYING)
                    return turn.play(script, here, said, from_step=after[0])
        elif stretch.id in mine.excluded:
            turn.person.preferences = replace(mine, excluded=mine.excluded - {stretch.id})
            key = "included"
        else:
            key = "not_excluded"
        if key != "not_excluded":
            turn.save()
        screening = _screened_out(turn, stretch.id) if key != "excluded" else None
        if screening is not None:
            # Put back by the person, but still left out for safety: say so, and why.
            key = f"screened_out_{screening}"
        return follow_up(turn, key, stretch=stretch.name)


def _screened_out(turn: Turn, stretch: str) -> str | None:
    """The safety screening that leaves a stretch out or swaps it, if one does."""
    screened = dict(turn.person.screened)
    if turn.person.pregnancy_expired(turn.today(), turn.catalogue):
        screened[PREGNANCY.id] = consequence(LATE_PREGNANCY, turn.catalogue)
    for name, kept in screened.items():
        if stretch in kept.excluded or stretch in kept.substitute_map:
            return name
    return None


def follow_up(turn: Turn, key: str, **values: object) -> Response:
    """Answer, then ask what fits: start the current stretch again, or which routine."""
    active = turn.active()
    here = progress(*active).name if active else None
    if here is None:
        return choose(turn, f"{key}_idle", **values)
    return turn.ask_with(key, {"current": here, **values})


class HistoryHandler(Handler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("HistoryIntent")(handler_input))

    def answer(self, turn: Turn) -> Response:
        done = turn.person.counts.get("completed", 0)
        history = turn.person.history
        routine = turn.catalogue.routines.get(str(history.get("last_routine")))
        if not done and routine is None:
            return choose(turn, "history_none")
        last = ""
        if routine is not None:
            key = "last_finished" if history.get("last_finished") else "last_stopped"
            last = turn.prompts.say(key, routine=routine.name)
        streak = int(history.get("streak", 0)) if _current(turn, history) else 0
        days = turn.prompts.say("streak", days=number(min(streak, 99))) if streak > 1 else ""
        return follow_up(turn, "history", done=number(done), routines="routine" if done == 1
                         else "routines", streak=days, last=last)  # fmt: skip


def _current(turn: Turn, history: dict[str, object]) -> bool:
    """A streak counts only while it is unbroken: the last day was today or yesterday."""
    last = history.get("last_day")
    today = turn.today()
    return last in (today.isoformat(), (today - timedelta(days=1)).isoformat())


def coaching_handlers(services: Services) -> list[Handler]:
    """The coaching handlers; answers to a waiting question come before all of them."""
    return [
        PainHandler(services),
        PainKindHandler(services),
        SideHandler(services),
        WhichRoutineHandler(services),
        AdjustHandler(services),
        WhichSideHandler(services),
        ExcludeHandler(services),
        HistoryHandler(services),
    ]
