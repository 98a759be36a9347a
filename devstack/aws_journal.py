"""The local endpoint's DynamoDB and SQS sends on disk: a snapshot plus a journal since.

Pickling a whole backend on every write made each write cost O(what it holds): 80 ms a PutItem
at 5,000 items (``python -m bench.aws_endpoint``). Instead every DynamoDB write, and every SQS
send, is appended to ``aws-state/<backend>.journal`` (and synced) before its response leaves,
and replayed in order on the next start; a snapshot (``<backend>.pickle``) is taken at
start-up, at shutdown, every ``COMPACT_EVERY`` records and (SQS) on any other write, after which
the journal starts empty.

DynamoDB's writes are deterministic given the same order (the journal appends under the lock
that applies them). SQS's are not all: a replayed send is the same message under a new id, but
a delete or a visibility change names a receipt handle that only that run minted, so those (and
every other SQS write) snapshot SQS instead. Cognito, SNS, SES and S3 are pickled per write
(``devstack.aws_state``).

Each record is ``length, crc32, pickle((seq, request))``. A snapshot is
``pickle(("journaled", seq, backend))``: replay skips records it already covers, so a crash
between writing a snapshot and emptying the journal applies nothing twice. A torn last record
(a crash mid-append, never acknowledged) is cut off.
"""

from __future__ import annotations

import io
import logging
import os
import pickle
import struct
import sys
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

_log = logging.getLogger("finq.aws")

# Journaled backends, each with the actions its journal records (None: every write).
JOURNALED: dict[str, frozenset[str] | None] = {
    "dynamodb": None,
    "sqs": frozenset({"SendMessage", "SendMessageBatch"}),
}
COMPACT_EVERY = 1000  # a crash replays at most this many (~3 ms each)
_HEADER = struct.Struct(">II")  # payload length, crc32 of the payload
_TAG = "journaled"
# The parts of a WSGI environ that make a request (the rest is the server's own plumbing).
_KEPT = ("REQUEST_METHOD", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "CONTENT_TYPE")
_KEPT_TOO = ("CONTENT_LENGTH", "SERVER_NAME", "SERVER_PORT", "SERVER_PROTOCOL", "wsgi.url_scheme")

Request = dict[str, Any]


def journaled(backend: str, action: str | None) -> bool:
    """Whether a write of ``action`` to ``backend`` goes to its journal (not a snapshot)."""
    if backend not in JOURNALED:
        return False
    actions = JOURNALED[backend]
    return actions is None or action in actions


def capture(environ: dict[str, Any]) -> Request:
    """Return what replaying ``environ``'s request needs; its body is read and put back."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(body)  # moto reads it after us
    kept = {
        key: value
        for key, value in environ.items()
        if isinstance(value, str) and (key in _KEPT or key in _KEPT_TOO or key.startswith("HTTP_"))
    }
    return {"environ": kept, "body": body}


def replay_environ(request: Request) -> dict[str, Any]:
    """Return a WSGI environ that makes ``request`` again."""
    body = request["body"]
    return {
        **request["environ"],
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }


def snapshot_blob(seq: int, backend: Any) -> bytes:
    """Pickle ``backend`` as a snapshot that covers journal records up to ``seq``."""
    return pickle.dumps((_TAG, seq, backend), protocol=pickle.HIGHEST_PROTOCOL)


def covered(saved: Any) -> tuple[int, Any]:
    """Split an unpickled state file into (journal records it covers, the backend)."""
    if isinstance(saved, tuple) and len(saved) == 3 and saved[0] == _TAG:
        return int(saved[1]), saved[2]
    return 0, saved  # a plain pickle, as written before the journal


class Journal:
    """The append-only file of a backend's write requests since its last snapshot."""

    def __init__(self, folder: Path, backend: str) -> None:
        """Use ``folder/<backend>.journal`` (created on the first append)."""
        self.path = folder / f"{backend}.journal"
        self.seq = 0  # the last record written (or covered by the snapshot)
        self.pending = 0  # records since the last snapshot
        self._fd: int | None = None

    def records(self) -> Iterator[tuple[int, Request]]:
        """Yield the readable records in order; cut a torn or corrupt tail off the file."""
        if not self.path.exists():
            return
        data = self.path.read_bytes()
        offset = 0
        while offset + _HEADER.size <= len(data):
            length, crc = _HEADER.unpack_from(data, offset)
            payload = data[offset + _HEADER.size : offset + _HEADER.size + length]
            if len(payload) < length or zlib.crc32(payload) != crc:
                break
            seq, request = pickle.loads(payload)  # noqa: S301 - our own file
            yield seq, request
            offset += _HEADER.size + length
        if offset < len(data):
            _log.warning("cut %d torn bytes off %s", len(data) - offset, self.path)
            os.truncate(self.path, offset)

    def append(self, request: Request) -> None:
        """Write the next record (not yet synced: call ``sync`` before acknowledging)."""
        payload = pickle.dumps((self.seq + 1, request), protocol=pickle.HIGHEST_PROTOCOL)
        record = _HEADER.pack(len(payload), zlib.crc32(payload)) + payload
        view = memoryview(record)
        fd = self._open()
        while view:
            view = view[os.write(fd, view) :]
        self.seq += 1
        self.pending += 1

    def sync(self) -> None:
        """Make every appended record survive a crash of the machine."""
        if self._fd is not None:
            os.fdatasync(self._fd)

    def empty(self) -> None:
        """Drop every record (a snapshot now covers them)."""
        if self._fd is None and not self.path.exists():
            self.pending = 0
            return
        fd = self._open()
        os.ftruncate(fd, 0)
        os.fsync(fd)
        self.pending = 0

    def close(self) -> None:
        """Close the file."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def _open(self) -> int:
        if self._fd is None:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            os.fchmod(self._fd, 0o600)
        return self._fd


def replay(journal: Journal, after: int, app: Callable[..., Any]) -> int:
    """Apply the journal's records past ``after`` through ``app``; return how many ran."""
    journal.seq = after
    applied = 0
    for seq, request in journal.records():
        if seq <= after:
            continue  # the snapshot already holds it
        body = app(replay_environ(request), lambda *_: None)
        for _chunk in body:
            pass
        getattr(body, "close", lambda: None)()
        journal.seq = seq
        applied += 1
    return applied
