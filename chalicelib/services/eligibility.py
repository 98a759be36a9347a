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
LANGUAGES = ("en", "ko")
# Each verdict carries a reason code; the text is rendered in the caller's language from here
# (English first: the API's ``reason`` was English-only before and stays English by default).
_REASONS: dict[str, tuple[str, str]] = {
    "no_age_limit": ("no age limit", "나이 제한이 없어요"),
    "age_unknown": ("birth date not in profile", "프로필에 생년월일이 없어요"),
    "age_within": ("age {age} is within {limits}", "{age}세는 대상 나이({limits}세)에 맞아요"),
    "age_outside": ("age {age} is outside {limits}", "{age}세는 대상 나이({limits}세)를 벗어나요"),
    "nationwide": ("nationwide policy", "전국 대상 정책이에요"),
    "no_region_named": ("the policy names no region", "정책에 대상 지역이 적혀 있지 않아요"),
    "region_unknown": ("region not in profile", "프로필에 거주 지역이 없어요"),
    "region_covered": ("the policy covers this region", "거주 지역이 정책 대상 지역에 포함돼요"),
    "region_partly_covered": (
        "covers part of the province",
        "시·도의 일부 지역만 대상이라 확인이 필요해요",
    ),
    "region_not_covered": (
        "the policy does not cover this region",
        "거주 지역이 정책 대상 지역이 아니에요",
    ),
    "no_income_condition": ("no income condition", "소득 조건이 없어요"),
    "income_unknown": ("income not in profile", "프로필에 연소득이 없어요"),
    "income_outside": ("income outside the range", "연소득이 기준 범위를 벗어나요"),
    "income_text_rule": (
        "a free-text income rule also applies",
        "글로 적힌 소득 조건도 있어 확인이 필요해요",
    ),
    "income_within": ("income within the range", "연소득이 기준 범위 안이에요"),
    "income_by_hand": ("income rule must be checked by hand", "소득 조건은 직접 확인이 필요해요"),
    "no_restriction": ("no restriction", "제한이 없어요"),
    "value_unknown": ("{criterion} not in profile", "프로필에 {topic} 정보가 없어요"),
    "value_matches": ("matches the policy", "{topic} 조건에 맞아요"),
    "value_not_allowed": ("not among the allowed values", "{topic} 조건에 해당하지 않아요"),
    "no_extra_conditions": ("no extra conditions", "추가 조건이 없어요"),
    "extra_conditions": (
        "extra conditions must be checked against the policy text",
        "추가 조건이 있어 정책 원문으로 확인이 필요해요",
    ),
}
_LABELS_KO = {
    "age": "나이",
    "region": "거주 지역",
    "income": "소득",
    "job": "취업 상태",
    "school": "학력",
    "marital": "혼인 상태",
    "special_conditions": "추가 조건",
}


def criterion_label(criterion: str, language: str = "en") -> str:
    """Return a criterion's name in ``language`` (the code itself in English)."""
    return _LABELS_KO.get(criterion, criterion) if language == "ko" else criterion


def reason_text(criterion: dict[str, Any], language: str = "en") -> str:
    """Render a criterion's reason in ``language`` (``en`` or ``ko``) from its reason code."""
    en, ko = _REASONS[criterion["reason_code"]]
    template = ko if language == "ko" else en
    name = criterion["criterion"]
    return template.format(
        criterion=name, topic=criterion_label(name, "ko"), **criterion["reason_params"]
    )


def age_on(birth_date: date, today: date) -> int:
    """Return the full (만) age in years on ``today``."""
    had_birthday = (today.month, today.day) >= (birth_date.month, birth_date.day)
    return today.year - birth_date.year - (0 if had_birthday else 1)


def _verdict(
    criterion: str,
    verdict: str,
    field: str,
    policy_value: Any,
    profile_value: Any,
    code: str,
    **params: Any,
) -> dict[str, Any]:
    return {
        "criterion": criterion,
        "verdict": verdict,
        "reason_code": code,
        "reason_params": params,
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
        return _verdict("age", ELIGIBLE, "sprtTrgtMinAge/MaxAge", "제한없음", None, "no_age_limit")
    birth = profile.get("birth_date")
    # An age stated in a chat message ("25살") stands in for the birth date.
    age = profile.get("age")
    if age is None and birth is not None:
        age = age_on(birth, today)
    if age is None:
        return _verdict("age", NEEDS_CHECK, "sprtTrgtMinAge/MaxAge", limits, None, "age_unknown")
    inside = (low is None or age >= low) and (high is None or age <= high)
    return _verdict(
        "age",
        ELIGIBLE if inside else NOT_ELIGIBLE,
        "sprtTrgtMinAge/MaxAge",
        limits,
        age,
        "age_within" if inside else "age_outside",
        age=age,
        limits=limits,
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
        return _verdict("region", ELIGIBLE, "zipCd", scope, region, "nationwide")
    if not (policy.get("district_codes") or policy.get("province_codes")):
        return _verdict("region", NEEDS_CHECK, "zipCd", "", region, "no_region_named")
    if not region:
        return _verdict("region", NEEDS_CHECK, "zipCd", scope[:200], None, "region_unknown")
    if region_matches(policy, region):
        return _verdict("region", ELIGIBLE, "zipCd", scope[:200], region, "region_covered")
    if len(region) == 2 and region in (policy.get("province_codes") or []):
        return _verdict(
            "region", NEEDS_CHECK, "zipCd", scope[:200], region, "region_partly_covered"
        )
    if len(region) == 2 and any(
        code.startswith(region) for code in policy.get("district_codes") or []
    ):
        return _verdict(
            "region", NEEDS_CHECK, "zipCd", scope[:200], region, "region_partly_covered"
        )
    return _verdict(
        "region",
        NOT_ELIGIBLE,
        "zipCd",
        scope[:200],
        region,
        "region_not_covered",
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
        return _verdict("income", ELIGIBLE, "earnCndSeCd", "무관", income, "no_income_condition")
    if code == "0043002" and (low is not None or high is not None):
        bounds = f"{low or 0}~{high or '-'}만원"
        if income is None:
            return _verdict(
                "income",
                NEEDS_CHECK,
                "earnMinAmt/earnMaxAmt",
                bounds,
                None,
                "income_unknown",
            )
        inside = (low is None or income >= low) and (high is None or income <= high)
        if not inside:
            return _verdict(
                "income",
                NOT_ELIGIBLE,
                "earnMinAmt/earnMaxAmt",
                bounds,
                income,
                "income_outside",
            )
        if text:
            return _verdict(
                "income",
                NEEDS_CHECK,
                "earnEtcCn",
                text[:300],
                income,
                "income_text_rule",
            )
        return _verdict(
            "income", ELIGIBLE, "earnMinAmt/earnMaxAmt", bounds, income, "income_within"
        )
    return _verdict(
        "income",
        NEEDS_CHECK,
        "earnEtcCn",
        text[:300] or code,
        income,
        "income_by_hand",
    )


def _coded(
    criterion: str, field: str, allowed: list[str], value: str | None, table: dict[str, str]
) -> dict[str, Any]:
    labels = [table.get(code, code) for code in allowed]
    if not allowed:
        return _verdict(criterion, ELIGIBLE, field, "제한없음", value, "no_restriction")
    if value is None:
        return _verdict(criterion, NEEDS_CHECK, field, labels, None, "value_unknown")
    profile_label = table.get(value, value)
    if value in allowed:
        return _verdict(criterion, ELIGIBLE, field, labels, profile_label, "value_matches")
    return _verdict(criterion, NOT_ELIGIBLE, field, labels, profile_label, "value_not_allowed")


def _special(policy: dict[str, Any]) -> dict[str, Any]:
    special = [codes.SPECIAL_CODES.get(c, c) for c in policy.get("special_codes") or []]
    texts = [
        t.strip()
        for t in (policy.get("additional_conditions"), policy.get("participant_target"))
        if t and t.strip()
    ]
    if not special and not texts:
        return _verdict(
            "special_conditions", ELIGIBLE, "addAplyQlfcCndCn", "", None, "no_extra_conditions"
        )
    value = "; ".join(special + texts)[:500]
    return _verdict(
        "special_conditions",
        NEEDS_CHECK,
        "addAplyQlfcCndCn/ptcpPrpTrgtCn/sBizCd",
        value,
        None,
        "extra_conditions",
    )


def evaluate(
    policy: dict[str, Any], profile: dict[str, Any] | None, today: date, language: str = "en"
) -> dict[str, Any]:
    """Return ``{"overall", "criteria": [...]}`` for ``profile`` (None: an empty profile).

    Each criterion carries ``reason`` in ``language`` (``en`` or ``ko``) and the structured
    ``reason_code`` and ``reason_params`` it was rendered from.
    """
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
    for criterion in criteria:
        criterion["reason"] = reason_text(criterion, language)
    overall = min((c["verdict"] for c in criteria), key=_RANK.__getitem__)
    return {"overall": overall, "criteria": criteria}
