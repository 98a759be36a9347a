"""Protocols for FinQ's swappable capabilities; providers.py picks the implementation.

Owns the method names and shapes every backend shares. No implementations here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class Embedder(Protocol):
    """Turns texts into normalized vectors of a fixed dimension."""

    model_id: str
    dimension: int

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """Embed passages to be searched (one vector per text, same order)."""
        ...

    def embed_query(self, text: str) -> list[float]:
        """Embed a search query."""
        ...
