"""A throwaway local stack for benchmarks: FinQ's own local parts in a temporary FINQ_HOME."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from chalicelib import providers
from chalicelib.settings import get_settings
from devstack.bootstrap import bootstrap
from devstack.services import LocalServices, free_port


@contextlib.contextmanager
def local_stack() -> Iterator[providers.Container]:
    """Start PostgreSQL, Milvus Lite and moto on free ports; yield the ready container."""
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
    with tempfile.TemporaryDirectory(prefix="finq-bench-") as home:
        os.environ.update(
            FINQ_MODE="local",
            FINQ_HOME=str(Path(home)),
            FINQ_AWS_PORT=str(free_port()),
            FINQ_MILVUS_PORT=str(free_port()),
        )
        providers.reset()
        services = LocalServices(get_settings())
        services.start()
        try:
            container = providers.container()
            bootstrap(get_settings(), container)
            yield container
        finally:
            providers.reset()
            services.stop()


def percentile(samples: list[float], q: float) -> float:
    """The q-quantile of ``samples`` (nearest rank)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def report(label: str, samples: list[float], width: int = 38) -> None:
    """Print p50 and p99 of timings given in seconds."""
    import statistics

    p50, p99 = 1000 * statistics.median(samples), 1000 * percentile(samples, 0.99)
    print(f"  {label:<{width}} p50 {p50:7.1f} ms   p99 {p99:7.1f} ms   (n={len(samples)})")


@contextlib.contextmanager
def chalice_local(extra_env: dict[str, str] | None = None) -> Iterator[int]:
    """Run ``chalice local`` (the REST API) on a free port against the current stack; yield it."""
    import subprocess
    import sys
    import time

    from devstack.services import port_open

    port = free_port()
    root = Path(__file__).resolve().parent.parent
    process = subprocess.Popen(  # noqa: S603 - fixed argv
        [
            str(Path(sys.executable).with_name("chalice")),
            "local",
            "--stage",
            "local",
            "--port",
            str(port),
            "--no-autoreload",
        ],
        cwd=root,
        env={**os.environ, **(extra_env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not port_open("127.0.0.1", port) and time.monotonic() < deadline:
            time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)
