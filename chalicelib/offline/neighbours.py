"""k-nearest-neighbour text classification over the offline embedding model's vectors.

Owns the classifier behind the desk's offline sentiment (offline.sentiment): a text is compared
only with the labelled examples written in its own language (desk_rules.language_of), and its
k closest examples vote, each with its cosine similarity. Examples are embedded lazily, once.
A few hundred varied examples beat one mean vector per label: a calm question about a lost card
sits near other calm questions, not near the centre of every sentence that mentions a card.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from chalicelib.desk_rules import language_of

Embed = Callable[[Sequence[str]], list[list[float]]]
_Pool = tuple[list[str], np.ndarray]


class NearestNeighbours:
    """Label a text by a similarity-weighted vote of its k nearest same-language examples."""

    def __init__(self, embed: Embed, examples: Mapping[str, Sequence[str]], k: int = 5) -> None:
        """Keep the embedder, the examples by label and ``k``; nothing is embedded yet."""
        self._embed = embed
        self._examples = examples
        self._k = k
        self._pools: dict[str, _Pool] | None = None
        self._lock = threading.Lock()

    @property
    def labels(self) -> list[str]:
        """Every label, in the examples' order."""
        return list(self._examples)

    def votes(self, text: str) -> dict[str, float]:
        """Each label's share (0-1) of the similarity of the k nearest examples in the language."""
        pools = self._model()
        labels, vectors = pools.get(language_of(text)) or next(iter(pools.values()))
        vector = np.array(self._embed([text])[0], dtype=np.float32)
        vector /= np.linalg.norm(vector) or 1.0
        similarity = vectors @ vector
        nearest = np.argsort(-similarity)[: self._k]
        totals = dict.fromkeys(self.labels, 0.0)
        for index in nearest:
            totals[labels[index]] += max(float(similarity[index]), 0.0)
        whole = sum(totals.values()) or 1.0
        return {label: round(value / whole, 4) for label, value in totals.items()}

    def label(self, text: str) -> str:
        """The label with the largest vote."""
        votes = self.votes(text)
        return max(votes, key=votes.__getitem__)

    def _model(self) -> dict[str, _Pool]:
        """The examples' unit vectors and labels, one pool per language."""
        with self._lock:
            if self._pools is None:
                grouped: dict[str, tuple[list[str], list[str]]] = {}
                for label, texts in self._examples.items():
                    for text in texts:
                        labels, sentences = grouped.setdefault(language_of(text), ([], []))
                        labels.append(label)
                        sentences.append(text)
                self._pools = {
                    language: (labels, _unit_rows(self._embed(sentences)))
                    for language, (labels, sentences) in grouped.items()
                }
            return self._pools


def _unit_rows(vectors: list[list[float]]) -> np.ndarray:
    rows = np.array(vectors, dtype=np.float32)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms == 0, 1.0, norms)
