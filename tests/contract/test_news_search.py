"""ports.NewsSearch: the in-memory fake and the Tavily adapter (over a local fake endpoint)
give the same shapes, honour max_results, and turn a failure into no news."""

from __future__ import annotations

import pytest

from chalicelib.news.tavily import TavilyNewsSearch
from chalicelib.ports import NewsItem
from tests.fake_tavily import KEY, FakeTavily
from tests.fakes.news import InMemoryNewsSearch


@pytest.fixture(params=["fake", "tavily"])
def news(request):
    if request.param == "fake":
        fake = InMemoryNewsSearch()
        yield fake, lambda: setattr(fake, "failing", True)
        return
    with FakeTavily() as server:
        yield (
            TavilyNewsSearch(lambda: KEY, url=server.url),
            lambda: setattr(server, "status", 503),
        )


def test_finds_news_items_up_to_max_results(news):
    search, _ = news
    assert search.enabled is True
    items = search.search("청년 적금 2026", max_results=3, days=30)
    assert len(items) == 2 and all(isinstance(i, NewsItem) for i in items)
    assert all(i.title and i.url.startswith("https://") and i.source for i in items)
    assert len(search.search("청년 적금 2026", max_results=1)) == 1


def test_a_failure_is_no_news_not_an_error(news):
    search, fail = news
    fail()
    assert search.search("청년 적금 2026") == []
