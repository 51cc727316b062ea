"""The Lambda store: one DynamoDB item per person, written with a version condition."""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Callable
from typing import Any

import botocore.session
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from skill.store.base import TTL_SECONDS, Record, StoreError, VersionedAdapter

# Alexa waits 8 s for an answer: two attempts of at most 1 s to connect and 1 s to read,
# plus at most 1 s of backoff between them, leave time to speak an apology. botocore's
# "max_attempts" counts retries after the first try; "total_max_attempts" counts every try.
_CONFIG = Config(
    connect_timeout=1,
    read_timeout=1,
    retries={"total_max_attempts": 2, "mode": "standard"},
)
_CONFLICT = "ConditionalCheckFailedException"


class DynamoDbAdapter(VersionedAdapter):
    """DynamoDB through boto3's low-level client, so numbers arrive as strings, not Decimals.

    The record's data is a JSON string, as DynamoDB refuses floats; "expires_at" doubles as
    the table's TTL attribute. The client is made on first use: making it needs a region,
    and a cold Lambda or a test should not pay for a store it never touches.
    """

    def __init__(
        self,
        table: str,
        *,
        endpoint_url: str | None = None,
        region: str | None = None,
        client: Any | None = None,
        ttl_seconds: int = TTL_SECONDS,
        clock: Callable[[], float] | None = None,
    ) -> None:
        super().__init__(ttl_seconds=ttl_seconds, **({"clock": clock} if clock else {}))
        self.table = table
        self.endpoint_url = endpoint_url
        self.region = region
        self._client: Any | None = client
        self._lock = threading.Lock()

    def _dynamodb(self) -> Any:
        client = self._client
        if client is None:
            with self._lock:
                if self._client is None:
                    try:
                        # botocore alone, not boto3: boto3's import brings s3transfer and
                        # resources, a tenth of a second of cold start the store never uses.
                        # A session of our own: shared sessions are not thread-safe.
                        self._client = botocore.session.get_session().create_client(
                            "dynamodb",
                            endpoint_url=self.endpoint_url,
                            region_name=self.region,
                            config=_CONFIG,
                        )
                    except (BotoCoreError, ValueError) as exc:
                        raise StoreError(
                            f"no DynamoDB client for table '{self.table}': {type(exc).__name__}"
                        ) from None
                client = self._client
        return client

    def _failure(self, doing: str, exc: Exception) -> StoreError:
        # Only the error's code or class: AWS messages can quote the key or the item.
        if isinstance(exc, ClientError):
            reason = exc.response.get("Error", {}).get("Code") or "ClientError"
        else:
            reason = type(exc).__name__
        return StoreError(f"DynamoDB table '{self.table}' failed while {doing}: {reason}")

    def load(self, key: str) -> Record | None:
        client = self._dynamodb()
        try:
            # Consistent, so a write retried after a lost race sees the winner's version.
            response = client.get_item(
                TableName=self.table, Key={"id": {"S": key}}, ConsistentRead=True
            )
        except (ClientError, BotoCoreError) as exc:
            raise self._failure("reading", exc) from None
        item = response.get("Item")
        return _record(item) if item else None

    def store(self, key: str, record: Record, expected: int | None) -> bool:
        client = self._dynamodb()
        # A token unique to this write: botocore resends the same item when it retries, so
        # only a retry of this very write carries it. Two devices can write byte-identical
        # data in the same second, so equal data proves nothing about who wrote it.
        writer = {"S": secrets.token_hex(16)}
        item = {
            "id": {"S": key},
            "writer": writer,
            "data": {"S": json.dumps(record.data, separators=(",", ":"))},
            "version": {"N": str(record.version)},
            "expires_at": {"N": str(record.expires_at)},
        }
        if expected is None:
            condition: dict[str, Any] = {
                # Not attribute_not_exists(id): an item without a version is not ours
                # (see _record) and may be replaced.
                "ConditionExpression": "attribute_not_exists(#version)",
                "ExpressionAttributeNames": {"#version": "version"},
            }
        else:
            condition = {
                "ConditionExpression": "#version = :expected",
                "ExpressionAttributeNames": {"#version": "version"},
                "ExpressionAttributeValues": {":expected": {"N": str(expected)}},
            }
        try:
            client.put_item(
                TableName=self.table,
                Item=item,
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
                **condition,
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != _CONFLICT:
                raise self._failure("writing", exc) from None
            # botocore retries a put that timed out; if the first try did land, the retry
            # finds our own item. Calling that a lost race would merge us with ourselves
            # and count every counter twice. Only our token proves it is ours.
            landed = exc.response.get("Item")
            return isinstance(landed, dict) and landed.get("writer") == writer
        except BotoCoreError as exc:
            raise self._failure("writing", exc) from None
        return True

    def remove(self, key: str) -> None:
        client = self._dynamodb()
        try:
            client.delete_item(TableName=self.table, Key={"id": {"S": key}})
        except (ClientError, BotoCoreError) as exc:
            raise self._failure("deleting", exc) from None


def _record(item: dict[str, Any]) -> Record | None:
    try:
        version = int(item["version"]["N"])
    except (KeyError, TypeError, ValueError):
        # Not one of ours (ask-sdk's own adapter writes "id" + "attributes" to a table like
        # this): read it as absent, and the first save replaces it.
        return None
    try:
        expires_at = int(item["expires_at"]["N"])
    except (KeyError, TypeError, ValueError):
        expires_at = 0  # no trustworthy expiry: treat as expired, so it is overwritten
    try:
        data = json.loads(item["data"]["S"])
    except (KeyError, TypeError, ValueError):
        data = {}  # a damaged item reads as a fresh start rather than an error
    return Record(
        data=data if isinstance(data, dict) else {}, version=version, expires_at=expires_at
    )
