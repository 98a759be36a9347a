"""Ingestion benchmark: full load of N synthetic policies, then an unchanged re-run.

Prints records/s end to end and where the time went (parse, PostgreSQL, embedding, the policy
index under its backend's name), plus the embedder's own speed on the same texts, so our
overhead on top of the model shows.
Usage: ``python -m bench.ingest --count 4000``.
"""

from __future__ import annotations

import argparse
import time

from bench.stack import local_stack
from bench.synthetic import generate
from chalicelib.policies.normalize import normalize
from chalicelib.policies.records import RawRecord
from chalicelib.policies.search_text import chunks


def _line(label: str, report: dict, count: int) -> None:
    t = report["timings"]
    total = t["total"]
    print(
        f"{label}: {count} records in {total:.1f} s = {count / total:.0f} records/s; "
        f"{report['embedded_chunks']} chunks embedded; counts {report['counts']}"
    )
    parts = [part for part in t if part != "total"]
    for part in parts:
        print(f"    {part:<10} {t[part]:7.2f} s  {100 * t[part] / total:5.1f} %")
    other = total - sum(t[p] for p in parts)
    print(f"    {'other':<10} {other:7.2f} s")
    print(f"    everything but embedding: {total - t['embedding']:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    records = list(generate(args.count, seed=args.seed))
    items = [RawRecord(i, r) for i, r in enumerate(records)]
    with local_stack() as stack:
        ingestion = stack.ingestion
        first = ingestion.ingest(items, source="bench")
        _line("full ingest", first, args.count)
        second = ingestion.ingest(items, source="bench")
        _line("unchanged re-run", second, args.count)
        sample = [text for r in records[:300] for text in chunks(normalize(r))]
        started = time.perf_counter()
        stack.embedder.embed_documents(sample)
        own = time.perf_counter() - started
        per_chunk_ingest = first["timings"]["embedding"] / max(first["embedded_chunks"], 1)
        print(
            f"embedder alone: {len(sample) / own:.1f} chunks/s "
            f"({1000 * own / len(sample):.1f} ms/chunk); "
            f"inside ingest: {1000 * per_chunk_ingest:.1f} ms/chunk"
        )


if __name__ == "__main__":
    main()
