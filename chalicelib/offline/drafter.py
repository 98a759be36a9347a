"""Offline answer drafts for the inquiry desk: the tenant's FAQ entry that answers, if one does.

Owns local mode's stand-in for the Bedrock drafter. The draft is the closest FAQ entry's answer
(grounded: the tenant's own words); its confidence says whether that entry answers THIS question,
not merely one on the same topic. How it is computed (each part 0-1):

- similarity: cosine of the e5 vectors of the inquiry and the entry's question, mapped from the
  span where e5 separates "same question" from "same topic" (0.84 -> 0, 0.94 -> 1);
- margin: how far the best entry is ahead of the runner-up (0.05 or more -> 1); an inquiry
  equally near two entries is answered by neither with any certainty;
- coverage: the share of the inquiry's key terms (nouns, content words) the entry mentions;

confidence = 0.5 similarity + 0.25 margin + 0.25 coverage, then halved when the kind of question
disagrees (asked "how much", the entry tells "how"), and scaled by 1 - 0.7 x the share of key
terms nothing the tenant wrote mentions (asked about overseas shipping, the FAQ never says
"overseas"). The three nearest entries are scored and the best is drafted.
The entry answers the question when confidence >= 0.6.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from chalicelib.desk_rules import language_of
from chalicelib.offline import faq_match
from chalicelib.ports import DraftAnswer

_LOW, _HIGH = 0.84, 0.94
_MARGIN = 0.05
ANSWERS_AT = 0.6


def match_confidence(
    similarities: np.ndarray, best: int, inquiry: str, faq: list[dict[str, Any]], context: str
) -> tuple[float, dict[str, Any]]:
    """Return the confidence that ``faq[best]`` answers ``inquiry``, and its parts."""
    others = np.delete(similarities, best)
    margin = float(similarities[best] - others.max()) if len(others) else _MARGIN
    entry = faq[best]
    terms = faq_match.key_terms(inquiry)
    tenant_text = context + "\n" + "\n".join(f"{e['question']}\n{e['answer']}" for e in faq)
    novel = faq_match.novel_terms(terms, tenant_text)
    similarity = float(np.clip((similarities[best] - _LOW) / (_HIGH - _LOW), 0, 1))
    margin_part = float(np.clip(margin / _MARGIN, 0, 1))
    covered = faq_match.coverage(terms, f"{entry['question']}\n{entry['answer']}")
    agree = faq_match.kinds_agree(
        faq_match.question_kind(inquiry), faq_match.question_kind(entry["question"])
    )
    confidence = 0.5 * similarity + 0.25 * margin_part + 0.25 * covered
    if not agree:
        confidence *= 0.5
    confidence *= 1 - 0.7 * len(novel) / max(len(terms), 1)
    parts = {
        "similarity": round(similarity, 3),
        "margin": round(margin_part, 3),
        "coverage": round(covered, 3),
        "kinds_agree": agree,
        "novel_terms": novel,
    }
    return round(confidence, 3), parts


class OfflineDrafter:
    """Draft from the FAQ entry that answers the inquiry."""

    model_id = "finq-offline-faq"

    def __init__(self, embed: Callable[[Sequence[str]], list[list[float]]]) -> None:
        """Use the offline embedding model (FAQ question vectors are cached)."""
        self._embed = embed
        self._cache: dict[str, np.ndarray] = {}

    def draft(self, inquiry: dict[str, Any], tenant: dict[str, Any]) -> DraftAnswer:
        """Return the closest entry's answer with the confidence that it answers the inquiry."""
        faq = tenant.get("faq") or []
        text = f"{inquiry['title']}\n{inquiry['content']}"
        if not faq:
            return {
                "answer": "",
                "confidence": 0.0,
                "source": None,
                "usage": {},
                "answers_question": False,
                "entry_index": None,
            }
        similarity = self._similarities(text, faq)
        # The nearest question is not always the one answered: re-rank the three nearest by
        # the whole match (coverage and the kind of question count too).
        candidates = [
            (
                int(i),
                *match_confidence(similarity, int(i), text, faq, tenant.get("domain_context", "")),
            )
            for i in np.argsort(-similarity)[:3]
        ]
        best, confidence, parts = max(candidates, key=lambda c: c[1])
        entry = faq[best]
        intro = (
            "문의해 주셔서 감사합니다. 자주 묻는 질문의 안내를 드립니다:\n\n"
            if language_of(text) == "ko"
            else "Thank you for your message. From our FAQ:\n\n"
        )
        return {
            "answer": intro + entry["answer"],
            "confidence": confidence,
            "source": entry.get("id") or entry["question"],
            "usage": {"input_tokens": len(text) // 3, "output_tokens": len(entry["answer"]) // 3},
            "answers_question": confidence >= ANSWERS_AT,
            "entry_index": best,
            "match": parts,
        }

    def _similarities(self, text: str, faq: list[dict[str, Any]]) -> np.ndarray:
        missing = [e["question"] for e in faq if e["question"] not in self._cache]
        if missing:
            if len(self._cache) > 5000:
                self._cache.clear()
            vectors = np.array(self._embed(missing), dtype=np.float32)
            self._cache.update(zip(missing, vectors, strict=True))
        query = np.array(self._embed([text])[0], dtype=np.float32)
        similarity: np.ndarray = np.vstack([self._cache[e["question"]] for e in faq]) @ query
        return similarity
