"""Advisor evaluation: a public conversation set scored turn by turn, by category.

Runs every conversation of ``bench/data/advisor_conversations.jsonl`` in a fresh chat against a
throwaway local stack loaded with the sample policies only (``data/policies``), through the REST
route ``POST /api/chats/{id}/messages`` in-process (chalice's test client, offline provider).
Each conversation's ``profile`` (if any) is stored first with ``PUT /api/me``. Every turn is
scored against its machine-checkable expectations (citations, facts the answer must or must not
state, the verdict and its reason, the application window relative to today in KST, documents,
language, crisis lines); a turn is right when every check passes. Windows are computed at scoring
time from each record's ``aplyYmd``, so the set stays valid as days pass.

Usage::

    python -m bench.advisor_eval                    # score the whole set, print by category
    python -m bench.advisor_eval --json report.json # also write every turn's answer and failures
    python -m bench.advisor_eval --ws               # also measure WebSocket first-token/answer latency
    python -m bench.advisor_eval --subset           # the stratified subset the test suite pins
    python -m bench.advisor_eval --category window  # one category only
    python -m bench.advisor_eval --set heldout      # the held-out set (bench/data/advisor_heldout.jsonl)
    python -m bench.advisor_eval --ws --news-delay 2  # news on, from a local fake Tavily that
                                                     # answers after 2 s (first token unaffected?)

Turn expectations (all optional): ``cite_exactly`` / ``cite_any_of`` / ``cite_none`` (plcyNo lists),
``cite_subset_of`` (the policies that fit a need: anything else cited is padding), ``max_citations``, ``cite_within_region`` (a region code every cited policy must cover),
``cite_applicable_now`` (every cited policy open or always open today), ``must_mention`` (groups
of alternatives: one of each group must appear), ``must_not_mention``, ``verdict``
(``{"value": eligible|not_eligible|needs_check, "reason": [alternatives]}``, optional
``plcyNo``), ``window`` (plcyNo whose window status the answer must state), ``documents`` (plcyNo
whose documents must all be listed), ``language`` (``ko``/``en``), ``first_lines_mention``
(``{"lines": n, "any": [...]}``). Every answer must also be clean text (no raw code lists).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SET_PATH = ROOT / "bench" / "data" / "advisor_conversations.jsonl"
# Written before any fix was made from it, to measure the advisor on conversations it was not
# tuned on (``--set heldout``).
HELDOUT_PATH = ROOT / "bench" / "data" / "advisor_heldout.jsonl"
SETS = {"public": SET_PATH, "heldout": HELDOUT_PATH}
KST = timezone(timedelta(hours=9))
BASE_CATEGORIES = (
    "eligibility", "documents", "window", "amount", "how_to_apply", "exclusion", "comparison",
    "recommendation", "follow_up", "clarification", "unknown_policy", "off_topic", "injection",
    "crisis", "human", "news",
)  # fmt: skip
CATEGORIES = frozenset(BASE_CATEGORIES) | {f"english_{c}" for c in BASE_CATEGORIES}
EXPECTATION_KEYS = frozenset(
    {
        "cite_exactly", "cite_any_of", "cite_none", "cite_subset_of", "max_citations", "cite_within_region",
        "cite_applicable_now", "must_mention", "must_not_mention", "verdict", "window",
        "documents", "language", "first_lines_mention",
    }
)  # fmt: skip

# Phrases that state a verdict, per language (matched on normalised text).
_NEGATIVE = (
    "수 없", "대상이 아니", "해당하지 않", "해당되지 않", "불가", "제외", "안 돼", "안돼", "어려워",
    "not eligible", "ineligible", "cannot", "can't", "can not", "don't qualify", "do not qualify",
    "doesn't qualify", "does not qualify", "not qualify", "excluded", "not able to",
)  # fmt: skip
_POSITIVE = (
    "수 있", "대상이에요", "대상입니다", "해당돼", "해당됩니다", "가능해요", "가능합니다", "충족",
    "eligible", "can apply", "qualify", "you can get", "are able to", "can join", "can receive",
)  # fmt: skip
_CHECK = (
    "확인", "달라", "여부", "심사", "check", "verify", "confirm", "depend",
)  # fmt: skip
_CLOSED = ("마감", "종료", "끝났", "지났", "closed", "ended", "no longer", "is over", "has passed", "not open", "not accepting")  # fmt: skip
_ALWAYS = ("상시", "연중", "언제든", "all year", "any time", "anytime", "year-round", "year round", "rolling", "always open")  # fmt: skip
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december")  # fmt: skip
_RANGE = re.compile(r"(\d{8})\s*~\s*(\d{8})")
_DOC_SPLIT = re.compile(r"\n|\\N|\s/\s|,|[①②③④⑤⑥⑦⑧⑨⑩○]|(?:^|\s)-\s|(?:^|\s)\d+\.\s")
_NO_DOCS = ("해당없음", "-", "공고문 참조", "")
_UNCLEAN = (
    (re.compile(r"\d{5}\s*,\s*\d{5}\s*,\s*\d{5}"), "raw region code list"),
    (re.compile(r"\\N"), "raw window separator \\N"),
    (re.compile(r"(?<!\d)00\d{5}(?!\d)"), "raw Ontong code"),
    (re.compile(r"(?<!\d)(\d+)\.\s*\1\.\s"), "doubled list numbering"),
)


def normalise(text: str) -> str:
    """Lower-case, drop whitespace and thousands separators, unify tildes: for lenient matching."""
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text.lower())
    text = re.sub(r"[∼～〜]", "~", text)
    return re.sub(r"\s+", "", text)


def _has(text: str, phrase: str) -> bool:
    return normalise(phrase) in normalise(text)


def today_kst() -> date:
    """Today in Korea, the day windows are judged against."""
    return datetime.now(KST).date()


def load_conversations(path: Path = SET_PATH) -> list[dict[str, Any]]:
    """The conversation set, one JSON object per line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def load_records() -> dict[str, dict[str, str]]:
    """The sample policies by plcyNo (central.json is an array, local.jsonl JSON Lines)."""
    data = ROOT / "data" / "policies"
    records = json.loads((data / "central.json").read_text(encoding="utf-8"))
    records += [
        json.loads(line)
        for line in (data / "local.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return {record["plcyNo"]: record for record in records}


def window_of(record: dict[str, str], today: date) -> dict[str, Any]:
    """The record's application window relative to ``today``: status open/upcoming/closed/always."""
    code = record.get("aplyPrdSeCd", "")
    if code == "0057002":
        return {"status": "always"}
    spans = [
        (datetime.strptime(a, "%Y%m%d").date(), datetime.strptime(b, "%Y%m%d").date())
        for a, b in _RANGE.findall(record.get("aplyYmd", ""))
    ]
    if code == "0057003" or not spans:
        return {"status": "closed"}
    for start, end in sorted(spans):
        if start <= today <= end:
            return {"status": "open", "end": end, "days": (end - today).days}
        if today < start:
            return {"status": "upcoming", "start": start, "end": end}
    return {"status": "closed", "end": max(end for _, end in spans)}


def date_forms(day: date) -> list[str]:
    """Ways an answer may write ``day`` (Korean, ISO, dotted, English month names)."""
    month = _MONTHS[day.month - 1]
    return [
        f"{day:%Y-%m-%d}", f"{day:%Y.%m.%d}", f"{day.year}.{day.month}.{day.day}", f"{day:%Y%m%d}",
        f"{day.year}년 {day.month}월 {day.day}일", f"{day.month}월 {day.day}일", f"{day.month}/{day.day}",
        f"{month} {day.day}", f"{month[:3]} {day.day}", f"{day.day} {month}",
    ]  # fmt: skip


def window_phrases(window: dict[str, Any]) -> list[str]:
    """What an answer must say (one of) for a window: D-day, the start date, or closed/always."""
    status = window["status"]
    if status == "open":
        days = window["days"]
        forms = [f"D-{days}", f"{days}일 남", f"{days} days", f"{days} day left"]
        return forms + (["D-day", "오늘 마감", "today"] if days == 0 else [])
    if status == "upcoming":
        return date_forms(window["start"])
    return list(_ALWAYS if status == "always" else _CLOSED)


def document_names(record: dict[str, str]) -> list[str]:
    """The record's required documents, each cut to its name (no numbering, no parenthesis)."""
    raw = record.get("sbmsnDcmntCn", "").strip()
    if raw in _NO_DOCS:
        return []
    names = []
    for piece in _DOC_SPLIT.split(f" {raw}"):
        name = re.sub(r"^([-•]\s*|\d+\.\s*)+", "", (piece or "").strip()).split("(")[0].strip()
        if name and name not in _NO_DOCS:
            names.append(name)
    return names


def _region_fits(record: dict[str, str], region: str) -> bool:
    zips = [code for code in record.get("zipCd", "").split(",") if code]
    if len(region) == 5:
        return region in zips
    return any(code.startswith(region) for code in zips)


def _latin_share(text: str) -> float:
    hangul = len(re.findall(r"[가-힣]", text))
    latin = len(re.findall(r"[A-Za-z]", text))
    return latin / max(1, hangul + latin)


def _check_citations(turn: dict[str, Any], cited: list[str], ctx: dict[str, Any]) -> list[str]:
    failures, got = [], set(cited)
    if "cite_exactly" in turn and got != set(turn["cite_exactly"]):
        failures.append(f"cited {sorted(got)}, expected exactly {sorted(turn['cite_exactly'])}")
    if "cite_any_of" in turn and not got & set(turn["cite_any_of"]):
        failures.append(f"cited {sorted(got)}, expected one of {sorted(turn['cite_any_of'])}")
    if bad := got & set(turn.get("cite_none", [])):
        failures.append(f"cited {sorted(bad)}, which must not be cited")
    if "cite_subset_of" in turn and (extra := got - set(turn["cite_subset_of"])):
        failures.append(f"cited {sorted(extra)}, which do not fit (padding)")
    if len(cited) > turn.get("max_citations", 99):
        failures.append(f"{len(cited)} citations, at most {turn['max_citations']}")
    records, today = ctx["records"], ctx["today"]
    if region := turn.get("cite_within_region"):
        outside = [no for no in got if no in records and not _region_fits(records[no], region)]
        if outside:
            failures.append(f"cited {sorted(outside)}, outside region {region}")
    if turn.get("cite_applicable_now"):
        shut = [
            no
            for no in got
            if no in records and window_of(records[no], today)["status"] not in ("open", "always")
        ]
        if shut:
            failures.append(f"cited {sorted(shut)}, not open today")
    return failures


def _check_text(turn: dict[str, Any], answer: str) -> list[str]:
    failures = []
    for group in turn.get("must_mention", []):
        if not any(_has(answer, phrase) for phrase in group):
            failures.append(f"mentions none of {group[:6]}")
    for phrase in turn.get("must_not_mention", []):
        if _has(answer, phrase):
            failures.append(f"mentions {phrase!r}")
    if first := turn.get("first_lines_mention"):
        lines = [line for line in answer.splitlines() if line.strip()][: first["lines"]]
        if not any(_has("\n".join(lines), phrase) for phrase in first["any"]):
            failures.append(f"first {first['lines']} lines mention none of {first['any']}")
    language = turn.get("language")
    share = _latin_share(answer)
    if language == "en" and share < 0.6:
        failures.append(f"not English prose (Latin share {share:.2f})")
    if language == "ko" and share > 0.5:
        failures.append(f"not Korean prose (Latin share {share:.2f})")
    for pattern, label in _UNCLEAN:
        if pattern.search(answer):
            failures.append(f"unclean text: {label}")
    return failures


def _check_verdict(turn: dict[str, Any], answer: str, citations: list[dict[str, Any]]) -> list[str]:
    expected = turn.get("verdict")
    if not expected:
        return []
    failures, value = [], expected["value"]
    stripped = normalise(answer)
    for phrase in _NEGATIVE:
        stripped = stripped.replace(normalise(phrase), "|")
    said = {
        "not_eligible": any(_has(answer, p) for p in _NEGATIVE),
        "eligible": any(normalise(p) in stripped for p in _POSITIVE),
        "needs_check": any(_has(answer, p) for p in _CHECK),
    }[value]
    if not said:
        failures.append(f"does not state the verdict {value}")
    if not any(_has(answer, phrase) for phrase in expected.get("reason", [])):
        failures.append(f"does not quote the deciding criterion {expected.get('reason', [])[:5]}")
    target = expected.get("plcyNo") or next(iter(turn.get("cite_exactly", [])), None)
    for citation in citations:
        if citation.get("plcyNo") == target and citation.get("verdict") not in (None, value):
            failures.append(f"citation verdict {citation['verdict']}, expected {value}")
    return failures


def _check_facts(turn: dict[str, Any], answer: str, ctx: dict[str, Any]) -> list[str]:
    failures, records = [], ctx["records"]
    if no := turn.get("window"):
        window = window_of(records[no], ctx["today"])
        if not any(_has(answer, phrase) for phrase in window_phrases(window)):
            failures.append(f"does not state the window ({window['status']}) of {no}")
    if no := turn.get("documents"):
        missing = [name for name in document_names(records[no]) if not _has(answer, name)]
        if missing:
            failures.append(f"documents missing: {missing}")
    return failures


def score_turn(
    turn: dict[str, Any],
    answer: str,
    citations: list[dict[str, Any]],
    records: dict[str, dict[str, str]],
    today: date,
) -> list[str]:
    """Every expectation the answer misses (an empty list: the turn is right)."""
    if not answer.strip():
        return ["empty answer"]
    ctx = {"records": records, "today": today}
    cited = [str(c.get("plcyNo")) for c in citations]
    return (
        _check_citations(turn, cited, ctx)
        + _check_text(turn, answer)
        + _check_verdict(turn, answer, citations)
        + _check_facts(turn, answer, ctx)
    )


def stratified(conversations: list[dict[str, Any]], per_category: int = 2) -> list[dict[str, Any]]:
    """The first ``per_category`` conversations of each first-turn category, in set order."""
    taken: dict[str, int] = defaultdict(int)
    subset = []
    for conversation in conversations:
        category = conversation["turns"][0]["category"]
        if taken[category] < per_category:
            taken[category] += 1
            subset.append(conversation)
    return subset


def profile_body(profile: dict[str, Any] | None, today: date) -> dict[str, Any]:
    """A ``PUT /api/me`` body for a conversation's profile; ``age`` becomes a birth date."""
    body = dict(profile or {})
    if "age" in body:
        body["birth_date"] = date(today.year - body.pop("age"), 1, 1).isoformat()
    return body


Ask = Callable[[str, str], dict[str, Any]]


def run_set(
    client: Any, token: str, conversations: Iterable[dict[str, Any]], today: date | None = None
) -> list[dict[str, Any]]:
    """Run each conversation in a fresh chat through the REST routes; return every scored turn."""
    records, today = load_records(), today or today_kst()
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}

    def call(method: str, path: str, body: dict[str, Any]) -> Any:
        return getattr(client.http, method)(path, headers=headers, body=json.dumps(body))

    results = []
    for conversation in conversations:
        stored = call("put", "/api/me", profile_body(conversation.get("profile"), today))
        assert stored.status_code == 200, stored.body
        chat = call("post", "/api/chats", {"title": conversation["id"]}).json_body["id"]
        for number, turn in enumerate(conversation["turns"]):
            started = time.perf_counter()
            response = call("post", f"/api/chats/{chat}/messages", {"text": turn["user"]})
            seconds = time.perf_counter() - started
            message = response.json_body if response.status_code == 201 else {}
            answer, citations = message.get("content", ""), message.get("citations", [])
            failures = score_turn(turn, answer, citations, records, today)
            if response.status_code != 201:
                failures.insert(0, f"HTTP {response.status_code}")
            results.append(
                {
                    "conversation": conversation["id"], "turn": number,
                    "category": turn["category"], "user": turn["user"], "answer": answer,
                    "cited": [c.get("plcyNo") for c in citations], "failures": failures,
                    "right": not failures, "seconds": round(seconds, 3),
                    "news": len(message.get("news") or []),
                }
            )  # fmt: skip
    return results


def summarize(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Turns right / total, by category and overall."""
    by: dict[str, list[bool]] = defaultdict(list)
    for result in results:
        by[result["category"]].append(result["right"])
    categories = {
        name: {"right": sum(marks), "total": len(marks), "score": sum(marks) / len(marks)}
        for name, marks in sorted(by.items())
    }
    right = sum(r["right"] for r in results)
    total = len(results)
    return {
        "categories": categories,
        "overall": {"right": right, "total": total, "score": right / total if total else 0.0},
    }


def print_summary(summary: dict[str, Any]) -> None:
    """Print the score table."""
    print(f"  {'category':<26} {'right':>5} / {'total':<5} score")
    for name, row in summary["categories"].items():
        print(f"  {name:<26} {row['right']:>5} / {row['total']:<5} {row['score']:.2f}")
    row = summary["overall"]
    print(f"  {'OVERALL':<26} {row['right']:>5} / {row['total']:<5} {row['score']:.3f}")


def measure_ws(
    port: int, token: str, client: Any, conversations: list[dict[str, Any]]
) -> dict[str, list[float]]:
    """Send every turn over the local WebSocket gateway; time the first token and the done frame."""
    from websockets.sync.client import connect

    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    first, whole = [], []
    with connect(f"ws://127.0.0.1:{port}/?token={token}") as ws:
        for conversation in conversations:
            created = client.http.post("/api/chats", headers=headers, body=json.dumps({}))
            chat = created.json_body["id"]
            for turn in conversation["turns"]:
                started = time.perf_counter()
                frame = {"action": "sendMessage", "chatId": chat, "text": turn["user"]}
                ws.send(json.dumps(frame))
                t_first, kind = None, ""
                while kind not in ("done", "error"):
                    kind = json.loads(ws.recv(timeout=60))["type"]
                    if t_first is None and kind == "token":
                        t_first = time.perf_counter() - started
                total = time.perf_counter() - started
                first.append(t_first if t_first is not None else total)
                whole.append(total)
    return {"first_token": first, "whole_answer": whole}


def _latency_line(label: str, samples: list[float]) -> dict[str, float]:
    from bench.stack import percentile

    p50, p99 = statistics.median(samples), percentile(samples, 0.99)
    print(f"  {label:<24} p50 {1000 * p50:7.1f} ms   p99 {1000 * p99:7.1f} ms   (n={len(samples)})")
    return {"p50_ms": round(1000 * p50, 1), "p99_ms": round(1000 * p99, 1), "n": len(samples)}


def _select(args: argparse.Namespace) -> list[dict[str, Any]]:
    conversations = load_conversations(SETS.get(args.set) or Path(args.set))
    if args.subset:
        conversations = stratified(conversations)
    if args.category:
        conversations = [
            c for c in conversations if any(t["category"] == args.category for t in c["turns"])
        ]
    return conversations[: args.limit] if args.limit else conversations


def main() -> None:
    """Start a local stack with the sample policies, run the set, print and optionally save."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", type=Path, help="write the per-turn report here")
    parser.add_argument("--ws", action="store_true", help="also measure WebSocket latency")
    parser.add_argument("--subset", action="store_true", help="the stratified subset the test pins")
    parser.add_argument("--category", help="only conversations with a turn of this category")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument(
        "--set", default="public", help="public, heldout, or the path of a JSON Lines set"
    )
    parser.add_argument(
        "--news-delay", type=float, default=None,
        help="turn web news on, served by a local fake Tavily answering after this many seconds",
    )  # fmt: skip
    args = parser.parse_args()
    conversations = _select(args)
    with contextlib.ExitStack() as stack:
        if args.news_delay is not None:
            _fake_news(stack, args.news_delay)
        _run(args, conversations)


def _fake_news(stack: contextlib.ExitStack, delay: float) -> None:
    """Serve news from a local fake Tavily that answers after ``delay`` seconds."""
    from tests.fake_tavily import KEY, FakeTavily

    fake = stack.enter_context(FakeTavily())
    fake.delay = delay
    os.environ.update(FINQ_TAVILY_API_KEY=KEY, FINQ_TAVILY_API_URL=fake.url)
    print(f"web news on: a fake Tavily answering after {delay} s")


def _run(args: argparse.Namespace, conversations: list[dict[str, Any]]) -> None:
    """Run the set on a throwaway stack (and over the WebSocket with ``--ws``)."""
    from bench.stack import local_stack
    from chalicelib.services import policy_sources
    from chalicelib.services.ingestion import IngestionService
    from devstack.services import free_port

    port, callback = free_port(), free_port()
    os.environ.update(
        FINQ_WS_PORT=str(port), FINQ_WS_CALLBACK_PORT=str(callback), FINQ_DAILY_TOKEN_BUDGET="0"
    )
    with local_stack() as stack:
        IngestionService(stack.policies, stack.policy_index, stack.embedder).ingest(
            policy_sources.local_path(ROOT / "data" / "policies"), source="sample"
        )
        os.chdir(ROOT)
        from chalice.test import Client

        from app import app, ws_connect, ws_disconnect, ws_message
        from devstack.ws_gateway import LocalWebSocketGateway
        from tests.factories import sign_up_and_log_in

        turns = sum(len(c["turns"]) for c in conversations)
        print(f"advisor eval: {len(conversations)} conversations, {turns} turns, sample policies, "
              f"offline provider, today {today_kst()} KST")  # fmt: skip
        report: dict[str, Any] = {"today": today_kst().isoformat()}
        with Client(app, stage_name="local") as client:
            token = sign_up_and_log_in(client)["id_token"]
            started = time.perf_counter()
            results = run_set(client, token, conversations)
            report["seconds"] = round(time.perf_counter() - started, 1)
            report.update(summarize(results), turns=results)
            print_summary(report)
            with_news = sum(1 for turn in results if turn["news"])
            print(f"  ran in {report['seconds']} s; {with_news} answers showed web news")
            if args.ws:
                gateway = LocalWebSocketGateway(
                    {"connect": ws_connect, "message": ws_message, "disconnect": ws_disconnect},
                    host="127.0.0.1", port=port, callback_port=callback,
                )  # fmt: skip
                gateway.start()
                try:
                    samples = measure_ws(port, token, client, conversations)
                finally:
                    gateway.stop()
                print("over the local WebSocket gateway:")
                report["latency"] = {
                    name: _latency_line(name.replace("_", " "), values)
                    for name, values in samples.items()
                }
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str))
        print(f"  wrote {args.json}")


if __name__ == "__main__":
    main()
