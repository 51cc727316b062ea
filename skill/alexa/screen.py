"""What a screen shows for a block: the APL document, its data, and commands timed to the speech."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.directive import Directive
from ask_sdk_model.interfaces.alexa.presentation.apl.command import Command
from ask_sdk_model.interfaces.alexa.presentation.apl.execute_commands_directive import (
    ExecuteCommandsDirective,
)
from ask_sdk_model.interfaces.alexa.presentation.apl.idle_command import IdleCommand
from ask_sdk_model.interfaces.alexa.presentation.apl.render_document_directive import (
    RenderDocumentDirective,
)
from ask_sdk_model.interfaces.alexa.presentation.apl.send_event_command import SendEventCommand
from ask_sdk_model.interfaces.alexa.presentation.apl.sequential_command import SequentialCommand
from ask_sdk_model.interfaces.alexa.presentation.apl.set_value_command import SetValueCommand

from skill.content.model import Catalogue, Position
from skill.engine.script import Block, Script, SegmentKind, Step
from skill.engine.timeline import Moment, Timeline, timeline

DOCUMENT = Path(__file__).resolve().parent / "apl" / "coach.json"
# The component whose bound values the commands change (the document's root).
ROOT = "coachRoot"
# The first argument of every event the document sends.
PRESS = "press"
ENDED = "ended"
PAUSED = "Paused: say resume when you are ready"

# How the screen names a starting position, read from across the room.
POSITIONS = {
    Position.STANDING: "Standing",
    Position.CHAIR: "Sitting on a chair",
    Position.LYING_ON_BACK: "Lying on your back",
    Position.LYING_ON_FRONT: "Lying on your front",
    Position.SIDE_LYING: "Lying on your side",
    Position.HANDS_AND_KNEES: "On hands and knees",
    Position.KNEELING: "Kneeling",
    Position.SITTING_ON_FLOOR: "Sitting on the floor",
    Position.SQUAT: "Squatting",
}
# What the body is doing during a segment, by its kind; kinds not named keep the last one.
PHASES = {
    SegmentKind.INTRO: "Getting ready",
    SegmentKind.SAFETY: "Getting ready",
    SegmentKind.ANNOUNCE: "Get into position",
    SegmentKind.CAUTION: "Get into position",
    SegmentKind.CUE: "Get into position",
    SegmentKind.TRANSITION: "Get into position",
    SegmentKind.SIDE: "Get into position",
    SegmentKind.HOLD: "Hold",
    SegmentKind.BREATH: "Hold and breathe",
    SegmentKind.COUNT: "Move with the count",
    SegmentKind.MOVE: "Move with the count",
    SegmentKind.REST: "Rest",
    SegmentKind.RELEASE: "Release",
    SegmentKind.OUTRO: "Well done",
}


def supports_apl(handler_input: HandlerInput) -> bool:
    """Whether the device says it can show an APL document (Echo Show, Spot, Fire TV)."""
    context = handler_input.request_envelope.context
    system = context.system if context else None
    device = system.device if system else None
    interfaces = device.supported_interfaces if device else None
    return bool(interfaces and interfaces.alexa_presentation_apl is not None)


@cache
def document() -> dict[str, Any]:
    """The document, read once; every block sends the same one with its own data."""
    data: dict[str, Any] = json.loads(DOCUMENT.read_text(encoding="utf-8"))
    return data


@dataclass(frozen=True)
class View:
    """Everything on the screen that the speech changes."""

    stretch: str = ""
    position: str = ""
    side: str = ""
    set_rep: str = ""
    phase: str = ""
    progress: str = ""
    left: str = ""
    next: str = ""
    hold_end: str = "0"  # an APL expression: when the hold under way ends, on the device clock

    def fields(self) -> dict[str, str]:
        """The values under the names the document binds them to."""
        return {BINDS.get(name, name): value for name, value in asdict(self).items()}


BINDS = {"set_rep": "setRep", "hold_end": "holdEnd"}


def views(script: Script, line: Timeline, catalogue: Catalogue) -> list[tuple[Moment, View]]:
    """The screen at the start of every moment of the timeline."""
    later = _time_after(script, line)
    shown: list[tuple[Moment, View]] = []
    # Words said before the block's first step (a disclaimer, "Okay, slower") already show
    # what is coming, not an empty screen.
    first = next((m.step for m in line.moments if m.step is not None), None)
    view = _step_view(script, first, catalogue, View()) if first is not None else View()
    for moment in line.moments:
        if moment.step is not None:
            view = _step_view(script, moment.step, catalogue, view)
        if moment.kind is not None:
            view = replace(view, phase=PHASES.get(moment.kind, view.phase))
        minutes = -(-(later + line.ms - moment.at_ms) // 60_000)
        left = "Under a minute left" if minutes <= 1 else f"About {minutes} minutes left"
        # A hold's end is reckoned on the device clock, so the countdown ticks by itself.
        hold = f"${{elapsedTime + {moment.hold_ms}}}" if moment.hold_ms else "0"
        shown.append((moment, replace(view, left=left, hold_end=hold)))
    return shown


def _time_after(script: Script, line: Timeline) -> int:
    """The routine's time after this block; the block is known from its first step."""
    first = next((m.step for m in line.moments if m.step is not None), None)
    if first is None:
        return 0
    block = script.block_of_step(first.index)
    return sum(b.ms for b in script.blocks[block.index + 1 :])


def _step_view(script: Script, step: Step, catalogue: Catalogue, was: View) -> View:
    if step.item is None:
        opening = all(s.item is None for s in script.steps[: step.index])
        return replace(was, stretch="Getting started" if opening else "All done", position="",
                       side="", set_rep="", progress=_count(len(script.items)),
                       next=f"First: {_next_name(script, step)}" if opening else "")  # fmt: skip
    stretch = catalogue.stretches.get(step.stretch or "")
    parts = []
    if step.sets > 1:
        parts.append(f"Set {step.set} of {step.sets}")
    if step.reps > 1:
        parts.append(f"Rep {step.rep} of {step.reps}")
    following = _next_name(script, step)
    return replace(
        was,
        stretch=_title(step.name or ""),
        position=POSITIONS.get(stretch.position, "") if stretch else "",
        side=f"{_title(step.side.value)} {step.side_label.value}" if step.side else "",
        set_rep=" · ".join(parts),
        progress=f"Stretch {script.items.index(step.item) + 1} of {len(script.items)}",
        next=f"Next: {following}" if following else "Last one",
    )


def _count(stretches: int) -> str:
    return f"{stretches} stretch" if stretches == 1 else f"{stretches} stretches"


def _next_name(script: Script, step: Step) -> str:
    later = script.steps[step.index + 1 :]
    following = next((s for s in later if s.item is not None and s.item != step.item), None)
    return _title(following.name or "") if following else ""


def _title(text: str) -> str:
    return text[:1].upper() + text[1:]


def commands(shown: list[tuple[Moment, View]], token: str, advance: bool) -> list[Command]:
    """SetValue for what changes at each moment, Idle for its length, then the block's end.

    The first view is the document's own data, so only later changes are commands; idles
    between changes are merged, and every change falls on the start of a moment.
    """
    steps: list[Command] = []
    idle = 0
    # What the document starts with: the first view, its countdown blank (see _render).
    before: Mapping[str, str] = {**shown[0][1].fields(), "holdEnd": "0"} if shown else {}
    for moment, view in shown:
        now = view.fields()
        changed = {k: v for k, v in now.items() if v != before.get(k)}
        if changed and idle:
            steps.append(IdleCommand(delay=idle))
            idle = 0
        steps.extend(
            SetValueCommand(component_id=ROOT, object_property=k, value=v)
            for k, v in changed.items()
        )
        before = now
        idle += moment.ms
    if idle:
        steps.append(IdleCommand(delay=idle))
    if advance:
        steps.append(SendEventCommand(arguments=[ENDED, token]))
    # The screen stays on through a long quiet hold: the whole run holds the screen lock.
    return [SequentialCommand(commands=steps, screen_lock=True)]


def directives(
    script: Script, line: Timeline, catalogue: Catalogue, token: str, advance: bool
) -> list[Directive]:
    """The document with this block's first view, and the commands that follow the speech."""
    shown = views(script, line, catalogue)
    first = shown[0][1] if shown else View()
    return [
        _render(script, first, token),
        ExecuteCommandsDirective(token=token, commands=commands(shown, token, advance)),
    ]


def paused(script: Script, block: Block, catalogue: Catalogue, token: str) -> list[Directive]:
    """The block's stretch, still, with no commands: replacing the document stops its clock."""
    shown = views(script, timeline(script, block), catalogue)
    view = next((v for m, v in shown if m.step is not None and m.step.item is not None), None)
    view = view or (shown[0][1] if shown else View())
    return [_render(script, replace(view, phase=PAUSED, hold_end="0"), token)]


def _render(script: Script, view: View, token: str) -> RenderDocumentDirective:
    data: dict[str, object] = {
        "coach": {
            "token": token,
            "routine": _title(script.routine.name),
            # The countdown starts blank: the first hold sets its own end.
            "view": {**view.fields(), "holdEnd": 0},
        }
    }
    return RenderDocumentDirective(token=token, document=document(), datasources=data)
