"""The stores: one setting picks them; merges never lose an update; SQLite shares safely."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from skill.alexa.app import CoachSkill
from skill.config import Config
from skill.store import StoreConfigError, open_store
from skill.store.base import STORED, Record, StoreError, VersionedAdapter, key_for_user, merge
from skill.store.memory import MemoryAdapter
from skill.store.sqlite import SqliteAdapter
from tests.alexa import envelope
from tests.devices import USER as DEVICE_USER
from tests.devices import run_devices


@pytest.mark.parametrize(
    ("base", "ours", "theirs", "merged"),
    [
        ({"a": 1}, {"a": 2}, {"a": 1}, {"a": 2}),  # only we changed it
        ({"a": 1}, {"a": 1}, {"a": 3}, {"a": 3}),  # only they changed it
        ({"a": 1}, {"a": 2}, {"a": 3}, {"a": 2}),  # both: ours wins
        ({}, {"p": 1}, {"q": 2}, {"p": 1, "q": 2}),  # different keys: both kept
        ({"a": 1, "b": 1}, {"b": 1}, {"a": 1, "b": 1}, {"b": 1}),  # we deleted a
        ({"counts": {"n": 4}}, {"counts": {"n": 5}}, {"counts": {"n": 6}}, {"counts": {"n": 7}}),
        ({"counts": {}}, {"counts": {"n": 1}}, {"counts": {"n": 1}}, {"counts": {"n": 2}}),
        ({"prefs": {"x": 1, "y": 1}}, {"prefs": {"x": 2, "y": 1}}, {"prefs": {"x": 1, "y": 3}},
         {"prefs": {"x": 2, "y": 3}}),  # nested keys merge one by one
        ({"n": 4}, {"n": 5}, {"n": 6}, {"n": 5}),  # numbers outside counts do not add
    ],
)  # fmt: skip
def test_three_way_merge(
    base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any], merged: dict[str, Any]
) -> None:
    assert merge(base, ours, theirs) == merged


@pytest.mark.parametrize(
    ("url", "kind"),
    [("memory://", MemoryAdapter), ("sqlite:////tmp/coach-test.db", SqliteAdapter)],
)
def test_one_setting_picks_the_store(url: str, kind: type[VersionedAdapter]) -> None:
    assert isinstance(open_store(url), kind)


def test_dynamodb_store_connects_nothing_when_opened() -> None:
    store = open_store("dynamodb://people")
    assert store.table == "people"  # type: ignore[attr-defined]
    assert store._client is None  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "url",
    ["sqlite://relative.db", "sqlite:///relative/../x.txt", "sqlite:relative.db", "dynamodb://",
     "dynamodb://table/extra", "postgres://db", "coach.db", ""],
)  # fmt: skip
def test_a_bad_store_setting_is_refused_clearly(url: str) -> None:
    with pytest.raises(StoreConfigError, match=r"sqlite:////ABSOLUTE/PATH\.db|dynamodb://TABLE"):
        open_store(url)


def test_sqlite_paths_follow_sqlalchemy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    relative = open_store("sqlite:///relative.db")
    assert isinstance(relative, SqliteAdapter) and relative.path == tmp_path / "relative.db"
    relative.write("k", {"welcomed": True})
    assert (tmp_path / "relative.db").is_file()
    (tmp_path / "sub").mkdir()
    nested = open_store("sqlite:///sub/coach.db")
    assert isinstance(nested, SqliteAdapter) and nested.path == tmp_path / "sub" / "coach.db"
    absolute = open_store(f"sqlite:///{tmp_path / 'abs.db'}")  # four slashes in all
    assert f"sqlite:////{str(tmp_path).lstrip('/')}" in f"sqlite:///{tmp_path / 'abs.db'}"
    assert isinstance(absolute, SqliteAdapter) and absolute.path == tmp_path / "abs.db"


def test_missing_folders_are_made_only_in_the_data_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    with pytest.raises(StoreConfigError, match="does not exist"):
        open_store("sqlite:///missing/coach.db")
    with pytest.raises(StoreConfigError, match="does not exist"):
        open_store(f"sqlite:///{tmp_path / 'elsewhere' / 'deep' / 'coach.db'}")
    assert not (tmp_path / "missing").exists() and not (tmp_path / "elsewhere").exists()
    own = open_store(f"sqlite:///{tmp_path / 'data' / 'stretch-coach' / 'coach.db'}")
    own.write("k", {"welcomed": True})
    assert (tmp_path / "data" / "stretch-coach" / "coach.db").is_file()
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "fresh"))
    default = open_store(Config.from_env().store_url)
    assert isinstance(default, SqliteAdapter) and default.make_folders
    default.write("k", {"welcomed": True})
    assert (tmp_path / "fresh" / "stretch-coach" / "coach.db").is_file()


def test_nothing_is_written_to_the_filesystem_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    store = open_store("sqlite:///stretch-coach-root-check.db")
    assert isinstance(store, SqliteAdapter)
    assert store.path.parent == tmp_path
    assert not Path("/stretch-coach-root-check.db").exists()


Factory = Callable[[Callable[[], float] | None], VersionedAdapter]


@pytest.fixture(params=["memory", "sqlite"])
def factory(request: pytest.FixtureRequest, tmp_path: Path) -> Factory:
    def make(clock: Callable[[], float] | None = None) -> VersionedAdapter:
        if request.param == "memory":
            return MemoryAdapter(clock=clock)
        return SqliteAdapter(tmp_path / "coach.db", clock=clock)

    return make


def test_write_then_read(factory: Factory) -> None:
    store = factory(None)
    attributes: dict[str, Any] = {"position": {"block": 2}, "preferences": {"hold_scale": 1.25}}
    store.write("k", attributes)
    record = store.read("k")
    assert record is not None
    assert record.data == {"position": {"block": 2}, "preferences": {"hold_scale": 1.25}}
    assert record.version == 1
    assert attributes[STORED]["version"] == 1
    store.write("k", attributes)  # a second save from the same session: no conflict
    assert store.read("k") == Record(record.data, 2, store.read("k").expires_at)  # type: ignore[union-attr]


def test_two_devices_never_lose_an_update(factory: Factory) -> None:
    store = factory(None)
    store.write("k", {"counts": {"sessions": 1}})
    record = store.read("k")
    assert record is not None
    meta = {"version": record.version, "base": record.data}
    phone = {**record.data, "position": {"block": 3}, STORED: dict(meta)}
    speaker = {"counts": {"sessions": 2}, "preferences": {"pace": "slower"}, STORED: dict(meta)}
    store.write("k", phone)
    store.write("k", speaker)  # loses the race, merges, and wins the retry
    final = store.read("k")
    assert final is not None
    assert final.data == {"counts": {"sessions": 2}, "position": {"block": 3},
                          "preferences": {"pace": "slower"}}  # fmt: skip
    assert final.version == 3


def test_expired_records_read_as_absent(factory: Factory) -> None:
    now = [1_000_000.0]
    store = factory(lambda: now[0])
    store.write("k", {"welcomed": True})
    now[0] += store.ttl_seconds + 1
    assert store.read("k") is None
    store.write("k", {"welcomed": False})  # a fresh start over the expired record
    record = store.read("k")
    assert record is not None and record.data == {"welcomed": False}


def test_sqlite_deletes_expired_records_from_the_file(tmp_path: Path) -> None:
    # The privacy policy says 400 days: an expired record must leave the file, not linger.
    now = [1_000_000.0]
    store = SqliteAdapter(tmp_path / "coach.db", clock=lambda: now[0])
    store.write("old", {"welcomed": True})
    now[0] += store.ttl_seconds - 1
    store.write("recent", {"welcomed": True})
    now[0] += 2
    store.write("new", {"welcomed": True})  # someone new: the expired are cleared
    ids = {
        row[0] for row in sqlite3.connect(tmp_path / "coach.db").execute("SELECT id FROM people")
    }
    assert ids == {"recent", "new"}


def test_remove_forgets(factory: Factory) -> None:
    store = factory(None)
    store.write("k", {"welcomed": True})
    store.remove("k")
    assert store.read("k") is None


def test_sqlite_uses_wal(tmp_path: Path) -> None:
    store = SqliteAdapter(tmp_path / "coach.db")
    store.write("k", {})
    mode = sqlite3.connect(tmp_path / "coach.db").execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_sqlite_damaged_row_reads_as_a_fresh_start(tmp_path: Path) -> None:
    store = SqliteAdapter(tmp_path / "coach.db")
    store.write("k", {"welcomed": True})
    with sqlite3.connect(tmp_path / "coach.db") as db:
        db.execute("UPDATE people SET data = 'not json' WHERE id = 'k'")
    record = store.read("k")
    assert record is not None and record.data == {}


def test_sqlite_in_an_unwritable_place_raises_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    store = SqliteAdapter(blocker / "coach.db")
    with pytest.raises(StoreError, match="cannot open the SQLite store"):
        store.read("k")


def _bump(store: VersionedAdapter, times: int) -> int:
    """Increment a counter `times` times as separate sessions would; count what was saved."""
    saved = 0
    for _ in range(times):
        record = store.read("k")
        data = dict(record.data) if record else {}
        meta = {"version": record.version if record else 0, "base": record.data if record else {}}
        counts = dict(data.get("counts", {}))
        counts["n"] = counts.get("n", 0) + 1
        try:
            store.write("k", {**data, "counts": counts, STORED: meta})
            saved += 1
        except StoreError:
            pass  # reported, never silently lost
    return saved


def test_sqlite_threads_lose_no_update(tmp_path: Path) -> None:
    path = tmp_path / "coach.db"
    store = SqliteAdapter(path)
    results: list[int] = []
    lock = threading.Lock()

    def worker() -> None:
        done = _bump(store, 25)
        with lock:
            results.append(done)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    record = SqliteAdapter(path).read("k")
    assert record is not None
    assert record.data["counts"]["n"] == sum(results)
    assert sum(results) >= 100  # contention may refuse a few writes, but not most


def _process(path: str, times: int, out: Any) -> None:
    out.put(_bump(SqliteAdapter(Path(path)), times))


def test_sqlite_processes_lose_no_update(tmp_path: Path) -> None:
    path = tmp_path / "coach.db"
    SqliteAdapter(path).write("k", {"counts": {"n": 0}})
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    processes = [context.Process(target=_process, args=(str(path), 20, out)) for _ in range(3)]
    for process in processes:
        process.start()
    saved = sum(out.get(timeout=60) for _ in processes)
    for process in processes:
        process.join(timeout=60)
    record = SqliteAdapter(path).read("k")
    assert record is not None
    assert record.data["counts"]["n"] == saved
    assert saved >= 40


def test_after_a_merge_the_session_goes_on_from_what_was_stored(factory: Factory) -> None:
    store = factory(None)
    store.write("k", {"counts": {"started": 0}})
    record = store.read("k")
    assert record is not None
    meta = {"version": record.version, "base": record.data}
    phone: dict[str, Any] = {"counts": {"started": 1}, STORED: dict(meta)}
    speaker: dict[str, Any] = {"counts": {"started": 1}, STORED: dict(meta)}
    store.write("k", phone)
    store.write("k", speaker)  # merged: both starts count
    assert speaker["counts"] == {"started": 2}
    # The speaker's session starts once more, from what it now holds.
    speaker["counts"] = {"started": speaker["counts"]["started"] + 1}
    store.write("k", speaker)
    final = store.read("k")
    assert final is not None and final.data["counts"] == {"started": 3}


def test_sqlite_devices_in_separate_processes_lose_no_acknowledged_start(tmp_path: Path) -> None:
    path = tmp_path / "coach.db"
    acknowledged = run_devices({"STRETCH_COACH_STORE": f"sqlite:///{path}"}, devices=4, starts=12)
    record = SqliteAdapter(path).read(key_for_user(DEVICE_USER))
    assert record is not None
    assert record.data["counts"]["started"] == acknowledged
    assert acknowledged >= 24


def test_memory_devices_in_threads_lose_no_acknowledged_start() -> None:
    store = MemoryAdapter()
    skill = CoachSkill(Config(store_url="memory://"), store=store)
    acknowledged: list[bool] = []
    gate = threading.Barrier(6)

    def device(number: int) -> None:
        gate.wait()
        for n in range(10):
            event = envelope("start_routine")
            for place in (event["session"], event["context"]["System"]):
                place["user"]["userId"] = DEVICE_USER
            event["session"]["new"] = True
            event["request"]["requestId"] = f"amzn1.echo-api.request.{number}.{n}"
            speech = skill.handle(event)["response"]["outputSpeech"]["ssml"]
            acknowledged.append("The seniors routine." in speech and "couldn't save" not in speech)

    threads = [threading.Thread(target=device, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    record = store.read(key_for_user(DEVICE_USER))
    assert record is not None
    assert record.data["counts"]["started"] == sum(acknowledged)
    assert sum(acknowledged) >= 30
