"""Priority: sentiment is one input; only urgency (stated or written) makes an inquiry urgent."""

from __future__ import annotations

import pytest

from chalicelib.services import triage


@pytest.mark.parametrize(
    "text",
    [
        "비밀번호를 잊어버렸어요",
        "Hello, could you please refund my last order? Thank you.",
        "영수증을 다시 받을 수 있을까요?",
    ],
)
def test_a_calm_question_is_never_urgent_even_for_a_costly_category_and_tier(text):
    for sentiment in ("NEUTRAL", "POSITIVE", "MIXED"):
        _, label = triage.priority(sentiment, None, 30, "enterprise", text)
        assert label in ("low", "normal", "high") and label != "urgent"
    assert triage.priority("NEUTRAL", None, 0, "basic", text)[1] == "low"


def test_anger_alone_is_high_not_urgent():
    assert triage.priority("NEGATIVE", None, 20, "enterprise", "I'm really unhappy")[1] == "high"


@pytest.mark.parametrize(
    "text",
    [
        "지금 당장 막아주세요! 모르는 이체가 있어요",
        "Please block my card immediately",
        "해킹당한 것 같아요",
    ],
)
def test_urgency_cues_with_negative_sentiment_make_it_urgent(text):
    assert triage.priority("NEGATIVE", None, 20, "pro", text)[1] == "urgent"


def test_the_categorys_weight_raises_the_score():
    low, _ = triage.priority("NEUTRAL", None, 0, "basic", "question")
    high, _ = triage.priority("NEUTRAL", None, 25, "basic", "question")
    assert high - low == 25


@pytest.mark.parametrize("tier", ["basic", "pro", "enterprise"])
@pytest.mark.parametrize("weight", [0, 15, 30])
def test_a_calm_question_is_low_whatever_the_tier_and_weight_unless_a_person_must_act(tier, weight):
    question = "How do I change my billing address?"
    assert triage.priority("NEUTRAL", None, weight, tier, question)[1] == "low"
    assert triage.priority("POSITIVE", "medium", weight, tier, question)[1] == "normal"
    own_order = "주문번호 20240101-1234 배송이 아직도 안 왔는데 확인 부탁드려요."
    assert triage.priority("NEUTRAL", None, weight, tier, own_order)[1] == "normal"
    assert triage.priority("NEUTRAL", None, weight, tier, "상담원 연결해 주세요")[1] == "normal"


def test_a_calm_questions_score_still_orders_the_queue_by_tier_and_weight():
    low, label_low = triage.priority("NEUTRAL", None, 0, "basic", "question")
    high, label_high = triage.priority("NEUTRAL", None, 30, "enterprise", "question")
    assert (label_low, label_high) == ("low", "low") and high - low == 45


@pytest.mark.parametrize(
    "text",
    [
        "제 명의로 모르는 대출이 있어요",
        "I think my account was hacked",
        "누군가 제 계정에 로그인했어요",
    ],
)
def test_fraud_or_account_takeover_is_urgent_whatever_the_sentiment_and_tier(text):
    for sentiment in ("NEUTRAL", "POSITIVE", "NEGATIVE"):
        assert triage.priority(sentiment, None, 0, "basic", text)[1] == "urgent"


def test_a_stated_high_urgency_is_not_calm():
    assert triage.priority("NEUTRAL", "high", 15, "pro", "Please look at my invoice")[1] == "high"


@pytest.mark.parametrize("tier", ["basic", "pro", "enterprise"])
def test_a_complaint_in_so_many_words_is_high_at_any_tier(tier):
    text = "세 번이나 문의했는데 아무도 답을 안 주네요. 정말 실망입니다."
    assert triage.priority("NEGATIVE", None, 0, tier, text)[1] == "high"


def test_negative_sentiment_without_complaint_words_follows_the_score():
    # A calm question the classifier misread as negative does not jump the queue.
    assert triage.priority("NEGATIVE", None, 0, "basic", "상담 가능한 시간이 언제예요?") == (
        25,
        "normal",
    )
