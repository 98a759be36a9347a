"""Retrieval quality of the offline search on the labelled question set, per language.

Loads the sample policies into a throwaway local stack and, for each question of
``bench/data/retrieval_questions.jsonl``, takes the top five two ways: the raw policy index
(the question's vector, no filters) and discovery's ranking (``GET /api/policies?q=``: English
queries expanded with the Korean glossary, keyword boosts). A hit is the target policy or one
listed as equally relevant. Prints recall@1 and recall@5 per language and per way.
Usage: ``python -m bench.retrieval``.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.stack import local_stack
from chalicelib.clock import today_kst
from chalicelib.models import PolicyListQuery
from chalicelib.policies.filters import PolicyFilter
from chalicelib.providers import Container
from chalicelib.services import policy_sources

ROOT = Path(__file__).resolve().parent.parent
WAYS = ("index", "ranked")


def _top5(stack: Container, question: str) -> dict[str, list[str]]:
    vector = stack.embedder.embed_query(question)
    raw = stack.policy_index.search(vector, PolicyFilter(), today=today_kst(), limit=20)
    page = stack.discovery.list_policies(PolicyListQuery(q=question, limit=5), None)
    return {
        "index": [n for n, _ in raw][:5],
        "ranked": [item["plcyNo"] for item in page["items"]],
    }


def _print(hits: dict[tuple[str, str], list[tuple[bool, bool]]]) -> None:
    for way in WAYS:
        for lang in ("ko", "en", "all"):
            rows = hits[(way, lang)]
            r1 = sum(a for a, _ in rows) / len(rows)
            r5 = sum(b for _, b in rows) / len(rows)
            print(f"  {way:<7}{lang:<4}n={len(rows):<4} recall@1 {r1:.2f}  recall@5 {r5:.2f}")


def main() -> None:
    """Run every question both ways and print recall per language."""
    path = ROOT / "bench" / "data" / "retrieval_questions.jsonl"
    questions: list[dict[str, Any]] = [
        json.loads(line) for line in path.read_text().splitlines() if line.strip()
    ]
    with local_stack() as stack:
        stack.ingestion.ingest(
            policy_sources.local_path(ROOT / "data" / "policies"), source="sample"
        )
        hits: dict[tuple[str, str], list[tuple[bool, bool]]] = defaultdict(list)
        misses = []
        started = time.perf_counter()
        for q in questions:
            relevant = {q["plcy_no"], *q.get("also_relevant", [])}
            for way, found in _top5(stack, q["question"]).items():
                at1, at5 = bool(found[:1] and found[0] in relevant), bool(relevant & set(found))
                hits[(way, q["lang"])].append((at1, at5))
                hits[(way, "all")].append((at1, at5))
                if way == "ranked" and not at5:
                    misses.append(q["question"])
        elapsed = time.perf_counter() - started
        model = stack.embedder.model_id
    per_question = 1000 * elapsed / len(questions)
    print(f"model: {model}; {len(questions)} questions, {per_question:.0f} ms each (both ways)")
    _print(hits)
    for question in misses[:10]:
        print("  miss@5 (ranked):", question)


if __name__ == "__main__":
    main()
