"""Eligibility: a verdict per criterion for one user profile against one policy.

Owns the tri-state rule: ``eligible`` only when the policy's coded condition and the profile
value both exist and agree; ``not_eligible`` when they clearly disagree; ``needs_check`` when the
profile lacks the value or a free-text condition could override the codes. The overall verdict
is the weakest one. Pure: takes rows and dates, does no I/O.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from chalicelib import codes

ELIGIBLE, NEEDS_CHECK, NOT_ELIGIBLE = "eligible", "needs_check", "not_eligible"
_RANK = {ELIGIBLE: 2, NEEDS_CHECK: 1, NOT_ELIGIBLE: 0}
CRITERIA = ("age", "region", "income", "job", "school", "marital", "special_conditions")


def age_on(birth_date: date, today: date) -> int:
    """Return the full (만) age in years on ``today``."""
    had_birthday = (today.month, today.day) >= (birth_date.month, birth_date.day)
    return today.year - birth_date.year - (0 if had_birthday else 1)


def _verdict(
    criterion: str, verdict: str, field: str, policy_value: Any, profile_value: Any, note: str
) -> dict[str, Any]:
    return {
        "criterion": criterion,
        "verdict": verdict,
        "reason": note,
        "evidence": {
            "policy_field": field,
            "policy_value": policy_value,
            "profile_value": profile_value,
        },
    }


def _age(policy: dict[str, Any], profile: dict[str, Any], today: date) -> dict[str, Any]:
    low, high = policy.get("min_age"), policy.get("max_age")
    limits = f"{low or '-'}~{high or '-'}"
    if low is None and high is None:
        return _verdict("age", ELIGIBLE, "sprtTrgtMinAge/MaxAge", "제한없음", None, "no age limit")
    birth = profile.get("birth_date")
    # An age stated in a chat message ("25살") stands in for the birth date.
    age = profile.get("age")
    if age is None and birth is not None:
        age = age_on(birth, today)
    if age is None:
        return _verdict(
            "age", NEEDS_CHECK, "sprtTrgtMinAge/MaxAge", limits, None, "birth date not in profile"
        )
    inside = (low is None or age >= low) and (high is None or age <= high)
    return _verdict(
        "age",
        ELIGIBLE if inside else NOT_ELIGIBLE,
        "sprtTrgtMinAge/MaxAge",
        limits,
        age,
        f"age {age} is {'within' if inside else 'outside'} {limits}",
    )


def region_matches(policy: dict[str, Any], region_code: str) -> bool:
    """True when a policy applies to a 5-digit district or a 2-digit province."""
    if policy.get("nationwide"):
        return True
    if len(region_code) == 2:
        return region_code in (policy.get("province_codes") or [])
    return region_code in (policy.get("district_codes") or []) or region_code[:2] in (
        policy.get("province_wide") or []
    )


def _region(policy: dict[str, Any], profile: dict[str, Any]) -> dict[str, Any]:
    scope = (
        "전국"
        if policy.get("nationwide")
        else ",".join(policy.get("district_codes") or policy.get("province_codes") or [])
    )
    region = profile.get("region_code")
    if policy.get("nationwide"):
        return _verdict("region", ELIGIBLE, "zipCd", scope, region, "nationwide policy")
    if not (policy.get("district_codes") or policy.get("province_codes")):
        return _verdict("region", NEEDS_CHECK, "zipCd", "", region, "the policy names no region")
    if not region:
        return _verdict("region", NEEDS_CHECK, "zipCd", scope[:200], None, "region not in profile")
    if region_matches(policy, region):
        return _verdict(
            "region", ELIGIBLE, "zipCd", scope[:200], region, "the policy covers this region"
        )
    if len(region) == 2 and region in (policy.get("province_codes") or []):
        return _verdict(
            "region", NEEDS_CHECK, "zipCd", scope[:200], region, "covers part of the province"
        )
    if len(region) == 2 and any(
        code.startswith(region) for code in policy.get("district_codes") or []
    ):
        return _verdict(
            "region", NEEDS_CHECK, "zipCd", scope[:200], region, "covers part of the province"
        )
    return _verdict(
        "region",
        NOT_ELIGIBLE,
        "zipCd",
        scope[:200],
        region,
        "the policy does not cover this region",
    )


def _income(policy: dict[str, Any], profile: dict[str, Any]) -> dict[str, Any]:
    code = policy.get("earn_condition_code")
    low, high, text = (
        policy.get("earn_min"),
        policy.get("earn_max"),
        (policy.get("earn_etc") or "").strip(),
    )
    income = profile.get("annual_income")
    if code in (None, "", "0043001") and not text:
        return _verdict("income", ELIGIBLE, "earnCndSeCd", "무관", income, "no income condition")
    if code == "0043002" and (low is not None or high is not None):
        bounds = f"{low or 0}~{high or '-'}만원"
        if income is None:
            return _verdict(
                "income",
                NEEDS_CHECK,
                "earnMinAmt/earnMaxAmt",
                bounds,
                None,
                "income not in profile",
            )
        inside = (low is None or income >= low) and (high is None or income <= high)
        if not inside:
            return _verdict(
                "income",
                NOT_ELIGIBLE,
                "earnMinAmt/earnMaxAmt",
                bounds,
                income,
                "income outside the range",
            )
        if text:
            return _verdict(
                "income",
                NEEDS_CHECK,
                "earnEtcCn",
                text[:300],
                income,
                "a free-text income rule also applies",
            )
        return _verdict(
            "income", ELIGIBLE, "earnMinAmt/earnMaxAmt", bounds, income, "income within the range"
        )
    return _verdict(
        "income",
        NEEDS_CHECK,
        "earnEtcCn",
        text[:300] or code,
        income,
        "income rule must be checked by hand",
    )


def _coded(
    criterion: str, field: str, allowed: list[str], value: str | None, table: dict[str, str]
) -> dict[str, Any]:
    labels = [table.get(code, code) for code in allowed]
    if not allowed:
        return _verdict(criterion, ELIGIBLE, field, "제한없음", value, "no restriction")
    if value is None:
        return _verdict(criterion, NEEDS_CHECK, field, labels, None, f"{criterion} not in profile")
    profile_label = table.get(value, value)
    if value in allowed:
        return _verdict(criterion, ELIGIBLE, field, labels, profile_label, "matches the policy")
    return _verdict(
        criterion, NOT_ELIGIBLE, field, labels, profile_label, "not among the allowed values"
    )


def _special(policy: dict[str, Any]) -> dict[str, Any]:
    special = [codes.SPECIAL_CODES.get(c, c) for c in policy.get("special_codes") or []]
    texts = [
        t.strip()
        for t in (policy.get("additional_conditions"), policy.get("participant_target"))
        if t and t.strip()
    ]
    if not special and not texts:
        return _verdict(
            "special_conditions", ELIGIBLE, "addAplyQlfcCndCn", "", None, "no extra conditions"
        )
    value = "; ".join(special + texts)[:500]
    return _verdict(
        "special_conditions",
        NEEDS_CHECK,
        "addAplyQlfcCndCn/ptcpPrpTrgtCn/sBizCd",
        value,
        None,
        "extra conditions must be checked against the policy text",
    )


def evaluate(policy: dict[str, Any], profile: dict[str, Any] | None, today: date) -> dict[str, Any]:
    """Return ``{"overall", "criteria": [...]}`` for ``profile`` (None: an empty profile)."""
    profile = profile or {}
    marital = policy.get("marital_code")
    criteria = [
        _age(policy, profile, today),
        _region(policy, profile),
        _income(policy, profile),
        _coded(
            "job",
            "jobCd",
            policy.get("job_codes") or [],
            profile.get("job_status"),
            codes.JOB_CODES,
        ),
        _coded(
            "school",
            "schoolCd",
            policy.get("school_codes") or [],
            profile.get("school_status"),
            codes.SCHOOL_CODES,
        ),
        _coded(
            "marital",
            "mrgSttsCd",
            [marital] if marital else [],
            profile.get("marital_status"),
            codes.MARITAL_CODES,
        ),
        _special(policy),
    ]
    overall = min((c["verdict"] for c in criteria), key=_RANK.__getitem__)
    return {"overall": overall, "criteria": criteria}
