"""The change detector on pairs of policy versions: each kind, no change, cosmetic edits."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.policies.changes import Change, detect
from chalicelib.policies.normalize import normalize
from tests.factories import policy_record

TODAY = date(2026, 3, 10)


def _diff(before: dict[str, str], after: dict[str, str], today: date = TODAY) -> list[Change]:
    return detect(
        normalize(policy_record("1", **before)), normalize(policy_record("1", **after)), today
    )


def _kinds(before: dict[str, str], after: dict[str, str], today: date = TODAY) -> list[str]:
    return [c.kind for c in _diff(before, after, today)]


def test_the_same_record_is_no_change():
    assert _diff({}, {}) == []


@pytest.mark.parametrize(
    "edit",
    [
        {"lastMdfcnDt": "2026-03-05 09:00:00"},
        {"plcyExplnCn": "서울에 사는 무주택 청년에게 월세를 드립니다."},
        {"plcyKywdNm": "월세,주거비,청년"},
        {"aplyUrlAddr": "https://example.go.kr/apply/v2"},
        {"plcySprtCn": "월 최대  20만원,\n최장 12개월"},  # whitespace only
        {"plcyNm": "서울 청년 월세 지원 사업"},
    ],
)
def test_cosmetic_edits_are_no_change(edit):
    old, new = normalize(policy_record("1")), normalize(policy_record("1", **edit))
    assert old.content_hash != new.content_hash  # ingestion does see an update
    assert detect(old, new, TODAY) == []


def test_an_extended_window_keeps_both_windows():
    [change] = _diff({}, {"aplyYmd": "20260301 ~ 20260415"})
    assert change.kind == "window_extended"
    assert change.before == {"status": "window", "start": "2026-03-01", "end": "2026-03-31"}
    assert change.after == {"status": "window", "start": "2026-03-01", "end": "2026-04-15"}


def test_an_earlier_end_is_closing_early():
    assert _kinds({}, {"aplyYmd": "20260301 ~ 20260320"}) == ["window_closed_early"]


def test_a_new_start_is_a_moved_window():
    assert _kinds({}, {"aplyYmd": "20260315 ~ 20260415"}) == ["window_moved"]


def test_closed_before_the_announced_end_is_closing_early():
    assert _kinds({}, {"aplyPrdSeCd": "0057003", "aplyYmd": ""}) == ["window_closed_early"]


def test_closed_after_the_announced_end_is_just_closed():
    later = date(2026, 4, 2)
    assert _kinds({}, {"aplyPrdSeCd": "0057003", "aplyYmd": ""}, later) == ["window_closed"]


def test_a_window_announced_for_a_closed_policy_is_opening():
    closed = {"aplyPrdSeCd": "0057003", "aplyYmd": ""}
    assert _kinds(closed, {"aplyYmd": "20260401 ~ 20260430"}) == ["window_opened"]


def test_becoming_open_all_year_is_opening():
    assert _kinds({}, {"aplyPrdSeCd": "0057002", "aplyYmd": ""}) == ["window_opened"]


def test_support_amount():
    [change] = _diff({}, {"plcySprtCn": "월 최대 30만원, 최장 12개월"})
    assert (change.kind, change.before, change.after) == (
        "amount",
        "월 최대 20만원, 최장 12개월",
        "월 최대 30만원, 최장 12개월",
    )


def test_age_limits():
    [change] = _diff({}, {"sprtTrgtMaxAge": "34"})
    assert (change.kind, change.before, change.after) == (
        "age",
        {"min": 19, "max": 39},
        {"min": 19, "max": 34},
    )


def test_region():
    [change] = _diff({}, {"zipCd": "11110,11140"})
    assert change.kind == "region"
    assert change.before["districts"] == ["11110", "11140", "11680"]
    assert change.after == {"nationwide": False, "provinces": [], "districts": ["11110", "11140"]}


def test_income():
    [change] = _diff({}, {"earnMaxAmt": "4000"})
    assert change.kind == "income"
    assert (change.before["max"], change.after["max"]) == (5000, 4000)


def test_other_conditions_name_the_fields_that_changed():
    [change] = _diff({}, {"addAplyQlfcCndCn": "무주택자, 부모와 따로 사는 사람"})
    assert change == Change("conditions", None, {"fields": ["additional_conditions"]})


def test_documents_added_and_removed():
    [change] = _diff({}, {"sbmsnDcmntCn": "1. 신청서 2. 주민등록등본 3. 소득금액증명원"})
    assert change.after == {"added": ["소득금액증명원"], "removed": ["임대차계약서"]}


def test_withdrawal_says_only_that():
    withdrawn = {"plcyAprvSttsCd": "0044003", "plcySprtCn": "없음"}
    assert _kinds({}, withdrawn) == ["withdrawn"]


def test_a_policy_approved_again_is_restored_with_its_changes():
    assert _kinds({"plcyAprvSttsCd": "0044003"}, {"sprtTrgtMaxAge": "34"}) == ["restored", "age"]


def test_several_changes_come_in_a_stable_order():
    edit = {"aplyYmd": "20260301 ~ 20260415", "sprtTrgtMaxAge": "34", "plcySprtCn": "월 30만원"}
    assert _kinds({}, edit) == ["window_extended", "amount", "age"]


def test_a_policy_a_full_sync_withdrew_that_comes_back_is_restored():
    policy = normalize(policy_record("1"))
    assert [c.kind for c in detect(policy, policy, TODAY, old_status="withdrawn")] == ["restored"]
