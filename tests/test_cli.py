"""The `stretch-coach` command: routines, show and check, and refusing broken content."""

from __future__ import annotations

import functools
import io
import itertools
import json
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from skill import cli
from skill.alexa.app import CoachSkill
from skill.cli import main
from skill.config import Config
from skill.content import DEFAULT_ROOT, default_catalogue
from skill.engine.compiler import EmptyRoutineError, compile_routine
from skill.local.chat import Chat
from skill.local.matcher import Grammar
from skill.local.tts import Audio
from skill.store import open_store
from tests.conftest import Docs


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def test_routines_json_lists_every_routine_with_its_stretches_in_order() -> None:
    code, text = run("routines", "--json")
    assert code == 0
    rows = json.loads(text)
    catalogue = default_catalogue()
    assert [row["id"] for row in rows] == list(catalogue.routines)
    seniors = next(row for row in rows if row["id"] == "seniors")
    assert seniors["name"] == "seniors routine"
    assert seniors["stretches"] == ["lying butterfly", "cobra", "knee to chest"]
    for row in rows:
        assert set(row) >= {"id", "name", "stretches", "minutes"}
        assert isinstance(row["minutes"], int) and 1 <= row["minutes"] <= 60


def test_routines_text_has_a_line_per_routine() -> None:
    code, text = run("routines")
    assert code == 0
    lines = text.strip().splitlines()
    assert len(lines) == len(default_catalogue().routines)
    assert any(line.startswith("seniors ") and "cobra" in line for line in lines)


def test_show_gives_each_step_with_its_dosage(capsys: pytest.CaptureFixture[str]) -> None:
    code, text = run("show", "older adults")
    assert code == 0
    assert text.startswith("seniors routine (seniors): about ")
    steps = [line for line in text.splitlines() if line[:3].strip().rstrip(".").isdigit()]
    assert [s.split(":")[0].split(". ", 1)[1] for s in steps] == [
        "lying butterfly (lying on your back)",
        "cobra (lying on your front)",
        "knee to chest (lying on your back)",
    ]
    assert "hold at least 30 s, 3 times" in steps[0]
    assert "hold 3-5 (3) breaths, 3-5 (3) times" in steps[1]
    assert "3-5 (3) times each leg" in steps[2]
    assert "pace: slower" in text


def test_show_marks_our_dosages() -> None:
    _, text = run("show", "extension")
    assert text.count("(our dosage)") == 3
    # Where the article gives some numbers, only the others are marked.
    _, text = run("show", "runners")
    assert "(ours: phase_seconds, rest_seconds)" in text and "(our dosage)" not in text


def test_show_unknown_routine_lists_the_real_ones(capsys: pytest.CaptureFixture[str]) -> None:
    code, text = run("show", "marathon")
    assert code == 2
    assert text == ""
    err = capsys.readouterr().err
    assert "no routine called 'marathon'" in err
    for routine_id in default_catalogue().routines:
        assert routine_id in err


def test_check_reports_the_counts() -> None:
    code, text = run("check")
    catalogue = default_catalogue()
    assert code == 0
    assert f"{len(catalogue.stretches)} stretches, {len(catalogue.routines)} routines" in text


def test_broken_content_refuses_to_start(
    make_content: Callable[[Callable[[Docs], None] | None], Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    def break_it(docs: Docs) -> None:
        docs["routines.yaml"]["routines"][0]["items"][0]["stretch"] = "plank"

    root = make_content(break_it)
    for command in (["routines"], ["show", "morning"], ["check"]):
        code, text = run("--content", str(root), *command)
        assert (code, text) == (1, "")
        err = capsys.readouterr().err
        assert "will not start" in err
        assert "content/routines.yaml, routine 'morning', field 'items[0].stretch'" in err


def test_installed_command_runs_from_any_folder(tmp_path: Path) -> None:
    # content/ is found beside the package, never through the working directory.
    exe = shutil.which("stretch-coach", path=str(Path(sys.executable).parent))
    assert exe is not None, "the console script is not installed"
    result = subprocess.run(
        [exe, "routines", "--json"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == len(default_catalogue().routines)
    assert DEFAULT_ROOT.name == "content"


def test_script_prints_a_timeline_with_running_time() -> None:
    code, text = run("script", "seniors")
    assert code == 0
    lines = text.splitlines()
    assert lines[0].startswith("seniors routine: ")
    assert lines[1].startswith('-- block 1 (ends: "Ready for cobra? Say next.")')
    assert " intro " in lines[2] and lines[2].lstrip().startswith("0:00")
    assert any(" hold " in line and "Ten seconds left." in line for line in lines)


def test_script_json_timeline_adds_up() -> None:
    code, text = run("script", "desk", "--json", "--pace", "faster", "--hold-scale", "1.5")
    assert code == 0
    data = json.loads(text)
    assert data["settings"]["pace"] == "faster"
    assert data["settings"]["hold_scale"] == 1.5
    rows = data["timeline"]
    assert rows[0]["at"] == 0
    total = sum(row["seconds"] for row in rows)
    assert abs(total - data["seconds"]) < 0.01
    for before, after in itertools.pairwise(rows):
        assert abs(before["at"] + before["seconds"] - after["at"]) < 0.01
    holds = [
        row for row in rows if row["kind"] == "hold" and row["stretch"] == "seated_forward_flexion"
    ]
    assert sum(row["pause_seconds"] for row in holds) == 3 * 45  # three holds of 30 s x 1.5


def test_script_ssml_prints_each_block() -> None:
    code, text = run("script", "seniors", "--ssml")
    assert code == 0
    speaks = [line for line in text.splitlines() if line.startswith("<speak>")]
    assert len(speaks) == text.count("# block ")
    assert all(line.endswith("</speak>") for line in speaks)


def test_script_with_gentle_and_exclusions() -> None:
    _, text = run("script", "runners", "--json", "--gentle", "--exclude", "figure_four")
    assert json.loads(text)["stretches"] == [
        "glute_bridge",
        "seated_hip_flexor",
        "seated_piriformis",
    ]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["script", "seniors", "--hold-scale", "3"], "hold scale 3.0 is outside"),
        (["script", "seniors", "--exclude", "lying_butterfly", "--exclude", "cobra",
          "--exclude", "knee_to_chest"], "every stretch in the seniors routine is left out"),
        (["script", "nowhere"], "no routine called 'nowhere'"),
    ],
)  # fmt: skip
def test_script_refuses_bad_requests_clearly(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, text = run(*argv)
    assert (code, text) == (2, "")
    assert message in capsys.readouterr().err


# --- the pregnancy screening at the command line -------------------------------------------------


def test_script_pregnancy_without_an_answer_uses_the_late_version_and_says_so(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, text = run("script", "pregnancy", "--json")
    assert code == 0
    data = json.loads(text)
    assert data["stretches"] == ["cat_cow", "standing_pelvic_tilt"]
    assert "--pregnancy early" in capsys.readouterr().err
    moves = [str(row["text"]).lower() for row in data["timeline"]
             if row["kind"] in ("transition", "cue", "move")]  # fmt: skip
    assert not [m for m in moves if "on your back" in m or "face up" in m]


@pytest.mark.parametrize(
    ("stage", "stretches"),
    [("early", ["cat_cow", "pelvic_tilt"]), ("late", ["cat_cow", "standing_pelvic_tilt"])],
)
def test_script_pregnancy_with_a_stage(
    stage: str, stretches: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, text = run("script", "pregnancy", "--json", "--pregnancy", stage)
    assert code == 0
    assert json.loads(text)["stretches"] == stretches
    assert "--pregnancy" not in capsys.readouterr().err


def test_the_stage_changes_nothing_for_a_routine_without_a_screening() -> None:
    assert run("script", "desk", "--pregnancy", "late") == run("script", "desk")


class FakeSpeaker:
    """Stands in for pyttsx3: silence for every line, no audio device."""

    def __init__(self, words_per_minute: float, voice: str | None) -> None:
        self.lines: list[str] = []

    def synthesize(self, text: str, speed: float = 1.0) -> Audio:
        self.lines.append(text)
        return Audio(frames=b"\0\0" * 100, rate=22050, channels=1, width=2)


def test_play_pregnancy_to_wav_without_a_terminal_never_waits_for_an_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "Pyttsx3Speaker", FakeSpeaker)
    monkeypatch.setattr(cli, "ask", lambda prompt, question: pytest.fail("asked: " + question))
    path = tmp_path / "pregnancy.wav"
    code = main(["play", "pregnancy", "--wav", str(path), "--store", "memory://"], io.StringIO())
    assert code == 0 and path.exists()
    assert "--pregnancy early" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ([True, True], ("cat_cow", "standing_pelvic_tilt")),
        ([True, False], ("cat_cow", "pelvic_tilt")),
        ([False], None),  # not cleared: advice, no routine
    ],
)
def test_play_asks_the_screening_at_the_terminal(
    answers: list[bool], expected: tuple[str, ...] | None
) -> None:
    catalogue = default_catalogue()
    routine = catalogue.routines["pregnancy"]
    asked: list[str] = []

    def ask(prompt: str, question: str) -> bool:
        asked.append(question)
        return answers[len(asked) - 1]

    if expected is None:
        with pytest.raises(cli.Refused, match="doctor or midwife"):
            cli.screened(catalogue, routine, None, ask)
        return
    extra, _ = cli.screened(catalogue, routine, None, ask)
    assert len(asked) == len(answers)
    assert compile_routine(catalogue, routine, extra).stretches == expected


# --- answers typed at the terminal: read as the skill reads them (F12) ---------------------
# `play` and `forget` once read only an answer's first letter: "nope, 36 weeks" was an early
# stage, "yeah nah" a doctor's clearance, "you can keep it" a yes to deleting everything.


def typed(monkeypatch: pytest.MonkeyPatch, *lines: str) -> list[str]:
    """Answer each input() with the next line, then end the input; what was asked is kept."""
    asked: list[str] = []
    replies = iter(lines)

    def reply(prompt: str) -> str:
        asked.append(prompt)
        try:
            return next(replies)
        except StopIteration:
            raise EOFError from None

    monkeypatch.setattr("builtins.input", reply)
    return asked


class Terminal(io.StringIO):
    """Standard input at a terminal, for the commands that ask only there."""

    def isatty(self) -> bool:
        return True


CLEARED = "Before we start: has your doctor or midwife said it's fine for you to stretch?"
LATE = "Are you in the last three months of your pregnancy, from about twenty-eight weeks?"

# What each answer to "has your doctor or midwife said it's fine?" leads to.
CLEARANCE_ANSWERS = [
    ("yes", "cleared"),
    ("y", "cleared"),
    ("yep", "cleared"),
    ("yes she did", "cleared"),
    ("my midwife said yes", "cleared"),
    ("no", "refer"),
    ("n", "refer"),
    ("nope", "refer"),
    ("yeah nah", "refer"),
    ("not yet", "refer"),
    ("no she hasn't", "refer"),
    ("you tell me", "again"),
    ("maybe", "again"),
    ("kind of", "again"),
    ("not sure", "again"),
    ("let's go", "again"),  # keen to start is no answer to a question of fact
    ("I'm fine", "again"),
    ("purple elephants", "again"),
]

# And to "are you in the last three months?": how far along outranks the yes or no.
LATE_ANSWERS = [
    ("yes", "late"),
    ("y", "late"),
    ("yeah", "late"),
    ("nine months", "late"),
    ("nope, 36 weeks", "late"),
    ("no, I'm thirty four weeks", "late"),
    ("thirty weeks", "late"),
    ("third trimester", "late"),
    ("I'm due next month", "late"),
    ("no", "early"),
    ("n", "early"),
    ("nope", "early"),
    ("twenty weeks", "early"),
    ("second trimester", "early"),
    ("no I'm only 20 weeks", "early"),
    ("nearly", "again"),
    ("maybe", "again"),
    ("not sure, maybe", "again"),
    ("let's go", "again"),
    ("purple elephants", "again"),
]


def screened_at_the_terminal(
    monkeypatch: pytest.MonkeyPatch, *lines: str
) -> tuple[list[str], tuple[str, ...] | None]:
    """The questions asked and the stretches played (None: advice instead) for these lines."""
    catalogue = default_catalogue()
    routine = catalogue.routines["pregnancy"]
    asked = typed(monkeypatch, *lines)
    try:
        extra, _ = cli.screened(catalogue, routine, None, cli.ask)
    except cli.Refused:
        return [a.strip() for a in asked], None
    return [a.strip() for a in asked], compile_routine(catalogue, routine, extra).stretches


PLAYED = {
    "late": ("cat_cow", "standing_pelvic_tilt"),
    "early": ("cat_cow", "pelvic_tilt"),
}


@pytest.mark.parametrize(("answer", "leads_to"), CLEARANCE_ANSWERS)
def test_the_clearance_question_reads_a_typed_answer_as_the_skill_does(
    answer: str,
    leads_to: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # An answer that does not fit is asked again; then yes, and yes to the late question.
    asked, played = screened_at_the_terminal(monkeypatch, answer, "yes", "yes")
    questions = [q.rsplit(" [", 1)[0] for q in asked]
    if leads_to == "refer":
        assert questions == [CLEARED] and played is None
    elif leads_to == "cleared":
        assert questions == [CLEARED, LATE] and played == PLAYED["late"]
    else:
        assert questions == [CLEARED, CLEARED, LATE] and played == PLAYED["late"]
        said = capsys.readouterr().out.strip().splitlines()
        assert len(said) == 1 and "yes or no" in said[0]


@pytest.mark.parametrize(("answer", "leads_to"), LATE_ANSWERS)
def test_the_late_pregnancy_question_reads_a_typed_answer_as_the_skill_does(
    answer: str,
    leads_to: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    asked, played = screened_at_the_terminal(monkeypatch, "yes", answer, "no")
    questions = [q.rsplit(" [", 1)[0] for q in asked]
    if leads_to == "again":
        # Never the early version on a hedge: asked again, and the "no" that follows counts.
        assert questions == [CLEARED, LATE, LATE] and played == PLAYED["early"]
        said = capsys.readouterr().out.strip().splitlines()
        assert len(said) == 1 and "yes or no" in said[0]
    else:
        assert questions == [CLEARED, LATE] and played == PLAYED[leads_to]


@pytest.mark.parametrize("question", ["cleared", "late"])
@pytest.mark.parametrize("leaving", ["stop", "quit", "cancel", EOFError, KeyboardInterrupt])
def test_leaving_at_a_screening_question_ends_play_cleanly(
    question: str,
    leaving: str | type[BaseException],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = ["yes"] if question == "late" else []
    replies = iter([*before, leaving])

    def reply(prompt: str) -> str:
        line = next(replies)
        if isinstance(line, str):
            return line
        raise line

    monkeypatch.setattr("builtins.input", reply)
    monkeypatch.setattr("sys.stdin", Terminal())
    monkeypatch.setattr(cli, "Pyttsx3Speaker", lambda **kwargs: pytest.fail("played"))
    out = io.StringIO()
    assert main(["play", "pregnancy", "--store", "memory://"], out) == cli.EXIT_INTERRUPTED
    assert "Stopped before the routine began." in out.getvalue()
    assert "Traceback" not in capsys.readouterr().err


def test_serious_pain_given_as_a_screening_answer_stops_with_the_skills_advice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    typed(monkeypatch, "it's a sharp pain")
    monkeypatch.setattr("sys.stdin", Terminal())
    monkeypatch.setattr(cli, "Pyttsx3Speaker", lambda **kwargs: pytest.fail("played"))
    out = io.StringIO()
    assert main(["play", "pregnancy", "--store", "memory://"], out) == 0
    assert "have it checked by a clinician" in out.getvalue()


@functools.cache
def voice_skill() -> tuple[CoachSkill, Grammar]:
    # Built once: every conversation below is a new person, so none sees another's answers.
    return CoachSkill(Config.from_env(), store=open_store("memory://")), cli.grammar()


def skill_reads(*lines: str) -> str:
    """What the voice skill said last, after starting the pregnancy routine by typed chat."""
    out = io.StringIO()
    skill, grammar = voice_skill()
    talk = Chat(skill, grammar, out, f"amzn1.ask.account.same-reading-{uuid.uuid4()}")
    talk.send(talk.session.launch())
    for line in ["start the pregnancy routine", *lines]:
        out.seek(0)
        out.truncate()
        talk.say(line)
    return out.getvalue()


@pytest.mark.parametrize(
    ("answer", "leads_to"),
    [(a, w) for a, w in CLEARANCE_ANSWERS if len(a) > 1],
)
def test_the_voice_skill_reads_those_clearance_answers_the_same_way(
    answer: str, leads_to: str
) -> None:
    said = skill_reads(answer)
    expected = {
        "cleared": "last three months",
        "refer": "check with your doctor or midwife first",
        "again": "Please answer yes or no",
    }
    assert expected[leads_to] in said


@pytest.mark.parametrize(
    ("answer", "leads_to"),
    [(a, w) for a, w in LATE_ANSWERS if len(a) > 1],
)
def test_the_voice_skill_reads_those_late_pregnancy_answers_the_same_way(
    answer: str, leads_to: str
) -> None:
    if leads_to == "again":
        assert "Please answer yes or no" in skill_reads("yes", answer)
        return
    # Not remembered: the routine starts, and names what comes after cat cow.
    said = skill_reads("yes", answer, "no")
    late = "standing pelvic tilt" in said.lower()
    assert "pelvic tilt" in said.lower() and late == (leads_to == "late")


FORGET_ANSWERS = [
    ("yes", True),
    ("y", True),
    ("sure", True),
    ("yes please", True),
    ("forget me", True),
    ("yes delete everything", True),
    ("no", False),
    ("n", False),
    ("nah", False),
    ("no thanks", False),
    ("don't", False),
    ("keep it", False),
    ("you can keep it", False),
    ("no keep it", False),
]


def forget_at_the_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *lines: str
) -> tuple[int, bool, list[str], str]:
    """Exit code, whether the record is gone, what was asked, and what was printed."""
    from skill.alexa.person import Person
    from skill.local.identity import local_user_id, save_person
    from skill.store import open_store
    from skill.store.base import key_for_user

    url = f"sqlite:///{tmp_path / 'coach.db'}"
    save_person(open_store(url), local_user_id(), Person(counts={"started": 1}))
    asked = typed(monkeypatch, *lines)
    monkeypatch.setattr("sys.stdin", Terminal())
    out = io.StringIO()
    code = main(["forget", "--store", url], out)
    gone = open_store(url).load(key_for_user(local_user_id())) is None
    return code, gone, asked, out.getvalue()


@pytest.mark.parametrize(("answer", "deletes"), FORGET_ANSWERS)
def test_forget_reads_a_typed_answer_as_the_skill_does(
    answer: str, deletes: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, gone, asked, _ = forget_at_the_terminal(tmp_path, monkeypatch, answer)
    assert code == 0 and gone == deletes and len(asked) == 1


@pytest.mark.parametrize("answer", ["maybe", "what would that delete?", "purple elephants"])
def test_forget_asks_again_with_one_line_until_the_answer_fits(
    answer: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, gone, asked, printed = forget_at_the_terminal(tmp_path, monkeypatch, answer, "no")
    assert code == 0 and not gone and len(asked) == 2
    assert printed.splitlines()[0].endswith("Please answer yes or no, or say stop.")
    assert "Nothing was deleted." in printed


@pytest.mark.parametrize("lines", [["stop"], ["quit"], []], ids=["stop", "quit", "end"])
def test_leaving_at_the_forget_question_deletes_nothing(
    lines: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, gone, asked, printed = forget_at_the_terminal(tmp_path, monkeypatch, *lines)
    assert code == 0 and not gone and len(asked) == 1
    assert "Nothing was deleted." in printed


RESUME_ANSWERS = [
    ("yes", True),
    ("y", True),
    ("", True),  # the [Y/n] default
    ("yes please", True),
    ("carry on", True),
    ("no", False),
    ("n", False),
    ("no thanks", False),
    ("start over", False),
    ("from the beginning", False),
    ("nope, from the top", False),
]


@pytest.mark.parametrize(("answer", "resumes"), RESUME_ANSWERS)
def test_the_offer_to_pick_up_reads_a_typed_answer_as_the_skill_does(
    answer: str, resumes: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = typed(monkeypatch, answer)
    assert cli.confirm("Last time you stopped before cobra. Pick up there?") is resumes
    assert len(asked) == 1


def test_the_offer_to_pick_up_asks_again_and_stop_leaves(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from skill.local.terminal import Left

    asked = typed(monkeypatch, "purple elephants", "stop")
    with pytest.raises(Left):
        cli.confirm("Pick up there?")
    assert len(asked) == 2 and len(capsys.readouterr().out.strip().splitlines()) == 1


def test_a_screening_answered_by_voice_holds_when_playing_on_the_laptop() -> None:
    from skill.alexa.person import Person
    from skill.engine.screening import PREGNANCY, consequence
    from skill.local.play import LocalPlay
    from skill.store import open_store

    catalogue = default_catalogue()
    late = PREGNANCY.answer("late", yes=True)
    assert not isinstance(late, str)
    local = LocalPlay(open_store("memory://"), "someone", io.StringIO())
    local.person = Person(screened={"pregnancy": consequence(late, catalogue)})
    args = cli.build_parser().parse_args(["play", "seniors"])
    chosen = local.preferences(cli.preferences_from(args, catalogue))
    played = compile_routine(catalogue, catalogue.routines["pregnancy"], chosen).stretches
    assert played == ("cat_cow", "standing_pelvic_tilt")
    with pytest.raises(EmptyRoutineError):  # every seniors stretch is done lying down
        compile_routine(catalogue, catalogue.routines["seniors"], chosen)


@pytest.mark.parametrize(
    "argv",
    [["script", "desk"], ["play", "desk", "--store", "memory://", "--wav", "/nonexistent/x.wav"]],
    ids=["script", "play"],
)
def test_excluding_a_stretch_that_does_not_exist_is_refused(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(*argv, "--exclude", "nonsense") == (2, "")
    err = capsys.readouterr().err
    assert "--exclude nonsense" in err and err.count("\n") == 1


def test_a_stretch_to_leave_out_may_be_named_as_spoken() -> None:
    _, text = run("script", "runners", "--json", "--exclude", "figure four")
    assert "figure_four" in json.loads(text)["settings"]["excluded"]


@pytest.mark.parametrize("where", ["before", "after"])
def test_content_may_be_given_before_or_after_the_command(where: str) -> None:
    argv = ["--content", str(DEFAULT_ROOT), "check"]
    code, text = run(*(argv if where == "before" else argv[2:] + argv[:2]))
    assert code == 0 and text.startswith("content is fine")


@pytest.mark.parametrize(
    ("target", "problem"), [("file", "is a file"), ("nothing", "does not exist")]
)
def test_content_that_is_not_a_folder_is_named_clearly(
    target: str, problem: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "routines.yaml"
    if target == "file":
        path.write_text("routines: []\n")
    for argv in (["--content", str(path), "check"], ["check", "--content", str(path)]):
        assert run(*argv) == (2, "")
        err = capsys.readouterr().err
        assert problem in err and err.count("\n") == 1


@pytest.mark.parametrize("routine", sorted(default_catalogue().routines))
def test_show_names_the_side_instead_of_placeholders(routine: str) -> None:
    code, text = run("show", routine)
    assert code == 0
    assert "{" not in text and "}" not in text


def test_the_module_runs_as_the_script_does() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "skill.cli", "parse", "next please"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["intent"] == "AMAZON.NextIntent"
