"""A local utterance matcher built from the intent templates: text in, intent and slots out."""

# One job per module, each depending only on the ones below it:
#   sentences: the reading of whole sentences (answers, corrections, pain, refusals);
#   grammar: the samples and slot values, and matching words to them;
#   words: normalising and canonicalising what was said.
from skill.local.grammar import Grammar, Match, Slot
from skill.local.sentences import is_launch, recognize
from skill.local.words import normalise

__all__ = ["Grammar", "Match", "Slot", "is_launch", "normalise", "recognize"]
