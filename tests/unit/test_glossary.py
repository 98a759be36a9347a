"""The English->Korean glossary and query expansion (pure)."""

from __future__ import annotations

from chalicelib.policies.glossary import expand_query, is_english, korean_terms


def test_english_words_bring_their_korean_terms_with_plural_and_verb_endings():
    assert korean_terms("rent help") == ["월세"]
    assert "월세" in korean_terms("Help for young renters?")
    assert {"농업", "영농"} <= set(korean_terms("I started farming last year"))
    assert "구직활동" in korean_terms("monthly job-seeking allowance")


def test_longer_phrases_are_read_before_their_words():
    terms = korean_terms("Is there a student loan for tuition?")
    assert terms.index("학자금대출") < terms.index("대출")


def test_an_unrelated_word_brings_nothing():
    assert korean_terms("I'm interested in it, thanks") == []


def test_only_english_queries_are_expanded():
    assert expand_query("rent help") == "rent help (월세)"
    assert expand_query("월세 지원 받을 수 있어?") == "월세 지원 받을 수 있어?"
    assert expand_query("hello there") == "hello there"
    assert is_english("K-패스 how to apply") and not is_english("K-패스 신청 방법")
