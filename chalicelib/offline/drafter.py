"""Offline answer drafts for the inquiry desk: the tenant's closest FAQ entry, with confidence.

Owns local mode's stand-in for the Bedrock drafter: embed the inquiry and the FAQ questions,
take the most similar entry, and turn the cosine similarity into a confidence. The draft is
grounded (it is the tenant's own answer) and says so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from chalicelib.desk_rules import language_of
from chalicelib.ports import DraftAnswer

# Cosine similarity of e5 vectors sits in ~0.75-0.95; map that span onto 0-1.
_LOW, _HIGH = 0.78, 0.93


class OfflineDrafter:
    """Draft from the closest FAQ answer."""

    model_id = "finq-offline-faq"

    def __init__(self, embed: Callable[[Sequence[str]], list[list[float]]]) -> None:
        """Use the offline embedding model (FAQ question vectors are cached)."""
        self._embed = embed
        self._cache: dict[str, np.ndarray] = {}

    def draft(self, inquiry: dict[str, Any], tenant: dict[str, Any]) -> DraftAnswer:
        """Return ``{"answer", "confidence", "source", "usage"}`` for an inquiry."""
        faq = tenant.get("faq") or []
        text = f"{inquiry['title']}\n{inquiry['content']}"
        if not faq:
            return {"answer": "", "confidence": 0.0, "source": None, "usage": {}}
        missing = [e["question"] for e in faq if e["question"] not in self._cache]
        if missing:
            if len(self._cache) > 5000:
                self._cache.clear()
            vectors = np.array(self._embed(missing), dtype=np.float32)
            self._cache.update(zip(missing, vectors, strict=True))
        query = np.array(self._embed([text])[0], dtype=np.float32)
        similarity = np.vstack([self._cache[e["question"]] for e in faq]) @ query
        best = int(np.argmax(similarity))
        confidence = float(np.clip((similarity[best] - _LOW) / (_HIGH - _LOW), 0.0, 1.0))
        entry = faq[best]
        intro = (
            "문의해 주셔서 감사합니다. 자주 묻는 질문의 안내를 드립니다:\n\n"
            if language_of(text) == "ko"
            else "Thank you for your message. From our FAQ:\n\n"
        )
        return {
            "answer": intro + entry["answer"],
            "confidence": round(confidence, 3),
            "source": entry.get("id") or entry["question"],
            "usage": {"input_tokens": len(text) // 3, "output_tokens": len(entry["answer"]) // 3},
        }
