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
