"""The deterministic composer that writes grounded answers (used by the offline chat model).

Owns the answer text: written from the retrieved policies' fields and eligibility verdicts, in
the user's language, citing plcyNo. It never invents a policy, and never presents a needs-check
condition as met. The model around it lives in chalicelib.offline.chat_model.
"""

from __future__ import annotations

import re
from typing import Any

_CRITERIA_KO = {
    "age": "나이", "region": "거주지", "income": "소득", "job": "취업 상태", "school": "학력",
    "marital": "혼인 여부", "special_conditions": "추가 조건",
}  # fmt: skip
_CRITERIA_EN = {
    "age": "age", "region": "residence", "income": "income", "job": "employment",
    "school": "education", "marital": "marital status", "special_conditions": "extra conditions",
}  # fmt: skip


def count_tokens(text: str) -> int:
    """A rough token count (Korean ~2 characters per token, English ~4)."""
    hangul = len(re.findall(r"[가-힣]", text))
    return max(1, hangul // 2 + (len(text) - hangul) // 4)


def compose(request: dict[str, Any]) -> str:
    """Write the answer for one turn from the retrieved policies and verdicts."""
    ko = request.get("language", "ko") == "ko"
    intent = request.get("intent")
    if request.get("clarification"):
        return str(request["clarification"])
    if intent == "human":
        return (
            "상담원 연결을 요청하셨어요. 문의가 접수되었고, 담당자가 확인 후 이메일로 연락드릴 거예요. "
            "급한 경우 온통청년 상담센터(1644-0120)로도 문의하실 수 있어요."
            if ko
            else "You asked for a person. Your request has been passed to our support team, who will "
            "reply by email. For urgent questions you can also call the Youth Center at 1644-0120."
        )
    if intent == "about_finq":
        return (
            "저는 FinQ예요. 나이·지역·소득·취업 상태를 알려주시면 받을 수 있는 청년 정책을 찾아 "
            "자격 요건, 신청 방법, 마감일, 준비 서류까지 정리해 드려요. 예: '25살 서울 사는데 월세 지원 받을 수 있어?'"
            if ko
            else "I'm FinQ. Tell me your age, region, income and job situation and I'll find the Korean "
            "youth policies you can apply for, with eligibility, how to apply, deadlines and documents."
        )
    if intent == "small_talk":
        return (
            "안녕하세요! 어떤 지원이 필요하신지 말씀해 주세요. 나이와 사는 지역을 함께 알려주시면 더 정확해요."
            if ko
            else "Hello! Tell me what kind of support you're looking for, with your age and region."
        )
    if intent == "out_of_scope":
        return (
            "죄송해요, 저는 청년 정책 상담만 도와드릴 수 있어요. 주거·일자리·교육·복지 지원이 궁금하시면 물어봐 주세요."
            if ko
            else "Sorry, I can only help with Korean youth policies: housing, jobs, education and welfare."
        )
    return _policies_answer(request, ko)


def _policies_answer(request: dict[str, Any], ko: bool) -> str:
    policies = request.get("policies") or []
    if not policies:
        return (
            "말씀하신 조건에 맞는 정책을 찾지 못했어요. 지역이나 관심 분야를 바꿔서 다시 물어봐 주시거나, "
            "프로필(나이·지역·소득)을 채워 주시면 더 넓게 찾아볼게요."
            if ko
            else "I couldn't find a policy that fits what you told me. Try another region or kind of "
            "support, or fill in your profile (age, region, income) so I can search more widely."
        )
    intro = (
        f"조건에 맞춰 찾아본 정책 {len(policies)}개를 알려드릴게요."
        if ko
        else f"Here are {len(policies)} policies that match what you told me."
    )
    parts = [intro]
    for number, policy in enumerate(policies, start=1):
        parts.append(_policy_block(number, policy, ko))
    parts.append(
        "'확인 필요' 항목은 아직 충족 여부를 알 수 없는 조건이에요. 신청 전에 꼭 확인해 주세요."
        if ko
        else "Conditions marked 'check' are not confirmed yet: please verify them before applying."
    )
    return "\n\n".join(parts)


def _policy_block(number: int, policy: dict[str, Any], ko: bool) -> str:
    names = _CRITERIA_KO if ko else _CRITERIA_EN
    verdict = policy.get("verdict") or {"overall": "needs_check", "criteria": []}
    met = [names[c["criterion"]] for c in verdict["criteria"] if c["verdict"] == "eligible"]
    check = [
        f"{names[c['criterion']]}({_evidence(c)})"
        for c in verdict["criteria"]
        if c["verdict"] == "needs_check"
    ]
    docs = policy.get("documents") or []
    deadline = _deadline(policy, ko)
    label = _LINE_LABELS["ko" if ko else "en"]
    fields = (
        ("support", policy.get("support")),
        ("region", policy["region"]),
        ("met", ", ".join(met)),
        ("check", "; ".join(check)),
        ("deadline", deadline),
        ("apply_method", (policy.get("apply_method") or "")[:150]),
        ("documents", ", ".join(docs[:6])),
        ("apply_url", policy.get("apply_url")),
    )
    lines = [f"{number}. {policy['name']} [{policy['plcyNo']}]"]
    lines += [f"- {label[key]}: {value}" for key, value in fields if value]
    return "\n".join(lines)


# One policy's lines, in the order they are written, labelled per language.
_LINE_LABELS = {
    "ko": {
        "support": "지원 내용", "region": "대상 지역", "met": "맞는 조건", "check": "확인 필요",
        "deadline": "신청 기간", "apply_method": "신청 방법", "documents": "준비 서류",
        "apply_url": "신청 링크",
    },
    "en": {
        "support": "Support", "region": "Region", "met": "Conditions you meet", "check": "Check",
        "deadline": "Application", "apply_method": "How to apply", "documents": "Documents",
        "apply_url": "Apply at",
    },
}  # fmt: skip


def _evidence(criterion: dict[str, Any]) -> str:
    value = criterion["evidence"].get("policy_value")
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return str(value or criterion["reason"])[:80]


def _deadline(policy: dict[str, Any], ko: bool) -> str:
    state = policy.get("apply_status")
    if state == "always":
        return "상시 신청" if ko else "open all year"
    end, start, days = policy.get("apply_end"), policy.get("apply_start"), policy.get("days_left")
    if state == "open":
        return f"{end}까지 (D-{days})" if ko else f"until {end} ({days} days left)"
    if state == "upcoming":
        return f"{start}부터 {end}까지 (예정)" if ko else f"from {start} to {end} (upcoming)"
    return "신청 기간 확인 필요" if ko else "check the application period"
