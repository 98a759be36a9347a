"""Eligibility verdicts per criterion, with evidence; the weakest verdict wins."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.policies.normalize import normalize
from chalicelib.services.eligibility import age_on, evaluate, region_matches
from tests.factories import policy_record

TODAY = date(2026, 11, 21)


def _policy(**overrides):
    policy = normalize(policy_record(**overrides))
    return {**policy.__dict__, "special_codes": policy.special_codes}


def _profile(**overrides):
    profile = {
        "birth_date": date(2000, 5, 1),
        "region_code": "11680",
        "job_status": "0013003",
        "school_status": "0049007",
        "marital_status": "0055002",
        "annual_income": 3000,
    }
    profile.update(overrides)
    return profile


def _criterion(result, name):
    return next(c for c in result["criteria"] if c["criterion"] == name)


def test_age_is_the_full_korean_manage():
    assert age_on(date(2000, 11, 22), TODAY) == 25
    assert age_on(date(2000, 11, 21), TODAY) == 26


def test_a_fitting_profile_is_eligible_on_coded_criteria():
    result = evaluate(_policy(addAplyQlfcCndCn=""), _profile(), TODAY)
    assert {c["criterion"]: c["verdict"] for c in result["criteria"]} == {
        "age": "eligible",
        "region": "eligible",
        "income": "eligible",
        "job": "eligible",
        "school": "eligible",
        "marital": "eligible",
        "special_conditions": "eligible",
    }
    assert result["overall"] == "eligible"


def test_free_text_conditions_are_never_eligible():
    result = evaluate(_policy(addAplyQlfcCndCn="무주택자"), _profile(), TODAY)
    special = _criterion(result, "special_conditions")
    assert special["verdict"] == "needs_check"
    assert "무주택자" in special["evidence"]["policy_value"]
    assert result["overall"] == "needs_check"


def test_missing_profile_values_need_checking_not_eligible():
    result = evaluate(_policy(), {}, TODAY)
    assert _criterion(result, "age")["verdict"] == "needs_check"
    assert _criterion(result, "region")["verdict"] == "needs_check"
    assert _criterion(result, "income")["verdict"] == "needs_check"


def test_too_old_is_not_eligible_with_evidence():
    result = evaluate(_policy(), _profile(birth_date=date(1980, 1, 1)), TODAY)
    age = _criterion(result, "age")
    assert age["verdict"] == "not_eligible"
    assert age["evidence"] == {
        "policy_field": "sprtTrgtMinAge/MaxAge",
        "policy_value": "19~39",
        "profile_value": 46,
    }
    assert result["overall"] == "not_eligible"


def test_income_above_the_limit_is_not_eligible_and_median_income_text_needs_check():
    assert (
        _criterion(evaluate(_policy(), _profile(annual_income=6000), TODAY), "income")["verdict"]
        == "not_eligible"
    )
    median = _policy(earnCndSeCd="0043003", earnEtcCn="기준중위소득 150% 이하")
    assert _criterion(evaluate(median, _profile(), TODAY), "income")["verdict"] == "needs_check"


@pytest.mark.parametrize(
    ("region", "expected"),
    [("11680", True), ("11110", True), ("11", True), ("26350", False), ("26", False)],
)
def test_region_matching(region, expected):
    assert region_matches(_policy(), region) is expected


def test_district_matches_a_province_wide_policy_and_nationwide_matches_all():
    from chalicelib import codes

    busan = _policy(zipCd=",".join(codes.districts_of("26")))
    assert region_matches(busan, "26350")
    national = _policy(zipCd=",".join(codes.districts()))
    assert region_matches(national, "50110") and region_matches(national, "50")


def test_job_not_allowed_is_not_eligible():
    result = evaluate(_policy(jobCd="0013001"), _profile(job_status="0013003"), TODAY)
    job = _criterion(result, "job")
    assert job["verdict"] == "not_eligible"
    assert job["evidence"]["policy_value"] == ["재직자"]
