"""Escalation mail and SNS state the real reason and carry the draft."""

from __future__ import annotations

import pytest

from chalicelib.services.desk.notices import DeskNotices
from tests.fakes.desk import RecordingMailer, RecordingNotifier

TENANT = {"tenant_id": "t1", "staff_email": "staff@a.test", "sns_topic_arn": "arn:x", "name": "A"}
INQUIRY = {
    "inquiry_id": "i1", "priority": "high", "priority_score": 50, "sentiment": "NEUTRAL",
    "customer_email": "c@x.test", "category": "기술문의", "title": "앱 오류", "content": "앱이 꺼져요",
}  # fmt: skip


@pytest.mark.parametrize(
    ("code", "said"),
    [
        ("urgent", "urgent"),
        ("low_confidence", "low AI confidence"),
        ("asked_for_human", "the customer asked for a person"),
        ("ai_unavailable", "AI unavailable"),
        ("complaint", "complaint"),
        ("security", "security report"),
        ("not_covered", "not covered by the FAQ"),
    ],
)
def test_the_escalation_states_its_reason_and_carries_the_draft(code, said):
    mailer, notifier = RecordingMailer(), RecordingNotifier()
    DeskNotices(mailer, notifier).escalation(TENANT, INQUIRY, "초안입니다", code, "because")
    [mail] = mailer.sent
    assert f"needs a human ({said})" in mail["body"] and "Why: because" in mail["body"]
    assert mail["body"].endswith("--- AI draft ---\n초안입니다") and said in mail["subject"]
    [note] = notifier.published
    assert note["message"]["reason"] == said and note["message"]["reason_code"] == code
    assert note["message"]["ai_draft"] == "초안입니다"


def test_without_a_draft_the_mail_says_none():
    mailer = RecordingMailer()
    DeskNotices(mailer, RecordingNotifier()).escalation(TENANT, INQUIRY, "", "ai_unavailable")
    assert "(AI unavailable)" in mailer.sent[0]["body"] and "(none)" in mailer.sent[0]["body"]


def test_the_draft_carries_its_confidence_and_a_warning_when_it_answers_another_question():
    mailer, notifier = RecordingMailer(), RecordingNotifier()
    scored = {**INQUIRY, "ai_confidence": 0.214}
    DeskNotices(mailer, notifier).escalation(TENANT, scored, "비밀번호 찾기 안내", "not_covered")
    body = mailer.sent[0]["body"]
    assert "--- AI draft (confidence 0.21) ---\nThe closest FAQ answer, which does not" in body
    assert notifier.published[0]["message"]["ai_confidence"] == 0.214
    mailer = RecordingMailer()
    DeskNotices(mailer, RecordingNotifier()).escalation(TENANT, scored, "초안", "complaint")
    assert mailer.sent[0]["body"].endswith("--- AI draft (confidence 0.21) ---\n초안")
