"""decide(): a draft reaches the customer only when an FAQ entry answers THIS question.

Phrasings are our own (not the evaluation set's): each reason is reached in Korean and English.
"""

from __future__ import annotations

import pytest

from chalicelib.ports import DraftAnswer, TextAnalysis
from chalicelib.services.desk.decision import DecisionPolicy, decide

FAQ = [{"id": "e1", "question": "How do I reset my password?", "answer": "Use 'Forgot password'."}]
CALM: TextAnalysis = {"language": "en", "sentiment": "NEUTRAL", "scores": {}}


def _draft(confidence: float = 0.9, answers: bool = True) -> DraftAnswer:
    return {
        "answer": "Use 'Forgot password'.",
        "confidence": confidence,
        "source": "e1",
        "usage": {},
        "answers_question": answers,
        "entry_index": 0,
    }


def test_a_question_the_faq_answers_is_answered_with_its_confidence():
    decision = decide("Where do I reset my password?", CALM, _draft(0.82), FAQ, DecisionPolicy())
    assert (decision.action, decision.reason, decision.confidence) == (
        "auto_answer",
        "answered",
        0.82,
    )
    assert "e1" in decision.explanation


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("상담사분이랑 직접 통화하고 싶습니다", "asked_for_human"),
        ("Could I speak with a person about this instead?", "asked_for_human"),
        ("제가 하지 않은 결제가 찍혀 있어요. 비밀번호도 안 바꿨는데요", "security"),
        ("Someone logged into my profile from Brazil and changed the email", "security"),
        ("I think I clicked a phishing link that looked like your site", "security"),
        ("답변이 늦어도 너무 늦네요. 정말 실망입니다", "complaint"),
        ("This is unacceptable, the reset mail has been broken for days", "complaint"),
        ("주문번호 88123001 결제가 실패했다고 나오는데 확인 부탁드려요", "account_specific"),
        ("My payment failed twice this morning, what is wrong with my card?", "account_specific"),
        ("I still haven't received the reset mail you promised", "account_specific"),
        ("주문한 지 열흘인데 아직도 안 왔어요", "account_specific"),
    ],
)
def test_inquiries_a_person_must_handle_go_to_staff_with_the_reason(text, reason):
    decision = decide(text, CALM, _draft(0.95), FAQ, DecisionPolicy())
    assert (decision.action, decision.reason) == ("human", reason)
    assert decision.confidence == 0.95  # the draft's confidence is still reported


def test_an_urgent_inquiry_goes_to_a_human_however_sure_the_draft():
    decision = decide("reset password", CALM, _draft(0.99), FAQ, DecisionPolicy(priority="urgent"))
    assert (decision.action, decision.reason) == ("human", "urgent")


def test_an_advisor_handoff_asks_for_a_human():
    policy = DecisionPolicy(category="advisor_handoff")
    assert decide("reset password", CALM, _draft(), FAQ, policy).reason == "asked_for_human"


def test_a_draft_that_does_not_answer_the_question_is_not_covered():
    decision = decide(
        "Do you ship to Canada?", CALM, _draft(0.9, answers=False), FAQ, DecisionPolicy()
    )
    assert (decision.action, decision.reason) == ("human", "not_covered")


def test_without_an_faq_nothing_is_answered_automatically():
    assert decide("reset password", CALM, _draft(), [], DecisionPolicy()).reason == "not_covered"


def test_a_draft_below_the_tenants_threshold_is_low_confidence():
    decision = decide("reset password", CALM, _draft(0.7), FAQ, DecisionPolicy(threshold=0.8))
    assert (decision.action, decision.reason) == ("human", "low_confidence")
    assert "0.70" in decision.explanation and "0.80" in decision.explanation


@pytest.mark.parametrize(
    "text",
    [
        "비밀번호를 잊어버렸어요. 다시 만들려면 어떻게 하나요?",
        "Hello, I would like to know how to get a refund for an unopened item, please.",
        "카드를 잃어버렸는데 정지하는 방법을 알려주세요",
        # What happens IF the parcel has not left yet: a conditional, not a report of this order.
        "아직 출고가 안 됐으면 주소를 바꿀 수 있나요?",
        "아직 못 받았으면 어디로 문의하면 되나요?",
    ],
)
def test_calm_everyday_questions_are_not_mistaken_for_people_matters(text):
    assert decide(text, CALM, _draft(), FAQ, DecisionPolicy()).action == "auto_answer"
