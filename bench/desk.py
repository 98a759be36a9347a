"""Inquiry desk benchmark (local mode, offline AI).

Prints p50/p99 of inquiry submission (in-process), of the staff list with 10,000 inquiries in
the tenant (GSI1), the throughput of 8 concurrent clients submitting through ``chalice local``
over HTTP (the design asks 100 requests/s in production), and the offline sentiment accuracy
on ``bench/data/sentiment.jsonl`` (sentences not among the classifier's examples).
Usage: ``python -m bench.desk [--inquiries 10000] [--seconds 20]``.
"""

from __future__ import annotations

import argparse
import json
import os
import threading
import time
import urllib.request
import uuid
from pathlib import Path

from bench.stack import chalice_local, local_stack, report
from chalicelib.services.desk.limits import RateLimiter

ROOT = Path(__file__).resolve().parent.parent
FAQ = [
    {
        "question": "비밀번호를 잊어버렸어요. 어떻게 재설정하나요?",
        "answer": "'비밀번호 찾기'에서 재설정 링크를 받으세요.",
    },
    {
        "question": "환불은 어떻게 받나요?",
        "answer": "결제 후 7일 안에 결제 내역에서 환불을 신청하세요.",
    },
    {"question": "How do I change my email address?", "answer": "Settings > Account > Email."},
]
BODIES = [
    {
        "customer_email": "a@example.com",
        "title": "비밀번호 재설정",
        "content": "비밀번호를 잊어버렸어요. 재설정 방법 알려주세요.",
    },
    {
        "customer_email": "b@example.com",
        "category": "billing",
        "title": "이중 결제",
        "content": "결제가 두 번 됐어요. 화가 납니다. 환불해 주세요.",
        "urgency": "high",
    },
    {
        "customer_email": "c@example.com",
        "title": "Email change",
        "content": "How can I change the email on my account?",
    },
]


def _line(label: str, samples: list[float]) -> None:
    report(label, samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--inquiries", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    with local_stack() as stack:
        tenants = stack.desk_tenants
        tenant = tenants.create_tenant(
            {"name": "Bench", "faq": FAQ, "tier": "enterprise", "staff_email": "staff@example.com"}
        )
        key = tenants.create_key(tenant["tenant_id"])["api_key"]
        # Generous limits: the benchmark measures speed, not the limiter.
        stack.desk_limits = RateLimiter(
            stack.desk_repository, key_limits={"enterprise": 10**9}, ip_limit=10**9
        )
        labelled = [
            json.loads(line)
            for line in (ROOT / "bench/data/sentiment.jsonl").read_text().splitlines()
            if line.strip()
        ]
        hits = {"ko": [], "en": []}
        for item in labelled:
            hits[item["lang"]].append(
                stack.analyzer.analyze(item["text"])["sentiment"] == item["label"]
            )
        os.chdir(ROOT)
        from chalice.test import Client

        from app import app

        submit, listing = [], []
        with Client(app, stage_name="local") as client:
            for n in range(200):
                body = BODIES[n % len(BODIES)]
                started = time.perf_counter()
                response = client.http.post(
                    "/api/inquiries",
                    headers={"Content-Type": "application/json", "x-api-key": key},
                    body=json.dumps(body),
                )
                submit.append(time.perf_counter() - started)
                assert response.status_code == 201, response.body
            print(f"desk benchmark (offline AI), tenant {tenant['tenant_id']}")
            _line("inquiry submission (in-process)", submit)
            started = time.perf_counter()
            repo = stack.desk_repository
            for n in range(args.inquiries):
                created = f"2026-10-{1 + n % 28:02d}T{n % 24:02d}:00:00.{n % 1000:03d}+00:00"
                repo.put_inquiry(
                    {
                        "inquiry_id": uuid.uuid4().hex,
                        "tenant_id": tenant["tenant_id"],
                        "customer_email": "x@example.com",
                        "category": "general",
                        "title": f"t{n}",
                        "content": "c",
                        "status": ["ai_responded", "escalated", "resolved"][n % 3],
                        "priority": ["low", "normal", "high", "urgent"][n % 4],
                        "priority_score": 30,
                        "sentiment": "NEUTRAL",
                        "language": "ko",
                        "ai_confidence": 0.5,
                        "eta_minutes": 60,
                        "created_at": created,
                    },
                    None,
                )
            print(f"  seeded {args.inquiries} inquiries in {time.perf_counter() - started:.0f} s")
            from tests.factories import PASSWORD, post_json, unique_email

            email = unique_email("staff")
            post_json(client, "/api/auth/signup", {"email": email, "password": PASSWORD})
            stack.identity_provider.add_to_group(email, f"tenant-{tenant['tenant_id']}-staff")
            token = post_json(
                client, "/api/auth/login", {"email": email, "password": PASSWORD}
            ).json_body["id_token"]
            for query in ("limit=20", "status=escalated&limit=20", "priority=urgent&limit=50"):
                for _ in range(40):
                    started = time.perf_counter()
                    response = client.http.get(
                        f"/api/admin/inquiries?{query}",
                        headers={"Authorization": f"Bearer {token}"},
                    )
                    listing.append(time.perf_counter() - started)
                    assert response.status_code == 200
            _line(f"staff list, {args.inquiries} inquiries (GSI1)", listing)
        rate = _throughput(key, args.seconds)
        print(
            f"  throughput: 8 concurrent clients over HTTP (one chalice local process): {rate:.1f} submissions/s"
        )
    for lang, results in hits.items():
        print(
            f"  offline sentiment accuracy {lang}: {sum(results)}/{len(results)} = {sum(results) / len(results):.2f}"
        )


def _throughput(key: str, seconds: float) -> float:
    # A huge per-IP limit: this measures speed, not the limiter.
    with chalice_local({"FINQ_DESK_IP_LIMIT": str(10**9)}) as port:
        done = [0]
        lock = threading.Lock()
        stop = time.monotonic() + seconds

        def client(n: int) -> None:
            while time.monotonic() < stop:
                body = json.dumps(BODIES[n % len(BODIES)]).encode()
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/api/inquiries",
                    body,
                    {"Content-Type": "application/json", "x-api-key": key},
                )
                with urllib.request.urlopen(request, timeout=30) as response:
                    assert response.status == 201
                with lock:
                    done[0] += 1

        threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return done[0] / (time.monotonic() - started)


if __name__ == "__main__":
    main()
