"""The local AWS endpoint's state on disk: moto's backends pickled, one file per backend.

Owns what goes into ``.finq/aws-state/<backend>.pickle`` and how it is written (atomically,
mode 0600 in a 0700 folder: Cognito's users hold plaintext passwords), and reads the single
``.finq/aws-state.pickle`` of earlier versions. It knows nothing of HTTP: the server decides
when to save and which backends a request touched.
"""

from __future__ import annotations

import copyreg
import logging
import os
import pickle
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from devstack.aws_journal import covered, snapshot_blob

_log = logging.getLogger("finq.aws")

# Backends FinQ talks to; each is pickled on its own so one failure loses only that one.
PERSISTED = ("cognito-idp", "dynamodb", "s3", "sns", "sqs", "ses", "sesv2", "secretsmanager")
# Requests that moto serves without the write gate (SQS receives) may change a container while
# it is being pickled; pickling again sees it settled.
_PICKLE_ATTEMPTS = 5


def _load_rsa_key(pem: bytes) -> Any:
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    return load_pem_private_key(pem, password=None)


def _reduce_rsa_key(key: Any) -> tuple[Any, tuple[bytes]]:
    from cryptography.hazmat.primitives import serialization

    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return _load_rsa_key, (pem,)


def _reduce_condition(_condition: threading.Condition) -> tuple[Any, tuple[()]]:
    # A lock's state means nothing in another process: restore a fresh, released one.
    return threading.Condition, ()


def register_picklers() -> None:
    """Teach pickle the objects moto's backends hold that do not pickle on their own."""
    from cryptography.hazmat.primitives.asymmetric import rsa

    # Cognito's user pools hold a cryptography RSA key.
    key_type = type(rsa.generate_private_key(public_exponent=65537, key_size=1024))
    copyreg.pickle(key_type, _reduce_rsa_key)
    # Every SQS queue holds a threading.Condition (around an RLock) for long polling.
    copyreg.pickle(threading.Condition, _reduce_condition)


def dump_backend(name: str, seq: int | None = None) -> bytes:
    """Pickle one moto backend (every account and region of it).

    With ``seq``, the pickle is a journal snapshot covering records up to ``seq``.
    """
    from moto.backends import get_backend

    for attempt in range(1, _PICKLE_ATTEMPTS + 1):
        try:
            backend = get_backend(name)  # type: ignore[arg-type]
            if seq is not None:
                return snapshot_blob(seq, backend)
            return pickle.dumps(backend, protocol=pickle.HIGHEST_PROTOCOL)
        except RuntimeError:  # "changed size during iteration": a receive ran meanwhile
            if attempt == _PICKLE_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def write_private(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically; the file is readable by its owner only."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)  # a tmp file left by a crash may have been created otherwise
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        # The page cache already survives a killed process; fsync (about 1 ms for 600 kB here)
        # makes the file survive a crash of the machine too.
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)  # the rename itself
    finally:
        os.close(folder)


def state_dir(path: Path) -> Path:
    """Return the folder holding one file per backend for ``--state path`` (``aws-state/``)."""
    return path.with_suffix("") if path.suffix else path.with_name(path.name + ".d")


def read_blobs(path: Path) -> dict[str, bytes]:
    """Return the pickled backends kept for ``path`` (none if absent or unreadable).

    One file per backend lives in ``state_dir(path)``; ``path`` itself is the single file that
    earlier versions wrote, read only when the folder does not exist yet.
    """
    folder = state_dir(path)
    if folder.is_dir():
        os.chmod(folder, 0o700)
        blobs = {}
        for file in sorted(folder.glob("*.pickle")):
            os.chmod(file, 0o600)
            blobs[file.stem] = file.read_bytes()
        return blobs
    if not path.exists():
        return {}
    os.chmod(path, 0o600)  # files written before 0600 was enforced were world-readable
    try:
        blobs = pickle.loads(path.read_bytes())  # noqa: S301 - our own file
    except Exception as exc:  # noqa: BLE001 - a corrupt file must not stop the server
        _log.warning("ignoring unreadable moto state %s: %s", path, exc)
        return {}
    return blobs


def restore(blobs: dict[str, bytes]) -> dict[str, int]:
    """Load pickled backends into moto.

    Returns:
        Each restored backend with the journal records its snapshot covers
        (``devstack.aws_journal``; 0 for a backend without a journal).
    """
    from moto.backends import get_backend

    restored = {}
    for name, blob in blobs.items():
        try:
            seq, saved = covered(pickle.loads(blob))  # noqa: S301 - our own file
            live = get_backend(name)  # type: ignore[arg-type]
            live.clear()
            live.update(saved)
            restored[name] = seq
        except Exception as exc:  # noqa: BLE001 - start that backend empty instead
            _log.warning("could not restore moto backend %s: %s", name, exc)
    return restored


class StateFile:
    """The state on disk: one file per backend, rewritten when that backend changed.

    A save pickles only the backends a request touched and writes only their files, so its cost
    does not grow with what other backends hold (S3 objects, say).
    """

    def __init__(self, path: Path) -> None:
        """Keep state for ``--state path`` in ``state_dir(path)``."""
        self.path = path
        self.folder = state_dir(path)
        self._pending: dict[str, bytes] = {}

    def snapshot(self, names: Iterable[str]) -> None:
        """Pickle the named backends in memory (the caller keeps moto from changing them)."""
        for name in names:
            try:
                self._pending[name] = dump_backend(name)
            except Exception:
                _log.exception("could not pickle moto backend %s", name)
                raise

    def save_snapshot(self, name: str, seq: int) -> None:
        """Pickle and write backend ``name`` now, as a journal snapshot covering ``seq``."""
        self._mkdir()
        write_private(self.folder / f"{name}.pickle", dump_backend(name, seq))

    def _mkdir(self) -> None:
        if not self.folder.is_dir():
            self.folder.mkdir(mode=0o700, parents=True)

    def write(self) -> None:
        """Write the backends snapshotted since the last write, each to its own file."""
        self._mkdir()
        while self._pending:
            name, blob = self._pending.popitem()
            write_private(self.folder / f"{name}.pickle", blob)

    def adopt(self, blobs: dict[str, bytes]) -> None:
        """Write ``blobs`` (read from an older single file) as per-backend files, then drop it."""
        self._pending.update(blobs)
        self.write()
        if self.path.is_file():
            self.path.unlink()
