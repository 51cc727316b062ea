"""Questions asked at the terminal, with typed answers read as the skill reads spoken ones."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import TextIO

from skill.alexa.prompts import prompts_for
from skill.alexa.questions import QUESTIONS, Act, Answer, answer_of
from skill.errors import StretchCoachError
from skill.local.chat import QUIT
from skill.local.matcher import Grammar, recognize

# A "[y/n]" prompt invites a single letter, which no sample of the skill's model is.
_LETTERS = {"y": "yes", "n": "no"}
YES_OR_NO = "Please answer yes or no, or say stop."


class Left(StretchCoachError):
    """The person left at a question: stop, quit, the end of input, or Ctrl-C."""


class Hurt(StretchCoachError):
    """Serious pain or an emergency given as an answer: stop, with the skill's advice."""


@functools.cache
def _grammar() -> Grammar:
    # Loaded once, and only when a question is asked: most commands never ask one.
    return Grammar.load("en-US")


def reading(question: str, text: str, grammar: Grammar | None = None) -> tuple[Answer, Act]:
    """What kind of answer the words are, and what the skill does with it at this question."""
    said = text.strip()
    said = _LETTERS.get(said.lower(), said)
    if said.lower() in QUIT:
        return Answer.STOP, Act.STOP
    match = recognize(said, grammar or _grammar())
    if match is None:
        answer = Answer.UNCLEAR
    else:
        answer = answer_of(match.intent, {name: slot.id for name, slot in match.slots.items()})
    return answer, QUESTIONS[question].act(answer)


def ask(
    question: str,
    text: str,
    answers: Mapping[Act, bool],
    *,
    out: TextIO,
    read: Callable[[str], str] | None = None,
    default: bool | None = None,
    hint: str = YES_OR_NO,
) -> bool:
    """Ask until the answer is one of `answers` (what the skill would do, as yes or no).

    `question` names the skill's question (questions.py) whose table reads the answer;
    `default` is what an empty line says, where the prompt offers one. Raises Left on stop,
    quit, the end of input or Ctrl-C, and Hurt on serious pain, as the skill stops for it.
    """
    suffix = "[y/n]" if default is None else ("[Y/n]" if default else "[y/N]")
    prompts = prompts_for(None)
    while True:
        try:
            typed = (read or input)(f"{text} {suffix} ")  # input as it is now, not at import
        except (EOFError, KeyboardInterrupt):
            print(file=out)  # the prompt left the cursor mid-line
            raise Left from None
        if not typed.strip() and default is not None:
            return default
        answer, act = reading(question, typed)
        if act in answers:
            return answers[act]
        if act is Act.STOP or answer is Answer.STOP:
            raise Left
        if act is Act.PAIN_STOP:
            raise Hurt(prompts.say("pain_stop_unsaved"))
        if act is Act.AGAIN:
            continue  # "what?": the question again, with nothing before it
        # Words the skill did not know, or knew but which answer nothing here.
        unfit = "reask" if answer is Answer.UNCLEAR else "reask_screen"
        print(f"{prompts.say(unfit)} {hint}", file=out)
