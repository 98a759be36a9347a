"""Inquiry desk evaluation: are automatic answers right, and are calm questions calm?

Creates each tenant of ``bench/data/desk_inquiries.jsonl`` (FAQ, domain context, tier) through
the desk service on a throwaway local stack (offline AI), submits every inquiry through the real
REST path (``POST /api/inquiries`` with the tenant's ``x-api-key``) and reads the outcome from the
stored inquiry: ``ai_responded`` (which FAQ entry the answer sent to the customer came from:
the AI response's ``source_faq`` id, else the FAQ answer found in the text) or ``escalated``.

Printed, for Korean, English and mixed-language inquiries separately and overall:
- automatic-answer precision = automatic answers from the labelled entry / all automatic answers
  (the goal is 1.0: a wrong automatic answer is the worst outcome), and recall = correct automatic
  answers / inquiries labelled ``answer_from``; every wrong automatic answer is listed;
- what happened to each kind of inquiry that should reach a human (complaint, security,
  account_specific, not_covered, asks_human), with the reason the desk recorded, if any;
- sentiment and priority agreement on the inquiries that carry those labels.
On ``bench/data/desk_sentiment.jsonl`` (120 labelled sentences, not among the classifier's
examples): sentiment accuracy through the analyzer the container builds, and the priority the
desk gives each sentence submitted to an enterprise tenant (the tier that raises priority most):
"calm but urgent" counts calm sentences (labelled NEUTRAL or POSITIVE and not urgent) that the
desk marks urgent; "not urgent but urgent" counts every sentence labelled not urgent (angry ones
included) that it marks urgent.
Priority labels are compared in the set's vocabulary (low/medium/high/urgent); the desk's
``normal`` counts as ``medium``. Also printed: submission latency p50/p99 (in-process).

Usage: ``python -m bench.desk_eval [--set PATH] [--no-sentences] [--json PATH] [--wait 30]``
(2-3.5 minutes on 2 busy cores). ``--set bench/data/desk_heldout.jsonl`` scores the held-out set
(44 inquiries over the same tenants, written before the drafter's calibration and never tuned on).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
INQUIRIES = ROOT / "bench/data/desk_inquiries.jsonl"
SENTENCES = ROOT / "bench/data/desk_sentiment.jsonl"
LANGS = ("ko", "en", "mixed")
HUMAN_REASONS = ("complaint", "security", "account_specific", "not_covered", "asks_human")
SENTIMENTS = ("POSITIVE", "NEGATIVE", "NEUTRAL", "MIXED")
PRIORITIES = ("low", "medium", "high", "urgent")
_DESK_PRIORITY = {"normal": "medium"}


def load_inquiry_set(
    path: Path = INQUIRIES,
) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """Tenants by key and the labelled inquiries of the desk evaluation set."""
    rows = [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    tenants = {row["tenant"]: row for row in rows if row["kind"] == "tenant"}
    return tenants, [row for row in rows if row["kind"] == "inquiry"]


def load_sentences(path: Path = SENTENCES) -> list[dict[str, Any]]:
    """The labelled sentiment and urgency sentences."""
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


# --- running against the desk --------------------------------------------------------------


class DeskProbe:
    """Submit inquiries through the REST path and read what the desk stored."""

    def __init__(self, stack: Any, client: Any, wait: float) -> None:
        self.tenants, self.staff = stack.desk_tenants, stack.desk_staff
        self.client, self.wait = client, wait
        self.latencies: list[float] = []
        self._serial = 0
        self._poller = _desk_worker(stack)

    def work(self) -> int:
        """Run the desk's worker over what is queued now (the local poller's path)."""
        return int(self._poller.drain())

    def tenant(self, spec: dict[str, Any], key: str) -> tuple[str, str, list[dict[str, Any]]]:
        """Create a tenant from the set's spec; return its id, an API key and its stored FAQ."""
        tenant = self.tenants.create_tenant(
            {
                "name": spec["name"],
                "domain_context": spec.get("domain_context", ""),
                "faq": spec.get("faq", []),
                "tier": spec.get("tier", "basic"),
                "staff_email": f"staff-{key}@example.com",
            }
        )
        return (
            tenant["tenant_id"],
            self.tenants.create_key(tenant["tenant_id"])["api_key"],
            tenant["faq"],
        )

    def submit(self, tenant_id: str, api_key: str, body: dict[str, Any]) -> dict[str, Any]:
        """Submit one inquiry; return the staff view (with entries) once it is no longer pending."""
        self._serial += 1
        payload = {"customer_email": f"customer{self._serial}@example.com", **body}
        started = time.perf_counter()
        response = self.client.http.post(
            "/api/inquiries",
            headers={"Content-Type": "application/json", "x-api-key": api_key},
            body=json.dumps({k: v for k, v in payload.items() if v is not None}),
        )
        self.latencies.append(time.perf_counter() - started)
        assert response.status_code in (200, 201, 202), response.body
        inquiry_id = response.json_body["inquiry_id"]
        self.work()  # submission only queues it: the worker answers or escalates
        deadline = time.monotonic() + self.wait
        view = self.staff.admin_get(tenant_id, inquiry_id)
        while view["status"] == "pending" and time.monotonic() < deadline:
            time.sleep(0.2)
            view = self.staff.admin_get(tenant_id, inquiry_id)
        return view


def _desk_worker(stack: Any) -> Any:
    """The local poller wired to app.py's desk handlers, as ``make run`` wires it."""
    from app import on_inquiry_dead_letter, process_inquiry
    from devstack.events import QueuePoller

    sqs = stack.aws_client("sqs")
    poller = QueuePoller(sqs, None, None, retry_delay=0)
    for name, handler in (
        (stack.settings.desk_queue_name, process_inquiry),
        (stack.settings.desk_dead_letter_queue_name, on_inquiry_dead_letter),
    ):
        poller.sqs_trigger(sqs.get_queue_url(QueueName=name)["QueueUrl"], handler)
    return poller


def faq_index(entry: dict[str, Any], text: str, faq: list[dict[str, Any]]) -> int | None:
    """Which FAQ entry a drafted answer came from: its recorded source, else the answer text."""
    source = entry.get("source_faq")
    for index, item in enumerate(faq):
        if source is not None and source in (item.get("id"), item["question"], index):
            return index
    found = [
        i for i, item in enumerate(faq) if item["answer"].strip() and item["answer"].strip() in text
    ]
    return found[0] if len(found) == 1 else None


def outcome(view: dict[str, Any], faq: list[dict[str, Any]]) -> dict[str, Any]:
    """Status, the FAQ entry sent to the customer (if any) and the triage of a stored inquiry."""
    drafts = [e for e in view.get("entries", []) if "draft" in e]
    sent = [e for e in drafts if e.get("sent_to_customer")]
    automatic = bool(sent) or view["status"] == "ai_responded"
    last = (sent or drafts or [{}])[-1]
    reason = view.get("escalation_reason") or view.get("reason") or last.get("reason")
    return {
        "status": view["status"],
        "automatic": automatic,
        "entry": faq_index(last, last.get("draft", ""), faq) if last else None,
        "confidence": view.get("ai_confidence"),
        "sentiment": view.get("sentiment"),
        "priority": _DESK_PRIORITY.get(view.get("priority"), view.get("priority")),
        "reason": reason,
    }


def run_inquiries(
    probe: DeskProbe, tenants: dict[str, Any], inquiries: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Create every tenant, submit every inquiry, and return one result per inquiry."""
    made = {key: probe.tenant(spec, key) for key, spec in tenants.items()}
    results = []
    for item in inquiries:
        tenant_id, api_key, faq = made[item["tenant"]]
        body = {k: item.get(k) for k in ("title", "content", "category", "urgency")}
        results.append({"item": item, **outcome(probe.submit(tenant_id, api_key, body), faq)})
    return results


def run_sentences(
    probe: DeskProbe, analyzer: Any, sentences: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Each sentence's sentiment (the analyzer) and the priority the desk gives it as an inquiry."""
    tenant_id, api_key, _ = probe.tenant(
        {"name": "Sentiment probe", "tier": "enterprise", "faq": []}, "probe"
    )
    results = []
    for item in sentences:
        sentiment = analyzer.analyze(item["text"])["sentiment"]
        title = "문의" if item["lang"] == "ko" else "Inquiry"
        body = {
            "title": title,
            "content": item["text"],
            "category": item.get("category", "general"),
        }
        view = probe.submit(tenant_id, api_key, body)
        priority = _DESK_PRIORITY.get(view["priority"], view["priority"])
        results.append({"item": item, "sentiment": sentiment, "priority": priority})
    return results


# --- scoring -------------------------------------------------------------------------------


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def score_answers(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Automatic-answer precision and recall; what happened to inquiries meant for a human."""
    automatic = [r for r in results if r["automatic"]]
    correct = [r for r in automatic if r["item"]["expect"].get("answer_from") == r["entry"]]
    answerable = [r for r in results if "answer_from" in r["item"]["expect"]]
    human: dict[str, Counter[str]] = defaultdict(Counter)
    for r in results:
        reason = r["item"]["expect"].get("human")
        if reason:
            human[reason]["auto-answered" if r["automatic"] else r["status"]] += 1
            if not r["automatic"]:
                human[reason][f"desk reason: {r['reason'] or '(not recorded)'}"] += 1
    return {
        "inquiries": len(results),
        "automatic": len(automatic),
        "correct_automatic": len(correct),
        "precision": _ratio(len(correct), len(automatic)),
        "labelled_answer_from": len(answerable),
        "recall": _ratio(len(correct), len(answerable)),
        "escalated_answerable": sum(1 for r in answerable if not r["automatic"]),
        "pending": sum(1 for r in results if r["status"] == "pending"),
        "wrong": [_wrong(r) for r in automatic if r not in correct],
        "human": {reason: dict(counts) for reason, counts in sorted(human.items())},
        "sentiment_accuracy": _agreement(results, "sentiment"),
        "priority_accuracy": _agreement(results, "priority"),
        "calm_but_high_or_urgent": sum(
            1
            for r in results
            if r["item"].get("priority") in ("low", "medium")
            and r["priority"] in ("high", "urgent")
        ),
        "urgent_but_low_or_medium": sum(
            1
            for r in results
            if r["item"].get("priority") == "urgent" and r["priority"] in ("low", "medium")
        ),
    }


def _agreement(results: list[dict[str, Any]], field: str) -> dict[str, Any]:
    labelled = [r for r in results if r["item"].get(field)]
    hits = sum(1 for r in labelled if r[field] == r["item"][field])
    return {"correct": hits, "labelled": len(labelled), "accuracy": _ratio(hits, len(labelled))}


def _wrong(r: dict[str, Any]) -> dict[str, Any]:
    item = r["item"]
    return {
        "id": item["id"],
        "lang": item["lang"],
        "title": item["title"],
        "expected": item["expect"],
        "answered_from": r["entry"],
        "confidence": r["confidence"],
        "tags": item.get("tags", []),
    }


def score_sentences(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Sentiment accuracy with its confusion, and how calm and urgent sentences were prioritised."""
    confusion: dict[str, Counter[str]] = defaultdict(Counter)
    for r in results:
        confusion[r["item"]["sentiment"]][r["sentiment"]] += 1
    not_urgent = [r for r in results if not r["item"]["urgent"]]
    calm = [r for r in not_urgent if r["item"]["sentiment"] in ("NEUTRAL", "POSITIVE")]
    urgent = [r for r in results if r["item"]["urgent"]]
    hits = sum(1 for r in results if r["sentiment"] == r["item"]["sentiment"])
    return {
        "sentences": len(results),
        "sentiment_accuracy": _ratio(hits, len(results)),
        "confusion": {label: dict(confusion[label]) for label in SENTIMENTS if label in confusion},
        "calm": len(calm),
        "calm_but_urgent": sum(1 for r in calm if r["priority"] == "urgent"),
        "calm_but_high": sum(1 for r in calm if r["priority"] == "high"),
        "not_urgent": len(not_urgent),
        "not_urgent_but_urgent": sum(1 for r in not_urgent if r["priority"] == "urgent"),
        "calm_neutral_marked_negative": sum(
            1 for r in calm if r["item"]["sentiment"] == "NEUTRAL" and r["sentiment"] == "NEGATIVE"
        ),
        "urgent": len(urgent),
        "urgent_marked_urgent": sum(1 for r in urgent if r["priority"] == "urgent"),
        "urgent_marked_high_or_urgent": sum(
            1 for r in urgent if r["priority"] in ("high", "urgent")
        ),
    }


def by_language(
    results: list[dict[str, Any]], score: Any, langs: tuple[str, ...]
) -> dict[str, Any]:
    """``score`` of each language's results and of all of them."""
    report = {lang: score([r for r in results if r["item"]["lang"] == lang]) for lang in langs}
    report["all"] = score(results)
    return {k: v for k, v in report.items() if v.get("inquiries", v.get("sentences"))}


# --- printing ------------------------------------------------------------------------------


def print_report(report: dict[str, Any]) -> None:
    """Print the evaluation in a form a reviewer can read top to bottom."""
    print("desk evaluation (offline AI): automatic answers")
    for lang, s in report["answers"].items():
        print(
            f"  {lang:<5} inquiries {s['inquiries']:3}  automatic {s['automatic']:3}  correct {s['correct_automatic']:3}"
            f"  precision {_fmt(s['precision'])}  recall {_fmt(s['recall'])}"
            f" ({s['correct_automatic']}/{s['labelled_answer_from']})  wrong {len(s['wrong'])}"
            f"  answerable but escalated {s['escalated_answerable']}"
        )
    overall = report["answers"]["all"]
    print(f"  wrong automatic answers ({len(overall['wrong'])}):")
    for w in overall["wrong"]:
        print(
            f"    {w['id']:<4} {w['lang']:<5} expected {_expect(w['expected']):<22} sent entry {w['answered_from']}"
            f"  conf {w['confidence']}  {w['title']}  {','.join(w['tags'])}"
        )
    print("  inquiries meant for a human, by reason:")
    for reason, counts in overall["human"].items():
        order = sorted(counts.items(), key=lambda kv: (kv[0].startswith("desk"), kv[0]))
        print(f"    {reason:<17} " + ", ".join(f"{k} {v}" for k, v in order))
    print("  triage on labelled inquiries:")
    for lang, s in report["answers"].items():
        sa, pa = s["sentiment_accuracy"], s["priority_accuracy"]
        print(
            f"    {lang:<5} sentiment {sa['correct']}/{sa['labelled']} = {_fmt(sa['accuracy'])}"
            f"   priority {pa['correct']}/{pa['labelled']} = {_fmt(pa['accuracy'])}"
            f"   calm but high/urgent {s['calm_but_high_or_urgent']}"
            f"   urgent but low/medium {s['urgent_but_low_or_medium']}"
        )
    print(
        "sentiment set (bench/data/desk_sentiment.jsonl; priority as an enterprise tenant's inquiry):"
    )
    for lang, s in report["sentences"].items():
        print(
            f"  {lang:<5} sentiment {_fmt(s['sentiment_accuracy'])} (n={s['sentences']})"
            f"  calm but urgent {s['calm_but_urgent']}/{s['calm']}  calm but high {s['calm_but_high']}/{s['calm']}"
            f"  not urgent but urgent {s['not_urgent_but_urgent']}/{s['not_urgent']}"
            f"  calm neutral read NEGATIVE {s['calm_neutral_marked_negative']}"
            f"  urgent caught (urgent) {s['urgent_marked_urgent']}/{s['urgent']}"
            f"  (high or urgent) {s['urgent_marked_high_or_urgent']}/{s['urgent']}"
        )
        print(
            "        confusion (label -> predicted): "
            + "; ".join(
                f"{label} -> " + ", ".join(f"{k} {v}" for k, v in sorted(c.items()))
                for label, c in s["confusion"].items()
            )
        )
    lat = report["latency"]
    print(
        f"submission latency (in-process, offline drafter): p50 {lat['p50_ms']:.0f} ms"
        f"  p99 {lat['p99_ms']:.0f} ms  (n={lat['n']});  run {report['run_seconds']:.0f} s"
    )


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def _expect(expect: dict[str, Any]) -> str:
    return (
        f"entry {expect['answer_from']}"
        if "answer_from" in expect
        else f"human ({expect['human']})"
    )


# --- entry point ---------------------------------------------------------------------------


def evaluate(
    wait: float, inquiry_set: Path = INQUIRIES, sentences_too: bool = True
) -> dict[str, Any]:
    """Run the inquiry set (and the sentence set) against a throwaway local stack."""
    import statistics

    from bench.stack import local_stack, percentile

    started = time.perf_counter()
    tenants, inquiries = load_inquiry_set(inquiry_set)
    sentences = load_sentences() if sentences_too else []
    with local_stack() as stack:
        os.chdir(ROOT)  # chalice.test.Client reads .chalice/config.json from here
        from chalice.test import Client

        from app import app

        with Client(app, stage_name="local") as client:
            probe = DeskProbe(stack, client, wait)
            answered = run_inquiries(probe, tenants, inquiries)
            latencies = list(probe.latencies)
            said = run_sentences(probe, stack.analyzer, sentences)
    return {
        "answers": by_language(answered, score_answers, LANGS),
        "sentences": by_language(said, score_sentences, ("ko", "en")),
        "latency": {
            "p50_ms": 1000 * statistics.median(latencies),
            "p99_ms": 1000 * percentile(latencies, 0.99),
            "n": len(latencies),
        },
        "run_seconds": time.perf_counter() - started,
        "sentence_outcomes": [
            {"id": r["item"]["id"], "lang": r["item"]["lang"], "label": r["item"]["sentiment"]}
            | {
                "urgent": r["item"]["urgent"],
                "sentiment": r["sentiment"],
                "priority": r["priority"],
            }
            for r in said
        ],
        "outcomes": [
            {
                "id": r["item"]["id"],
                "lang": r["item"]["lang"],
                "expect": r["item"]["expect"],
                **{k: v for k, v in r.items() if k != "item"},
            }
            for r in answered
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--set", type=Path, default=INQUIRIES, help="the labelled inquiry set (JSON lines)"
    )
    parser.add_argument(
        "--no-sentences", action="store_true", help="skip the sentiment sentence set"
    )
    parser.add_argument("--json", type=Path, help="also write the report (with every outcome) here")
    parser.add_argument(
        "--wait",
        type=float,
        default=30,
        help="seconds to wait for a pending inquiry to be answered or escalated",
    )
    args = parser.parse_args()
    report = evaluate(args.wait, args.set, not args.no_sentences)
    print_report(report)
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
        print(f"report written to {args.json}")


if __name__ == "__main__":
    main()
