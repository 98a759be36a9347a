"""Local AWS endpoint: moto in server mode, with its state written through to disk.

Owns the process behind ``http://127.0.0.1:4566``. moto keeps everything in memory, so this
wrapper saves the backends a request changed to ``.finq/aws-state/`` (see
``devstack.aws_state``; DynamoDB writes and SQS sends are journaled, ``devstack.aws_journal``)
before that request's response leaves: a 2xx means the change is on disk, and a restart or a
crash (even SIGKILL) loses nothing that was acknowledged.
Run as ``python -m devstack.aws_server --port 4566 --state PATH``.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import logging
import os
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from devstack.aws_journal import COMPACT_EVERY, JOURNALED, Journal, capture, journaled, replay
from devstack.aws_requests import action_of, touched_backends
from devstack.aws_state import PERSISTED, StateFile, read_blobs, register_picklers, restore

_log = logging.getLogger("finq.aws")


class _WriteGate:
    """Many writing requests at once, or one save alone (which waits for them to finish)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._writers = 0
        self._saving = False

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: not self._saving)
            self._writers += 1
        try:
            yield
        finally:
            with self._cond:
                self._writers -= 1
                self._cond.notify_all()

    @contextlib.contextmanager
    def saving(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: not self._saving)
            self._saving = True  # new writers wait from here, so a busy server cannot starve us
            self._cond.wait_for(lambda: self._writers == 0)
        try:
            yield
        finally:
            with self._cond:
                self._saving = False
                self._cond.notify_all()


class WriteThrough:
    """WSGI wrapper: a writing request's response is held until its change is on disk.

    Writes a journal records (every DynamoDB write, SQS sends: ``devstack.aws_journal``) are
    appended under that journal's lock, which orders them as moto applies them. Other writes
    pickle the backends they touched (a journaled backend is snapshotted and its journal
    emptied); those saves coalesce: a request waits for one save that began after its change,
    and a save pickles every backend changed since the last one.
    """

    def __init__(
        self, app: Any, state: StateFile | None, journals: dict[str, Journal] | None = None
    ) -> None:
        """Wrap moto's dispatcher ``app``; with no ``state`` nothing is saved."""
        self._app = app
        self._state = state
        self._journals = (journals or {}) if state is not None else {}
        # A journal's lock is taken before the gate, never after; several in sorted order.
        self._locks = {name: threading.RLock() for name in self._journals}
        self._gate = _WriteGate()
        self._meta = threading.Lock()
        self._save_lock = threading.Lock()
        self._changed = 0  # writes finished so far
        self._saved = 0  # writes covered by the file
        self._dirty: set[str] = set()

    def __call__(self, environ: Any, start_response: Any) -> Any:
        """Serve one request; save what it changed before answering."""
        names = touched_backends(self._app, environ) if self._state is not None else ()
        if not names:
            return self._app(environ, start_response)
        if len(names) == 1 and names[0] in self._journals:
            if journaled(names[0], action_of(environ)):
                return self._journaled(names[0], environ, start_response)
        snapshotted = sorted(name for name in names if name in self._journals)
        others = tuple(name for name in names if name not in self._journals)
        with contextlib.ExitStack() as held:
            for name in snapshotted:
                held.enter_context(self._locks[name])
            status, chunks = self._apply(environ)
            try:
                for name in snapshotted:
                    self.compact(name)
                self._save_others(others)
            except Exception:  # noqa: BLE001 - answered as a 503: no 2xx without the disk
                return _unsaved(start_response)
        start_response(*status)
        return chunks

    def _apply(self, environ: Any, gated: bool = True) -> tuple[Any, list[bytes]]:
        """Run the request in moto; inside the write gate unless a journal lock orders it."""
        captured: list[Any] = []
        with self._gate.writing() if gated else contextlib.nullcontext():
            body = self._app(environ, lambda *args: captured.append(args))
            chunks = list(body)
            getattr(body, "close", lambda: None)()
        return captured[0], chunks

    def _save_others(self, names: tuple[str, ...]) -> None:
        if not names:
            return
        with self._meta:
            self._changed += 1
            self._dirty.update(names)
            mine = self._changed
        self.save_through(mine)

    def _journaled(self, name: str, environ: Any, start_response: Any) -> Any:
        """Apply a write and append it to the backend's journal, in one order; sync; answer."""
        journal = self._journals[name]
        request = capture(environ)
        with self._locks[name]:  # pickles of other backends need not wait for it
            status, chunks = self._apply(environ, gated=False)
            try:
                journal.append(request)
            except Exception:  # noqa: BLE001 - answered as a 503: no 2xx without the disk
                return _unsaved(start_response)
            due = journal.pending >= COMPACT_EVERY
        try:
            journal.sync()
            if due:
                self.compact(name)
        except Exception:  # noqa: BLE001 - answered as a 503: no 2xx without the disk
            return _unsaved(start_response)
        start_response(*status)
        return chunks

    def compact(self, name: str) -> None:
        """Snapshot a journaled backend and empty its journal."""
        if name not in self._journals or self._state is None:
            return
        with self._locks[name]:
            self._state.save_snapshot(name, self._journals[name].seq)
            self._journals[name].empty()

    def save_through(self, change: int) -> None:
        """Return once the file covers write number ``change`` (saving if nobody has)."""
        assert self._state is not None
        with self._save_lock:
            if self._saved >= change:
                return  # a save that began after our change already covered it
            with self._gate.saving():
                with self._meta:
                    covered, names = self._changed, self._dirty
                    self._dirty = set()
                try:
                    self._state.snapshot(sorted(names))
                except Exception:
                    with self._meta:
                        self._dirty |= names
                    raise
            self._state.write()
            self._saved = covered

    def save_all(self) -> None:
        """Pickle and write every persisted backend (at shutdown)."""
        if self._state is None:
            return
        with self._save_lock, self._gate.saving():
            for name in PERSISTED:
                if name in self._journals:
                    continue  # compacted below
                try:
                    self._state.snapshot([name])
                except Exception:  # noqa: BLE001, S112 - logged; its last good pickle is kept
                    continue
            self._state.write()
        for name in sorted(self._journals):
            self.compact(name)


def _unsaved(start_response: Any) -> list[bytes]:
    _log.exception("could not save the local AWS state")
    start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
    return [b"the local AWS endpoint could not save its state to disk"]


def _restored(dispatcher: Any, state: Path) -> WriteThrough:
    """Load the state kept for ``state``, replay the journal, and wrap ``dispatcher``."""
    blobs = read_blobs(state)
    restored = restore(blobs)
    if restored:
        _log.info("restored moto state: %s", ", ".join(restored))
    state_file = StateFile(state)
    if blobs and not state_file.folder.is_dir():
        state_file.adopt(blobs)  # the single file of earlier versions, split per backend
    journals = {name: Journal(state_file.folder, name) for name in JOURNALED}
    app = WriteThrough(dispatcher, state_file, journals)
    for name, journal in journals.items():
        replayed = replay(journal, restored.get(name, 0), dispatcher)
        if replayed:
            _log.info("replayed %d %s writes from the journal", replayed, name)
        if journal.path.exists() and journal.path.stat().st_size:
            app.compact(name)  # start from a snapshot: the next crash replays only what follows
    return app


def _settle_heap() -> None:
    """Load every persisted service's backend, then freeze what exists into the permanent heap.

    moto's modules and backends are hundreds of thousands of objects that live as long as the
    server; left in the collector's generations, each full collection walks them all (~75 ms,
    every ~60 desk submissions: the tail of the desk's submit latency). Frozen, a collection
    walks only what was made since.
    """
    from moto.backends import get_backend

    for name in PERSISTED:
        get_backend(name)  # type: ignore[call-overload]  # imports its module, builds regions
    gc.collect()
    gc.freeze()


def serve(host: str, port: int, state: Path | None) -> None:
    """Serve moto on ``host:port`` until SIGINT/SIGTERM, writing changes through to ``state``."""
    # Deterministic pool/client ids keep tokens and settings stable across restarts.
    os.environ.setdefault("MOTO_COGNITO_IDP_USER_POOL_ID_STRATEGY", "HASH")
    os.environ.setdefault("MOTO_COGNITO_IDP_USER_POOL_CLIENT_ID_STRATEGY", "HASH")
    from moto.moto_server.threaded_moto_server import MotoRequestHandler
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    register_picklers()
    dispatcher = DomainDispatcherApplication(create_backend_app)
    app = WriteThrough(dispatcher, None)
    if state is not None:
        app = _restored(dispatcher, state)
    _settle_heap()
    server = make_server(host, port, app, True, request_handler=MotoRequestHandler)
    threading.Thread(target=server.serve_forever, name="moto", daemon=True).start()
    _log.info("local AWS endpoint on http://%s:%d", host, port)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    stop.wait()
    server.shutdown()
    try:
        app.save_all()  # also keeps what reads changed (SQS receive counts)
    except Exception:  # noqa: BLE001 - every acknowledged write is on disk already
        _log.exception("could not save the local AWS state to %s at shutdown", state)


def main() -> None:
    """Parse arguments and serve."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=4566)
    parser.add_argument("--state", type=Path, default=None, help="file to persist state to")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s aws %(message)s")
    serve(args.host, args.port, args.state)


if __name__ == "__main__":
    main()
