"""The in-app notification list: pages, signed cursors bound to the user, language, reads."""

from __future__ import annotations

import pytest

from chalicelib.errors import InvalidInput, NotFound
from chalicelib.services.notifications import NotificationService
from tests.fakes.notifications import InMemoryNotificationRepository

KEY = b"k" * 32
EXTENDED = {
    "kind": "window_extended",
    "before": {"status": "window", "start": "2026-03-01", "end": "2026-03-31"},
    "after": {"status": "window", "start": "2026-03-01", "end": "2026-04-15"},
}


@pytest.fixture
def repo():
    repo = InMemoryNotificationRepository()
    repo.users.update(ko={"email": "k@example.com", "language": "ko"})
    repo.users.update(en={"email": "e@example.com", "language": "en"})
    repo.names["1"] = "서울 청년 월세 지원"
    repo.savers["1"] = ["ko", "en"]
    for n in range(3):
        repo.record_change(
            {"plcy_no": "1", "source": "ingestion", "changes": [EXTENDED], "dedupe_key": str(n)}
        )
    return repo


def test_pages_newest_first_with_a_cursor_and_the_unread_count(repo):
    service = NotificationService(repo, KEY)
    first = service.list("ko", 2, None, None)
    assert [i["id"] for i in first["items"]] == [5, 3] and first["unread"] == 3
    rest = service.list("ko", 2, first["next"], None)
    assert [i["id"] for i in rest["items"]] == [1] and rest["next"] is None


def test_texts_follow_the_users_language_unless_asked_for_another(repo):
    service = NotificationService(repo, KEY)
    [item] = service.list("en", 1, None, None)["items"]
    assert item["title"] == "'서울 청년 월세 지원' changed" and item["confirmed"] is True
    assert item["changes"] == [
        {
            "kind": "window_extended",
            "text": "The application window was extended to 15 Apr 2026"
            " (was 1 Mar 2026 – 31 Mar 2026).",
        }
    ]
    [korean] = service.list("en", 1, None, "ko")["items"]
    assert korean["changes"][0]["text"].endswith("2026-03-01~2026-04-15로 연장되었습니다.")


def test_a_cursor_of_another_user_or_an_edited_one_is_refused(repo):
    service = NotificationService(repo, KEY)
    cursor = service.list("ko", 1, None, None)["next"]
    with pytest.raises(InvalidInput) as other:
        service.list("en", 1, cursor, None)
    assert other.value.code == "invalid_cursor"
    with pytest.raises(InvalidInput):
        service.list("ko", 1, cursor[:-2] + "xx", None)


def test_reading_one_and_all(repo):
    service = NotificationService(repo, KEY)
    assert service.mark_read("ko", 1) == {"marked": 1, "unread": 2}
    with pytest.raises(NotFound):
        service.mark_read("ko", 2)  # the English user's
    assert service.mark_all_read("ko") == {"marked": 2, "unread": 0}
    assert service.list("ko", 5, None, None)["items"][0]["read"] is True
