"""Terms that mean what the tenant wrote: the offline drafter's check of "novel" terms by meaning.

Owns one question: does a term of the inquiry that the tenant's FAQ never spells out (so far
judged by string: "yearly" is not "annually") stand for a word the tenant did write? It does when
the two words' e5 vectors (each word embedded alone as a ``query:``, as written, not as its stem)
are at least ``SAME_WORD`` alike in cosine, unless one term contains the other (a compound such as
"잔액증명서" is a different thing from "잔액", which the string check already decided).

``SAME_WORD`` = 0.94 was read off the main desk evaluation set (bench/data/desk_inquiries.jsonl),
pairing each novel term with its nearest tenant word: the pairs at or above 0.94 are all
synonyms or translations ("yearly" ~ "annually" 0.947, "아이폰" ~ "iphone" 0.946, "data" ~
"데이터" 0.945, "company" ~ "business" 0.940); below, synonyms ("trip" ~ "travel" 0.933) mix with
words that are not ("대출" ~ "금융" 0.930, "setup" ~ "settings" 0.928), so a wrong "known" costs
more than a missed synonym. The held-out set was only a check (there: "매달" ~ "매월" 0.940 in,
"price" ~ "cost" 0.939 out).
"""

from __future__ import annotations

import numpy as np

from chalicelib.offline import faq_match
from chalicelib.ports import Embedder

SAME_WORD = 0.94
_CACHE_LIMIT = 20000


class TermNeighbours:
    """The tenant's own words, embedded once, for telling whether a term means one of them."""

    def __init__(self, embedder: Embedder) -> None:
        """Use the offline embedding model; word vectors are cached by word."""
        self._embedder = embedder
        self._vectors: dict[str, np.ndarray] = {}

    def synonyms(self, novel: list[str], inquiry: str, tenant_text: str) -> dict[str, str]:
        """Map each term of ``novel`` (key terms of ``inquiry``) that means a tenant word to it.

        Terms left out mean nothing the tenant wrote.
        """
        written = faq_match.term_words(tenant_text)
        if not novel or not written:
            return {}
        asked = faq_match.term_words(inquiry)
        stems = list(written)
        matrix = np.vstack([self._vector(w) for w in written.values()])
        found = {}
        for term in novel:
            similarity = matrix @ self._vector(asked.get(term, term))
            for index in np.argsort(-similarity):
                stem = stems[int(index)]
                if similarity[index] < SAME_WORD:
                    break
                if stem not in term and term not in stem:
                    found[term] = stem
                    break
        return found

    def _vector(self, word: str) -> np.ndarray:
        if word not in self._vectors:
            if len(self._vectors) > _CACHE_LIMIT:
                self._vectors.clear()
            self._vectors[word] = np.array(self._embedder.embed_query(word), dtype=np.float32)
        return self._vectors[word]
