"""News about saved policies: unconfirmed notifications, once per article; off without search."""

from __future__ import annotations

import datetime as dt

from chalicelib.errors import UpstreamUnavailable
from chalicelib.ports import NewsItem
from chalicelib.services.policy_news import PolicyNewsMonitor, says_it_changed
from tests.fakes.notifications import InMemoryNotificationRepository


class FakeNews:
    """A news search that answers from a list and keeps every request it received."""

    enabled = True

    def __init__(self, items: list[NewsItem], fail: bool = False) -> None:
        self.items, self.fail = items, fail
        self.requests: list[dict] = []

    def search(self, query: str, *, max_results: int, days: int | None) -> list[NewsItem]:
        self.requests.append({"query": query, "max_results": max_results, "days": days})
        if self.fail:
            raise UpstreamUnavailable("news search timed out")
        return self.items


EXTENDED = NewsItem(
    title="서울 청년 월세 지원 신청 마감 4월 15일로 연장",
    url="https://news.example/1",
    source="연합뉴스",
    published=dt.date(2026, 3, 12),
    snippet="서울시는 청년 월세 지원 신청 기간을 연장한다고 밝혔다.",
)
UNRELATED = NewsItem("청년 적금 금리 인상", "https://news.example/2", "뉴스1", None, "")


def _repo() -> InMemoryNotificationRepository:
    repo = InMemoryNotificationRepository()
    repo.names["1"] = "서울 청년 월세 지원"
    repo.savers["1"] = ["u1"]
    return repo


def test_without_news_search_the_check_does_nothing():
    repo = _repo()
    assert PolicyNewsMonitor(repo, None).check() == {"enabled": False, "searched": 0, "recorded": 0}
    assert repo.changes == {}


def test_with_news_search_switched_off_the_check_searches_nothing():
    from chalicelib.news.off import NoNewsSearch

    repo = _repo()
    off = PolicyNewsMonitor(repo, NoNewsSearch()).check()
    assert off == {"enabled": False, "searched": 0, "recorded": 0}
    assert repo.changes == {}


def test_news_saying_a_saved_policy_changed_is_an_unconfirmed_notification_once():
    repo, news = _repo(), FakeNews([EXTENDED, UNRELATED])
    monitor = PolicyNewsMonitor(repo, news)
    assert monitor.check() == {"enabled": True, "searched": 1, "recorded": 1}
    assert news.requests == [
        {"query": "서울 청년 월세 지원 신청 기간 변경", "max_results": 3, "days": 7}
    ]
    [change] = repo.changes.values()
    assert change["source"] == "news" and change["url"] == EXTENDED.url
    assert change["changes"][0]["after"]["published"] == "2026-03-12"
    assert monitor.check()["recorded"] == 0  # the same article again
    [row] = repo.page("u1", None, 10)
    assert row["source"] == "news"


def test_a_failing_news_search_is_skipped():
    repo = _repo()
    assert PolicyNewsMonitor(repo, FakeNews([], fail=True)).check()["searched"] == 0


def test_only_news_naming_the_policy_and_a_change_counts():
    assert says_it_changed(EXTENDED, "서울 청년 월세 지원")
    assert not says_it_changed(UNRELATED, "서울 청년 월세 지원")
    same_name_no_change = NewsItem("서울 청년 월세 지원 후기", "u", "s", None, "좋았다")
    assert not says_it_changed(same_name_no_change, "서울 청년 월세 지원")
