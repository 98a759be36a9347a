"""S3 upload notifications that arrive through SQS: S3 -> queue -> ``@app.on_sqs_message``.

Owns reading the S3 event notification carried in each message body (several records per
body, URL-encoded keys, S3's ``s3:TestEvent``) and the log line when a file fails its last
allowed receive (SQS's redrive policy then moves it to the dead-letter queue). No AWS call.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_plus

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Upload:
    """One object S3 reported as created."""

    bucket: str
    key: str
    size: int


@dataclass(frozen=True)
class FileMessage:
    """One SQS message holding an S3 notification, with how often SQS has delivered it."""

    message_id: str
    receives: int
    uploads: tuple[Upload, ...]


def uploads_in(body: str) -> tuple[Upload, ...]:
    """Return the uploads an S3 event notification (an SQS message body) reports.

    A body without ``Records`` (S3's ``s3:TestEvent`` when a notification is configured) and
    records that are not object creations report nothing. Keys arrive URL-encoded (a space is
    ``+``), as in a Lambda S3 event.
    """
    try:
        notification = json.loads(body)
    except ValueError:
        _log.warning("ignoring an SQS message that is not an S3 notification: %.200s", body)
        return ()
    if not isinstance(notification, dict):
        return ()
    uploads = []
    for record in notification.get("Records") or []:
        if not str(record.get("eventName", "")).startswith("ObjectCreated"):
            continue
        s3 = record.get("s3") or {}
        uploads.append(
            Upload(
                bucket=str((s3.get("bucket") or {}).get("name", "")),
                key=unquote_plus(str((s3.get("object") or {}).get("key", ""))),
                size=int((s3.get("object") or {}).get("size") or 0),
            )
        )
    return tuple(uploads)


def file_messages(records: Iterable[dict[str, Any]]) -> Iterator[FileMessage]:
    """Read Lambda's SQS records (``SQSRecord.to_dict()``) as S3 notifications."""
    for record in records:
        attributes = record.get("attributes") or {}
        yield FileMessage(
            message_id=str(record.get("messageId", "")),
            receives=int(attributes.get("ApproximateReceiveCount", "1")),
            uploads=uploads_in(str(record.get("body", ""))),
        )


def handle_uploads(
    records: Iterable[dict[str, Any]],
    handle: Callable[[Upload], object],
    max_receives: int,
    what: str,
) -> int:
    """Call ``handle`` for each upload in the records; return how many were handled.

    A failure propagates, so the message stays queued and SQS delivers it again; on its last
    allowed receive the failure is logged as a dead letter first (the queue's redrive policy,
    with the same ``max_receives``, then moves it to the dead-letter queue).
    """
    handled = 0
    for message in file_messages(records):
        for upload in message.uploads:
            try:
                handle(upload)
            except Exception:
                if message.receives >= max_receives:
                    _log.error(
                        "%s s3://%s/%s failed on receive %d of %d; it goes to the dead-letter "
                        "queue (message %s)",
                        what,
                        upload.bucket,
                        upload.key,
                        message.receives,
                        max_receives,
                        message.message_id,
                    )
                raise
            handled += 1
    return handled
