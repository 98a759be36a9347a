"""Inquiry desk benchmark (local mode, offline AI).

Prints p50/p99 of inquiry submission (in-process) with a deliberately slow (3 s) drafter in the
container (submission must not wait for the model: p99 < 100 ms), one worker delivery with that
drafter, the worker's end-to-end throughput (the desk queue drained through the local poller to
``process_inquiry``, offline drafter), p50/p99 of the staff list with 10,000 inquiries in
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
from typing import Any

from bench.stack import chalice_local, local_stack, report
from chalicelib.ports import DeskRecord, DraftAnswer
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


class SlowDrafter:
    """A bench-only Drafter (the port) that takes ``seconds`` per draft, like a slow model."""

    model_id = "bench-slow-drafter"

    def __init__(self, seconds: float = 3.0) -> None:
        self.seconds = seconds

    def draft(self, inquiry: DeskRecord, tenant: DeskRecord) -> DraftAnswer:
        time.sleep(self.seconds)
        return {"answer": "천천히 쓴 답변", "confidence": 0.9, "source": None, "usage": {}}


def _worker_figures(stack: Any, tenant_id: str, first_id: str) -> None:
    """One delivery with the slow drafter, then the queue drained by the offline worker."""
    from app import process_inquiry
    from chalicelib.services.desk.pipeline import InquiryPipeline
    from devstack.events import QueuePoller

    slow = InquiryPipeline(
        stack.desk_repository,
        stack.desk_tenants,
        (stack.analyzer, SlowDrafter()),
        stack.desk_notices,
        confidence_threshold=stack.settings.desk_confidence_threshold,
        max_receives=stack.settings.desk_max_receives,
    )
    started = time.perf_counter()
    slow.process(tenant_id, first_id)
    print(f"  one worker delivery with the 3 s drafter: {time.perf_counter() - started:.2f} s")
    sqs = stack.aws_client("sqs")
    poller = QueuePoller(sqs, None, None, retry_delay=0)
    url = sqs.get_queue_url(QueueName=stack.settings.desk_queue_name)["QueueUrl"]
    poller.sqs_trigger(url, process_inquiry)
    started = time.perf_counter()
    delivered = poller.drain()
    elapsed = time.perf_counter() - started
    print(
        f"  worker throughput (one in-process worker, offline AI, moto SQS + DynamoDB):"
        f" {delivered} inquiries in {elapsed:.1f} s = {delivered / elapsed:.1f} inquiries/s"
    )


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

        offline = stack.drafter
        stack.drafter = SlowDrafter()  # the app's container: submission must not wait for it
        submit, listing, accepted = [], [], []
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
                accepted.append(response.json_body["inquiry_id"])
            print(f"desk benchmark (offline AI), tenant {tenant['tenant_id']}")
            _line("submission, 3 s drafter (in-process)", submit)
            stack.drafter = offline  # the worker below drafts offline
            _worker_figures(stack, tenant["tenant_id"], accepted[0])
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
