"""A throwaway local stack for benchmarks: FinQ's own local parts in a temporary FINQ_HOME."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from chalicelib import providers
from chalicelib.local.bootstrap import bootstrap
from chalicelib.local.services import LocalServices, free_port
from chalicelib.settings import get_settings


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
