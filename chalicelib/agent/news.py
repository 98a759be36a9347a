"""Web news beside an answer: when the advisor looks, what it searches, and its state form.

Owns the rule (the question asks for news or recent changes, or a cited policy's data may be
stale), the query (the question's topic, the cited policies' names, this year) and the results
as checkpointable data. News is shown apart from the answer and never decides a verdict, a date
or an amount: nothing here touches the plan. Pure apart from the tools handed in.
"""

# ruff: noqa: E501  (word lists in Hangul read best on one line; Hangul is double width)

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from chalicelib.agent.policy_text import window
from chalicelib.ports import AnswerPlan, NewsItem
from chalicelib.tokens import count_tokens

MAX_RESULTS = 3
_ASKED_DAYS = 30  # "최근 소식": the last month's news
_STALE_DAYS = 180  # a stale record: anything since it may have changed it
_STALE_AFTER_DAYS = 365  # a record not modified for a year may be out of date
_KINDS = frozenset({"policy", "comparison", "recommendation", "not_found"})
_ASKS_NEWS = re.compile(
    r"뉴스|소식|기사|최근|최신|요즘|근래|바뀐|바뀌었|바뀌나|변경|달라진|달라졌|달라지|개편|개정|새로 (나온|생긴|바뀐)|"
    r"\bnews\b|latest|recent|lately|\bchang(e|ed|es|ing)\b|\bupdated?\b|\bupdates\b|what'?s new|new rules?",
    re.I,
)  # fmt: skip
# Words that ask rather than name the topic ("청년 적금 관련 최근 소식 알려줘" -> "청년 적금").
_FILLER = re.compile(
    r"^(관련(된|해서)?|관한|대한|대해(서)?|에 대해|알려(줘|주세요|줄래|줄 수 있어)?|있어(요)?|있나(요)?|있을까(요)?|있는지|뭐(야|예요|가|있어)?|무엇|어떤|"
    r"좀|혹시|그|이|거|것|게|맞아(요)?|궁금해(요)?|정보|내용|소식|뉴스|기사|최근|최신|요즘|근래|새로|나온|생긴|바뀐|변경(된|사항)?|달라진|"
    r"any|about|the|a|an|is|are|was|there|what|whats|what's|tell|me|on|of|for|to|recent|recently|latest|news|new|"
    r"updates?|changes?|changed|lately|please|do|you|have|know|i|can|with|regarding)$",
    re.I,
)  # fmt: skip
_PUNCT = re.compile(r"[?!.,~…'\"“”‘’()\[\]]+")


def asks_for_news(text: str) -> bool:
    """True when ``text`` asks for news, recent changes or the latest state of something."""
    return bool(_ASKS_NEWS.search(text))


def news_request(
    plan: AnswerPlan, rows: Sequence[dict[str, Any]], today: date
) -> dict[str, Any] | None:
    """Return ``{"query", "days", "reason"}`` when this answer should show news, else None.

    Args:
        plan: The turn's answer plan (its kind, message, asks and citations).
        rows: The cited policies' rows, in citation order.
        today: Today in KST (the query's year, the staleness test).
    """
    if plan["kind"] not in _KINDS:
        return None
    asked = "news" in plan["asks"] or asks_for_news(plan["message"])
    stale = [r for r in rows if is_stale(r, today)]
    if not asked and not stale:
        return None
    if not asked and plan["kind"] == "not_found":
        return None
    names = [str(r["name"]) for r in (rows if asked else stale)]
    named = plan["kind"] in ("policy", "comparison")
    query = news_query(plan["message"], names, today, named=named)
    if not query:
        return None
    days = _ASKED_DAYS if asked else _STALE_DAYS
    return {"query": query, "days": days, "reason": "asked" if asked else "stale"}


def is_stale(row: dict[str, Any], today: date) -> bool:
    """Return True when a policy's record may be out of date.

    That is: not modified for a year, or its application window ended in an earlier year (this
    year's round may differ).
    """
    modified = row.get("source_modified_at")
    if isinstance(modified, str):
        modified = datetime.fromisoformat(modified)
    if isinstance(modified, datetime) and (today - modified.date()).days > _STALE_AFTER_DAYS:
        return True
    state = window(row, today)
    return state.state == "ended" and state.end is not None and state.end.year < today.year


def news_query(message: str, names: Sequence[str], today: date, *, named: bool) -> str:
    """Build the search query.

    The policies' names when the question names them, else its topic with the best cited name;
    then this year (news of an earlier round would mislead).
    """
    words = [w for w in _PUNCT.sub(" ", message).split() if not _FILLER.match(w)]
    topic = " ".join(words)[:60].strip()
    if named and names:
        parts = list(dict.fromkeys(names[:2]))
    else:
        parts = [topic, *[n for n in names[:1] if n.replace(" ", "") not in topic.replace(" ", "")]]
    parts = [p for p in parts if p]
    return f"{' '.join(parts)} {today.year}" if parts else ""


def news_to_state(items: Sequence[NewsItem]) -> list[dict[str, Any]]:
    """Return news items as JSON-safe data (the answer's ``news`` field and frame)."""
    return [
        {
            "title": item.title,
            "url": item.url,
            "source": item.source,
            "published": item.published.isoformat() if item.published else None,
            "snippet": item.snippet,
        }
        for item in items
    ]


def news_tokens(items: Sequence[NewsItem]) -> int:
    """Tokens of the news text the turn brought in (counted against the daily budget)."""
    text = "\n".join(f"{i.title} {i.source} {i.snippet}" for i in items)
    return count_tokens(text) if items else 0
