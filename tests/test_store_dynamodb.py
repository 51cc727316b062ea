"""The DynamoDB store over real HTTP against moto's server, plus injected faults and timeouts."""

from __future__ import annotations

import hashlib
import json
import socket
import threading
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from ask_sdk_core.serialize import DefaultSerializer
from botocore.exceptions import ReadTimeoutError
from botocore.stub import Stubber

from skill.store import open_store
from skill.store.base import STORED, TTL_SECONDS, Record, StoreError, key_for_user, user_key
from skill.store.dynamodb import DynamoDbAdapter
from tests.devices import USER as DEVICE_USER
from tests.devices import run_devices
from tests.moto import moto_server

REGION = "us-east-1"
USER_ID = "amzn1.ask.account.TESTPERSON0123456789"
KEY = hashlib.sha256(USER_ID.encode("utf-8")).hexdigest()

# Environment variables through which boto3 could find real credentials, a real endpoint or
# the instance metadata service; every test starts with all of them cleared or faked.
_AWS_VARIABLES = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_DYNAMODB",
    "AWS_MAX_ATTEMPTS",
    "AWS_RETRY_MODE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
)


@pytest.fixture(autouse=True)
def fake_aws(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in _AWS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_REGION", REGION)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/aws/config")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws/credentials")


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    """moto's server on a free loopback port, shared by the module."""
    with moto_server() as url:
        yield url


def raw_client(endpoint_url: str) -> Any:
    """A plain boto3 client, to set up and inspect the table behind the adapter's back."""
    return boto3.session.Session().client(
        "dynamodb",
        endpoint_url=endpoint_url,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@pytest.fixture
def raw(endpoint: str) -> Any:
    return raw_client(endpoint)


@pytest.fixture
def table(raw: Any) -> str:
    """A fresh table per test, so no test sees another's people."""
    name = f"people-{uuid.uuid4().hex[:12]}"
    raw.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    return name


@pytest.fixture
def make_adapter(endpoint: str, table: str) -> Callable[..., DynamoDbAdapter]:
    def make(**kwargs: Any) -> DynamoDbAdapter:
        return DynamoDbAdapter(table, endpoint_url=endpoint, region=REGION, **kwargs)

    return make


def envelope(user_id: str = USER_ID) -> Any:
    """A real ask-sdk RequestEnvelope for a LaunchRequest from `user_id`."""
    body = {
        "version": "1.0",
        "session": {
            "new": True,
            "sessionId": "amzn1.echo-api.session.1",
            "application": {"applicationId": "amzn1.ask.skill.test"},
            "user": {"userId": user_id},
        },
        "context": {
            "System": {
                "application": {"applicationId": "amzn1.ask.skill.test"},
                "user": {"userId": user_id},
                "device": {"deviceId": "amzn1.ask.device.1", "supportedInterfaces": {}},
                "apiEndpoint": "https://api.amazonalexa.com",
            }
        },
        "request": {
            "type": "LaunchRequest",
            "requestId": "amzn1.echo-api.request.1",
            "timestamp": "2024-05-01T10:00:00Z",
            "locale": "en-US",
        },
    }
    return DefaultSerializer().deserialize(json.dumps(body), "ask_sdk_model.RequestEnvelope")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


# --- the round trip -------------------------------------------------------------------


def test_write_then_read_round_trips(make_adapter: Callable[..., DynamoDbAdapter]) -> None:
    adapter = make_adapter(clock=lambda: 1_000_000.0, ttl_seconds=3600)
    attributes: dict[str, Any] = {"position": {"routine": "seniors", "block": 3}, "scale": 1.5}
    adapter.write("k1", attributes)
    assert attributes[STORED]["version"] == 1
    assert adapter.read("k1") == Record(
        data={"position": {"routine": "seniors", "block": 3}, "scale": 1.5},
        version=1,
        expires_at=1_000_000 + 3600,
    )
    assert adapter.read("someone-else") is None


def test_ask_sdk_interface_stores_a_hashed_id_and_keeps_floats(
    make_adapter: Callable[..., DynamoDbAdapter], raw: Any, table: str
) -> None:
    request = envelope()
    assert user_key(request) == KEY
    device = make_adapter()
    attributes = device.get_attributes(request)
    assert attributes == {STORED: {"version": 0, "base": {}}}
    attributes["preferences"] = {"hold_scale": 1.25, "voice": "calm"}
    device.save_attributes(request, attributes)

    items = raw.scan(TableName=table)["Items"]
    assert [item["id"]["S"] for item in items] == [KEY]
    assert USER_ID not in json.dumps(items)
    assert items[0]["version"] == {"N": "1"}
    assert json.loads(items[0]["data"]["S"]) == {
        "preferences": {"hold_scale": 1.25, "voice": "calm"}
    }

    again = make_adapter().get_attributes(request)
    assert again["preferences"]["hold_scale"] == 1.25
    assert isinstance(again["preferences"]["hold_scale"], float)
    assert again[STORED]["version"] == 1


def test_two_devices_saving_at_once_lose_nothing(
    make_adapter: Callable[..., DynamoDbAdapter], endpoint: str
) -> None:
    request = envelope()
    make_adapter().write(KEY, {"counts": {"sessions": 4}, "position": None, "preferences": {}})

    # Device B gets its own client, so its PutItem calls can be counted.
    b_client = raw_client(endpoint)
    b_puts: list[str] = []
    b_client.meta.events.register("before-call.dynamodb.PutItem", lambda **_: b_puts.append("put"))
    a, b = make_adapter(), make_adapter(client=b_client)
    on_a, on_b = a.get_attributes(request), b.get_attributes(request)
    assert on_a[STORED]["version"] == on_b[STORED]["version"] == 1

    on_a["position"] = {"routine": "seniors", "block": 2}
    on_a["counts"]["sessions"] += 1
    on_b["preferences"] = {"hold_scale": 1.25}
    on_b["counts"]["sessions"] += 1
    a.save_attributes(request, on_a)
    b.save_attributes(request, on_b)

    assert len(b_puts) == 2  # B lost the race once, merged, and wrote again
    assert on_b[STORED]["version"] == 3
    stored = make_adapter().read(KEY)
    assert stored is not None
    assert stored.version == 3
    assert stored.data == {
        "counts": {"sessions": 6},
        "position": {"routine": "seniors", "block": 2},
        "preferences": {"hold_scale": 1.25},
    }


def test_threads_racing_with_a_slow_condition_check_lose_no_acknowledged_save(
    make_adapter: Callable[..., DynamoDbAdapter], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every save a device was told landed is in the count, however the writes interleave.

    moto's check of a write's condition is slowed, the window in which its threaded server
    let two writers pass the same version check (tests/moto.py): DynamoDB itself never does.
    """
    from moto.dynamodb.comparisons import get_filter_expression as parse

    def slowly(*args: Any, **kwargs: Any) -> Any:
        parsed = parse(*args, **kwargs)
        time.sleep(0.002)
        return parsed

    monkeypatch.setattr("moto.dynamodb.models.table.get_filter_expression", slowly)
    make_adapter().write(KEY, {"counts": {"started": 0}})
    acknowledged: list[int] = []

    def device() -> None:
        adapter = make_adapter()  # a client of its own, as each device has
        for _ in range(8):
            attributes = adapter.attributes(KEY)
            attributes["counts"]["started"] += 1
            try:
                adapter.write(KEY, attributes)
            except StoreError:
                continue  # refused out loud: not acknowledged
            acknowledged.append(1)

    threads = [threading.Thread(target=device) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stored = make_adapter().read(KEY)
    assert stored is not None
    assert stored.data["counts"]["started"] == len(acknowledged)
    assert len(acknowledged) >= 24  # contention may refuse some, not most


def test_a_put_retried_after_it_landed_is_not_a_conflict(
    make_adapter: Callable[..., DynamoDbAdapter], endpoint: str
) -> None:
    # botocore retries a put whose answer was lost; the retry then meets the item it wrote.
    # The first attempt is delivered to moto here, and its answer thrown away.
    client = raw_client(endpoint)
    lost: list[int] = []

    def deliver_then_lose_the_answer(request: Any, **_: Any) -> None:
        if not lost:
            lost.append(1)
            sent = urllib.request.Request(
                request.url, data=request.body, headers=dict(request.headers), method="POST"
            )
            with urllib.request.urlopen(sent, timeout=5) as answer:
                assert answer.status == 200
            raise ReadTimeoutError(endpoint_url=request.url)

    client.meta.events.register("before-send.dynamodb.PutItem", deliver_then_lose_the_answer)
    adapter = make_adapter(client=client)
    attributes: dict[str, Any] = {"counts": {"started": 1}}
    adapter.write(KEY, attributes)
    assert lost == [1]
    stored = make_adapter().read(KEY)
    assert stored is not None and stored.version == 1
    assert stored.data == {"counts": {"started": 1}}  # not merged with itself into 2
    assert attributes[STORED]["version"] == 1


def test_two_devices_writing_identical_data_in_the_same_second_both_count(
    make_adapter: Callable[..., DynamoDbAdapter],
) -> None:
    # Same clock, same data: byte-identical items. Only a per-write token tells them apart.
    clock = lambda: 1_900_000_000.0  # noqa: E731
    phone, speaker = make_adapter(clock=clock), make_adapter(clock=clock)
    phone.write(KEY, {"counts": {"started": 5}})
    on_phone, on_speaker = phone.attributes(KEY), speaker.attributes(KEY)
    for attributes in (on_phone, on_speaker):
        attributes["counts"]["started"] += 1
    phone.write(KEY, on_phone)
    speaker.write(KEY, on_speaker)  # acknowledged: so it must be stored
    stored = make_adapter().read(KEY)
    assert stored is not None
    assert stored.data == {"counts": {"started": 7}}
    assert stored.version == 3
    for first in (True, False):  # also a first write by two devices at once
        key = f"fresh-{first}"
        a, b = make_adapter(clock=clock), make_adapter(clock=clock)
        a.write(key, {"counts": {"started": 1}, STORED: {"version": 0, "base": {}}})
        b.write(key, {"counts": {"started": 1}, STORED: {"version": 0, "base": {}}})
        fresh = make_adapter().read(key)
        assert fresh is not None and fresh.data == {"counts": {"started": 2}}


# --- expiry, removal, damage -----------------------------------------------------------


def test_an_expired_person_reads_as_absent_and_can_start_again(
    make_adapter: Callable[..., DynamoDbAdapter],
) -> None:
    request = envelope()
    long_ago = time.time() - TTL_SECONDS - 60
    make_adapter(clock=lambda: long_ago).write(KEY, {"position": {"block": 7}})

    adapter = make_adapter()
    # moto, like DynamoDB for up to days after expires_at, still holds the item.
    old = adapter.load(KEY)
    assert old is not None
    assert old.expires_at < time.time()
    assert adapter.read(KEY) is None
    attributes = adapter.get_attributes(request)
    assert attributes == {STORED: {"version": 0, "base": {}}}

    attributes["preferences"] = {"voice": "calm"}
    adapter.save_attributes(request, attributes)
    fresh = adapter.read(KEY)
    assert fresh is not None
    assert fresh.data == {"preferences": {"voice": "calm"}}
    assert fresh.expires_at > time.time() + TTL_SECONDS - 60


def test_remove_forgets_the_person(make_adapter: Callable[..., DynamoDbAdapter]) -> None:
    request = envelope()
    adapter = make_adapter()
    adapter.write(KEY, {"position": {"block": 1}})
    adapter.write("another", {"position": {"block": 2}})
    adapter.delete_attributes(request)
    assert adapter.load(KEY) is None
    assert adapter.get_attributes(request) == {STORED: {"version": 0, "base": {}}}
    assert adapter.read("another") is not None
    adapter.remove(KEY)  # forgetting someone twice is not an error


def test_damaged_and_foreign_items(
    make_adapter: Callable[..., DynamoDbAdapter], raw: Any, table: str
) -> None:
    raw.put_item(
        TableName=table,
        Item={
            "id": {"S": "damaged"},
            "data": {"S": "{not json"},
            "version": {"N": "5"},
            "expires_at": {"N": "4000000000"},
        },
    )
    # What ask-sdk's own DynamoDbAdapter leaves in a table keyed on "id".
    raw.put_item(
        TableName=table, Item={"id": {"S": "foreign"}, "attributes": {"M": {"x": {"N": "1"}}}}
    )
    adapter = make_adapter()
    assert adapter.read("damaged") == Record({}, 5, 4_000_000_000)
    assert adapter.read("foreign") is None
    attributes: dict[str, Any] = {"position": {"block": 1}}
    adapter.write("foreign", attributes)
    assert attributes[STORED]["version"] == 1
    replaced = raw.get_item(TableName=table, Key={"id": {"S": "foreign"}})["Item"]
    assert "attributes" not in replaced
    assert json.loads(replaced["data"]["S"]) == {"position": {"block": 1}}


# --- faults: every one is a StoreError, and quick --------------------------------------


def stubbed_client() -> Any:
    # The endpoint is a dead loopback port: the Stubber answers every call before any
    # request is sent, and if it ever did not, nothing would leave this machine.
    return boto3.session.Session().client(
        "dynamodb", region_name=REGION, endpoint_url=f"http://127.0.0.1:{free_port()}"
    )


@pytest.mark.parametrize(
    ("method", "call"),
    [
        ("get_item", lambda adapter: adapter.read(KEY)),
        ("put_item", lambda adapter: adapter.write(KEY, {"counts": {"sessions": 1}})),
        ("delete_item", lambda adapter: adapter.remove(KEY)),
    ],
)
@pytest.mark.parametrize("code", ["ProvisionedThroughputExceededException", "ThrottlingException"])
def test_throttling_is_a_store_error(
    method: str, call: Callable[[DynamoDbAdapter], object], code: str
) -> None:
    client = stubbed_client()
    with Stubber(client) as stubber:
        # AWS messages can quote the request; ours must not pass that on.
        stubber.add_client_error(method, code, f"slow down for {KEY}", http_status_code=400)
        adapter = DynamoDbAdapter("people", client=client)
        with pytest.raises(StoreError) as caught:
            call(adapter)
        stubber.assert_no_pending_responses()
    message = str(caught.value)
    assert "'people'" in message
    assert code in message
    assert KEY not in message
    assert caught.value.__cause__ is None


def test_reads_are_consistent() -> None:
    # moto is always consistent, so only the request can show that a retry after a lost
    # race would see the winner's version on real DynamoDB.
    client = stubbed_client()
    with Stubber(client) as stubber:
        stubber.add_response(
            "get_item",
            {},
            expected_params={
                "TableName": "people",
                "Key": {"id": {"S": KEY}},
                "ConsistentRead": True,
            },
        )
        assert DynamoDbAdapter("people", client=client).read(KEY) is None
        stubber.assert_no_pending_responses()


def test_a_dead_endpoint_fails_fast() -> None:
    adapter = DynamoDbAdapter(
        "people", endpoint_url=f"http://127.0.0.1:{free_port()}", region=REGION
    )
    started = time.monotonic()
    with pytest.raises(StoreError, match="EndpointConnectionError"):
        adapter.write(KEY, {"position": {"block": 1}})
    assert time.monotonic() - started < 5


@pytest.fixture
def silent_endpoint() -> Iterator[tuple[str, list[socket.socket]]]:
    """A server that accepts connections and never answers; yields its URL and connections."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.1)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            accepted.append(connection)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}", accepted
    finally:
        stop.set()
        thread.join(timeout=2)
        listener.close()
        for connection in accepted:
            connection.close()


def test_a_silent_endpoint_times_out_after_two_attempts(
    silent_endpoint: tuple[str, list[socket.socket]],
) -> None:
    url, accepted = silent_endpoint
    adapter = DynamoDbAdapter("people", endpoint_url=url, region=REGION)
    started = time.monotonic()
    with pytest.raises(StoreError, match="ReadTimeoutError"):
        adapter.read(KEY)
    elapsed = time.monotonic() - started
    assert 1.5 < elapsed < 6  # two 1 s read timeouts and a short backoff, no more
    assert len(accepted) == 2


def test_a_missing_table_is_a_store_error(endpoint: str) -> None:
    adapter = DynamoDbAdapter("no-such-table", endpoint_url=endpoint, region=REGION)
    calls: list[Callable[[], object]] = [
        lambda: adapter.read(KEY),
        lambda: adapter.write(KEY, {"position": None}),
        lambda: adapter.remove(KEY),
    ]
    for call in calls:
        with pytest.raises(StoreError, match="ResourceNotFoundException") as caught:
            call()
        assert "'no-such-table'" in str(caught.value)


# --- the client is made on first use ----------------------------------------------------


def test_no_client_before_first_use(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    adapter = DynamoDbAdapter(
        "people", region="nowhere-1", endpoint_url=f"http://127.0.0.1:{free_port()}"
    )
    assert adapter._client is None
    with pytest.raises(StoreError, match="NoCredentialsError"):
        adapter.read(KEY)


def test_open_store_needs_no_region_until_first_use(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    monkeypatch.delenv("AWS_REGION")
    store = open_store("dynamodb://people")
    assert isinstance(store, DynamoDbAdapter)
    assert store._client is None
    with pytest.raises(StoreError, match="NoRegionError"):
        store.read(KEY)
    assert store._client is None  # a later call, with the setting fixed, may still succeed


def test_threads_racing_to_first_use_share_one_client(
    make_adapter: Callable[..., DynamoDbAdapter],
) -> None:
    adapter = make_adapter()
    gate = threading.Barrier(8)
    clients: list[Any] = []

    def first_use() -> None:
        gate.wait()
        clients.append(adapter._dynamodb())

    threads = [threading.Thread(target=first_use) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(clients) == 8
    assert len({id(client) for client in clients}) == 1


# --- an acknowledged start is never lost ---------------------------------------------------


def test_devices_in_separate_processes_lose_no_acknowledged_start(
    endpoint: str, table: str
) -> None:
    environ = {
        "STRETCH_COACH_STORE": f"dynamodb://{table}",
        "AWS_ENDPOINT_URL_DYNAMODB": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
    }
    acknowledged = run_devices(environ, devices=4, starts=12)
    stored = DynamoDbAdapter(table, endpoint_url=endpoint, region=REGION).read(
        key_for_user(DEVICE_USER)
    )
    assert stored is not None
    assert stored.data["counts"]["started"] == acknowledged
    assert acknowledged >= 24  # contention may refuse some starts, out loud, not most
