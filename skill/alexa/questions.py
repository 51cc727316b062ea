"""Every question the coach asks, as data: the prompts that ask it and what each answer does."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class Answer(StrEnum):
    """What kind of answer a request is, whatever words it came in."""

    YES = "yes"
    NO = "no"
    NOT_YET = "not_yet"  # "not yet", "nearly ready": a no that means wait, where waiting fits
    READY = "ready"  # "let's go", "I'm ready": a yes to "shall we?", no answer to a fact
    WELL = "well"  # "I'm fine", "it's passed": how they feel, which is no clearance either
    KEEP = "keep"  # "keep it", "don't forget me": what is stored stays
    EITHER = "either"  # "doesn't matter", "up to you": the coach may choose
    FOR_NOW = "for_now"  # "just for today": kept this session only
    ADVICE = "advice"  # "which routine should I do?", "you choose": the coach's pick
    ROUTINE = "routine"  # a routine's name
    SITUATION = "situation"  # "I'm pregnant", "something gentle"
    STRETCH = "stretch"  # a stretch's name
    SIDE = "side"  # left, right, the other side
    SEVERE = "severe"  # sharp, shooting, spreading, tingling
    NUMB = "numb"  # numb or weak: serious pain, and at a symptom question a warning sign
    EMERGENCY = "emergency"  # "call an ambulance", "my waters broke": help now, always
    MILD = "mild"  # mild, dull, just stretchy
    HEDGE = "hedge"  # "a bit", "kind of", "both": how much; mild, but a yes to "is it sharp?"
    MAYBE = "maybe"  # "I think so", "probably": a yes, but never clearance nor consent
    UNKEPT = "unkept"  # "forget that I'm pregnant": kept no longer, adapted this visit
    UNWELL = "unwell"  # dizzy, faint, sick: stop and let it pass, whatever was asked
    LATE = "late"  # "thirty four weeks": in the last three months of a pregnancy
    EARLY = "early"  # "twenty weeks", "second trimester"
    NOT_PREGNANT = "not_pregnant"  # "I've had my baby", "I'm not pregnant any more"
    NEXT = "next"
    PREVIOUS = "previous"
    REPEAT = "repeat"
    PARDON = "pardon"  # "what?", "sorry, I missed that": say it again
    SKIP = "skip"
    START_OVER = "start_over"
    PAUSE = "pause"
    RESUME = "resume"  # "continue", "keep going", "carry on"
    STOP = "stop"
    PAIN = "pain"
    EASIER = "easier"
    HARDER = "harder"
    HELP = "help"
    LIST = "list"
    FORGET = "forget"  # "forget me", "delete my data"
    UNCLEAR = "unclear"  # Alexa's fallback: nothing the skill knows
    OTHER = "other"  # any other request the skill knows


class Act(StrEnum):
    """What the coach does with an answer; PASS lets the request's own handler answer."""

    NEXT = "next"
    REPEAT = "repeat"
    SKIP = "skip"
    START_OVER = "start_over"
    WAIT = "wait"  # not yet: keep the place, say to take their time, ask again
    RESUME = "resume"
    STOP = "stop"
    PAIN_STOP = "pain_stop"
    PAIN_CHOICE = "pain_choice"
    EASIER = "easier"
    START_ROUTINE = "start_routine"
    SITUATION = "situation"
    SINGLE = "single"
    CHOOSE = "choose"
    SCREEN_YES = "screen_yes"
    SCREEN_NO = "screen_no"
    REFER = "refer"  # a warning sign: advice to see a clinician, whatever question was next
    EMERGENCY = "emergency"  # stop and get help now, and no routine offered next time
    UNWELL = "unwell"  # stop, keep the place, and say how to let it pass safely
    START_RECOMMENDED = "start_recommended"
    DESCRIBE = "describe"
    REMEMBER = "remember"  # keep what reveals health across sessions, then go on
    SESSION_ONLY = "session_only"  # keep it for this session only, then go on
    FORGET = "forget"  # delete the person's record
    KEEP = "keep"  # do not delete it after all
    END_PREGNANCY = "end_pregnancy"  # routines no longer adapted for a pregnancy
    KEEP_PREGNANCY = "keep_pregnancy"  # still adapted for it
    REASK = "reask"
    AGAIN = "again"  # "what?", "say that again": the question again, with no "sorry"
    PASS = "pass"


@dataclass(frozen=True)
class Question:
    """A question: the prompts that end with it, how to ask it again, and its answers.

    A strict question (pain, safety screening) hears nothing but its answers and stop:
    anything else asks it again. Otherwise other requests do what they always do, and only
    words the skill does not know at all ask the question again.
    """

    name: str
    asked_by: frozenset[str]
    reprompt: str
    answers: Mapping[Answer, Act]
    strict: bool = False
    # Said before asking again when the words were understood but do not answer it
    # ("okay" to "which routine?"); words not understood at all get "reask".
    unfit: str = "reask_unfit"

    def act(self, answer: Answer) -> Act:
        if answer is Answer.EMERGENCY:
            return Act.EMERGENCY  # no question's answers outrank it
        if answer is Answer.UNWELL:
            return Act.UNWELL  # nor do they a person feeling faint: nothing goes on until it passes
        if answer in self.answers:
            return self.answers[answer]
        if answer is Answer.NOT_YET:
            return self.act(Answer.NO)  # "has your doctor said it's fine?" "not yet": a no
        if answer is Answer.READY:
            return self.act(Answer.YES)  # "go ahead": a yes, except to a question of fact
        if answer in (Answer.WELL, Answer.KEEP, Answer.EITHER, Answer.FOR_NOW):
            # Where that answers nothing ("which routine?" "I'm fine"): asked again.
            return Act.REASK
        if answer is Answer.NUMB:
            return self.act(Answer.SEVERE)  # numbness is serious pain wherever it is not more
        if answer is Answer.HEDGE:
            return self.act(Answer.MILD)  # "a bit", said of pain, unless a question says more
        if answer is Answer.MAYBE and not self.strict:
            return self.act(Answer.YES)  # "ready for cobra?" "I think so": on we go
        if answer is Answer.SEVERE:
            return Act.PAIN_STOP  # serious pain, or an emergency, stops whatever was asked
        if answer in (Answer.REPEAT, Answer.PARDON):
            return Act.AGAIN  # unless "again" means something here, it asks for the question
        if answer is Answer.UNCLEAR or (self.strict and answer is not Answer.STOP):
            return Act.REASK
        return Act.PASS


# Mid-routine: "Ready for cobra? Say next." and "Shall we go on?" mean the same thing.
_GO_ON = {
    Answer.YES: Act.NEXT,
    Answer.NO: Act.WAIT,
    Answer.NOT_YET: Act.WAIT,
    Answer.REPEAT: Act.REPEAT,  # after a stretch, "again" is the stretch again
    Answer.PARDON: Act.REPEAT,  # and "what?" is the whole of it again, question and all
    Answer.NEXT: Act.NEXT,
    Answer.RESUME: Act.NEXT,
    Answer.READY: Act.NEXT,
    Answer.WELL: Act.NEXT,  # "Ready for cobra?" "I'm fine": on we go
    Answer.EITHER: Act.NEXT,  # "Shall we go on?" "I don't mind": on, as planned
}

QUESTIONS: Mapping[str, Question] = {
    q.name: q
    for q in (
        Question("ready_next", frozenset({"waiting"}), "ready_reprompt", _GO_ON),
        Question(
            "go_on",
            frozenset(
                {
                    "whats_next",
                    "whats_next_last",
                    "where_am_i_intro",
                    "where_am_i_finish",
                    "at_start",
                    "which_side_none",
                    "unknown_stretch",
                    "fallback_routine",
                    "skip_other",
                }
            ),
            "go_on_reprompt",
            _GO_ON,
        ),
        Question(
            "repeat_offer",
            frozenset(
                {
                    "time_left",
                    "time_left_last",
                    "where_am_i",
                    "describe",
                    "help_routine",
                    "which_side",
                    "which_side_last",
                    "adjust_limit",
                    "no_easier",
                    "no_harder",
                    "not_a_hold",
                    "excluded",
                    "included",
                    "not_excluded",
                    "screened_out_pregnancy",
                    "screened_out_back",
                    "pregnancy_ended",
                    "pregnancy_kept",
                    "pregnancy_none",
                    "pregnancy_unkept",
                    "pregnancy_nothing_kept",
                    "history",
                    "nothing_next",
                    "where_am_i_last",
                    "which_stretch",
                }
            ),
            "repeat_reprompt",
            {
                Answer.YES: Act.REPEAT,
                Answer.REPEAT: Act.REPEAT,
                Answer.NO: Act.NEXT,
                Answer.RESUME: Act.NEXT,
                Answer.NOT_YET: Act.WAIT,
                Answer.READY: Act.REPEAT,  # "let's go again"
                Answer.START_OVER: Act.REPEAT,  # "start it again": the stretch it offers
                Answer.WELL: Act.NEXT,  # "I'm good": no need, thanks
            },
        ),
        Question(
            "resume_offer",
            frozenset({"offer_resume", "offer_continue"}),
            "resume_reprompt",
            {
                Answer.YES: Act.RESUME,
                Answer.NO: Act.CHOOSE,
                Answer.NOT_YET: Act.AGAIN,  # the place is kept, and the offer stands
                Answer.RESUME: Act.RESUME,
                Answer.NEXT: Act.RESUME,
                Answer.READY: Act.RESUME,
                Answer.ROUTINE: Act.START_ROUTINE,
                Answer.SITUATION: Act.SITUATION,
                Answer.START_OVER: Act.START_OVER,
            },
        ),
        Question(
            "paused",
            frozenset({"paused", "already_paused"}),
            "paused_reprompt",
            {
                Answer.YES: Act.RESUME,
                Answer.NO: Act.STOP,
                Answer.NOT_YET: Act.PASS,  # still resting: stay paused, as "pause" does
                Answer.RESUME: Act.RESUME,
                Answer.NEXT: Act.NEXT,  # "next" always means the next block, paused or not
                Answer.READY: Act.RESUME,
                Answer.WELL: Act.RESUME,
                Answer.EITHER: Act.RESUME,
            },
        ),
        Question(
            "choose_routine",
            frozenset(
                {
                    "welcome_first",
                    "welcome_back",
                    "choose_routine",
                    "unknown_routine",
                    "missing_routine",
                    "list_routines",
                    "not_in_routine",
                    "not_started",
                    "no_problem",
                    "routine_left_out",
                    "describe_outside",
                    "help_idle",
                    "fallback_idle",
                    "adjusted_idle",
                    "needs_stretch",
                    "pain_idle",
                    "history_idle",
                    "history_none",
                    "single_done",
                    "unknown_single",
                    "excluded_idle",
                    "included_idle",
                    "not_excluded_idle",
                    "screened_out_pregnancy_idle",
                    "screened_out_back_idle",
                    "pregnancy_ended_idle",
                    "pregnancy_kept_idle",
                    "pregnancy_none_idle",
                    "pregnancy_unkept_idle",
                    "pregnancy_nothing_kept_idle",
                    "adjust_limit_idle",
                    "which_stretch_idle",
                    "kept",
                }
            ),
            "choose_reprompt",
            {
                Answer.ROUTINE: Act.START_ROUTINE,
                Answer.SITUATION: Act.SITUATION,
                Answer.STRETCH: Act.SINGLE,
                Answer.YES: Act.REASK,
                Answer.NO: Act.STOP,
                # "Which routine?" "Not yet", "hang on": the question waits, nothing ends.
                Answer.NOT_YET: Act.AGAIN,
                Answer.PAUSE: Act.AGAIN,
            },
            unfit="reask_choose",
        ),
        Question(
            "describe_which",
            frozenset({"describe_which", "unknown_stretch_name"}),
            "describe_reprompt",
            {Answer.STRETCH: Act.DESCRIBE, Answer.NO: Act.CHOOSE, Answer.YES: Act.REASK},
        ),
        Question(
            "pain_kind",
            frozenset({"pain_check", "pain_check_part"}),
            "pain_reprompt",
            {
                Answer.YES: Act.PAIN_STOP,
                Answer.READY: Act.REASK,  # "let's go" says nothing of the pain
                Answer.SEVERE: Act.PAIN_STOP,
                # "Is the pain sharp, or spreading?" "A bit", "kind of", "both": on the safe side.
                Answer.HEDGE: Act.PAIN_STOP,
                Answer.MAYBE: Act.PAIN_STOP,
                Answer.NO: Act.PAIN_CHOICE,
                Answer.MILD: Act.PAIN_CHOICE,
                # "I'm fine now": still a choice to offer, since it hurt a moment ago.
                Answer.WELL: Act.PAIN_CHOICE,
            },
            strict=True,
            unfit="reask_pain",
        ),
        Question(
            "pain_choice",
            frozenset({"pain_choice", "pain_choice_no_easier"}),
            "choice_reprompt",
            {
                Answer.EASIER: Act.EASIER,
                Answer.SKIP: Act.SKIP,
                Answer.NEXT: Act.SKIP,
                Answer.RESUME: Act.RESUME,
                Answer.READY: Act.RESUME,
                Answer.WELL: Act.RESUME,  # "it's fine now": carry on
                # "I don't mind": the gentlest of the three that still goes on.
                Answer.EITHER: Act.SKIP,
                Answer.NO: Act.STOP,
                Answer.SEVERE: Act.PAIN_STOP,
                Answer.PAIN: Act.PAIN_STOP,
            },
            strict=True,
            unfit="reask_choice",
        ),
        Question(
            "screening",
            frozenset({"screen_cleared", "screen_sitting", "screen_standing"}),
            "screen_reprompt",
            # A question of fact: keen to start, or feeling fine, is no answer to it.
            {
                Answer.YES: Act.SCREEN_YES,
                Answer.NO: Act.SCREEN_NO,
                Answer.READY: Act.REASK,
                Answer.WELL: Act.REASK,
                Answer.PAIN: Act.PAIN_STOP,  # "ouch, my back": never dropped for a yes or no
                Answer.NOT_PREGNANT: Act.PASS,  # its own handler asks before it ends anything
            },
            strict=True,
            unfit="reask_screen",
        ),
        Question(
            # How far along is an answer too, and it outranks the yes or no said with it:
            # "no, I'm thirty four weeks" is in the last three months.
            "screening_late",
            # Asked again too when an early answer is too old to trust.
            frozenset({"screen_late_pregnancy", "recheck_late_pregnancy"}),
            "screen_reprompt",
            {
                Answer.YES: Act.SCREEN_YES,
                Answer.NO: Act.SCREEN_NO,
                Answer.LATE: Act.SCREEN_YES,
                Answer.EARLY: Act.SCREEN_NO,
                Answer.MAYBE: Act.SCREEN_YES,  # "probably": the late version, on the safe side
                Answer.READY: Act.REASK,
                Answer.WELL: Act.REASK,
                Answer.PAIN: Act.PAIN_STOP,
                # "I've had the baby": no answer to it, but the question is moot; its own
                # handler asks before ending the screening.
                Answer.NOT_PREGNANT: Act.PASS,
            },
            strict=True,
            unfit="reask_screen",
        ),
        Question(
            # A question about symptoms: describing one ("it tingles", "I fell") is a yes.
            "screening_symptom",
            frozenset({"screen_warning", "screen_leg"}),
            # "No, well, sometimes" is asked again: some of it, at any time, is a yes.
            "symptom_reprompt",
            {
                Answer.YES: Act.SCREEN_YES,
                Answer.NO: Act.SCREEN_NO,
                Answer.SEVERE: Act.SCREEN_YES,
                Answer.PAIN: Act.SCREEN_YES,
                Answer.MILD: Act.SCREEN_YES,  # "a little": some is a yes, on the safe side
                Answer.MAYBE: Act.SCREEN_YES,  # "I think so": as much of a yes
                # "Does it travel down your leg?" "yes, and my leg feels weak": numbness or
                # weakness is the warning sign asked about first, whichever question hears it.
                Answer.NUMB: Act.REFER,
                Answer.WELL: Act.SCREEN_NO,  # "any numbness?" "I feel fine"
                Answer.READY: Act.REASK,
            },
            strict=True,
            unfit="reask_screen",
        ),
        Question(
            "recommend",
            frozenset({"recommend", "recommend_plain"}),
            "recommend_reprompt",
            {
                Answer.YES: Act.START_RECOMMENDED,
                Answer.READY: Act.START_RECOMMENDED,
                Answer.EITHER: Act.START_RECOMMENDED,
                Answer.ADVICE: Act.START_RECOMMENDED,  # "you choose": it just has
                Answer.START_OVER: Act.START_RECOMMENDED,  # "start it"
                Answer.NO: Act.CHOOSE,
                Answer.NOT_YET: Act.AGAIN,
                Answer.PAUSE: Act.AGAIN,
                Answer.ROUTINE: Act.START_ROUTINE,
                Answer.SITUATION: Act.SITUATION,
            },
        ),
        Question(
            # Asked once, when health data first arises; `about` is where the flow goes next.
            "remember",
            frozenset({"remember_screening", "remember_routine"}),
            "remember_reprompt",
            # Pain described now is answered as pain, whatever was asked.
            {
                Answer.YES: Act.REMEMBER,
                Answer.KEEP: Act.REMEMBER,  # "keep it for next time"
                Answer.NO: Act.SESSION_ONLY,
                # "just for today", and "doesn't matter": the least that works is kept.
                Answer.FOR_NOW: Act.SESSION_ONLY,
                Answer.EITHER: Act.SESSION_ONLY,
                Answer.MAYBE: Act.SESSION_ONLY,  # "I suppose so": consent is never guessed
                Answer.UNKEPT: Act.SESSION_ONLY,  # "don't keep my pregnancy": as asked
                # "next", "let's go": on with it, which is no consent; kept the least.
                Answer.NEXT: Act.SESSION_ONLY,
                Answer.RESUME: Act.SESSION_ONLY,
                Answer.READY: Act.SESSION_ONLY,
                Answer.SKIP: Act.SESSION_ONLY,
                # "don't keep anything about my pregnancy", "I'd rather you didn't keep
                # anything": nothing kept beyond the session, as asked.
                Answer.NOT_PREGNANT: Act.SESSION_ONLY,
                Answer.FORGET: Act.SESSION_ONLY,
                # "hold on": a moment to think, and the question still waiting after it.
                Answer.PAUSE: Act.AGAIN,
                Answer.NOT_YET: Act.AGAIN,
                Answer.SEVERE: Act.PAIN_STOP,
            },
            unfit="reask_yes_no",
        ),
        Question(
            # Asked after mild pain, before the pain choice: the choice's own answers are
            # taken as they are there (consent stays unasked), so "next" skips the stretch
            # that hurt and never carries on with it; anything else asks again.
            "remember_pain",
            frozenset({"remember_pain"}),
            "remember_pain_reprompt",
            {
                Answer.YES: Act.REMEMBER,
                Answer.KEEP: Act.REMEMBER,
                Answer.NO: Act.SESSION_ONLY,
                Answer.FOR_NOW: Act.SESSION_ONLY,
                Answer.EITHER: Act.SESSION_ONLY,
                Answer.SEVERE: Act.PAIN_STOP,
                Answer.PAIN: Act.PAIN_STOP,
                # "not sharp, more of a pull": the pain told again, no consent given.
                Answer.MILD: Act.SESSION_ONLY,
                Answer.MAYBE: Act.SESSION_ONLY,
                Answer.FORGET: Act.SESSION_ONLY,  # "don't keep that": nothing kept
                Answer.EASIER: Act.EASIER,
                Answer.SKIP: Act.SKIP,
                Answer.NEXT: Act.SKIP,
                Answer.RESUME: Act.RESUME,
                Answer.READY: Act.RESUME,
                Answer.WELL: Act.RESUME,
            },
            strict=True,
            unfit="reask_yes_no",
        ),
        Question(
            "forget",
            frozenset({"forget_confirm"}),
            "forget_reprompt",
            # "Go on, forget me": asking for it again says yes.
            {
                Answer.YES: Act.FORGET,
                Answer.NO: Act.KEEP,
                Answer.KEEP: Act.KEEP,
                Answer.EITHER: Act.KEEP,  # nothing is deleted on a shrug
                Answer.SKIP: Act.KEEP,  # "no, leave it": the deleting left undone
                Answer.FORGET: Act.FORGET,
                # "My back hurts": heard first, as pain is everywhere; nothing is deleted.
                Answer.PAIN: Act.PASS,
                Answer.MILD: Act.PASS,
            },
            strict=True,
            unfit="reask_yes_no",
        ),
        Question(
            # Ending the pregnancy screening brings back stretches left out for safety,
            # and deletes what was kept about it: only a plain yes does it.
            "end_pregnancy",
            frozenset({"end_pregnancy_confirm"}),
            "end_pregnancy_reprompt",
            {
                Answer.YES: Act.END_PREGNANCY,
                Answer.NOT_PREGNANT: Act.END_PREGNANCY,
                Answer.NO: Act.KEEP_PREGNANCY,
                Answer.KEEP: Act.KEEP_PREGNANCY,
                Answer.SKIP: Act.KEEP_PREGNANCY,  # "leave it": nothing changed
                Answer.READY: Act.REASK,
                # "No, I'm thirty weeks": still pregnant, and the stage is news to act on.
                Answer.LATE: Act.PASS,
                Answer.EARLY: Act.PASS,
            },
            strict=True,
            unfit="reask_yes_no",
        ),
        Question(
            "at_end",
            frozenset({"at_end"}),
            "at_end_reprompt",
            {
                Answer.START_OVER: Act.START_OVER,
                Answer.REPEAT: Act.START_OVER,  # "once more": the routine, from the top
                Answer.YES: Act.REASK,
                Answer.NO: Act.STOP,
                Answer.WELL: Act.STOP,  # "Want to do it again?" "I'm good, thanks"
                Answer.READY: Act.REASK,  # "start over, or stop?" "go ahead": which?
                Answer.NEXT: Act.REASK,
                Answer.RESUME: Act.REASK,
            },
        ),
    )
}

# The question after an answer mid-routine, and the one it becomes once the stretch is done.
REPEAT_OFFER, GO_ON = "repeat_offer", "go_on"
# Which question each prompt asks, for the prompts that end in one.
ASKED_BY: Mapping[str, str] = {key: q.name for q in QUESTIONS.values() for key in q.asked_by}

# The words people use for pain, sorted by what they mean for safety.
# An emergency is the most serious of all: get help now, never only "have it checked".
EMERGENCY = "emergency"
SEVERE_PAIN = frozenset({"sharp", "shooting", "spreading", "tingling", "numb", EMERGENCY})
# Of those, the ones that are a warning sign in themselves: numbness or weakness.
# Tingling too: the routines' own words send tingling in a leg to a clinician first.
WARNING_PAIN = frozenset({"numb", "tingling"})
# "A bit", "kind of", "both": how much, and nothing else. A hedged yes to "is it sharp?".
HEDGE = "hedge"
MILD_PAIN = frozenset({"mild", "dull", "stretchy", HEDGE})
# Dizzy, faint or sick: no pain at all, but nothing goes on until it has passed.
UNWELL = "unwell"

# Situations people describe, and the routine each leads to (None: the back screening).
SITUATIONS: Mapping[str, str | None] = {
    "pregnant": "pregnancy",
    "runner": "runners",
    "desk": "desk",
    "older": "seniors",
    "gentle": "hip_mobility_gentle",
    "intense": "hip_mobility_intense",
    "back_pain": None,
}

# Pain in the back said with no routine running leads to the back screening.
BACK = "back"
# Questions asked with no routine running.
IDLE = frozenset({"choose_routine"})

_BY_INTENT: Mapping[str, Answer] = {
    "AMAZON.YesIntent": Answer.YES,
    "AMAZON.NoIntent": Answer.NO,
    "NotYetIntent": Answer.NOT_YET,
    "ReadyIntent": Answer.READY,
    "WellIntent": Answer.WELL,
    "KeepIntent": Answer.KEEP,
    "EitherIntent": Answer.EITHER,
    "ForNowIntent": Answer.FOR_NOW,
    "WhichRoutineIntent": Answer.ADVICE,
    "AMAZON.NextIntent": Answer.NEXT,
    "AMAZON.PreviousIntent": Answer.PREVIOUS,
    "AMAZON.RepeatIntent": Answer.REPEAT,
    "PardonIntent": Answer.PARDON,
    "AMAZON.StartOverIntent": Answer.START_OVER,
    "AMAZON.PauseIntent": Answer.PAUSE,
    "AMAZON.ResumeIntent": Answer.RESUME,
    "AMAZON.StopIntent": Answer.STOP,
    "AMAZON.CancelIntent": Answer.STOP,
    "AMAZON.NavigateHomeIntent": Answer.STOP,
    "AMAZON.HelpIntent": Answer.HELP,
    "AMAZON.FallbackIntent": Answer.UNCLEAR,
    "SkipIntent": Answer.SKIP,
    "PainIntent": Answer.PAIN,
    "EasierIntent": Answer.EASIER,
    "HarderIntent": Answer.HARDER,
    "ListRoutinesIntent": Answer.LIST,
    "SideIntent": Answer.SIDE,
    "ForgetIntent": Answer.FORGET,
    "NotPregnantIntent": Answer.NOT_PREGNANT,
    "MaybeIntent": Answer.MAYBE,
    "ForgetPregnancyIntent": Answer.UNKEPT,
}


def answer_of(intent: str, slots: Mapping[str, str | None]) -> Answer:
    """The kind of answer an intent and its resolved slot ids give."""
    if intent in _BY_INTENT:
        return _BY_INTENT[intent]
    if intent == "StartRoutineIntent" and slots.get("routine"):
        return Answer.ROUTINE
    if intent == "SituationIntent" and slots.get("situation") in SITUATIONS:
        return Answer.SITUATION
    if intent in ("SingleStretchIntent", "GoToStretchIntent") and slots.get("stretch"):
        return Answer.STRETCH
    if intent == "PregnancyStageIntent":
        stage = slots.get("stage")
        return {"late": Answer.LATE, "early": Answer.EARLY}.get(str(stage), Answer.UNCLEAR)
    if intent == "PainKindIntent":
        kind = slots.get("painKind")
        if kind == EMERGENCY:
            return Answer.EMERGENCY
        if kind in WARNING_PAIN:
            return Answer.NUMB
        if kind in SEVERE_PAIN:
            return Answer.SEVERE
        if kind == HEDGE:
            return Answer.HEDGE
        if kind in MILD_PAIN:
            return Answer.MILD
        if kind == UNWELL:
            return Answer.UNWELL
        return Answer.UNCLEAR
    return Answer.OTHER


@dataclass(frozen=True)
class Pending:
    """The question waiting for an answer, and what it is about (a routine, a screening)."""

    question: str
    about: str | None = None

    def to_attributes(self) -> dict[str, str | None]:
        return {"question": self.question, "about": self.about}

    @classmethod
    def from_attributes(cls, value: object) -> Pending | None:
        """Read it back from the session, which the client could have changed: never trust it."""
        if not isinstance(value, dict):
            return None
        question, about = value.get("question"), value.get("about")
        if not isinstance(question, str) or question not in QUESTIONS:
            return None
        if not (about is None or isinstance(about, str)):
            return None
        return cls(str(question), about if about is None or len(about) <= 100 else None)


# --- what an answer means, as a short label (the phrase corpus speaks in these) -------

_DEFAULT_LABELS: Mapping[str, str] = {
    "AMAZON.NextIntent": "next",
    "AMAZON.PreviousIntent": "previous",
    "AMAZON.RepeatIntent": "repeat",
    "PardonIntent": "repeat",
    "AMAZON.StartOverIntent": "start_over",
    "AMAZON.PauseIntent": "pause",
    "NotYetIntent": "pause",
    "ReadyIntent": "resume",
    "WellIntent": "resume",
    "KeepIntent": "reask",
    "EitherIntent": "reask",
    "ForNowIntent": "reask",
    "AMAZON.ResumeIntent": "resume",
    "AMAZON.StopIntent": "stop",
    "AMAZON.CancelIntent": "stop",
    "AMAZON.NavigateHomeIntent": "stop",
    "AMAZON.HelpIntent": "help",
    "AMAZON.FallbackIntent": "reask",
    "SkipIntent": "skip",
    "ListRoutinesIntent": "list",
    "TimeLeftIntent": "time_left",
    "WhatsNextIntent": "whats_next",
    "WhereAmIIntent": "where_am_i",
    "WhichSideIntent": "which_side",
    "DescribeStretchIntent": "describe",
    "PainIntent": "pain",
    "EasierIntent": "easier",
    "HarderIntent": "harder",
    "SlowerIntent": "slower",
    "FasterIntent": "faster",
    "HoldLongerIntent": "hold_longer",
    "HoldShorterIntent": "hold_shorter",
    "AddTimeIntent": "add_time",
    "WhichRoutineIntent": "screen:back",
    "HistoryIntent": "history",
    "ExcludeStretchIntent": "exclude",
    "IncludeStretchIntent": "include",
    "ForgetIntent": "forget",
    "NotPregnantIntent": "not_pregnant",
    "ForgetPregnancyIntent": "forget_pregnancy",
    "MaybeIntent": "maybe",
}


def label(
    question: str, intent: str, slots: Mapping[str, str | None], about: str | None = None
) -> str:
    """What the coach does with this answer to this question, as the corpus writes it.

    `about` is what the question is about: the routine a recommendation names.
    """
    answer = answer_of(intent, slots)
    act = QUESTIONS[question].act(answer)
    if act is Act.PASS and question in IDLE and answer is Answer.PAIN:
        return "screen:back" if slots.get("bodyPart") == BACK else "pain"
    if act is Act.PASS:
        return _passed(intent, slots, answer)
    return _labelled(act, slots, about)


def _labelled(act: Act, slots: Mapping[str, str | None], about: str | None = None) -> str:
    if act is Act.START_RECOMMENDED:
        return f"start:{about}"
    if act is Act.START_ROUTINE:
        return f"start:{slots.get('routine')}"
    if act is Act.SITUATION:
        routine = SITUATIONS.get(str(slots.get("situation")))
        return f"start:{routine}" if routine else "screen:back"
    if act is Act.SINGLE:
        return f"single:{slots.get('stretch')}"
    # A warning sign heard at a symptom question ends as its yes to "any numbness?" does.
    return {Act.WAIT: "pause", Act.AGAIN: "reask", Act.REFER: "screen_yes"}.get(act, act.value)


def _passed(intent: str, slots: Mapping[str, str | None], answer: Answer) -> str:
    if answer in (Answer.LATE, Answer.EARLY):
        return _labelled(Act.SITUATION, {"situation": "pregnant"})
    if answer in (Answer.ROUTINE, Answer.SITUATION):
        return _labelled(Act.START_ROUTINE if answer is Answer.ROUTINE else Act.SITUATION, slots)
    if intent == "StartRoutineIntent":
        return "choose"
    if answer is Answer.STRETCH:
        return f"single:{slots.get('stretch')}"
    if answer is Answer.SIDE:
        return f"side:{slots.get('side') or 'other'}"
    if answer in (Answer.SEVERE, Answer.NUMB, Answer.MILD, Answer.HEDGE):
        return "pain_choice" if answer in (Answer.MILD, Answer.HEDGE) else "pain_stop"
    return _DEFAULT_LABELS.get(intent, intent)
