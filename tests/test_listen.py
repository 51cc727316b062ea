"""Listening: the generated grammar, `hear`, and `play --listen-file` on the player's clock."""

from __future__ import annotations

import io
import json
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from skill import cli
from skill.alexa.app import CoachSkill
from skill.alexa.person import Person
from skill.cli import main
from skill.config import Config
from skill.content import default_catalogue
from skill.engine.compiler import compile_routine
from skill.engine.cursor import Status, anchored, progress
from skill.engine.pacing import speaking_seconds
from skill.engine.phrases import seconds_phrase
from skill.engine.preferences import Preferences
from skill.engine.script import Script
from skill.local.identity import load_person
from skill.local.listen import (
    JOIN_SECONDS,
    AudioError,
    FileSource,
    Listener,
    MicSource,
    Utterances,
    read_wav,
)
from skill.local.matcher import Grammar, recognize
from skill.local.play import LocalPlay
from skill.local.player import Action, Where
from skill.local.recognise import (
    LEFT_OUT,
    LISTEN_INTENTS,
    SAMPLE_RATE,
    Heard,
    Recogniser,
    command_phrases,
    jsgf,
)
from skill.local.tts import Audio
from skill.local.voice import CONFIRM_SECONDS, VoiceControl
from skill.speech.text import render_script
from skill.store import open_store
from skill.store.sqlite import SqliteAdapter
from tests.voices import ESPEAK, pcm, synthesise, timeline, write_wav

pytestmark = pytest.mark.skipif(ESPEAK is None, reason="espeak-ng synthesises the commands")

GRAMMAR = Grammar.load("en-US")
USER = "amzn1.ask.account.local-listener"
VOICE = "en-us+f3"
WPM = 150


@pytest.fixture(scope="module")
def recogniser() -> Recogniser:
    return Recogniser(GRAMMAR)


# --- the grammar ---------------------------------------------------------------------------


def test_every_phrase_listened_for_means_what_parse_says() -> None:
    phrases = command_phrases(GRAMMAR)
    assert set(phrases) == set(LISTEN_INTENTS)
    for intent, group in phrases.items():
        assert group, f"nothing to listen for {intent}"
        for phrase in group:
            match = recognize(phrase, GRAMMAR)
            assert match is not None and match.intent == intent, phrase
    grammar = jsgf(phrases)
    assert "public <command> = <phrase>;" in grammar
    assert "how much longer" in grammar and "it hurts" in grammar
    assert "public <command> = coach [wake_pause] <phrase> | coach;" in jsgf(phrases, wake="coach")


def test_phrases_measured_to_take_others_place_are_left_out_and_not_replaced() -> None:
    phrases = command_phrases(GRAMMAR)
    every = {p for group in phrases.values() for p in group}
    whole = command_phrases(GRAMMAR, left_out=())
    # Each one left out is a phrase the model would give (else the measured list is stale)...
    assert LEFT_OUT and LEFT_OUT.issubset(p for group in whole.values() for p in group)
    assert not LEFT_OUT & every
    # ...and its place stays empty: the model's next phrasing ("finished") is not promoted.
    for intent, group in phrases.items():
        assert group == [p for p in whole[intent] if p not in LEFT_OUT], intent
    assert "stop" in phrases["AMAZON.StopIntent"] and "next" in phrases["AMAZON.NextIntent"]


def test_the_garbage_loop_is_weighed_against_the_commands() -> None:
    phrases = {"AMAZON.NextIntent": ["next"]}
    weighed = jsgf(phrases, garbage=["the", "foot"], garbage_weight=1e-4)
    assert "<garbage> = (the | foot)+;" in weighed
    assert "public <command> = /0.0001/ <garbage> | /1/ <phrase>;" in weighed
    assert "public <command> = <garbage> | <phrase>;" in jsgf(phrases, garbage=["the", "foot"])


def test_only_speech_longer_than_its_phrase_needs_is_checked_after_the_loop(
    recogniser: Recogniser,
) -> None:
    second = 2 * SAMPLE_RATE  # bytes
    # "yes" is three phones: 0.4 s and 0.1 s a phone is as long as it may take unchecked.
    assert not recogniser._too_long("yes", bytes(int(0.6 * second)))
    assert recogniser._too_long("yes", bytes(int(0.8 * second)))
    assert not recogniser._too_long("how much longer", bytes(int(1.2 * second)))
    assert not Recogniser(GRAMMAR, wake=True)._too_long("yes", bytes(5 * second))


# --- hear ----------------------------------------------------------------------------------

# One command per intent, the first the grammar lists: generated, never a hand-kept list.
TABLE = [(intent, group[0]) for intent, group in command_phrases(GRAMMAR).items()]
# Measured: with this voice and rate 13 of the 17 are heard as parse reads them; the rest
# are missed (the garbage loop takes them) or become another short command. The benchmark
# (bench/RESULTS.md) measures more voices and rates. A drop below this fails the test.
AGREEMENT = 0.75


def test_hear_agrees_with_parse_on_synthesised_commands(tmp_path: Path) -> None:
    agreed: list[str] = []
    missed: list[tuple[str, object]] = []
    for number, (_intent, phrase) in enumerate(TABLE):
        path = write_wav(tmp_path / f"{number}.wav", synthesise(phrase, VOICE, WPM))
        out = io.StringIO()
        assert main(["hear", "--no-wake", str(path)], out=out) == 0
        heard = json.loads(out.getvalue())
        parsed = recognize(phrase, GRAMMAR)
        assert parsed is not None
        assert set(heard) == {"intent", "slots", "text"}
        if {"intent": heard["intent"], "slots": heard["slots"]} == parsed.to_json():
            agreed.append(phrase)
        else:
            missed.append((phrase, heard["text"]))
    assert len(agreed) >= AGREEMENT * len(TABLE), missed


def test_hear_stream_gives_each_command_with_its_time(tmp_path: Path) -> None:
    said = [(1.0, "pause"), (5.0, "how much longer"), (9.0, "which side")]
    pieces = [(at, synthesise(text, VOICE, WPM)) for at, text in said]
    path = write_wav(tmp_path / "long.wav", timeline(pieces, 13.0))
    out = io.StringIO()
    assert main(["hear", "--stream", "--no-wake", str(path)], out=out) == 0
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["intent"] for line in lines] == [
        "AMAZON.PauseIntent", "TimeLeftIntent", "WhichSideIntent",
    ]  # fmt: skip
    for line, (at, speech) in zip(lines, pieces, strict=True):
        end = at + len(speech) / 16000
        assert end <= line["at"] <= end + 1.0


def test_with_the_wake_word_only_a_command_after_it_is_heard() -> None:
    wake = Recogniser(GRAMMAR, wake=True)
    coach = synthesise("coach", VOICE, WPM)
    pause = synthesise("pause", VOICE, WPM)
    gap = np.zeros(16000 // 5)
    said = timeline([(0.5, np.concatenate([coach, gap, pause]))], 2.5)
    heard = wake.hear(pcm(said))
    assert heard.match is not None and heard.match.intent == "AMAZON.PauseIntent", heard.text
    assert wake.hear(pcm(timeline([(0.5, pause)], 1.5))).match is None


def test_by_default_only_a_command_after_the_wake_word_is_acted_on(tmp_path: Path) -> None:
    coach = synthesise("coach", VOICE, WPM)
    pause = synthesise("pause", VOICE, WPM)
    gap = np.zeros(16000 // 5)
    woken = write_wav(
        tmp_path / "woken.wav", timeline([(0.5, np.concatenate([coach, gap, pause]))], 2.5)
    )
    bare = write_wav(tmp_path / "bare.wav", timeline([(0.5, pause)], 1.5))

    def intent(*args: str) -> object:
        out = io.StringIO()
        assert main(["hear", *args], out=out) == 0
        return json.loads(out.getvalue())["intent"]

    assert intent(str(woken)) == "AMAZON.PauseIntent"
    assert intent(str(bare)) is None
    assert intent("--no-wake", str(bare)) == "AMAZON.PauseIntent"
    # play --listen hears the same way, and asks a stop back with the answer it can hear.
    args = cli.build_parser().parse_args(["play", "desk", "--listen-file", str(bare),
                                          "--store", "memory://"])  # fmt: skip
    catalogue = default_catalogue()
    local = LocalPlay(open_store("memory://"), USER, io.StringIO())
    chosen = local.preferences(cli.preferences_from(args, catalogue))
    listener, commands = cli.listening(args, local, catalogue, catalogue.routines["desk"],
                                       chosen, chosen, io.StringIO())  # fmt: skip
    assert listener is not None and commands is not None
    assert listener.recogniser.hear(read_wav(bare)).match is None
    assert listener.recogniser.hear(read_wav(woken)).match is not None
    script = compile_routine(catalogue, catalogue.routines["desk"])
    assert commands.heard(said("stop"), Where(script, 1, 0)).text.startswith(
        "Stop here? Say coach, yes,"
    )


def test_coach_cut_off_by_a_pause_is_joined_to_the_command_after_it(tmp_path: Path) -> None:
    # With 0.4 s after "coach" the endpointer cuts two utterances; neither alone is a command.
    coach = synthesise("coach", VOICE, WPM)
    pause = synthesise("pause", VOICE, WPM)
    gap = np.zeros(16000 * 2 // 5)
    path = write_wav(
        tmp_path / "two.wav", timeline([(0.5, np.concatenate([coach, gap, pause]))], 3)
    )
    cutter = Utterances()
    assert len(list(cutter.feed(read_wav(path) + bytes(32000)))) == 2
    out = io.StringIO()
    assert main(["hear", "--stream", str(path)], out=out) == 0
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["intent"] for line in lines] == ["AMAZON.PauseIntent"]
    # Said further apart than a pause after "coach", they are two things, neither acted on.
    apart = np.zeros(round(16000 * (JOIN_SECONDS + 0.5)))
    path = write_wav(
        tmp_path / "apart.wav", timeline([(0.5, np.concatenate([coach, apart, pause]))], 5)
    )
    out = io.StringIO()
    assert main(["hear", "--stream", str(path)], out=out) == 0
    assert out.getvalue() == ""


def test_silence_is_heard_as_nothing(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "quiet.wav", timeline([], 2.0))
    out = io.StringIO()
    assert main(["hear", str(path)], out=out) == 0
    assert json.loads(out.getvalue()) == {"intent": None, "slots": {}, "text": ""}


def _eight_bit(path: Path) -> Path:
    with wave.open(str(path), "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(1)
        audio.setframerate(8000)
        audio.writeframes(b"\x80" * 800)
    return path


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda tmp: tmp / "missing.wav", "no such file"),
        (lambda tmp: tmp, "is a folder"),
        (lambda tmp: (tmp / "text.wav").write_text("hello") and tmp / "text.wav", "not a PCM WAV"),
        (lambda tmp: _eight_bit(tmp / "small.wav"), "8-bit samples"),
    ],
)
def test_hear_refuses_bad_input_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: object, problem: str
) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    assert main(["hear", str(path)], out=io.StringIO()) == 2
    err = capsys.readouterr().err
    assert problem in err and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


# --- no microphone -------------------------------------------------------------------------


def test_a_missing_capture_device_is_one_clear_error() -> None:
    with pytest.raises(AudioError, match="no microphone"):
        MicSource(device="no-such-capture-device")


def test_play_listen_without_a_microphone_says_so_and_plays_on(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def no_device() -> MicSource:
        raise AudioError("no microphone to listen with (no soundcards found)")

    monkeypatch.setattr("skill.local.listen.MicSource", no_device)
    args = cli.build_parser().parse_args(["play", "desk", "--listen", "--store", "memory://"])
    catalogue = default_catalogue()
    local = LocalPlay(open_store("memory://"), USER, io.StringIO())
    routine = catalogue.routines["desk"]
    chosen = local.preferences(cli.preferences_from(args, catalogue))
    assert cli.listening(args, local, catalogue, routine, chosen, chosen, io.StringIO()) == (
        None,
        None,
    )
    err = capsys.readouterr().err
    assert err == (
        "stretch-coach: no microphone to listen with (no soundcards found); "
        "playing without listening.\n"
    )


# --- play --listen-file ----------------------------------------------------------------------


class FakeTime:
    """A clock that moves only when the player sleeps or the speaker talks."""

    def __init__(self) -> None:
        self.now = 0.0

    def sleep(self, seconds: float) -> None:
        self.now += seconds

    def __call__(self) -> float:
        return self.now


class TalkingSpeaker:
    """Takes three-quarters of a line's slot to say it (answers: their spoken length)."""

    def __init__(self, clock: FakeTime, script: Script) -> None:
        self.clock = clock
        self.said: list[tuple[float, str]] = []
        self.slots = {c.text: c.speech_ms / 1000 for c in render_script(script)}

    def speak(self, text: str) -> None:
        self.said.append((self.clock.now, text))
        self.clock.now += 0.75 * self.slots.get(text, speaking_seconds(text))

    def synthesize(self, text: str, speed: float = 1.0) -> Audio:
        raise AssertionError("the live player never synthesises")

    def lines(self) -> list[str]:
        return [text for _, text in self.said]


@dataclass(frozen=True)
class Hold:
    """The first hold with a long quiet stretch: when that starts, the hold's end, its block."""

    starts: float
    ends: float
    block: int
    next_line: str  # the first thing the next block says


def first_hold(script: Script, quiet: float = 8.0) -> Hold:
    """Times on the fake clock, which keeps the script's time until a command is heard."""
    at = 0.0
    chunks = render_script(script)
    for index, chunk in enumerate(chunks):
        if chunk.hold_ms >= quiet * 1000 and chunk.step is not None:
            rest = [c for c in chunks[index:] if c.step == chunk.step]
            held = next((n for n, c in enumerate(rest) if not c.hold_ms), len(rest))
            block = script.block_of_step(chunk.step).index
            following = render_script(script, block + 1)
            ends = at + sum(c.ms for c in rest[:held]) / 1000
            return Hold(at + chunk.speech_ms / 1000, ends, block, following[0].text)
        at += chunk.ms / 1000
    raise AssertionError("no hold with a long quiet stretch")


@dataclass
class Played:
    finished: bool
    speaker: TalkingSpeaker
    out: str
    store: SqliteAdapter
    script: Script


def play_with(
    tmp_path: Path, routine: str, said: Sequence[tuple[float, str]], recogniser: Recogniser
) -> Played:
    """Play a routine on the fake clock, hearing a WAV file of commands at their times."""
    catalogue = default_catalogue()
    script = compile_routine(catalogue, catalogue.routines[routine])
    store = SqliteAdapter(tmp_path / "coach.db")
    out = io.StringIO()
    local = LocalPlay(store, USER, out)
    clock = FakeTime()
    speaker = TalkingSpeaker(clock, script)
    end = max(at for at, _ in said) + 6.0
    pieces = [(at, synthesise(text, VOICE, WPM)) for at, text in said]
    wav = write_wav(tmp_path / "commands.wav", timeline(pieces, end))
    listener = Listener(FileSource(wav), recogniser, clock=clock)

    def recompile(person: Person) -> Script:
        chosen = local.preferences(Preferences(), person)
        return compile_routine(catalogue, catalogue.routines[routine], chosen)

    skill = CoachSkill(Config(store_url="memory://"), store=store)
    commands = VoiceControl(
        skill, store, USER, recompile, on_line=lambda line: print(line, file=out)
    )
    finished = local.play(script, speaker, 0, sleep=clock.sleep, clock=clock, listener=listener,
                          commands=commands)  # fmt: skip
    return Played(finished, speaker, out.getvalue(), store, script)


ROUTINE = "seniors"


def test_pause_during_a_hold_stops_the_clock_until_continue(
    tmp_path: Path, recogniser: Recogniser
) -> None:
    script = compile_routine(default_catalogue(), default_catalogue().routines[ROUTINE])
    hold = first_hold(script)
    played = play_with(tmp_path, ROUTINE,
                       [(hold.starts + 3, "pause"), (hold.starts + 60, "continue")],
                       recogniser)  # fmt: skip
    lines = played.speaker.said
    paused = next(i for i, (_, text) in enumerate(lines) if "Paused on" in text)
    # Nothing else is said while paused: the next line comes after "continue" was heard, a
    # minute on, and it is the paused block again from its start.
    at, following = lines[paused + 1]
    assert at >= hold.starts + 60
    block_start = render_script(script, hold.block)[0].text
    assert following == block_start
    assert played.finished


def test_how_much_longer_answers_the_seconds_left_on_the_clock(
    tmp_path: Path, recogniser: Recogniser
) -> None:
    script = compile_routine(default_catalogue(), default_catalogue().routines[ROUTINE])
    hold = first_hold(script)
    asked = hold.starts + 3
    played = play_with(tmp_path, ROUTINE, [(asked, "how much longer")], recogniser)
    answer_at, answer = next((at, t) for at, t in played.speaker.said if t.startswith("About "))
    left = hold.ends - answer_at
    near = {seconds_phrase(n) for n in range(round(left) - 2, round(left) + 3)}
    assert any(f"About {phrase} left" in answer for phrase in near), (answer, left)
    assert played.finished


def test_next_moves_on_to_the_next_block_at_once(tmp_path: Path, recogniser: Recogniser) -> None:
    script = compile_routine(default_catalogue(), default_catalogue().routines[ROUTINE])
    hold = first_hold(script)
    played = play_with(tmp_path, ROUTINE, [(hold.starts + 3, "next")], recogniser)
    lines = played.speaker.said
    # The next line said is the next block's first, well before the hold would have ended.
    at, text = next((at, t) for at, t in lines if at > hold.starts)
    assert text == hold.next_line
    assert at < hold.ends - 3


def test_it_hurts_starts_the_pain_check(tmp_path: Path, recogniser: Recogniser) -> None:
    script = compile_routine(default_catalogue(), default_catalogue().routines[ROUTINE])
    hold = first_hold(script)
    played = play_with(tmp_path, ROUTINE, [(hold.starts + 3, "it hurts")], recogniser)
    after = [t for at, t in played.speaker.said if at > hold.starts]
    assert after and "Is the pain sharp, or spreading" in after[0]
    # The clock stopped for the answer; the recording ended first, so playback stopped there.
    assert not played.finished


def test_stop_saves_the_place_and_the_next_play_offers_it(
    tmp_path: Path, recogniser: Recogniser
) -> None:
    script = compile_routine(default_catalogue(), default_catalogue().routines[ROUTINE])
    hold = first_hold(script)
    # "Stop here?" takes about two seconds to say; the yes comes after it.
    played = play_with(tmp_path, ROUTINE, [(hold.starts + 3, "stop"), (hold.starts + 7, "yes")],
                       recogniser)  # fmt: skip
    assert "Stop here? Say yes to stop." in played.speaker.lines()
    assert not played.finished
    name = progress(script, anchored(script, hold.block, Status.PAUSED)).name
    assert f"Stopped at {name}." in played.out
    person = load_person(played.store, USER)
    assert person.position is not None
    assert (person.position.block, person.position.status) == (hold.block, Status.PAUSED)
    questions: list[str] = []
    again = LocalPlay(played.store, USER, io.StringIO())

    def yes(question: str) -> bool:
        questions.append(question)
        return True

    start = again.start_block(script, yes)
    assert questions == [f"Last time you stopped before {name}. Pick up there?"]
    assert start == hold.block


def test_a_stop_with_no_answer_is_asked_back_and_the_routine_plays_on(
    tmp_path: Path, recogniser: Recogniser
) -> None:
    script = compile_routine(default_catalogue(), default_catalogue().routines[ROUTINE])
    hold = first_hold(script)
    played = play_with(tmp_path, ROUTINE, [(hold.starts + 3, "stop")], recogniser)
    assert "Stop here? Say yes to stop." in played.speaker.lines()
    assert played.finished


def test_the_listening_file_is_read_as_16k_mono(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "a.wav", synthesise("next", VOICE, WPM))
    assert len(read_wav(path)) % 2 == 0


# --- what commands do, without audio ---------------------------------------------------------


def control(tmp_path: Path, routine_id: str = ROUTINE) -> tuple[VoiceControl, Script]:
    catalogue = default_catalogue()
    routine = catalogue.routines[routine_id]
    script = compile_routine(catalogue, routine)
    store = SqliteAdapter(tmp_path / "coach.db")
    local = LocalPlay(store, USER, io.StringIO())

    def recompile(person: Person) -> Script:
        return compile_routine(catalogue, routine, local.preferences(Preferences(), person))

    skill = CoachSkill(Config(store_url="memory://"), store=store)
    return VoiceControl(skill, store, USER, recompile), script


def said(text: str, at: float = 0.0) -> Heard:
    return Heard(text, recognize(text, GRAMMAR), at)


def test_a_stop_is_asked_back_and_only_a_yes_in_time_stops(tmp_path: Path) -> None:
    voice, script = control(tmp_path)
    where = Where(script, 1, 1_000)
    asked = voice.heard(said("stop", 10.0), where)
    assert (asked.kind, asked.text) == ("say", "Stop here? Say yes to stop.")
    assert voice.heard(said("yes", 14.0), where).kind == "stop"
    person = load_person(voice.store, USER)
    assert person.position is not None and person.position.block == 1


def test_a_no_or_silence_after_stop_here_carries_on(tmp_path: Path) -> None:
    voice, script = control(tmp_path)
    where = Where(script, 1, 1_000)
    voice.heard(said("stop", 10.0), where)
    assert voice.heard(said("no", 12.0), where) == Action("say", "Carrying on.")
    assert voice.heard(said("yes", 13.0), where).kind == "continue"  # the question is closed
    voice.heard(said("stop", 20.0), where)
    # Too late: a yes past the question's time is a stray yes, which changes nothing.
    assert voice.heard(said("yes", 20.0 + CONFIRM_SECONDS + 1), where).kind == "continue"
    # Another command closes the question too, and does what it says.
    voice.heard(said("stop", 40.0), where)
    assert voice.heard(said("next", 41.0), where).kind == "goto"
    assert voice.heard(said("yes", 42.0), where).kind == "continue"


def test_with_the_wake_word_the_stop_question_says_how_to_answer(tmp_path: Path) -> None:
    voice, script = control(tmp_path)
    voice = VoiceControl(voice.skill, voice.store, USER, voice.recompile, wake_word="coach")
    asked = voice.heard(said("stop", 1.0), Where(script, 1, 1_000))
    assert asked.text == "Stop here? Say coach, yes, to stop."


def test_a_stray_yes_or_no_mid_hold_changes_nothing(tmp_path: Path) -> None:
    voice, script = control(tmp_path)
    where = Where(script, 0, 80_000)
    assert voice.heard(said("no"), where).kind == "continue"
    assert voice.heard(said("yes"), where).kind == "continue"


def test_which_side_is_said_over_the_hold_without_a_question(tmp_path: Path) -> None:
    voice, script = control(tmp_path)
    block = next(b.index for b in script.blocks if script.block_steps(b)[0].side is not None)
    action = voice.heard(said("which side"), Where(script, block, 1_000))
    assert action.kind == "say" and "?" not in action.text and "Say " not in action.text


def test_slower_plays_the_block_again_from_a_slower_script(tmp_path: Path) -> None:
    voice, script = control(tmp_path, "desk")
    action = voice.heard(said("slower"), Where(script, 1, 1_000))
    assert action.kind == "goto" and action.script is not None
    assert action.script.settings.pace is not script.settings.pace
    assert action.block == 1


def test_a_refused_change_is_said_and_the_routine_goes_on(tmp_path: Path) -> None:
    voice, script = control(tmp_path)  # the seniors routine is already at its slowest
    action = voice.heard(said("slower"), Where(script, 1, 1_000))
    assert action.kind == "say" and "as far as I go" in action.text and "?" not in action.text


def test_hear_takes_any_rate_and_stereo(tmp_path: Path) -> None:
    speech = timeline([(0.3, synthesise("pause", VOICE, WPM))], 1.5)
    # The same speech at 44.1 kHz on two channels, as a phone or a laptop records it.
    wide = np.interp(np.arange(round(len(speech) * 44100 / 16000)) * 16000 / 44100,
                     np.arange(len(speech)), speech)  # fmt: skip
    frames = np.repeat(np.round(wide).astype("<i2"), 2).tobytes()
    path = tmp_path / "stereo.wav"
    with wave.open(str(path), "wb") as audio:
        audio.setnchannels(2)
        audio.setsampwidth(2)
        audio.setframerate(44100)
        audio.writeframes(frames)
    out = io.StringIO()
    assert main(["hear", "--no-wake", str(path)], out=out) == 0
    assert json.loads(out.getvalue())["intent"] == "AMAZON.PauseIntent"
