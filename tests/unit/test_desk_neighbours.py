"""The desk's offline sentiment classifier (pure): k nearest neighbours within one language,
NEGATIVE only with a lead over NEUTRAL, complaint words, and the example pool itself.
"""

from __future__ import annotations

from collections import Counter

import pytest

from chalicelib.desk_rules import language_of
from chalicelib.offline import sentiment
from chalicelib.offline.neighbours import NearestNeighbours

# Hand-made vectors: every text points the same way unless listed, so only language separates.
VECTORS = {
    "환불은 어떻게 하나요?": [1.0, 0.0],
    "정말 화가 납니다": [0.0, 1.0],
    "How do I get a refund?": [0.0, 1.0],
    "I am furious": [1.0, 0.0],
}


def fake_embed(texts):
    return [VECTORS.get(text, [1.0, 0.0]) for text in texts]


def test_a_korean_text_is_compared_only_with_korean_examples():
    examples = {
        "NEUTRAL": ("환불은 어떻게 하나요?", "How do I get a refund?"),
        "NEGATIVE": ("정말 화가 납니다", "I am furious"),
    }
    neighbours = NearestNeighbours(fake_embed, examples, k=1)
    # [1, 0] is nearest to the Korean NEUTRAL example and to the English NEGATIVE one.
    assert neighbours.label("배송은 얼마나 걸려요?") == "NEUTRAL"
    assert neighbours.label("Where is my parcel?") == "NEGATIVE"


def test_votes_are_shares_of_the_k_nearest_examples_similarity():
    examples = {"NEUTRAL": ("a", "b", "c"), "NEGATIVE": ("d",), "POSITIVE": ("e",)}
    vectors = {"a": [1.0, 0.0], "b": [1.0, 0.0], "c": [1.0, 0.0], "d": [0.6, 0.8]}
    embed = lambda texts: [vectors.get(t, [0.0, 1.0]) for t in texts]  # noqa: E731
    votes = NearestNeighbours(embed, examples, k=4).votes("query a")
    # The query is "query a" -> [0, 1]: e (1.0) and d (0.8) are nearest, then two of a-c (0).
    assert votes == {"NEUTRAL": 0.0, "NEGATIVE": pytest.approx(0.4444, abs=1e-4),
                     "POSITIVE": pytest.approx(0.5556, abs=1e-4)}  # fmt: skip


@pytest.mark.parametrize(
    ("votes", "expected"),
    [
        ({"NEGATIVE": 0.5, "NEUTRAL": 0.4, "POSITIVE": 0.1, "MIXED": 0.0}, "NEUTRAL"),
        ({"NEGATIVE": 0.65, "NEUTRAL": 0.35, "POSITIVE": 0.0, "MIXED": 0.0}, "NEUTRAL"),
        ({"NEGATIVE": 0.72, "NEUTRAL": 0.28, "POSITIVE": 0.0, "MIXED": 0.0}, "NEGATIVE"),
        ({"NEGATIVE": 0.8, "NEUTRAL": 0.2, "POSITIVE": 0.0, "MIXED": 0.0}, "NEGATIVE"),
        ({"NEGATIVE": 0.4, "NEUTRAL": 0.0, "POSITIVE": 0.3, "MIXED": 0.3}, "NEGATIVE"),
    ],
)
def test_negative_needs_a_lead_over_neutral(votes, expected):
    assert sentiment.decide(votes, complaint=False) == expected


def test_complaint_words_make_a_neutral_reading_negative_and_thanks_mixed():
    neutral = {"NEGATIVE": 0.0, "NEUTRAL": 1.0, "POSITIVE": 0.0, "MIXED": 0.0}
    positive = {"NEGATIVE": 0.0, "NEUTRAL": 0.2, "POSITIVE": 0.8, "MIXED": 0.0}
    assert sentiment.decide(neutral, complaint=True) == "NEGATIVE"
    assert sentiment.decide(positive, complaint=True) == "MIXED"
    assert sentiment.decide(positive, complaint=False) == "POSITIVE"


def test_the_example_pool_is_large_and_covers_both_languages_and_every_label():
    examples = sentiment.examples()
    assert set(examples) == {"NEGATIVE", "NEUTRAL", "POSITIVE", "MIXED"}
    texts = [text for pool in examples.values() for text in pool]
    assert 250 <= len(texts) <= 350 and len(set(texts)) == len(texts)
    per_language = Counter(
        (language_of(text), label) for label, pool in examples.items() for text in pool
    )
    for label in examples:
        assert per_language["ko", label] >= 15 and per_language["en", label] >= 15
