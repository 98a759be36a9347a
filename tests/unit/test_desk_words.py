"""What a key term is for the desk's FAQ match (pure): Korean and English morphology, and the
ways a word may be written and still be the tenant's word. Phrasings are our own.
"""

from __future__ import annotations

import pytest

from chalicelib.offline import faq_match, words


@pytest.mark.parametrize(
    "text",
    [
        "바꾸면",  # conditional
        "바꿔야",  # obligation
        "취소하고싶어여",  # casual 요 written 여
        "보낼때",  # "when sending", spaced as one word
        "까먹음",  # a verb made a noun
        "내려간다는",  # a predicate whose ending looks like the particle 는
        "있던데",
        "두개",  # a count
    ],
)
def test_korean_predicates_and_counts_are_not_terms(text):
    assert words.key_terms(text) == []


def test_a_korean_noun_keeps_its_name_through_particles_and_the_copula():
    assert words.key_terms("주말이면 배송은 카드로도") == ["주말", "배송", "카드"]
    assert words.key_terms("마음이 바뀌었어요") == ["마음"]  # a noun that ends like 까먹음


def test_english_stems_meet_across_inflections_and_small_words_go():
    assert words.key_terms("pricing prices price") == ["pric"]
    assert words.key_terms("jobs ending dropped lines") == ["job", "end", "drop", "lin"]
    assert words.key_terms("I'm sure it's our team's plan, last month") == ["sur", "team", "plan"]
    assert words.key_terms("plus less") == ["plus", "less"]


def test_two_swapped_letters_are_a_typo_of_a_longer_word():
    assert words.one_letter_apart("recieve", "receive")
    assert not words.one_letter_apart("abcde", "badce")
    assert faq_match.coverage(words.key_terms("recieve"), "You receive a link by email") == 1.0


def test_a_korean_abbreviation_and_either_spacing_are_the_tenant_word():
    assert words.abbreviates("비번", "비밀번호")
    assert not words.abbreviates("비번", "비밀")  # not shorter than the word
    assert not words.abbreviates("번호", "비밀번호")  # the first syllable leads
    text = "간편 비밀번호를 잊었다면 앱에서 다시 만드세요."
    assert faq_match.novel_terms(["간편비번", "비번", "간편비밀번호"], text) == []
    assert faq_match.novel_terms(["잔액증명서"], "잔액 확인은 앱에서") == ["잔액증명서"]


def test_an_english_plural_of_an_ing_noun_meets_its_singular():
    assert words.en_stem("settings") == words.en_stem("setting") == "set"
    assert words.key_terms("meetings meeting") == ["meet"]


@pytest.mark.parametrize(
    "text",
    [
        "doesnt",  # a contraction without its apostrophe
        "haven't",
        "thats youre ive",
        "they them their",  # pronouns are a closed class
        "never even nothing",
    ],
)
def test_english_contractions_and_function_words_are_not_terms(text):
    assert words.key_terms(text) == []


def test_a_verb_and_its_particle_are_one_word_however_written():
    text = "Log in with your e-mail, then set up the workspace."
    assert faq_match.novel_terms(["login", "setup", "email", "workspac"], text) == []
    assert faq_match.novel_terms(["logout"], text) == ["logout"]


def test_a_mistyped_english_word_is_spelled_as_the_tenant_spells_it():
    tenant = "How do I cancel my Plus subscription? Go to Settings."
    text = "how do i cancle my plus subscrption so it does not renew"
    assert faq_match.spelled_as_tenant(text, tenant) == (
        "how do i cancel my plus subscription so it does not renew"
    )
    # A word the tenant writes, and a short word, are left as the customer wrote them.
    assert faq_match.spelled_as_tenant("Cancle plans", "cancel or cancle") == "Cancle plans"
    assert faq_match.spelled_as_tenant("form", "from") == "form"
