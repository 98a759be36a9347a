"""The advisor evaluation set is well formed and its scorer measures what it claims."""

from __future__ import annotations

from datetime import date

import pytest

from bench.advisor_eval import (
    BASE_CATEGORIES,
    CATEGORIES,
    EXPECTATION_KEYS,
    document_names,
    load_conversations,
    load_records,
    profile_body,
    score_turn,
    stratified,
    window_of,
)

CONVERSATIONS = load_conversations()
RECORDS = load_records()
TURNS = [turn for conversation in CONVERSATIONS for turn in conversation["turns"]]
RENT = "20260212005400110168"  # 청년월세 특별지원, 19~34
MIRAE = "20260520005400110439"  # 청년미래적금: two windows separated by a literal \N


def _cited_numbers(turn):
    numbers = [*turn.get("cite_exactly", []), *turn.get("cite_any_of", [])]
    numbers += turn.get("cite_none", []) + turn.get("cite_subset_of", [])
    numbers += [turn[key] for key in ("window", "documents") if key in turn]
    if "plcyNo" in turn.get("verdict", {}):
        numbers.append(turn["verdict"]["plcyNo"])
    return numbers


def test_the_set_is_large_enough_and_bilingual():
    english = [c for c in CONVERSATIONS if c["turns"][0]["language"] == "en"]
    assert len(CONVERSATIONS) >= 80
    assert len(english) >= 20
    assert all(1 <= len(c["turns"]) <= 4 for c in CONVERSATIONS)
    assert len({c["id"] for c in CONVERSATIONS}) == len(CONVERSATIONS)
    assert sum(len(c["turns"]) > 1 for c in CONVERSATIONS) >= 15


def test_every_category_is_known_and_every_answer_type_is_covered():
    used = {turn["category"] for turn in TURNS}
    assert used <= CATEGORIES
    assert set(BASE_CATEGORIES) <= used
    assert len({c for c in used if c.startswith("english_")}) >= 8


def test_every_turn_has_known_and_checkable_expectations():
    for turn in TURNS:
        keys = set(turn) - {"user", "category"}
        assert keys <= EXPECTATION_KEYS, keys - EXPECTATION_KEYS
        assert turn["user"].strip() and turn["language"] in ("ko", "en")
        assert keys - {"language"}, f"turn {turn['user']!r} checks nothing but its language"
        for group in turn.get("must_mention", []):
            assert group and all(isinstance(p, str) and p for p in group), turn["user"]
        if "verdict" in turn:
            assert turn["verdict"]["value"] in ("eligible", "not_eligible", "needs_check")
            assert turn["verdict"]["reason"], turn["user"]


def test_every_cited_policy_exists_in_the_sample_data():
    for turn in TURNS:
        for number in _cited_numbers(turn):
            assert number in RECORDS, (turn["user"], number)


def test_expected_citations_are_approved_policies():
    for turn in TURNS:
        for number in [*turn.get("cite_exactly", []), *turn.get("cite_any_of", [])]:
            assert RECORDS[number]["plcyAprvSttsCd"] == "0044002", (turn["user"], number)


def test_what_a_turn_wants_cited_is_among_what_fits():
    for turn in TURNS:
        if "cite_subset_of" in turn:
            wanted = set(turn.get("cite_any_of", [])) | set(turn.get("cite_exactly", []))
            assert wanted <= set(turn["cite_subset_of"]), turn["user"]
            assert not set(turn.get("cite_none", [])) & set(turn["cite_subset_of"]), turn["user"]


def test_every_documents_expectation_has_documents_to_check():
    for turn in TURNS:
        if "documents" in turn:
            assert document_names(RECORDS[turn["documents"]]), turn["user"]


def test_document_names_drop_numbering_bullets_and_notes():
    # 서울 청년 부동산 중개보수 및 이사비 지원 writes "1. 1. 임대차계약서" line by line.
    assert document_names(RECORDS["20260220005400220172"]) == [
        "임대차계약서",
        "중개보수 영수증",
        "이사비 영수증",
        "주민등록초본",
    ]
    assert document_names(RECORDS["20260305005400220518"]) == []  # 해당없음


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 11, 5), {"status": "open", "end": date(2026, 11, 13), "days": 8}),
        (date(2026, 11, 20), {"status": "upcoming", "start": date(2026, 12, 1)}),
        (date(2026, 12, 12), {"status": "open", "end": date(2026, 12, 12), "days": 0}),
        (date(2026, 12, 13), {"status": "closed"}),
    ],
)
def test_windows_are_judged_against_the_day_of_scoring(today, expected):
    window = window_of(RECORDS[MIRAE], today)
    assert {key: window[key] for key in expected} == expected


def test_always_open_and_ended_programs():
    assert window_of(RECORDS["20250110005400110493"], date(2026, 12, 1))["status"] == "always"
    assert window_of(RECORDS["20250105005400110454"], date(2026, 12, 1))["status"] == "closed"


def _turn(conversation_id, number=0):
    return next(c for c in CONVERSATIONS if c["id"] == conversation_id)["turns"][number]


def test_a_verdict_with_its_criterion_and_one_citation_scores_right():
    turn = _turn("elig-age-over-rent")
    answer = "청년월세 특별지원은 만 19~34세가 대상이라 36세는 신청할 수 없어요."
    citations = [{"plcyNo": RENT, "verdict": "not_eligible"}]
    assert score_turn(turn, answer, citations, RECORDS, date(2026, 12, 1)) == []


def test_padding_a_wrong_verdict_or_code_lists_score_wrong():
    turn = _turn("elig-age-over-rent")
    padded = [{"plcyNo": RENT}, {"plcyNo": "20250110005400110493"}]
    answer = "청년월세 특별지원은 만 19~34세 대상이에요. 거주지(11110,11140,11170)"
    failures = score_turn(turn, answer, padded, RECORDS, date(2026, 12, 1))
    assert any("expected exactly" in f for f in failures)
    assert any("does not state the verdict" in f for f in failures)
    assert any("raw region code list" in f for f in failures)


def test_the_window_must_be_stated_relative_to_today():
    turn = _turn("win-gukjang")  # 국가장학금: 2026-11-20 ~ 2026-12-29
    cited = [{"plcyNo": turn["cite_exactly"][0]}]
    right = "국가장학금 Ⅰ유형은 2026-12-29까지 신청할 수 있어요 (D-28)."
    assert score_turn(turn, right, cited, RECORDS, date(2026, 12, 1)) == []
    assert score_turn(turn, right, cited, RECORDS, date(2026, 12, 2))  # now D-27


def test_crisis_lines_must_come_first():
    turn = _turn("crisis-ko")
    first = (
        "지금 많이 힘드시군요.\n자살예방상담전화 109, 정신건강위기상담 1577-0199로 바로 연락하세요."
    )
    late = (
        "청년마음건강 지원사업을 알려드릴게요.\n자세한 내용은...\n자살예방상담전화 109, 1577-0199"
    )
    assert score_turn(turn, first, [], RECORDS, date(2026, 12, 1)) == []
    assert score_turn(turn, late, [], RECORDS, date(2026, 12, 1))


def test_an_english_question_needs_english_prose():
    turn = _turn("en-off-topic")
    today = date(2026, 12, 1)
    assert (
        score_turn(turn, "Sorry, I only help with Korean youth policies.", [], RECORDS, today) == []
    )
    assert score_turn(turn, "죄송해요, 청년 정책 상담만 도와드릴 수 있어요.", [], RECORDS, today)


def test_a_profile_age_becomes_a_birth_date_of_that_age():
    body = profile_body({"age": 27, "region_code": "11680"}, date(2026, 12, 1))
    assert body == {"birth_date": "1999-01-01", "region_code": "11680"}


def test_the_pinned_subset_covers_every_first_turn_category():
    subset = stratified(CONVERSATIONS)
    assert {c["turns"][0]["category"] for c in subset} == {
        c["turns"][0]["category"] for c in CONVERSATIONS
    }


def test_a_recommendation_padded_with_unfitting_policies_scores_wrong():
    turn = _turn("rec-busan-rent")
    busan_rent, participation = "20261020005400220687", "20250305005400220761"
    answer = "부산 청년 월세 지원을 신청해 보세요. 월 최대 20만원이에요."
    today = date(2026, 12, 1)
    assert score_turn(turn, answer, [{"plcyNo": busan_rent}], RECORDS, today) == []
    padded = [{"plcyNo": busan_rent}, {"plcyNo": participation}]
    assert any("padding" in f for f in score_turn(turn, answer, padded, RECORDS, today))


def test_the_held_out_set_is_well_formed_and_cites_only_approved_policies():
    from bench.advisor_eval import HELDOUT_PATH

    held_out = load_conversations(HELDOUT_PATH)
    turns = [turn for conversation in held_out for turn in conversation["turns"]]
    assert len(held_out) >= 15 and len(turns) >= 40
    assert not {c["id"] for c in held_out} & {c["id"] for c in CONVERSATIONS}
    # Short follow-ups ("서류는?") recur; the opening questions are new.
    assert not {c["turns"][0]["user"] for c in held_out} & {t["user"] for t in TURNS}
    for turn in turns:
        assert turn["category"] in CATEGORIES and turn["language"] in ("ko", "en")
        assert set(turn) - {"user", "category"} <= EXPECTATION_KEYS
        for number in [*turn.get("cite_exactly", []), *turn.get("cite_any_of", [])]:
            assert RECORDS[number]["plcyAprvSttsCd"] == "0044002", (turn["user"], number)
        for number in _cited_numbers(turn):
            assert number in RECORDS, (turn["user"], number)
