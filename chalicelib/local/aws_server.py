"""Local AWS endpoint: moto in server mode, with its state kept across restarts.

Owns the process behind ``http://127.0.0.1:4566``. moto keeps everything in memory, so this
wrapper pickles the backends FinQ uses to ``.finq/aws-state.pickle`` every 30 s (when requests
came) and at shutdown, and loads them at start: users, tables and buckets survive a restart.
Run as ``python -m chalicelib.local.aws_server --port 4566 --state PATH``.
"""

from __future__ import annotations

import argparse
import copyreg
import logging
import os
import pickle
import signal
import threading
from pathlib import Path
from typing import Any

_log = logging.getLogger("finq.aws")

# Backends FinQ talks to; each is pickled on its own so one failure loses only that one.
PERSISTED = ("cognito-idp", "dynamodb", "s3", "sns", "sqs", "ses", "sesv2", "secretsmanager")
_SAVE_EVERY_SECONDS = 30.0


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


def _register_picklers() -> None:
    # moto's Cognito holds a cryptography RSA key, which does not pickle on its own.
    from cryptography.hazmat.primitives.asymmetric import rsa

    key_type = type(rsa.generate_private_key(public_exponent=65537, key_size=1024))
    copyreg.pickle(key_type, _reduce_rsa_key)


def save_state(path: Path) -> list[str]:
    """Pickle the persisted backends atomically to ``path``; return those saved."""
    from moto.backends import get_backend

    blobs: dict[str, bytes] = {}
    for name in PERSISTED:
        try:
            blobs[name] = pickle.dumps(get_backend(name))  # type: ignore[arg-type]
        except Exception as exc:  # noqa: BLE001 - keep the others; say which was lost
            _log.warning("could not save moto backend %s: %s", name, exc)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(pickle.dumps(blobs))
    os.replace(tmp, path)
    return sorted(blobs)


def load_state(path: Path) -> list[str]:
    """Load pickled backends from ``path`` into moto; return those restored."""
    from moto.backends import get_backend

    if not path.exists():
        return []
    try:
        blobs: dict[str, bytes] = pickle.loads(path.read_bytes())  # noqa: S301 - our own file
    except Exception as exc:  # noqa: BLE001 - a corrupt file must not stop the server
        _log.warning("ignoring unreadable moto state %s: %s", path, exc)
        return []
    restored = []
    for name, blob in blobs.items():
        try:
            saved = pickle.loads(blob)  # noqa: S301 - our own file
            live = get_backend(name)  # type: ignore[arg-type]
            live.clear()
            live.update(saved)
            restored.append(name)
        except Exception as exc:  # noqa: BLE001 - start that backend empty instead
            _log.warning("could not restore moto backend %s: %s", name, exc)
    return restored


class _Counting:
    """WSGI wrapper counting requests, so state is saved only after something could change."""

    def __init__(self, app: Any) -> None:
        self._app = app
        self.requests = 0

    def __call__(self, environ: Any, start_response: Any) -> Any:
        self.requests += 1
        return self._app(environ, start_response)


def serve(host: str, port: int, state: Path | None) -> None:
    """Serve moto on ``host:port`` until SIGINT/SIGTERM, persisting to ``state``."""
    # Deterministic pool/client ids keep tokens and settings stable across restarts.
    os.environ.setdefault("MOTO_COGNITO_IDP_USER_POOL_ID_STRATEGY", "HASH")
    os.environ.setdefault("MOTO_COGNITO_IDP_USER_POOL_CLIENT_ID_STRATEGY", "HASH")
    from moto.moto_server.threaded_moto_server import MotoRequestHandler
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    _register_picklers()
    if state is not None:
        restored = load_state(state)
        if restored:
            _log.info("restored moto state: %s", ", ".join(restored))
    app = _Counting(DomainDispatcherApplication(create_backend_app))
    server = make_server(host, port, app, True, request_handler=MotoRequestHandler)
    threading.Thread(target=server.serve_forever, name="moto", daemon=True).start()
    _log.info("local AWS endpoint on http://%s:%d", host, port)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    saved_at = 0
    while not stop.wait(_SAVE_EVERY_SECONDS):
        if state is not None and app.requests != saved_at:
            saved_at = app.requests
            _save_logged(state)
    if state is not None:
        _save_logged(state)
    server.shutdown()


def _save_logged(state: Path) -> None:
    # A failed save must never take the endpoint down; the next one tries again.
    try:
        save_state(state)
    except Exception:  # noqa: BLE001
        _log.exception("could not save the local AWS state to %s", state)


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
