"""Alerts: ingestion updates become change records, notifications and one mail per user."""

from __future__ import annotations

import datetime as dt

import pytest

from chalicelib.errors import UpstreamUnavailable
from chalicelib.policies.records import RawRecord
from chalicelib.services.alerts import PolicyAlerts
from chalicelib.services.ingestion import IngestionService
from tests.factories import policy_record
from tests.fakes.notifications import InMemoryNotificationRepository
from tests.fakes.policy import InMemoryPolicyIndex, InMemoryPolicyRepository

TODAY = dt.date(2026, 3, 10)


class Outbox:
    """A mailer that keeps what it sent, or refuses (SES said no) while ``refuse`` is set."""

    def __init__(self) -> None:
        self.sent: list[dict[str, str]] = []
        self.refuse = False
        self.crash = False

    def send(self, to: str, subject: str, body: str) -> str:
        if self.refuse:
            raise UpstreamUnavailable("the mail service refused the message")
        if self.crash:
            raise TimeoutError("read timed out")
        self.sent.append({"to": to, "subject": subject, "body": body})
        return f"m{len(self.sent)}"


class _Embedder:
    model_id, dimension = "fixed", 2

    def embed_documents(self, texts):
        return [[1.0, 0.0] for _ in texts]

    def embed_query(self, text):
        return [1.0, 0.0]


@pytest.fixture
def world():
    notes, outbox = InMemoryNotificationRepository(), Outbox()
    alerts = PolicyAlerts(notes, outbox, today=lambda: TODAY)
    service = IngestionService(
        InMemoryPolicyRepository(), InMemoryPolicyIndex(), _Embedder(), alerts=alerts
    )
    notes.users["u1"] = {"email": "u1@example.com", "language": "ko"}
    notes.users["u2"] = {"email": "u2@example.com", "language": "en"}
    notes.names.update({"1": "서울 청년 월세 지원", "2": "부산 청년 적금"})
    return service, notes, outbox


def _ingest(service, *records, full_sync=False):
    items = [RawRecord(i, r) for i, r in enumerate(records)]
    return service.ingest(items, source="test", full_sync=full_sync)


def test_a_new_policy_alerts_nobody(world):
    service, notes, outbox = world
    notes.savers["1"] = ["u1"]
    report = _ingest(service, policy_record("1"))
    assert report["policy_changes"] == 0 and notes.changes == {} and outbox.sent == []


def test_an_extension_notifies_and_mails_each_saver_in_their_language(world):
    service, notes, outbox = world
    _ingest(service, policy_record("1"))
    notes.savers["1"] = ["u1", "u2"]
    report = _ingest(service, policy_record("1", aplyYmd="20260301 ~ 20260415"))
    assert report["policy_changes"] == 1
    assert report["mail"]["mails"] == 2 and report["mail"]["notifications"] == 2
    [change] = notes.changes.values()
    assert change["changes"][0]["kind"] == "window_extended"
    assert change["run_id"] == report["run_id"]
    korean, english = sorted(outbox.sent, key=lambda m: m["to"])
    assert korean["subject"] == "[FinQ] 저장하신 정책 1건이 바뀌었습니다"
    assert "2026-03-01~2026-04-15로 연장되었습니다" in korean["body"]
    assert english["subject"] == "[FinQ] A policy you saved changed"
    assert "extended to 15 Apr 2026" in english["body"]


def test_re_ingesting_the_same_file_makes_nothing_new(world):
    service, notes, outbox = world
    _ingest(service, policy_record("1"))
    notes.savers["1"] = ["u1"]
    changed = policy_record("1", sprtTrgtMaxAge="34")
    _ingest(service, changed)
    again = _ingest(service, changed)
    assert again["policy_changes"] == 0 and again["mail"]["mails"] == 0
    assert len(notes.notifications) == 1 and len(outbox.sent) == 1


def test_a_cosmetic_update_is_stored_but_alerts_nobody(world):
    service, notes, outbox = world
    _ingest(service, policy_record("1"))
    notes.savers["1"] = ["u1"]
    report = _ingest(service, policy_record("1", lastMdfcnDt="2026-03-09 12:00:00"))
    assert report["counts"]["updated"] == 1
    assert report["policy_changes"] == 0 and outbox.sent == []


def test_one_mail_per_user_lists_every_changed_saved_policy(world):
    service, notes, outbox = world
    _ingest(service, policy_record("1"), policy_record("2"))
    notes.savers.update({"1": ["u1"], "2": ["u1"]})
    _ingest(
        service,
        policy_record("1", plcySprtCn="월 최대 30만원"),
        policy_record("2", sbmsnDcmntCn="1. 신청서"),
    )
    [mail] = outbox.sent
    assert mail["subject"] == "[FinQ] 저장하신 정책 2건이 바뀌었습니다"
    assert "지원 내용이 바뀌었습니다: 월 최대 30만원" in mail["body"]
    assert "제출 서류가 바뀌었습니다 (제외: 주민등록등본, 임대차계약서)" in mail["body"]


def test_a_full_sync_that_drops_a_saved_policy_says_it_was_withdrawn(world):
    service, notes, outbox = world
    _ingest(service, policy_record("1"), policy_record("2"), full_sync=True)
    notes.savers["2"] = ["u2"]
    _ingest(service, policy_record("1"), full_sync=True)
    [mail] = outbox.sent
    assert "The policy was withdrawn" in mail["body"]
    again = _ingest(service, policy_record("1"), full_sync=True)
    assert again["policy_changes"] == 0


def test_a_refused_mail_keeps_the_notification_and_is_retried_once_by_the_next_run(world):
    service, notes, outbox = world
    _ingest(service, policy_record("1"))
    notes.savers["1"] = ["u1"]
    outbox.refuse = True
    report = _ingest(service, policy_record("1", sprtTrgtMaxAge="34"))
    assert report["status"] == "succeeded" and report["mail"]["retry"] == 1
    assert notes.page("u1", None, 10) and outbox.sent == []
    outbox.refuse = False
    _ingest(service, policy_record("1", sprtTrgtMaxAge="34"))  # nothing new; mail retried
    _ingest(service, policy_record("1", sprtTrgtMaxAge="34"))
    assert len(outbox.sent) == 1 and notes.mail_status(1) == "sent"


def test_a_mail_that_may_have_gone_out_is_never_sent_again(world):
    service, notes, outbox = world
    _ingest(service, policy_record("1"))
    notes.savers["1"] = ["u1"]
    outbox.crash = True
    report = _ingest(service, policy_record("1", sprtTrgtMaxAge="34"))
    assert report["mail"]["unsure"] == 1
    outbox.crash = False
    _ingest(service, policy_record("1", sprtTrgtMaxAge="30"))  # a new change: mailed
    [mail] = outbox.sent
    assert "19~30세" in mail["body"] and "19~34세로" not in mail["body"]
    assert len(notes.page("u1", None, 10)) == 2


def test_a_user_without_email_gets_the_in_app_notification_only(world):
    service, notes, outbox = world
    notes.users["u3"] = {"email": "", "language": "ko"}
    _ingest(service, policy_record("1"))
    notes.savers["1"] = ["u3"]
    report = _ingest(service, policy_record("1", sprtTrgtMaxAge="34"))
    assert report["mail"]["skipped"] == 1 and outbox.sent == []
    assert notes.unread_count("u3") == 1
