"""Per-install secrets for local mode: generated once into FINQ_HOME, never committed.

aws mode never reaches this module; there every secret comes from settings or Secrets Manager.
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path


def install_secret(home: Path, name: str) -> bytes:
    """Return the secret ``name`` of this install, generating it on first use.

    Every local process (REST server, WebSocket gateway, CLI) shares FINQ_HOME, so they agree on
    the secret. The file appears whole or not at all (written aside, then hard-linked), so two
    processes starting together both read the one that won.
    """
    home.mkdir(parents=True, exist_ok=True)
    path = home / f"{name}.secret"
    if not path.exists():
        aside = home / f".{name}.{os.getpid()}.{time.monotonic_ns()}"
        fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
        try:
            os.link(aside, path)
        except FileExistsError:
            pass  # another process won the race; its secret is the install's
        finally:
            aside.unlink()
    return path.read_text().strip().encode()
