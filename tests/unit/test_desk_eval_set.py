"""Schema of the desk evaluation sets (bench/data/desk_*.jsonl) and the evaluation's scoring.

Fast: no stack. The sets are the measuring stick for the inquiry desk, so a label that points at
no FAQ entry, a payload the API would refuse or a sentence the classifier was built from would
make every figure printed by ``python -m bench.desk_eval`` meaningless.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from bench.desk_eval import (
    HUMAN_REASONS,
    PRIORITIES,
    ROOT,
    SENTIMENTS,
    load_inquiry_set,
    load_sentences,
    score_answers,
)
from chalicelib.models import InquiryCreate, TenantCreate
from chalicelib.offline.sentiment import examples

HANGUL = re.compile("[가-힣]")
LATIN_WORD = re.compile("[A-Za-z]{2,}")
TENANTS, INQUIRIES = load_inquiry_set()
SENTENCES = load_sentences()
HELD_OUT = ROOT / "bench/data/desk_heldout.jsonl"


def test_inquiry_set_has_three_to_four_tenants_of_different_domains_with_6_to_10_faq_entries():
    assert 3 <= len(TENANTS) <= 4
    assert len({t["name"] for t in TENANTS.values()}) == len(TENANTS)
    assert len({t["domain_context"] for t in TENANTS.values()}) == len(TENANTS)
    for tenant in TENANTS.values():
        assert 6 <= len(tenant["faq"]) <= 10, tenant["tenant"]
        assert tenant["domain_context"].strip()
        TenantCreate.model_validate(
            {k: tenant[k] for k in ("name", "domain_context", "faq", "tier")}
            | {"staff_email": "staff@example.com"}
        )
    assert {t["lang"] for t in TENANTS.values()} >= {"ko", "en"}


def test_inquiry_set_has_80_or_more_inquiries_with_30_or_more_in_english():
    langs = Counter(item["lang"] for item in INQUIRIES)
    assert len(INQUIRIES) >= 80
    assert langs["en"] >= 30
    assert langs["ko"] >= 30
    assert set(langs) <= {"ko", "en", "mixed"}
    assert len({item["id"] for item in INQUIRIES}) == len(INQUIRIES)


def test_every_inquiry_is_a_payload_the_api_accepts():
    for item in INQUIRIES:
        InquiryCreate.model_validate(
            {k: item[k] for k in ("title", "content", "category", "urgency") if item.get(k)}
            | {"customer_email": "customer@example.com"}
        )


def test_every_expected_outcome_is_an_existing_faq_entry_or_a_known_human_reason():
    for item in INQUIRIES:
        assert item["tenant"] in TENANTS, item["id"]
        expect = item["expect"]
        assert len(expect) == 1, item["id"]
        if "answer_from" in expect:
            index = expect["answer_from"]
            assert isinstance(index, int), item["id"]
            assert 0 <= index < len(TENANTS[item["tenant"]]["faq"]), item["id"]
        else:
            assert expect["human"] in HUMAN_REASONS, item["id"]


def test_both_outcomes_every_human_reason_and_the_hard_cases_are_represented():
    answered = [i for i in INQUIRIES if "answer_from" in i["expect"]]
    reasons = Counter(i["expect"]["human"] for i in INQUIRIES if "human" in i["expect"])
    tags = Counter(tag for item in INQUIRIES for tag in item["tags"])
    assert len(answered) >= 30 and sum(reasons.values()) >= 30
    assert all(reasons[reason] >= 3 for reason in HUMAN_REASONS), reasons
    for tag in ("on_topic_not_answered", "paraphrase", "mixed_language", "short", "long"):
        assert tags[tag] >= 3, tag
    for tag in ("typo", "polite", "angry", "security"):
        assert tags[tag] >= 2, tag
    for tenant in TENANTS:
        mine = [i for i in INQUIRIES if i["tenant"] == tenant]
        assert any("answer_from" in i["expect"] for i in mine), tenant
        assert any("human" in i["expect"] for i in mine), tenant


def test_inquiry_sentiment_and_priority_labels_are_valid_or_left_open():
    for item in INQUIRIES:
        assert item["sentiment"] in (*SENTIMENTS, None), item["id"]
        assert item["priority"] in (*PRIORITIES, None), item["id"]
    assert sum(1 for item in INQUIRIES if item["sentiment"]) >= 0.8 * len(INQUIRIES)
    security = [i for i in INQUIRIES if i["expect"].get("human") == "security"]
    assert all(i["priority"] == "urgent" for i in security)


@pytest.mark.parametrize("item", INQUIRIES + SENTENCES, ids=lambda item: item["id"])
def test_language_label_matches_the_text(item):
    text = item.get("text") or f"{item['title']} {item['content']}"
    hangul, latin = bool(HANGUL.search(text)), bool(LATIN_WORD.search(HANGUL.sub("", text)))
    if item["lang"] == "ko":
        assert hangul
    elif item["lang"] == "en":
        assert not hangul
    else:
        assert hangul and latin


def test_sentiment_set_has_100_or_more_balanced_korean_and_english_sentences():
    assert len(SENTENCES) >= 100
    assert len({s["id"] for s in SENTENCES}) == len(SENTENCES)
    assert len({s["text"] for s in SENTENCES}) == len(SENTENCES)
    for lang in ("ko", "en"):
        mine = [s for s in SENTENCES if s["lang"] == lang]
        labels = Counter(s["sentiment"] for s in mine)
        assert len(mine) >= 40, lang
        assert set(labels) == set(SENTIMENTS), lang
        assert min(labels.values()) >= 0.1 * len(mine), (lang, labels)
        assert max(labels.values()) <= 0.4 * len(mine), (lang, labels)
        assert 3 <= sum(s["urgent"] for s in mine) < len(mine) / 2, lang
    for sentence in SENTENCES:
        assert isinstance(sentence["urgent"], bool)
        InquiryCreate.model_validate(
            {"customer_email": "c@example.com", "title": "t", "content": sentence["text"]}
            | {"category": sentence["category"]}
        )


def _normalized(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).lower()


def test_every_evaluation_set_is_held_out_from_the_classifier_examples():
    pool = {_normalized(text) for texts in examples().values() for text in texts}
    evaluated = {_normalized(s["text"]) for s in SENTENCES}
    for path in (
        HELD_OUT,
        ROOT / "bench/data/desk_blind.jsonl",
        ROOT / "bench/data/desk_inquiries.jsonl",
    ):
        _, items = load_inquiry_set(path)
        evaluated |= {_normalized(i["content"]) for i in items}
        evaluated |= {_normalized(f"{i['title']}{i['content']}") for i in items}
    assert not pool & evaluated


def _result(expect, automatic, entry, status="escalated"):
    item = {"id": "x", "lang": "ko", "title": "t", "expect": expect, "priority": None}
    return {
        "item": item,
        "automatic": automatic,
        "entry": entry,
        "status": "ai_responded" if automatic else status,
        "confidence": 0.9,
        "sentiment": None,
        "priority": "low",
        "reason": None,
    }


def test_scoring_counts_a_wrong_entry_and_an_answered_human_case_against_precision():
    results = [
        _result({"answer_from": 1}, True, 1),
        _result({"answer_from": 2}, True, 0),
        _result({"human": "security"}, True, 2),
        _result({"answer_from": 3}, False, 3),
        _result({"human": "complaint"}, False, 0),
    ]

    score = score_answers(results)

    assert (score["automatic"], score["correct_automatic"]) == (3, 1)
    assert score["precision"] == pytest.approx(1 / 3, abs=1e-3)
    assert score["recall"] == pytest.approx(1 / 3, abs=1e-3)
    assert [w["expected"] for w in score["wrong"]] == [{"answer_from": 2}, {"human": "security"}]
    assert score["human"]["security"] == {"auto-answered": 1}
    assert score["human"]["complaint"]["escalated"] == 1


def test_scoring_reports_no_precision_when_nothing_was_answered_automatically():
    score = score_answers([_result({"human": "not_covered"}, False, None)])

    assert score["precision"] is None
    assert score["recall"] is None
    assert score["wrong"] == []


def test_the_held_out_set_asks_the_same_tenants_new_questions_with_valid_labels():
    tenants, held_out = load_inquiry_set(HELD_OUT)
    assert tenants == TENANTS  # the same FAQs: its labels point at the same entries
    assert len(held_out) >= 40 and not {i["id"] for i in held_out} & {i["id"] for i in INQUIRIES}
    assert len({i["id"] for i in held_out}) == len(held_out)
    for item in held_out:
        InquiryCreate.model_validate(
            {k: item[k] for k in ("title", "content", "category", "urgency") if item.get(k)}
            | {"customer_email": "customer@example.com"}
        )
        expect = item["expect"]
        if "answer_from" in expect:
            assert 0 <= expect["answer_from"] < len(tenants[item["tenant"]]["faq"]), item["id"]
        else:
            assert expect["human"] in HUMAN_REASONS, item["id"]
    answered = sum(1 for i in held_out if "answer_from" in i["expect"])
    assert 0.5 * len(held_out) <= answered < len(held_out)
