"""Normalization rules on real-looking edge cases."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib import codes
from chalicelib.policies.normalize import RecordError, normalize
from tests.factories import policy_record


def test_ages_are_ints_and_empty_or_zero_mean_no_limit():
    policy = normalize(policy_record(sprtTrgtMinAge="", sprtTrgtMaxAge="0"))
    assert (policy.min_age, policy.max_age) == (None, None)
    assert (normalize(policy_record()).min_age, normalize(policy_record()).max_age) == (19, 39)


def test_min_age_above_max_age_is_swapped_and_logged(caplog):
    policy = normalize(policy_record(sprtTrgtMinAge="39", sprtTrgtMaxAge="19"))
    assert (policy.min_age, policy.max_age) == (19, 39)
    assert "swapped" in caplog.text


@pytest.mark.parametrize("value", ["만19세", "-1", "19.5", "300"])
def test_non_numeric_or_absurd_age_is_rejected(value):
    with pytest.raises(RecordError, match="sprtTrgtMinAge"):
        normalize(policy_record(sprtTrgtMinAge=value))


def test_listing_every_district_is_nationwide():
    policy = normalize(policy_record(zipCd=",".join(codes.districts())))
    assert policy.nationwide and policy.district_codes == [] and policy.province_codes == []


def test_listing_almost_every_district_is_still_nationwide():
    almost = list(codes.districts())[: int(len(codes.districts()) * 0.95)]
    assert normalize(policy_record(zipCd=",".join(almost))).nationwide


def test_districts_give_their_provinces_and_a_whole_province_is_province_wide():
    busan = ",".join(codes.districts_of("26"))
    policy = normalize(policy_record(zipCd=busan + ",11680"))
    assert not policy.nationwide
    assert policy.province_codes == ["11", "26"]
    assert policy.province_wide == ["26"]
    assert "11680" in policy.district_codes


def test_unknown_district_codes_are_dropped():
    policy = normalize(policy_record(zipCd="11680,99999"))
    assert policy.district_codes == ["11680"]


def test_empty_zip_falls_back_to_the_registering_institution():
    policy = normalize(policy_record(zipCd="", rgtrInstCdNm="전라남도 순천시"))
    assert policy.province_codes == ["46"]
    assert len(policy.district_codes) == 1
    assert codes.districts()[policy.district_codes[0]] == "순천시"
    ministry = normalize(policy_record(zipCd="", rgtrInstCdNm="고용노동부"))
    assert ministry.nationwide


def test_categories_split_on_every_separator_and_keywords_on_commas():
    policy = normalize(
        policy_record(lclsfNm="일자리･교육", mclsfNm="취업·창업,재직자", plcyKywdNm="a, b,,a")
    )
    assert policy.categories == ["일자리", "교육"]
    assert policy.subcategories == ["취업", "창업", "재직자"]
    assert policy.keywords == ["a", "b"]


def test_always_open_and_closed_codes():
    assert normalize(policy_record(aplyPrdSeCd="0057002", aplyYmd="")).apply_status == "always"
    assert normalize(policy_record(aplyPrdSeCd="0057003")).apply_status == "closed"


def test_several_windows_keep_all_spans_and_never_use_the_business_period():
    policy = normalize(
        policy_record(aplyYmd="20260301 ~ 20260315\\N20260901 ~ 20260915", bizPrdEndYmd="20271231")
    )
    assert policy.apply_status == "window"
    assert (policy.apply_start, policy.apply_end) == (date(2026, 3, 1), date(2026, 9, 15))
    assert len(policy.apply_windows) == 2


def test_window_code_without_dates_is_unknown():
    assert normalize(policy_record(aplyYmd="")).apply_status == "unknown"


def test_no_restriction_codes_become_empty_lists():
    policy = normalize(policy_record(jobCd="0013010", schoolCd="0049010", mrgSttsCd="0055003"))
    assert (policy.job_codes, policy.school_codes, policy.marital_code) == ([], [], None)
    specific = normalize(policy_record(jobCd="0013003,0013004", mrgSttsCd="0055002"))
    assert (specific.job_codes, specific.marital_code) == (["0013003", "0013004"], "0055002")


def test_income_amounts_only_for_the_annual_income_condition():
    assert normalize(policy_record()).earn_max == 5000
    other = normalize(policy_record(earnCndSeCd="0043003", earnEtcCn="기준중위소득 150% 이하"))
    assert other.earn_max is None and other.earn_etc == "기준중위소득 150% 이하"


def test_unapproved_policy_is_inactive():
    assert normalize(policy_record(plcyAprvSttsCd="0044001")).status == "inactive"
    assert normalize(policy_record()).status == "active"


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("plcyNo", "", "plcyNo is missing"),
        ("plcyNo", "12 34", "plcyNo must be"),
        ("plcyNm", "", "plcyNm is missing"),
        ("zipCd", ["11680"], "zipCd must be a string"),
        ("plcyNm", {"ko": "x"}, "plcyNm must be a string"),
    ],
)
def test_bad_records_are_rejected_with_a_reason(field, value, reason):
    with pytest.raises(RecordError, match=reason):
        normalize(policy_record(**{field: value}))


def test_numbers_for_string_fields_are_accepted():
    assert normalize(policy_record(sprtTrgtMinAge=19)).min_age == 19


def test_content_hash_is_stable_and_tracks_changes():
    assert normalize(policy_record()).content_hash == normalize(policy_record()).content_hash
    assert (
        normalize(policy_record()).content_hash
        != normalize(policy_record(plcySprtCn="x")).content_hash
    )


def test_required_documents_are_parsed():
    assert normalize(policy_record()).documents == ["신청서", "주민등록등본", "임대차계약서"]
