"""Fake of ports.NewsSearch: fixed items, the searches recorded, optionally slow or failing."""

from __future__ import annotations

import time
from datetime import date

from chalicelib.ports import NewsItem

ITEMS = [
    NewsItem(
        "청년미래적금 내년 6월 출시…정부 기여금 최대 12%",
        "https://www.news.example.co.kr/economy/2026/11/24/1",
        "news.example.co.kr",
        date(2026, 11, 24),
        "금융위원회는 청년미래적금을 내년 6월 출시한다고 밝혔다.",
    ),
    NewsItem(
        "청년 적금 가입 조건 달라진다",
        "https://daily.example.com/articles/9",
        "daily.example.com",
        None,
        "청년도약계좌 가입자의 갈아타기 허용 여부가 논의되고 있다.",
    ),
]


class InMemoryNewsSearch:
    """Answers every search with ``items``; ``searches`` holds (query, max_results, days)."""

    enabled = True

    def __init__(self, items: list[NewsItem] | None = None, delay: float = 0.0) -> None:
        self.items = list(ITEMS if items is None else items)
        self.delay = delay
        self.failing = False  # like the real adapter: a failure is logged and gives []
        self.searches: list[tuple[str, int, int | None]] = []

    def search(
        self, query: str, *, max_results: int = 3, days: int | None = None
    ) -> list[NewsItem]:
        self.searches.append((query, max_results, days))
        if self.delay:
            time.sleep(self.delay)
        return [] if self.failing else self.items[:max_results]
