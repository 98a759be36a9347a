"""BookmarkService and ReminderService rules over the bookmark repository fake and a mail outbox."""

from __future__ import annotations

import datetime as dt

import pytest

from chalicelib.errors import Conflict, NotFound, UpstreamUnavailable
from chalicelib.services.bookmarks import BookmarkService
from chalicelib.services.reminders import ReminderService
from tests.fakes.bookmarks import FakeBookmarkRepository

TODAY = dt.date(2026, 12, 1)
USER = "user-1"


class Outbox:
    """A mailer that keeps what it sent (or fails while ``down``)."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str]] = []
        self.down = False

    def send(self, to: str, subject: str, body: str) -> str:
        if self.down:
            raise UpstreamUnavailable("mail is down")
        self.sent.append((to, subject, body))
        return f"m-{len(self.sent)}"


@pytest.fixture
def repo() -> FakeBookmarkRepository:
    fake = FakeBookmarkRepository()
    fake.add_user(USER, "me@example.com")
    fake.add_policy(
        fake.policy("P1", "청년 월세 지원", TODAY + dt.timedelta(days=1)),
        ["신분증", "임대차계약서"],
    )
    fake.add_policy(
        fake.policy("P2", "청년 도약계좌", TODAY + dt.timedelta(days=20)), ["통장 사본"]
    )
    return fake


def _exists(repo: FakeBookmarkRepository):
    def check(plcy_no: str) -> None:
        if plcy_no not in repo.policies:
            raise NotFound(f"policy {plcy_no} does not exist")

    return check


@pytest.fixture
def bookmarks(repo) -> BookmarkService:
    return BookmarkService(repo, _exists(repo), today=lambda: TODAY)


def test_saving_an_unknown_policy_is_not_found_and_saves_nothing(bookmarks, repo):
    with pytest.raises(NotFound):
        bookmarks.add(USER, "NOPE", "saved")
    assert repo.bookmarks == {}


def test_saving_twice_is_a_conflict(bookmarks):
    assert bookmarks.add(USER, "P1", "saved")["status"] == "saved"
    with pytest.raises(Conflict):
        bookmarks.add(USER, "P1", "saved")


def test_unsaved_policy_cannot_be_updated_removed_or_checked(bookmarks):
    with pytest.raises(NotFound):
        bookmarks.update(USER, "P1", "applied")
    with pytest.raises(NotFound):
        bookmarks.remove(USER, "P1")
    with pytest.raises(NotFound):
        bookmarks.checklist(USER, "P1")


def test_checklist_completion_counts_documents_not_todo(bookmarks, repo):
    bookmarks.add(USER, "P1", "preparing")
    first = bookmarks.checklist(USER, "P1")["items"][0]["documentId"]
    result = bookmarks.set_document(USER, "P1", first, "ready")
    assert result["completion"] == 50
    assert [i["status"] for i in result["items"]] == ["ready", "todo"]


def test_a_document_of_another_policy_is_not_found(bookmarks, repo):
    bookmarks.add(USER, "P1", "saved")
    foreign = next(d["id"] for d in repo.documents.values() if d["plcy_no"] == "P2")
    with pytest.raises(NotFound):
        bookmarks.set_document(USER, "P1", foreign, "ready")


def test_due_reminder_is_mailed_once(repo):
    outbox = Outbox()
    service = ReminderService(repo, outbox, today=lambda: TODAY)
    repo.add(USER, "P1", "saved")
    repo.add(USER, "P2", "saved")
    assert service.send_due() == {"sent": 1}
    [(to, subject, body)] = outbox.sent
    assert to == "me@example.com"
    assert "청년 월세 지원" in subject and "1일 후" in subject
    assert (TODAY + dt.timedelta(days=1)).isoformat() in body
    assert service.send_due() == {"sent": 0}


def test_a_failed_mail_is_retried_on_the_next_run(repo):
    outbox = Outbox()
    service = ReminderService(repo, outbox, today=lambda: TODAY)
    repo.add(USER, "P1", "saved")
    outbox.down = True
    with pytest.raises(UpstreamUnavailable):
        service.send_due()
    outbox.down = False
    assert service.send_due() == {"sent": 1}


def test_applied_policies_get_no_reminder(repo):
    outbox = Outbox()
    repo.add(USER, "P1", "applied")
    assert ReminderService(repo, outbox, today=lambda: TODAY).send_due() == {"sent": 0}
    assert outbox.sent == []
