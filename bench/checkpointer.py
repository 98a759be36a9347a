"""Checkpointer benchmark: the graph's own overhead per turn over a long chat.

Runs one 50-turn chat through the real advisor graph (offline provider, the 44 central sample
policies, the PostgreSQL checkpointer) in a throwaway local stack. For each turn it prints the
whole turn, the time in the chat model and the search tool, the graph's own overhead (the turn
minus model and tools: LangGraph plus the checkpointer) and the time inside the checkpointer's
methods, at turns 1, 10, 25 and 50. The chat cycles through five questions, so each figure is
the median over one whole cycle of five turns around the mark (turns 1-5, 8-12, 23-27, 46-50):
every mark averages the same mix of searching and follow-up turns.
Usage: ``python -m bench.checkpointer [--turns 50]``.
"""

from __future__ import annotations

import argparse
import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bench.stack import local_stack

ROOT = Path(__file__).resolve().parent.parent
# A conversation that keeps searching (the heaviest turns) with follow-ups in between.
_QUESTIONS = (
    "서울 강남구 사는 25살인데 월세 지원 받을 수 있어?",
    "첫 번째 정책 신청 방법 알려줘",
    "취업 준비 중인데 받을 수 있는 지원금 있어?",
    "Is there rent support for young people in Seoul?",
    "그거 서류 뭐 필요해?",
)
_MARKS = (1, 10, 25, 50)


class _Stopwatch:
    """Seconds spent in timed calls, per bucket."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {"model": 0.0, "tools": 0.0, "checkpointer": 0.0}

    def wrap(self, bucket: str, call: Callable[..., Any]) -> Callable[..., Any]:
        """Return ``call`` timed into ``bucket`` (generators are timed while they run)."""

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            result = call(*args, **kwargs)
            self.spent[bucket] += time.perf_counter() - started
            if hasattr(result, "__next__"):
                return self._drain(bucket, result)
            return result

        return timed

    def _drain(self, bucket: str, items: Iterator[Any]) -> Iterator[Any]:
        while True:
            started = time.perf_counter()
            try:
                item = next(items)
            except StopIteration:
                self.spent[bucket] += time.perf_counter() - started
                return
            self.spent[bucket] += time.perf_counter() - started
            yield item


def _timed_model(model: Any, watch: _Stopwatch) -> Any:
    class TimedModel:
        model_id = model.model_id
        understand = staticmethod(watch.wrap("model", model.understand))
        stream_answer = staticmethod(watch.wrap("model", model.stream_answer))

    return TimedModel()


def _timed_checkpointer(stack: Any, watch: _Stopwatch) -> Any:
    from chalicelib.repositories.postgres.checkpoints import PostgresCheckpointer

    class TimedCheckpointer(PostgresCheckpointer):
        pass

    for name in ("get_tuple", "put", "put_writes"):
        method = getattr(PostgresCheckpointer, name)
        setattr(
            TimedCheckpointer,
            name,
            lambda self, *a, _m=method, **k: watch.wrap("checkpointer", _m)(self, *a, **k),
        )
    return TimedCheckpointer(stack.database)


def _run(stack: Any, turns: int) -> list[dict[str, float]]:
    from chalicelib.agent.graph import build_graph
    from chalicelib.agent.tools import AgentTools

    watch = _Stopwatch()
    tools = AgentTools(
        watch.wrap("tools", stack.policy_catalogue.resolve),
        watch.wrap("tools", stack.discovery_queries.detail),
        watch.wrap("tools", stack.discovery.find_for),
        watch.wrap("tools", stack.policy_catalogue.contact),
    )
    graph = build_graph(
        _timed_model(stack.chat_model, watch), tools, _timed_checkpointer(stack, watch)
    )
    config = {"configurable": {"thread_id": str(uuid.uuid4())}}
    profile = {"birth_date": None, "region_code": None}
    figures = []
    for turn in range(turns):
        text = _QUESTIONS[turn % len(_QUESTIONS)]
        watch.spent = dict.fromkeys(watch.spent, 0.0)
        started = time.perf_counter()
        inputs = {"messages": [{"role": "user", "content": text}], "profile": profile}
        for _mode, _chunk in graph.stream(inputs, config, stream_mode=["custom", "values"]):
            pass
        total = time.perf_counter() - started
        figures.append(
            {
                "turn": total,
                "model": watch.spent["model"],
                "tools": watch.spent["tools"],
                "overhead": total - watch.spent["model"] - watch.spent["tools"],
                "checkpointer": watch.spent["checkpointer"],
            }
        )
    return figures


def _around(figures: list[dict[str, float]], turn: int, key: str) -> float:
    start = min(max(0, turn - 3), len(figures) - len(_QUESTIONS))
    window = figures[max(0, start) : max(0, start) + len(_QUESTIONS)]
    return 1000 * statistics.median(f[key] for f in window)


def main() -> None:
    """Print the per-turn figures at turns 1, 10, 25 and 50."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=50)
    args = parser.parse_args()
    print(f"checkpointer benchmark: one {args.turns}-turn chat, offline provider, real graph")
    with local_stack() as stack:
        stack.policy_sync.from_location(str(ROOT / "data/policies/central.json"), False)
        _run(stack, 3)  # warm up: model centroids, prepared statements, imports
        figures = _run(stack, args.turns)
    print(
        f"  {'turn':>4}  {'whole turn':>11}  {'model':>9}  {'tools':>9}"
        f"  {'graph overhead':>15}  {'in checkpointer':>16}"
    )
    for mark in (m for m in _MARKS if m <= args.turns):
        row = [_around(figures, mark, k) for k in ("turn", "model", "tools", "overhead")]
        row.append(_around(figures, mark, "checkpointer"))
        print(
            f"  {mark:>4}  {row[0]:8.1f} ms  {row[1]:6.1f} ms  {row[2]:6.1f} ms"
            f"  {row[3]:12.1f} ms  {row[4]:13.1f} ms"
        )
    last = min(args.turns, _MARKS[-1])
    ratio = _around(figures, last, "overhead") / _around(figures, 1, "overhead")
    print(f"  graph overhead at turn {last} / turn 1: {ratio:.2f}x (target <= 1.2x)")


if __name__ == "__main__":
    main()
