"""Nearest-centroid text classification over the offline embedding model's vectors.

Owns the one classifier local mode uses twice: the advisor's intent (offline.chat_model) and
the desk's sentiment (offline.sentiment). Centroids are built lazily, once, from labelled examples.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence

import numpy as np

Embed = Callable[[Sequence[str]], list[list[float]]]


class NearestCentroid:
    """Label a text by the closest mean vector of each label's examples."""

    def __init__(self, embed: Embed, examples: Mapping[str, Sequence[str]]) -> None:
        """Keep the embedder and the labelled examples; nothing is embedded yet."""
        self._embed = embed
        self._examples = examples
        self._centroids: tuple[list[str], np.ndarray] | None = None
        self._lock = threading.Lock()

    def scores(self, text: str) -> dict[str, float]:
        """Cosine similarity of ``text`` to each label's centroid."""
        labels, centroids = self._model()
        vector = np.array(self._embed([text])[0], dtype=np.float32)
        return {
            label: float(score) for label, score in zip(labels, centroids @ vector, strict=True)
        }

    def label(self, text: str) -> str:
        """The closest label."""
        scores = self.scores(text)
        return max(scores, key=scores.__getitem__)

    def _model(self) -> tuple[list[str], np.ndarray]:
        with self._lock:
            if self._centroids is None:
                labels = list(self._examples)
                rows = []
                for label in labels:
                    vectors = np.array(self._embed(list(self._examples[label])), dtype=np.float32)
                    centroid = vectors.mean(axis=0)
                    rows.append(centroid / np.linalg.norm(centroid))
                self._centroids = (labels, np.vstack(rows))
            return self._centroids
