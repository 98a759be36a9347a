"""Advisor chat benchmark: streaming latency over the WebSocket, the graph's own overhead, and
answer quality on labelled questions (local mode, offline provider).

Loads 4,000 synthetic policies (as bench/discovery.py) plus the sample set, serves the local
WebSocket gateway over app.py's handlers, and asks every question of
``bench/data/retrieval_questions.jsonl`` in a fresh chat. An answer is right when a policy it
cites is the question's target or one listed as equally relevant.
Usage: ``python -m bench.chat [--count 4000] [--questions 132]``.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Any

from bench.discovery import load
from bench.stack import local_stack, report
from chalicelib.services import policy_sources

ROOT = Path(__file__).resolve().parent.parent


def _line(label: str, samples: list[float]) -> None:
    report(label, samples, width=40)


class _Timed:
    """Wraps an object; accumulates the seconds spent in its methods."""

    def __init__(self, inner: Any, clock: dict[str, float]) -> None:
        self._inner, self._clock = inner, clock

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._inner, name)
        if not callable(attr):
            return attr

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            result = attr(*args, **kwargs)
            if hasattr(result, "__next__"):

                def drain() -> Any:
                    nonlocal started
                    for item in result:
                        self._clock["model"] += time.perf_counter() - started
                        yield item
                        started = time.perf_counter()
                    self._clock["model"] += time.perf_counter() - started

                return drain()
            self._clock["model"] += time.perf_counter() - started
            return result

        return timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=4000)
    parser.add_argument("--questions", type=int, default=200)
    args = parser.parse_args()
    questions = [
        json.loads(line)
        for line in (ROOT / "bench/data/retrieval_questions.jsonl").read_text().splitlines()
        if line.strip()
    ][: args.questions]
    print(
        f"chat benchmark: {args.count} synthetic + sample policies, offline provider, {len(questions)} questions"
    )
    from devstack.services import free_port

    port, callback = free_port(), free_port()
    os.environ.update(
        FINQ_WS_PORT=str(port), FINQ_WS_CALLBACK_PORT=str(callback), FINQ_DAILY_TOKEN_BUDGET="0"
    )
    with local_stack() as stack:
        if args.count:
            load(stack, args.count, 7)
        stack.ingestion.ingest(
            policy_sources.local_path(ROOT / "data" / "policies"), source="sample"
        )
        clock = {"model": 0.0}
        stack.__dict__["chat_model"] = _Timed(stack.chat_model, clock)
        discovery = stack.discovery
        stack.__dict__["discovery"] = _Timed(
            discovery, clock
        )  # retrieval counts as tool time, not graph overhead
        os.chdir(ROOT)
        from chalice.test import Client
        from websockets.sync.client import connect

        from app import app, ws_connect, ws_disconnect, ws_message
        from devstack.ws_gateway import LocalWebSocketGateway
        from tests.factories import PASSWORD, bearer, post_json, unique_email

        gateway = LocalWebSocketGateway(
            {"connect": ws_connect, "message": ws_message, "disconnect": ws_disconnect},
            host="127.0.0.1",
            port=port,
            callback_port=callback,
        )
        gateway.start()
        first, last, overhead, right = [], [], [], {"ko": [], "en": []}
        try:
            with Client(app, stage_name="local") as client:
                email = unique_email("bench")
                post_json(client, "/api/auth/signup", {"email": email, "password": PASSWORD})
                token = post_json(
                    client, "/api/auth/login", {"email": email, "password": PASSWORD}
                ).json_body["id_token"]
                with connect(f"ws://127.0.0.1:{port}/?token={token}") as ws:
                    for q in questions:
                        chat = post_json(client, "/api/chats", {}, **bearer(token)).json_body["id"]
                        clock["model"] = 0.0
                        started = time.perf_counter()
                        ws.send(
                            json.dumps(
                                {"action": "sendMessage", "chatId": chat, "text": q["question"]}
                            )
                        )
                        frames, t_first = [], None
                        while not frames or frames[-1]["type"] not in ("done", "error"):
                            frames.append(json.loads(ws.recv(timeout=60)))
                            if t_first is None and frames[-1]["type"] == "token":
                                t_first = time.perf_counter() - started
                        total = time.perf_counter() - started
                        done = frames[-1]
                        assert done["type"] == "done", done
                        first.append(t_first or total)
                        last.append(total)
                        overhead.append(
                            max(done["message"]["latency_ms"] / 1000 - clock["model"], 0.0)
                        )
                        relevant = {q["plcy_no"], *q.get("also_relevant", [])}
                        cited = {c["plcyNo"] for c in done["message"]["citations"]}
                        right[q["lang"]].append(bool(cited & relevant))
        finally:
            gateway.stop()
    print("over the local WebSocket gateway:")
    _line("time to first streamed token", first)
    _line("time to the last frame (done)", last)
    _line("graph overhead per turn (no model/search)", overhead)
    for lang in ("ko", "en"):
        if right[lang]:
            print(
                f"  answer quality {lang}: {sum(right[lang])}/{len(right[lang])} answers cited a fitting policy ({sum(right[lang]) / len(right[lang]):.2f})"
            )


if __name__ == "__main__":
    main()
