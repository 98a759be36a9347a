"""Retrieval quality of the offline embedding search on the labelled question set.

Loads the sample policies into a throwaway local stack, embeds each question of
``bench/data/retrieval_questions.jsonl`` and searches the policy index (no filters). A hit is the target
policy or one listed as equally relevant. Prints recall@1 and recall@5 per language.
Usage: ``python -m bench.retrieval``.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from pathlib import Path

from bench.stack import local_stack
from chalicelib.clock import today_kst
from chalicelib.policies.filters import PolicyFilter
from chalicelib.services import policy_sources

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    questions = [
        json.loads(line)
        for line in (ROOT / "bench" / "data" / "retrieval_questions.jsonl").read_text().splitlines()
        if line.strip()
    ]
    with local_stack() as stack:
        ingestion = stack.ingestion
        ingestion.ingest(policy_sources.local_path(ROOT / "data" / "policies"), source="sample")
        hits: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
        misses = []
        started = time.perf_counter()
        for q in questions:
            vector = stack.embedder.embed_query(q["question"])
            found = [
                n
                for n, _ in stack.policy_index.search(
                    vector, PolicyFilter(), today=today_kst(), limit=20
                )
            ][:5]
            relevant = {q["plcy_no"], *q.get("also_relevant", [])}
            at1, at5 = bool(found[:1] and found[0] in relevant), bool(relevant & set(found))
            hits[q["lang"]].append((at1, at5))
            hits["all"].append((at1, at5))
            if not at5:
                misses.append(q["question"])
        elapsed = time.perf_counter() - started
    per_question = 1000 * elapsed / len(questions)
    print(
        f"model: {stack.embedder.model_id}; {len(questions)} questions, {per_question:.0f} ms each"
    )
    for lang in ("ko", "en", "all"):
        rows = hits[lang]
        r1 = sum(a for a, _ in rows) / len(rows)
        r5 = sum(b for _, b in rows) / len(rows)
        print(f"  {lang:<3} n={len(rows):<4} recall@1 {r1:.2f}  recall@5 {r5:.2f}")
    for question in misses[:10]:
        print("  miss@5:", question)


if __name__ == "__main__":
    main()
