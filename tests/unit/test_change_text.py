"""The words of each change kind, in Korean and English."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.policies.change_text import describe, mail_body, subject, title
from chalicelib.policies.changes import KINDS, detect
from chalicelib.policies.normalize import normalize
from tests.factories import policy_record


def _change(after: dict[str, str], before: dict[str, str] | None = None) -> dict:
    old = normalize(policy_record("1", **(before or {})))
    [change] = detect(old, normalize(policy_record("1", **after)), date(2026, 3, 10))
    return change.to_json()


def test_an_extended_window_in_korean_and_english():
    change = _change({"aplyYmd": "20260301 ~ 20260415"})
    assert describe(change, "ko") == (
        "신청 기간이 2026-03-01~2026-03-31에서 2026-03-01~2026-04-15로 연장되었습니다."
    )
    assert describe(change, "en") == (
        "The application window was extended to 15 Apr 2026 (was 1 Mar 2026 – 31 Mar 2026)."
    )


def test_a_date_takes_ro_as_read_with_il():
    change = _change({"aplyYmd": "20260301 ~ 20260320"})
    assert describe(change, "ko") == (
        "신청 기간이 2026-03-01~2026-03-31에서 2026-03-01~2026-03-20로 앞당겨 마감되었습니다."
    )
    assert describe(change, "en").startswith("The application window now closes earlier, on 20 Mar")


def test_closed_early():
    change = _change({"aplyPrdSeCd": "0057003", "aplyYmd": ""})
    assert (
        describe(change, "ko")
        == "신청이 앞당겨 마감되었습니다 (기존 신청 기간 2026-03-01~2026-03-31)."
    )
    assert describe(change, "en") == (
        "Applications closed early (the window was 1 Mar 2026 – 31 Mar 2026)."
    )


def test_opened_all_year():
    change = _change({"aplyPrdSeCd": "0057002", "aplyYmd": ""})
    assert describe(change, "ko") == "신청이 열렸습니다: 상시 모집."
    assert describe(change, "en") == "Applications are open: open all year."


def test_age_and_income_and_region():
    assert describe(_change({"sprtTrgtMaxAge": "34"}), "ko") == (
        "지원 연령이 19~39세에서 19~34세로 바뀌었습니다."
    )
    assert describe(_change({"sprtTrgtMaxAge": "34"}), "en") == (
        "The age limit changed from 19–39 to 19–34."
    )
    income = _change({"earnMaxAmt": "4000"})
    assert (
        describe(income, "ko")
        == "소득 조건이 바뀌었습니다: 연소득 5,000만원 이하 → 연소득 4,000만원 이하"
    )
    assert describe(income, "en") == (
        "The income condition changed to annual income up to 40,000,000 KRW"
        " (was annual income up to 50,000,000 KRW)."
    )
    region = _change({"zipCd": "11110"})
    assert describe(region, "ko") == (
        "지원 지역이 서울특별시 종로구, 서울특별시 중구, 서울특별시 강남구에서"
        " 서울특별시 종로구로 바뀌었습니다."
    )
    assert describe(region, "en").startswith("The region changed to 서울특별시 종로구 (was ")


def test_documents_and_withdrawal():
    docs = _change({"sbmsnDcmntCn": "1. 신청서 2. 주민등록등본 3. 소득금액증명원"})
    assert (
        describe(docs, "ko")
        == "제출 서류가 바뀌었습니다 (추가: 소득금액증명원; 제외: 임대차계약서)."
    )
    assert describe(docs, "en") == (
        "The required documents changed (now required: 소득금액증명원;"
        " no longer required: 임대차계약서)."
    )
    gone = _change({"plcyAprvSttsCd": "0044003"})
    assert describe(gone, "en") == "The policy was withdrawn: it no longer takes applications."


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("language", ["ko", "en"])
def test_every_kind_has_words_in_both_languages(kind, language):
    window = {"status": "window", "start": "2026-03-01", "end": "2026-03-31"}
    samples = {
        "amount": ("a", "b"),
        "age": ({"min": None, "max": 39}, {"min": 19, "max": None}),
        "region": (
            {"nationwide": True, "provinces": [], "districts": []},
            {"nationwide": False, "provinces": ["26"], "districts": ["99999"]},
        ),
        "income": (
            {"code": None, "min": None, "max": None, "text": ""},
            {"code": "0043002", "min": 1000, "max": 5000, "text": "중위소득 150% 이하"},
        ),
        "conditions": (None, {"fields": ["job_codes", "school_codes"]}),
        "documents": (None, {"added": [], "removed": ["a"]}),
    }
    before, after = samples.get(kind, (window, {**window, "end": "2026-04-15"}))
    text = describe({"kind": kind, "before": before, "after": after}, language)
    assert text and "{" not in text and "None" not in text


@pytest.mark.parametrize(
    ("text", "particle"),
    [("19~34세", "로"), ("서울특별시 종로구", "로"), ("서울특별시", "로"), ("부산광역시 중구", "로"),
     ("제한 없음", "으로"), ("30", "으로"), ("15", "로"), ("2026-04-30", "로")],
)  # fmt: skip
def test_korean_particle_after_a_word_or_number(text, particle):
    from chalicelib.policies.change_text import _ro

    assert _ro(text) == particle


def test_mail_lists_each_policy_with_its_changes():
    change = _change({"aplyYmd": "20260301 ~ 20260415"})
    items = [{"policy_name": "서울 청년 월세 지원", "source": "ingestion", "changes": [change]}]
    body = mail_body(items, "en")
    assert "■ '서울 청년 월세 지원' changed" in body
    assert "  - The application window was extended to 15 Apr 2026" in body
    assert subject(1, "ko") == "[FinQ] 저장하신 정책 1건이 바뀌었습니다"
    assert subject(3, "en") == "[FinQ] 3 of your saved policies changed"


def test_news_is_marked_unconfirmed():
    news = {"title": "마감 연장", "url": "https://n.example/1", "source": "연합", "published": None}
    assert "확인되지 않은" in title("청년 적금", "news", "ko")
    assert "not confirmed" in describe({"kind": "news", "after": news}, "en")
