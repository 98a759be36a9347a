"""Offline answer drafts for the inquiry desk: the tenant's FAQ entry that answers, if one does.

Owns local mode's stand-in for the Bedrock drafter. The draft is the closest FAQ entry's answer
(grounded: the tenant's own words); its confidence says whether that entry answers THIS question,
not merely one on the same topic. How it is computed (each part 0-1):

- similarity: the mean of two e5 cosines, the inquiry to the entry's question (both embedded as
  ``query:``) and the inquiry to the whole entry (question and answer, as a ``passage:``), the
  inquiry's mistyped English words first spelled as the tenant spells them ("cancle" ->
  "cancel": a typo throws e5 off, though not the term match below), mapped
  from the span where e5 separates "same topic" (-> 0) from "same question" (-> 1). The span
  depends on the language pair, measured on the desk evaluation set: Korean-Korean 0.86-0.94,
  English-English 0.83-0.91, across languages 0.79-0.87;
- margin: how far the entry is ahead of its best rival (0.005 or less -> 0, 0.035 or more
  -> 1), rivals being the other entries that could answer the kind of question asked (a fee
  entry is no rival for "up to how much can I send?"); measured, it is what best tells an
  answered question from an unanswered one: an inquiry no entry answers lies about equally near
  several;
- coverage: the share of the inquiry's key terms (nouns, content words; chalicelib/offline/
  words.py) the entry mentions, counting only terms in a script the entry is written in (an
  English word is not looked for in a Korean entry; none left: 0.5). A term is found inflected,
  mistyped by a letter ("배숑" ~ "배송", "recieve" ~ "receive"), abbreviated ("비번" ~
  "비밀번호") or spaced otherwise ("log in" ~ "login", "e-mail" ~ "email"); a synonym of a
  tenant word counts as that word (below);

confidence = 0.35 similarity + 0.5 margin + 0.15 coverage, then halved when the entry does not
answer every kind of question asked (asked "how much", the entry neither asks it nor gives an
amount), and scaled by 1 - 0.7 x the square root of the share of novel key terms: those nothing
the tenant wrote mentions, found as above, nor means (asked about overseas shipping, the FAQ
never says "overseas"; one such term in three costs 40%). A term means a tenant word when their
e5 word vectors are at least 0.94 alike and neither contains the other ("yearly" ~ "annually";
chalicelib/offline/term_vectors.py). The three nearest entries are scored and the best is
drafted. The entry answers the question when confidence >= 0.6.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from chalicelib.desk_rules import language_of
from chalicelib.offline import faq_match
from chalicelib.offline.term_vectors import TermNeighbours
from chalicelib.ports import DraftAnswer, Embedder

# e5 similarity span from "same topic" (-> 0) to "same question" (-> 1), by language pair
# (inquiry, entry): English runs lower than Korean, and across languages lower still.
_SPAN = {
    ("ko", "ko"): (0.86, 0.94),
    ("en", "en"): (0.83, 0.91),
    ("ko", "en"): (0.79, 0.87),
    ("en", "ko"): (0.79, 0.87),
}
_MARGIN_FLOOR, _MARGIN_FULL = 0.005, 0.035
_W_SIM, _W_MARGIN, _W_COVER, _NOVEL = 0.35, 0.5, 0.15, 0.7
ANSWERS_AT = 0.6
_CACHE_LIMIT = 5000


def _similarity_part(similarity: float, inquiry: str, question: str) -> float:
    low, high = _SPAN[language_of(inquiry), language_of(question)]
    return float(np.clip((similarity - low) / (high - low), 0, 1))


def match_confidence(
    similarities: np.ndarray,
    best: int,
    inquiry: str,
    faq: list[dict[str, Any]],
    terms: faq_match.Terms,
) -> tuple[float, dict[str, Any]]:
    """Return the confidence that ``faq[best]`` answers ``inquiry``, and its parts.

    ``terms`` are the inquiry's key terms (a synonym of a tenant word read as that word) and
    those that nothing the tenant wrote mentions or means.
    """
    asked = faq_match.question_kinds(inquiry)
    entry = faq[best]
    similarity = _similarity_part(float(similarities[best]), inquiry, entry["question"])
    margin_part = _margin_part(similarities, best, asked, faq)
    covered = faq_match.coverage(terms.key, f"{entry['question']}\n{entry['answer']}")
    agree = faq_match.kinds_agree(asked, faq_match.entry_kinds(entry["question"], entry["answer"]))
    confidence = _W_SIM * similarity + _W_MARGIN * margin_part + _W_COVER * covered
    if not agree:
        confidence *= 0.5
    confidence *= 1 - _NOVEL * _novel_share(len(terms.novel), len(terms.key))
    parts = {
        "similarity": round(similarity, 3),
        "margin": round(margin_part, 3),
        "coverage": round(covered, 3),
        "kinds_agree": agree,
        "novel_terms": terms.novel,
    }
    return round(confidence, 3), parts


def _margin_part(
    similarities: np.ndarray, best: int, asked: set[str], faq: list[dict[str, Any]]
) -> float:
    """Return how far ``faq[best]`` is ahead of its best rival, mapped to 0-1.

    Rivals are the other entries that could answer the kind of question asked.
    """
    others = [
        float(similarities[i])
        for i, e in enumerate(faq)
        if i != best
        and faq_match.kinds_agree(asked, faq_match.entry_kinds(e["question"], e["answer"]))
    ]
    margin = float(similarities[best]) - max(others) if others else _MARGIN_FULL
    return float(np.clip((margin - _MARGIN_FLOOR) / (_MARGIN_FULL - _MARGIN_FLOOR), 0, 1))


def _novel_share(novel: int, terms: int) -> float:
    """Return the weight of the terms the tenant never mentions.

    The square root of their share: one unknown term among few counts heavily (asked about
    Bitcoin where the FAQ lists cards).
    """
    return float((novel / max(terms, 1)) ** 0.5)


def _tenant_text(tenant: dict[str, Any]) -> str:
    """Everything the tenant wrote: the domain context and every FAQ entry."""
    faq = tenant.get("faq") or []
    return (
        tenant.get("domain_context", "")
        + "\n"
        + "\n".join(f"{e['question']}\n{e['answer']}" for e in faq)
    )


class OfflineDrafter:
    """Draft from the FAQ entry that answers the inquiry."""

    model_id = "finq-offline-faq"

    def __init__(self, embedder: Embedder) -> None:
        """Use the offline embedding model (the FAQ's vectors are cached)."""
        self._embedder = embedder
        self._neighbours = TermNeighbours(embedder)
        self._questions: dict[str, np.ndarray] = {}
        self._passages: dict[str, np.ndarray] = {}

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
        tenant_text = _tenant_text(tenant)
        similarity = self._similarities(faq_match.spelled_as_tenant(text, tenant_text), faq)
        # The nearest entry is not always the one that answers: re-rank the three nearest by
        # the whole match (coverage and the kind of question count too).
        terms = self._terms(text, tenant_text)
        candidates = [
            (int(i), *match_confidence(similarity, int(i), text, faq, terms))
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

    def _terms(self, text: str, tenant_text: str) -> faq_match.Terms:
        """Return the inquiry's key terms (a synonym of a tenant word as that word) and novel ones.

        Novel: the terms the tenant neither wrote (``tenant_text``) nor wrote a synonym of.
        """
        terms = faq_match.key_terms(text)
        spelled = faq_match.novel_terms(terms, tenant_text)
        synonyms = self._neighbours.synonyms(spelled, text, tenant_text)
        return faq_match.Terms(
            [synonyms.get(t, t) for t in terms], [t for t in spelled if t not in synonyms]
        )

    def _similarities(self, text: str, faq: list[dict[str, Any]]) -> np.ndarray:
        """Return the inquiry's similarity to each entry.

        The mean of its cosine to the entry's question (both as e5 queries) and to the whole
        entry (question and answer, as an e5 passage).
        """
        questions = [e["question"] for e in faq]
        passages = [f"{e['question']}\n{e['answer']}" for e in faq]
        self._remember(self._questions, questions, self._embed_queries)
        self._remember(self._passages, passages, self._embedder.embed_documents)
        query = np.array(self._embedder.embed_query(text), dtype=np.float32)
        to_question = np.vstack([self._questions[q] for q in questions]) @ query
        to_entry = np.vstack([self._passages[p] for p in passages]) @ query
        similarity: np.ndarray = (to_question + to_entry) / 2
        return similarity

    def _embed_queries(self, texts: Sequence[str]) -> list[list[float]]:
        return [self._embedder.embed_query(t) for t in texts]

    @staticmethod
    def _remember(
        cache: dict[str, np.ndarray],
        texts: list[str],
        embed: Callable[[Sequence[str]], list[list[float]]],
    ) -> None:
        missing = list(dict.fromkeys(t for t in texts if t not in cache))
        if missing:
            if len(cache) > _CACHE_LIMIT:
                cache.clear()
            vectors = np.array(embed(missing), dtype=np.float32)
            cache.update(zip(missing, vectors, strict=True))
