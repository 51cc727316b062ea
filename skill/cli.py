"""The `stretch-coach` command: list and show routines, and check the catalogue."""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from skill.alexa.app import CoachSkill
from skill.alexa.person import Person
from skill.alexa.questions import ASKED_BY, Act
from skill.config import Config
from skill.content import load_catalogue
from skill.content.model import (
    Amount,
    Catalogue,
    DosageKind,
    Pace,
    Routine,
    RoutineItem,
    Sides,
    Stretch,
)
from skill.content.parse import NUMBER_FIELDS
from skill.engine.compiler import EmptyRoutineError, compile_routine
from skill.engine.pacing import PACES
from skill.engine.phrases import fill_sides
from skill.engine.preferences import PreferenceError, Preferences
from skill.engine.screening import SCREENED_ROUTINES, Outcome, Result, consequence
from skill.engine.script import Script
from skill.errors import ContentError
from skill.local import terminal
from skill.local.chat import Chat
from skill.local.identity import local_user_id
from skill.local.matcher import Grammar, recognize
from skill.local.play import LocalPlay, render
from skill.local.recognise import WAKE_WORD
from skill.local.tts import Pyttsx3Speaker, SpeechUnavailable
from skill.speech.ssml import render_block
from skill.store import StoreConfigError, VersionedAdapter, open_store
from skill.store.base import StoreError, key_for_user

if TYPE_CHECKING:
    from skill.local.listen import Listener
    from skill.local.voice import VoiceControl

EXIT_CONTENT = 1  # the catalogue is broken: the coach refuses to start
EXIT_USAGE = 2  # the person asked for something that does not exist
EXIT_NO_SPEECH = 3  # no speech engine to talk with
EXIT_INTERRUPTED = 130  # stopped with Ctrl-C, the place saved
EXIT_STALE = 1  # generated files differ from what content/ generates: regenerate them


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stretch-coach",
        description="A hands-free coach for lower-back and hip stretching.",
    )
    parser.add_argument(
        "--content",
        type=Path,
        metavar="DIR",
        help="read the catalogue from DIR instead of the built-in content/",
    )
    # Also after the command ("stretch-coach check --content DIR"); SUPPRESS keeps a
    # subcommand from resetting a --content given before it.
    content = argparse.ArgumentParser(add_help=False)
    content.add_argument(
        "--content", type=Path, metavar="DIR", default=argparse.SUPPRESS, help="as above"
    )
    commands = _Commands(parser.add_subparsers(dest="command", metavar="COMMAND"), content)
    routines = commands.add_parser("routines", help="list every routine")
    routines.add_argument("--json", action="store_true", help="print a JSON list")
    show = commands.add_parser("show", help="show one routine step by step")
    show.add_argument("routine", help="a routine's id or any of its names")
    commands.add_parser("check", help="check the catalogue and say what is wrong")
    script = commands.add_parser("script", help="print a routine's timed script")
    script.add_argument("routine", help="a routine's id or any of its names")
    form = script.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="print the timeline as JSON")
    form.add_argument("--ssml", action="store_true", help="print each block's SSML")
    add_preference_options(script)
    add_screening_options(script, asks=False)
    models = commands.add_parser("models", help="write the Alexa interaction models")
    models.add_argument(
        "--check", action="store_true", help="exit 1 if the models differ from content/"
    )
    models.add_argument(
        "--dir", type=Path, metavar="DIR", help="use DIR instead of interaction_models/"
    )
    play = commands.add_parser("play", help="speak a routine aloud, or render it to a WAV file")
    play.add_argument("routine", help="a routine's id or any of its names")
    play.add_argument("--wav", type=Path, metavar="FILE", help="render to FILE instead of speaking")
    listen = play.add_mutually_exclusive_group()
    listen.add_argument("--listen", action="store_true",
                        help=f"listen for spoken commands said after '{WAKE_WORD}' ('{WAKE_WORD}, "
                        "next', pause, how much longer, it hurts, stop...; see --no-wake) while "
                        "the routine plays, offline")  # fmt: skip
    listen.add_argument("--listen-file", type=Path, metavar="WAV",
                        help="take the spoken commands from a WAV file instead of the microphone; "
                        "its time runs with the player's clock")  # fmt: skip
    play.add_argument(
        "--wake",
        action=argparse.BooleanOptionalAction,
        default=True,
        help=f"listening, act only on commands said after '{WAKE_WORD}' ('{WAKE_WORD}, next', "
        f"'{WAKE_WORD}, pause'): the default; --no-wake acts on any command heard, which "
        "talk nearby sets off more often",
    )
    add_voice_options(play)
    add_preference_options(play)
    add_screening_options(play, asks=True)
    chat = commands.add_parser("chat", help="talk to the skill by typing")
    chat.add_argument("--mute", action="store_true", help="print answers without speaking them")
    add_voice_options(chat)
    package = commands.add_parser(
        "package", help="write the skill package (manifest, models, icons) for ask deploy"
    )
    package.add_argument("--out", type=Path, required=True, metavar="DIR", help="where to write")
    package.add_argument(
        "--endpoint",
        required=True,
        help="the Lambda function's ARN, or the https URL of your own host",
    )
    package.add_argument("--privacy-url", required=True, help="where PRIVACY.md is published")
    package.add_argument("--terms-url", required=True, help="where the terms of use are published")
    package.add_argument(
        "--certificate",
        default="Trusted",
        metavar="TYPE",
        help="an https endpoint's certificate: Trusted, Wildcard or SelfSigned",
    )
    package.add_argument(
        "--skill-id",
        metavar="ID",
        help="the skill to update (amzn1.ask.skill...); without it, ask deploy creates one",
    )
    forget = commands.add_parser("forget", help="delete what the coach knows about you here")
    forget.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    forget.add_argument("--store", metavar="URL", help="overrides STRETCH_COACH_STORE")
    parse = commands.add_parser("parse", help="show how the local matcher reads an utterance")
    parse.add_argument("utterance")
    hear = commands.add_parser("hear", help="recognise the spoken command in a WAV file, offline")
    hear.add_argument("wav", type=Path, metavar="WAV")
    hear.add_argument(
        "--stream",
        action="store_true",
        help="a long recording: one JSON line per command heard, with its time",
    )
    hear.add_argument(
        "--wake",
        action=argparse.BooleanOptionalAction,
        default=True,
        help=f"only commands that begin with '{WAKE_WORD}', as play --listen hears them (the "
        "default); --no-wake: any command",
    )
    serve = commands.add_parser(
        "serve", help="run the skill as a self-hosted web endpoint (embedded SQLite store)"
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8080, help="port to listen on")
    serve.add_argument("--store", metavar="URL", help="overrides STRETCH_COACH_STORE")
    serve.add_argument(
        "--no-verify",
        action="store_true",
        help="skip Alexa request verification: local testing only, loopback addresses only",
    )
    serve.add_argument(
        "--any-skill",
        action="store_true",
        help="serve signed requests for any skill id when SKILL_ID is unset (not advised)",
    )
    return parser


class _Commands:
    """Subcommands that all take the shared options (--content) after their name too."""

    def __init__(self, actions: Any, shared: argparse.ArgumentParser) -> None:
        self.actions = actions
        self.shared = shared

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = self.actions.add_parser(
            name, parents=[self.shared], **kwargs
        )
        return parser


def add_preference_options(parser: argparse.ArgumentParser) -> None:
    """The preferences a person can set by voice, as options."""
    parser.add_argument("--pace", choices=[p.value for p in Pace], help="speech and gap pace")
    parser.add_argument(
        "--gentle", action="store_true", default=None, help="use easier versions where they exist"
    )
    parser.add_argument(
        "--hold-scale",
        type=float,
        default=1.0,
        metavar="X",
        help="lengthen or shorten holds (0.5 to 1.5)",
    )
    parser.add_argument(
        "--breath",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="one breath in and out (3 to 8 seconds)",
    )
    parser.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="STRETCH",
        help="leave a stretch out (repeatable)",
    )


def add_screening_options(parser: argparse.ArgumentParser, *, asks: bool) -> None:
    """The voice skill's pregnancy screening, as an option for use without a conversation."""
    when = "asked at the terminal when there is one, else" if asks else "default:"
    parser.add_argument(
        "--pregnancy",
        choices=list(PREGNANCY_STAGES),
        help="for the pregnancy routine: early, or late (the last three months: nothing done "
        f"lying flat on your back); {when} late, which suits every stage",
    )


def add_voice_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--voice", help="a speech engine voice (id or name)")
    parser.add_argument("--rate", type=float, default=150.0, metavar="WPM",
                        help="speaking rate in words per minute (the pace scales it)")  # fmt: skip
    parser.add_argument("--store", metavar="URL", help="overrides STRETCH_COACH_STORE")


# The pregnancy screening's answers for each stage a person can name at the command line.
PREGNANCY_STAGES = {
    "early": {"cleared": True, "late": False},
    "late": {"cleared": True, "late": True},
}
# Without an answer, the version that is safe at any stage of pregnancy.
DEFAULT_STAGE = "late"


class Refused(Exception):
    """A screening ended in advice instead of a routine."""


def screened(
    catalogue: Catalogue,
    routine: Routine,
    stage: str | None,
    ask: Callable[[str, str], bool] | None = None,
) -> tuple[Preferences, str]:
    """What a routine's screening leaves out or swaps, and a note to print.

    Answers come from the option, else from ask(prompt key, words), else the safe default;
    Refused when the screening ends in advice instead of a routine.
    """
    screening = SCREENED_ROUTINES.get(routine.id)
    if screening is None:
        return Preferences(), ""
    from skill.alexa.prompts import prompts_for  # only a screened routine needs the prompts

    prompts = prompts_for(None)
    note = ""
    if screening.id != "pregnancy":
        # The back screenings have no option: asked at a terminal, else the routine is
        # played as written, whose introduction names the warning signs.
        if ask is None:
            return Preferences(), ""
        stage = None
    answers: dict[str, bool] | None = PREGNANCY_STAGES[stage] if stage else None
    if answers is None and ask is None:
        answers = PREGNANCY_STAGES[DEFAULT_STAGE]
        note = (
            f"the {routine.name} without --pregnancy: using the late-pregnancy version, with "
            "nothing done lying flat on your back; pass --pregnancy early for the other"
        )
    at: str | Outcome = screening.first
    while isinstance(at, str):
        question = screening.questions[at]
        if answers is not None:
            yes = answers[at]
        else:
            assert ask is not None
            yes = ask(question.prompt, prompts.say(question.prompt))
        at = screening.answer(at, yes)
    if at.result is Result.REFER:
        raise Refused(prompts.say(at.advice) if at.advice else "")
    if at.advice and not note:
        note = prompts.say(at.advice)
    return consequence(at, catalogue), note


def preferences_from(args: argparse.Namespace, catalogue: Catalogue) -> Preferences:
    """The options as preferences; a stretch to leave out may be named by id or any name."""
    excluded = set()
    for name in args.exclude:
        stretch = catalogue.stretches.get(name) or catalogue.find_stretch(name)
        if stretch is None:
            raise PreferenceError(
                f"--exclude {name}: there is no stretch called that; "
                "`stretch-coach show ROUTINE` lists a routine's stretches"
            )
        excluded.add(stretch.id)
    return Preferences(
        pace=Pace(args.pace) if args.pace else None,
        gentle=args.gentle,
        hold_scale=args.hold_scale,
        breath_seconds=args.breath,
        excluded=frozenset(excluded),
    )


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    try:
        return run(argv, out or sys.stdout)
    except BrokenPipeError:
        # `stretch-coach script seniors | head` closes the pipe early; that is not an error.
        sys.stderr.close()
        return 0


def run(argv: Sequence[str] | None, out: TextIO) -> int:
    args = build_parser().parse_args(argv)
    if args.content is not None and not args.content.is_dir():
        what = "is a file, not a folder" if args.content.exists() else "does not exist"
        print(f"stretch-coach: --content {args.content} {what}; give the folder that holds "
              "routines.yaml and stretches/", file=sys.stderr)  # fmt: skip
        return EXIT_USAGE
    try:
        catalogue = load_catalogue(args.content)
    except ContentError as exc:
        print(
            f"stretch-coach: the catalogue has a mistake, so the coach will not start.\n{exc}",
            file=sys.stderr,
        )
        return EXIT_CONTENT
    if args.command == "routines":
        return list_routines(catalogue, as_json=args.json, out=out)
    if args.command == "show":
        return show_routine(catalogue, args.routine, out=out)
    if args.command == "script":
        return print_script(catalogue, args, out=out)
    if args.command == "models":
        return interaction_models(catalogue, args, out=out)
    if args.command == "serve":
        return serve(args)
    if args.command == "play":
        return play(catalogue, args, out=out)
    if args.command == "chat":
        return chat(catalogue, args, out=out)
    if args.command == "parse":
        return parse(args, out=out)
    if args.command == "hear":
        return hear(args, out=out)
    if args.command == "package":
        return package(args, out=out)
    if args.command == "forget":
        return forget(args, out=out)
    if args.command == "check":
        print(
            f"content is fine: {len(catalogue.stretches)} stretches, "
            f"{len(catalogue.routines)} routines",
            file=out,
        )
        return 0
    return list_routines(catalogue, as_json=False, out=out)


def interaction_models(catalogue: Catalogue, args: argparse.Namespace, *, out: TextIO) -> int:
    # Imported here so the other commands never load the Alexa package.
    from skill.alexa import models

    directory = args.dir or models.MODELS_DIR
    try:
        if not args.check:
            for path in models.write_models(directory, catalogue):
                print(f"wrote {path}", file=out)
            return 0
        stale = models.check_models(directory, catalogue)
    except ContentError as exc:
        print(f"stretch-coach: the interaction model has a mistake.\n{exc}", file=sys.stderr)
        return EXIT_CONTENT
    if stale:
        print(
            f"stretch-coach: stale interaction models in {directory}: {', '.join(stale)}; "
            "run `stretch-coach models` to regenerate them",
            file=sys.stderr,
        )
        return EXIT_STALE
    print(f"interaction models in {directory} match content/", file=out)
    return 0


def package(args: argparse.Namespace, *, out: TextIO) -> int:
    """Write the skill package for `ask deploy`; a placeholder or bad value is refused."""
    from skill.package.build import Package, PackageError, write_package

    wanted = Package(args.endpoint, args.privacy_url, args.terms_url, args.certificate,
                     args.skill_id)  # fmt: skip
    try:
        written = write_package(wanted, args.out)
    except PackageError as exc:
        print(f"stretch-coach: {exc}; nothing was written", file=sys.stderr)
        return EXIT_USAGE
    except ImportError:
        print("stretch-coach: drawing the icons needs Pillow: pip install 'stretch-coach[package]'",
              file=sys.stderr)  # fmt: skip
        return EXIT_USAGE
    except OSError as exc:
        print(f"stretch-coach: could not write the package in {args.out}: {exc.strerror}",
              file=sys.stderr)  # fmt: skip
        return EXIT_USAGE
    for path in written:
        print(f"wrote {path}", file=out)
    return 0


def forget(args: argparse.Namespace, *, out: TextIO) -> int:
    """Delete this login's record, after a yes at a terminal (or --yes); never waits on a pipe."""
    if not args.yes:
        if not sys.stdin.isatty():
            print("stretch-coach: not at a terminal, so nothing was deleted; "
                  "add --yes to delete without asking", file=sys.stderr)  # fmt: skip
            return EXIT_USAGE
        try:
            yes = terminal.ask(
                "forget",
                "Forget your place, preferences and everything the coach kept about you?",
                FORGET_ANSWERS,
                out=out,
            )
        except (terminal.Left, terminal.Hurt) as left:
            yes = False
            if str(left):
                print(str(left), file=out)
        if not yes:
            print("Nothing was deleted.", file=out)
            return 0
    try:
        store = _store(args)
        store.remove(key_for_user(local_user_id()))
    except (StoreConfigError, StoreError) as exc:
        print(f"stretch-coach: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print("Done: the coach has forgotten everything it kept about you on this computer.", file=out)
    return 0


def serve(args: argparse.Namespace) -> int:
    """Run the web endpoint until interrupted."""
    # Imported here: only serving needs Flask, waitress and cryptography loaded.
    from skill.web.serve import ListenError, UnsafeServeError, serve_endpoint

    config = Config.from_env()
    if args.store:
        config = dataclasses.replace(config, store_url=args.store)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    try:
        open_store(config.store_url)  # a bad setting is reported before the port opens
        serve_endpoint(config, host=args.host, port=args.port, verify=not args.no_verify,
                       any_skill=args.any_skill)  # fmt: skip
    except (UnsafeServeError, StoreConfigError, ListenError) as exc:
        print(f"stretch-coach: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        pass
    return 0


def _store(args: argparse.Namespace) -> VersionedAdapter:
    return open_store(args.store or Config.from_env().store_url)


def play(catalogue: Catalogue, args: argparse.Namespace, *, out: TextIO) -> int:
    """Speak a routine in real time, or render it to WAV; Ctrl-C saves the place."""
    routine = find(catalogue, args.routine)
    if routine is None:
        return EXIT_USAGE
    interactive = sys.stdin.isatty() and not args.wav
    try:
        extra, note = screened(catalogue, routine, args.pregnancy, ask if interactive else None)
    except (Refused, terminal.Hurt) as refusal:
        print(str(refusal), file=out)
        return 0
    except terminal.Left:
        print("Stopped before the routine began.", file=out)
        return EXIT_INTERRUPTED
    if note:
        print(f"stretch-coach: {note}", file=sys.stderr if not interactive else out)
    try:
        local = LocalPlay(_store(args), local_user_id(), out)
        chosen = local.preferences(preferences_from(args, catalogue), catalogue=catalogue)
        chosen = chosen.combined(extra)
        script = compile_routine(catalogue, routine, chosen)
        speaker = Pyttsx3Speaker(
            words_per_minute=args.rate * PACES[script.settings.pace].speech_rate, voice=args.voice
        )
    except (PreferenceError, EmptyRoutineError, StoreConfigError, SpeechUnavailable) as exc:
        print(f"stretch-coach: {exc}", file=sys.stderr)
        return EXIT_USAGE if not isinstance(exc, SpeechUnavailable) else EXIT_NO_SPEECH
    if args.wav:
        rendering = render(script, args.wav, speaker)
        print(
            f"wrote {args.wav}: {rendering.seconds:.1f} s of audio for a "
            f"{script.ms / 1000:.1f} s script",
            file=out,
        )
        return 0
    try:
        speaker.check_playback()
    except SpeechUnavailable as exc:
        print(f"stretch-coach: {exc}", file=sys.stderr)
        return EXIT_NO_SPEECH
    try:
        # Without a terminal nobody can answer: pick up where they stopped, as Enter would.
        start = local.start_block(script, confirm if interactive else lambda question: True)
    except terminal.Hurt as hurt:
        print(str(hurt), file=out)
        return 0
    except terminal.Left:
        # Nothing played, so the place kept is still the one they stopped at.
        print("Stopped before the routine began.", file=out)
        return EXIT_INTERRUPTED
    listener, commands = listening(args, local, catalogue, routine, chosen, extra, out)
    try:
        finished = local.play(script, speaker, start, listener=listener, commands=commands)
    finally:
        if listener is not None:
            listener.close()
    return 0 if finished else EXIT_INTERRUPTED


def listening(
    args: argparse.Namespace,
    local: LocalPlay,
    catalogue: Catalogue,
    routine: Routine,
    chosen: Preferences,
    extra: Preferences,
    out: TextIO,
) -> tuple[Listener | None, VoiceControl | None]:
    """The listener and the skill behind it for `play --listen`; without a microphone, none."""
    if not (args.listen or args.listen_file):
        return None, None
    from skill.local.listen import AudioError, FileSource, Listener, MicSource
    from skill.local.recognise import Recogniser, RecogniserUnavailable
    from skill.local.voice import VoiceControl

    try:
        source = FileSource(args.listen_file) if args.listen_file else MicSource()
        recogniser = Recogniser(grammar(), wake=args.wake)
    except (AudioError, RecogniserUnavailable) as exc:
        print(f"stretch-coach: {exc}; playing without listening.", file=sys.stderr)
        return None, None

    def recompile(person: Person) -> Script:
        preferences = local.preferences(chosen, person, catalogue).combined(extra)
        return compile_routine(catalogue, routine, preferences)

    skill = CoachSkill(Config.from_env(), store=local.store)
    commands = VoiceControl(skill, local.store, local.user_id, recompile,
                            on_line=lambda line: print("\n" + line, file=out),
                            wake_word=WAKE_WORD if args.wake else None)  # fmt: skip
    return Listener(source, recogniser), commands


# What the skill's answers to each question the terminal asks mean there, as yes or no.
# Words are read by the skill's matcher and question table, never by their first letter:
# "nope, 36 weeks" is late in a pregnancy, and "you can keep it" keeps the record.
SCREENING_ANSWERS = {Act.SCREEN_YES: True, Act.SCREEN_NO: False}
FORGET_ANSWERS = {Act.FORGET: True, Act.KEEP: False}
# "No" to picking up is starting from the top: choosing another routine is another command.
RESUME_ANSWERS = {Act.RESUME: True, Act.CHOOSE: False, Act.START_OVER: False}
RESUME_HINT = "Say yes to pick up there, no to start from the beginning, or stop."


def ask(prompt: str, question: str) -> bool:
    """A screening question at the terminal (its prompt key and words), read as the skill does.

    Raises Left on stop, quit, the end of input or Ctrl-C; Hurt on serious pain.
    """
    return terminal.ask(ASKED_BY[prompt], question, SCREENING_ANSWERS, out=sys.stdout)


def confirm(question: str) -> bool:
    """Pick up where they stopped? Enter says yes; Left when they leave instead."""
    return terminal.ask("resume_offer", question, RESUME_ANSWERS, out=sys.stdout, default=True,
                        hint=RESUME_HINT)  # fmt: skip


def chat(catalogue: Catalogue, args: argparse.Namespace, *, out: TextIO) -> int:
    """A conversation with the real skill, one typed line per request."""
    try:
        store = _store(args)
    except StoreConfigError as exc:
        print(f"stretch-coach: {exc}", file=sys.stderr)
        return EXIT_USAGE
    speaker = None
    if not args.mute:
        try:
            speaker = Pyttsx3Speaker(words_per_minute=args.rate, voice=args.voice)
            speaker.check_playback()
        except SpeechUnavailable as exc:
            speaker = None
            print(f"stretch-coach: {exc} Carrying on without speech.", file=sys.stderr)
    skill = CoachSkill(Config.from_env(), store=store)
    talk = Chat(skill, grammar(), out, local_user_id(), speaker=speaker,
                echo=not sys.stdin.isatty())  # fmt: skip
    talk.run(_lines())
    return 0


def _lines() -> Iterator[str]:
    if not sys.stdin.isatty():
        yield from sys.stdin
        return
    while True:
        try:
            yield input("you> ")
        except EOFError:
            return


def grammar() -> Grammar:
    """The local matcher's grammar: the templates and slot values Alexa's model is made of."""
    return Grammar.load("en-US")


def parse(args: argparse.Namespace, *, out: TextIO) -> int:
    """Print how an utterance is matched: {"intent": NAME or null, "slots": {...}}."""
    match = recognize(args.utterance, grammar())
    result = match.to_json() if match else {"intent": None, "slots": {}}
    print(json.dumps(result), file=out)
    return 0


def hear(args: argparse.Namespace, *, out: TextIO) -> int:
    """The command spoken in a WAV file as {"intent", "slots", "text"}; --stream: every one."""
    from skill.local.listen import AudioError, hear_stream, read_wav
    from skill.local.recognise import Recogniser, RecogniserUnavailable

    try:
        pcm = read_wav(args.wav)
        recogniser = Recogniser(grammar(), wake=args.wake)
    except (AudioError, RecogniserUnavailable) as exc:
        print(f"stretch-coach: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if not args.stream:
        print(json.dumps(recogniser.hear(pcm).to_json()), file=out)
        return 0
    for heard in hear_stream(pcm, recogniser):
        if heard.match is not None:
            print(json.dumps({"at": round(heard.at, 2), **heard.to_json()}), file=out)
    return 0


def list_routines(catalogue: Catalogue, *, as_json: bool, out: TextIO) -> int:
    rows = [
        {
            "id": routine.id,
            "name": routine.name,
            "stretches": [catalogue.stretches[i.stretch].name for i in routine.items],
            "minutes": compile_routine(catalogue, routine).minutes,
        }
        for routine in catalogue.routines.values()
    ]
    if as_json:
        json.dump(rows, out, indent=2)
        out.write("\n")
        return 0
    width = max(len(str(r["id"])) for r in rows)
    for row in rows:
        names = ", ".join(row["stretches"])  # type: ignore[arg-type]
        print(f"{row['id']:<{width}}  {row['minutes']:>3} min  {row['name']}: {names}", file=out)
    return 0


def find(catalogue: Catalogue, query: str) -> Routine | None:
    routine = catalogue.find_routine(query)
    if routine is None:
        known = ", ".join(catalogue.routines)
        print(
            f"stretch-coach: there is no routine called '{query}'. Try one of: {known}",
            file=sys.stderr,
        )
    return routine


def show_routine(catalogue: Catalogue, query: str, *, out: TextIO) -> int:
    routine = find(catalogue, query)
    if routine is None:
        return EXIT_USAGE
    script = compile_routine(catalogue, routine)
    print(f"{routine.name} ({routine.id}): about {script.minutes} minutes", file=out)
    print(f"for: {routine.audience}", file=out)
    print(f"intro: {routine.intro}", file=out)
    print(f"safety: {routine.safety}", file=out)
    gentle = ", gentle versions" if routine.defaults.gentle else ""
    print(f"pace: {routine.defaults.pace}{gentle}", file=out)
    print(file=out)
    for number, item in enumerate(routine.items, start=1):
        stretch = catalogue.stretches[item.stretch]
        ms = sum(step.ms for step in script.steps if step.item == number - 1)
        print(
            f"{number:>2}. {stretch.name} ({stretch.position.spoken}): "
            f"{describe_dosage(stretch, item)}  ~{_clock(ms / 1000)}",
            file=out,
        )
        # Cues as the coach says them on the side it starts with.
        side = next((step.side for step in script.steps if step.item == number - 1), item.side)
        for cue in stretch.cues:
            print(f"      - {fill_sides(cue, side)}", file=out)
    return 0


def print_script(catalogue: Catalogue, args: argparse.Namespace, *, out: TextIO) -> int:
    routine = find(catalogue, args.routine)
    if routine is None:
        return EXIT_USAGE
    try:
        extra, note = screened(catalogue, routine, args.pregnancy)
        script = compile_routine(
            catalogue, routine, preferences_from(args, catalogue).combined(extra)
        )
    except (PreferenceError, EmptyRoutineError) as exc:
        print(f"stretch-coach: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if note:
        print(f"stretch-coach: {note}", file=sys.stderr)
    if args.json:
        json.dump(script_json(script), out, indent=2)
        out.write("\n")
    elif args.ssml:
        for block in script.blocks:
            rendered = render_block(script, block)
            print(
                f"# block {block.index + 1}: {rendered.ms / 1000:.1f} s, "
                f"{len(rendered.ssml)} characters",
                file=out,
            )
            print(rendered.ssml, file=out)
            if rendered.reprompt:
                print(f"# reprompt: {rendered.reprompt}", file=out)
    else:
        print_timeline(script, out)
    return 0


def timeline(script: Script) -> list[dict[str, object]]:
    """Every segment with its step, block and running time: what an author checks by eye."""
    rows: list[dict[str, object]] = []
    at = 0
    for block in script.blocks:
        for step in script.block_steps(block):
            for segment in step.segments:
                rows.append(
                    {
                        "block": block.index + 1,
                        "step": step.index + 1,
                        "stretch": step.stretch,
                        "side": step.side.value if step.side else None,
                        "set": step.set,
                        "rep": step.rep,
                        "kind": segment.kind.value,
                        "text": segment.text,
                        "speech_seconds": segment.speech_ms / 1000,
                        "pause_seconds": segment.pause_ms / 1000,
                        "seconds": segment.ms / 1000,
                        "at": at / 1000,
                    }
                )
                at += segment.ms
    return rows


def script_json(script: Script) -> dict[str, object]:
    settings = script.settings
    return {
        "routine": script.routine.id,
        "settings": {
            "pace": settings.pace.value,
            "gentle": settings.gentle,
            "hold_scale": settings.hold_scale,
            "breath_seconds": settings.breath_seconds,
            "excluded": sorted(settings.excluded),
        },
        "stretches": list(script.stretches),
        "seconds": script.ms / 1000,
        "minutes": script.minutes,
        "blocks": [
            {
                "block": b.index + 1,
                "first_step": b.start + 1,
                "last_step": b.end,
                "seconds": b.ms / 1000,
                "prompt": b.prompt,
            }
            for b in script.blocks
        ],
        "timeline": timeline(script),
    }


def print_timeline(script: Script, out: TextIO) -> None:
    print(
        f"{script.routine.name}: {len(script.steps)} steps in {len(script.blocks)} blocks, "
        f"{_clock(script.ms / 1000)} in all",
        file=out,
    )
    block = 0
    for row in timeline(script):
        if row["block"] != block:
            block = int(str(row["block"]))
            prompt = script.blocks[block - 1].prompt
            print(f"-- block {block}" + (f' (ends: "{prompt}")' if prompt else ""), file=out)
        text = str(row["text"]) or "(silence)"
        print(
            f"{_clock(float(str(row['at']))):>6}  step {row['step']:>3}  {row['kind']:<10} "
            f"{float(str(row['seconds'])):6.1f}s  {text}",
            file=out,
        )


def describe_dosage(stretch: Stretch, item: RoutineItem) -> str:
    """Dosage in an author's shorthand: "hold 30 s, 3-5 times (3) each leg"."""
    dosage = item.dosage
    if dosage.kind is DosageKind.HOLD:
        assert dosage.hold_seconds is not None
        parts = [f"hold {_amount(dosage.hold_seconds)} s"]
    elif dosage.kind is DosageKind.BREATHS:
        assert dosage.breaths is not None
        parts = [f"hold {_amount(dosage.breaths)} breaths"]
    else:
        parts = [" / ".join(stretch.rep_cues)]
    parts.append(f"{_amount(dosage.reps)} times" if dosage.reps.default > 1 else "once")
    if item.side is not None:
        parts[-1] += f", {item.side} {stretch.side_label} only"
    elif stretch.sides is Sides.EACH:
        parts[-1] += f" each {stretch.side_label}"
    elif stretch.sides is Sides.ALTERNATE:
        parts[-1] += ", alternating sides"
    if dosage.sets.default > 1:
        parts.append(f"{_amount(dosage.sets)} sets")
    if dosage.rest_seconds:
        parts.append(f"rest {dosage.rest_seconds} s")
    if dosage.daily is not None:
        parts.append(f"{_amount(dosage.daily)} times a day")
    if dosage.ours:
        shown = {name for name in NUMBER_FIELDS if getattr(dosage, name)} - {
            name for name in ("reps", "sets") if getattr(dosage, name).max == 1
        }
        whole = dosage.ours >= shown
        parts.append("(our dosage)" if whole else f"(ours: {', '.join(sorted(dosage.ours))})")
    return ", ".join(parts)


def _amount(amount: Amount) -> str:
    # The default is worth showing only where the range does not already say it.
    shows_default = amount.max is None and amount.default == amount.min
    return f"{amount} ({amount.default})" if amount.is_range and not shows_default else str(amount)


def _clock(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


if __name__ == "__main__":  # python -m skill.cli, as well as the stretch-coach script
    sys.exit(main())
