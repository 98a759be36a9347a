"""Start and stop local mode's parts: embedded PostgreSQL, Milvus Lite's server, moto's server.

Owns child processes and their clean shutdown: every process started here is stopped by
``stop()``, and children also die with their parent (PR_SET_PDEATHSIG), so Ctrl-C or a crash of
the runner leaves no orphan moto or Milvus behind.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from chalicelib.settings import Settings
from devstack.postgres import EmbeddedPostgres

_log = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        pass  # not Linux: Ctrl-C still reaches the process group


def port_open(host: str, port: int) -> bool:
    """Return True when something accepts TCP connections on ``host:port``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.2)
        return sock.connect_ex((host, port)) == 0


def free_port(host: str = "127.0.0.1") -> int:
    """Return a TCP port that is free right now (for tests)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class LocalServices:
    """The local stand-ins for AWS parts, sharing one data directory (``FINQ_HOME``)."""

    def __init__(self, settings: Settings) -> None:
        """Prepare to run the parts that ``settings`` points at."""
        self._settings = settings
        self._postgres = EmbeddedPostgres(settings.pg_data_dir)
        self._children: list[tuple[str, subprocess.Popen[bytes]]] = []
        self._commands: dict[str, tuple[list[str], Path]] = {}

    def start(self, timeout: float = 60.0) -> None:
        """Start every part and wait until each accepts connections."""
        settings = self._settings
        settings.home.mkdir(parents=True, exist_ok=True)
        self._check_ports_free()
        logs = settings.home / "logs"
        logs.mkdir(exist_ok=True)
        self._spawn(
            "aws",
            [
                sys.executable,
                "-m",
                "devstack.aws_server",
                "--host",
                settings.host,
                "--port",
                str(settings.aws_port),
                "--state",
                str(settings.home / "aws-state.pickle"),
            ],
            logs / "aws.log",
        )
        settings.milvus_data_dir.mkdir(parents=True, exist_ok=True)
        self._spawn(
            "milvus",
            [
                str(Path(sys.executable).with_name("milvus-lite")),
                "server",
                "--data-dir",
                str(settings.milvus_data_dir),
                "--host",
                settings.host,
                "--port",
                str(settings.milvus_port),
            ],
            logs / "milvus.log",
        )
        try:
            self._postgres.start()
            self._wait_for_ports(timeout)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop every process this object started (SIGTERM, then SIGKILL after 10 s)."""
        for _, process in reversed(self._children):
            if process.poll() is None:
                process.terminate()
        for name, process in reversed(self._children):
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                _log.warning("%s did not stop in time; killing it", name)
                process.kill()
                process.wait()
        self._children.clear()
        self._postgres.stop()

    def revive(self) -> list[str]:
        """Restart any part that has died since ``start`` (a crash, a kill); return their names.

        A client of a dead part gets a 503 naming it; the runner calls this every few seconds so
        the part comes back (with its data: moto's state file, Milvus' and PostgreSQL's data
        directories) without restarting FinQ.
        """
        revived: list[str] = []
        for index, (name, process) in enumerate(self._children):
            if process.poll() is None:
                continue
            _log.warning("%s exited with code %s; starting it again", name, process.returncode)
            argv, log_path = self._commands[name]
            self._children[index] = (name, self._popen(argv, log_path))
            revived.append(name)
        if self._postgres.running() is False:
            _log.warning("PostgreSQL is not running; starting it again")
            try:
                self._postgres.start()
                revived.append("postgres")
            except Exception as exc:  # noqa: BLE001 - tried again on the next round
                _log.warning("PostgreSQL did not start: %s", exc)
        return revived

    def _spawn(self, name: str, argv: list[str], log_path: Path) -> None:
        self._commands[name] = (argv, log_path)
        self._children.append((name, self._popen(argv, log_path)))

    def _popen(self, argv: list[str], log_path: Path) -> subprocess.Popen[bytes]:
        log = log_path.open("ab")
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        process = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
            argv, stdout=log, stderr=subprocess.STDOUT, env=env, preexec_fn=_die_with_parent
        )
        log.close()
        return process

    def _check_ports_free(self) -> None:
        settings = self._settings
        for name, port in (("aws", settings.aws_port), ("milvus", settings.milvus_port)):
            if port_open(settings.host, port):
                raise RuntimeError(
                    f"port {port} ({name}) is already in use: is FinQ already running? "
                    f"Stop it, or choose another port (FINQ_{name.upper()}_PORT)."
                )

    def _wait_for_ports(self, timeout: float) -> None:
        settings = self._settings
        deadline = time.monotonic() + timeout
        pending = {"aws": settings.aws_port, "milvus": settings.milvus_port}
        while pending:
            for name, process in self._children:
                if process.poll() is not None:
                    raise RuntimeError(
                        f"{name} exited with code {process.returncode}; "
                        f"see {settings.home / 'logs' / (name + '.log')}"
                    )
            pending = {n: p for n, p in pending.items() if not port_open(settings.host, p)}
            if pending and time.monotonic() > deadline:
                raise RuntimeError(f"timed out waiting for {', '.join(pending)} to listen")
            time.sleep(0.1)
