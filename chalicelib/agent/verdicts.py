"""Verdicts in words: why a person can or cannot apply, quoting the deciding criterion.

Owns turning the eligibility service's per-criterion verdicts into sentences (Korean and
English) and judging exclusions (참여제한대상, ``ptcpPrpTrgtCn``) as exclusions: a stated fact
that matches an exclusion item blocks, free text that cannot be judged is "확인 필요" with the
text quoted, never "eligible". Pure.
"""

# ruff: noqa: E501  (sentences in Hangul read best on one line; Hangul is double width)

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from chalicelib import codes
from chalicelib.agent.facts import Facts
from chalicelib.agent.policy_text import (
    exception_in,
    exclusion_items,
    place_name,
    region_names,
    whole_sentences,
)
from chalicelib.services.eligibility import ELIGIBLE, NEEDS_CHECK, NOT_ELIGIBLE, evaluate

EXCLUDED = "excluded"
# Words an exclusion item uses for a fact the person may state.
_EXCLUSION_TERMS: dict[str, tuple[str, ...]] = {
    "기초생활수급자": ("기초생활", "생계급여", "수급자"), "차상위계층": ("차상위",),
    "주거급여 수급": ("주거급여",), "국민취업지원제도 참여": ("국민취업지원제도",),
    "실업급여 수급": ("실업급여", "구직급여"), "주택 소유": ("주택소유", "유주택", "주택을소유"),
    "공무원": ("공무원",), "고용보험 가입": ("고용보험",), "한부모가정": ("한부모",), "장애인": ("장애인",),
    "0049005": ("재학생", "대학재학", "대학(원)재학", "휴학생"), "0049008": ("대학(원)", "대학원", "재학생"), "0013001": ("재직자", "재직중"),
    "0013002": ("자영업",), "serving": ("병역", "복무", "장병"),
}  # fmt: skip


@dataclass(frozen=True)
class Finding:
    """One criterion's verdict with the policy's own words and the reason in both languages."""

    criterion: str
    verdict: str
    quote: str
    ko: str
    en: str

    def text(self, language: str) -> str:
        """Return the reason in ``language``."""
        return self.en if language == "en" else self.ko


@dataclass(frozen=True)
class Verdict:
    """The overall verdict and the findings that decide it (blocking ones first)."""

    overall: str
    findings: tuple[Finding, ...]

    def headline(self, language: str) -> str:
        """Return the verdict sentence: the deciding criterion when blocked."""
        blocking = [f for f in self.findings if f.verdict in (NOT_ELIGIBLE, EXCLUDED)]
        if blocking:
            return blocking[0].text(language)
        if self.overall == NEEDS_CHECK:
            return ("The basic rules may fit, but the points below need checking before you apply."
                    if language == "en" else "기본 조건은 맞을 수 있지만, 아래 항목은 신청 전에 확인이 필요해요.")  # fmt: skip
        return ("You can apply: based on what you told me, you meet this policy's conditions."
                if language == "en" else "말씀하신 조건으로는 신청할 수 있어요.")  # fmt: skip


def josa(word: str, with_final: str, without_final: str) -> str:
    """Return ``word`` with the particle its last syllable takes (은/는, 이/가, 과/와)."""
    last = word.rstrip(" )'\"")[-1:] or "a"
    has_final = "가" <= last <= "힣" and (ord(last) - 0xAC00) % 28 != 0
    return word + (
        with_final if has_final or last.isdigit() and last in "013678" else without_final
    )


def judge(
    policy: dict[str, Any],
    profile: dict[str, Any],
    today: date,
    facts: Facts | None = None,
    subject: str = "",
) -> Verdict:
    """Return the verdict of ``policy`` for ``profile``, with exclusions judged from ``facts``."""
    result = evaluate(policy, profile, today)
    findings = [f for c in result["criteria"] if (f := _finding(c, policy)) is not None]
    findings += _exclusions(policy, facts or Facts(), subject)
    rank = {EXCLUDED: 0, NOT_ELIGIBLE: 0, NEEDS_CHECK: 1, ELIGIBLE: 2}
    findings.sort(key=lambda f: rank[f.verdict])
    overall = min((f.verdict for f in findings), key=rank.__getitem__, default=ELIGIBLE)
    return Verdict(NOT_ELIGIBLE if overall == EXCLUDED else overall, tuple(findings))


def _finding(criterion: dict[str, Any], policy: dict[str, Any]) -> Finding | None:
    name, verdict = criterion["criterion"], criterion["verdict"]
    evidence = criterion["evidence"]
    if name == "age":
        return _age(policy, verdict, evidence["profile_value"])
    if name == "region":
        return _region(policy, verdict, evidence["profile_value"])
    if name == "income":
        return _income(policy, verdict, evidence)
    if name == "special_conditions":
        return _extra(policy)
    labels = evidence["policy_value"]
    if labels == "제한없음":
        return None
    allowed = ", ".join(labels) if isinstance(labels, list) else str(labels)
    mine = evidence["profile_value"]
    topic = {
        "job": ("취업 상태", "employment"),
        "school": ("학력", "education"),
        "marital": ("혼인 상태", "marital status"),
    }[name]
    if verdict == NOT_ELIGIBLE:
        return Finding(name, verdict, allowed, f"{allowed} 대상이라 {josa(str(mine), '은', '는')} 신청할 수 없어요.",
                       f"You cannot apply: it is for {allowed} ({topic[1]}), not {mine}.")  # fmt: skip
    if verdict == ELIGIBLE:
        return Finding(
            name,
            verdict,
            allowed,
            f"{topic[0]} 기준({allowed})에 맞아요.",
            f"You meet the {topic[1]} rule ({allowed}).",
        )
    return Finding(name, verdict, allowed, f"확인 필요: {topic[0]} 기준은 '{allowed}'이에요.",
                   f"To check: the {topic[1]} rule is '{allowed}'.")  # fmt: skip


def age_rule(policy: dict[str, Any], language: str) -> str:
    """Return the age rule in words ("만 19~34세", "ages 19-34")."""
    low, high = policy.get("min_age"), policy.get("max_age")
    if low and low == high:
        return f"age {low}" if language == "en" else f"만 {low}세"
    if language == "en":
        if low and high:
            return f"ages {low}-{high}"
        return f"age {low} or older" if low else f"age {high} or younger"
    if low and high:
        return f"만 {low}~{high}세"
    return f"만 {low}세 이상" if low else f"만 {high}세 이하"


def _age(policy: dict[str, Any], verdict: str, age: Any) -> Finding | None:
    if policy.get("min_age") is None and policy.get("max_age") is None:
        return None
    ko, en = age_rule(policy, "ko"), age_rule(policy, "en")
    if verdict == NOT_ELIGIBLE:
        return Finding("age", verdict, ko, f"{ko}가 대상이라 {age}세는 신청할 수 없어요.",
                       f"You cannot apply: it is for {en}, and you are {age}.")  # fmt: skip
    if verdict == ELIGIBLE:
        return Finding(
            "age", verdict, ko, f"나이 기준({ko})에 맞아요.", f"You meet the age rule ({en})."
        )
    return Finding("age", verdict, ko, f"나이 기준은 {ko}예요. 나이를 알려주시면 확인해 드릴게요.",
                   f"The age rule is {en}; tell me your age and I will check.")  # fmt: skip


def _region(policy: dict[str, Any], verdict: str, region: Any) -> Finding | None:
    names = region_names(policy)
    if policy.get("nationwide") or not names:
        return None
    place = place_name(str(region)) if region else ""
    if verdict == NOT_ELIGIBLE:
        return Finding("region", verdict, names, f"{names}에 사는 청년이 대상이라 {place}에 살면 신청할 수 없어요.",
                       f"You cannot apply: it is only for residents of {names}, and you live in {place}.")  # fmt: skip
    if verdict == ELIGIBLE:
        return Finding(
            "region",
            verdict,
            names,
            f"거주지 기준({names})에 맞아요.",
            f"You meet the residence rule ({names}).",
        )
    if not region:
        return Finding("region", verdict, names, f"{names}에 사는 청년이 대상이에요. 사는 곳을 알려주시면 확인해 드릴게요.",
                       f"It is for residents of {names}; tell me where you live and I will check.")  # fmt: skip
    return Finding("region", verdict, names, f"확인 필요: {names} 거주자가 대상이라 {place} 안에서도 지역에 따라 달라요.",
                   f"To check: it is for residents of {names}, which covers only part of {place}.")  # fmt: skip


def _income(policy: dict[str, Any], verdict: str, evidence: dict[str, Any]) -> Finding | None:
    rule, income = str(evidence["policy_value"]), evidence["profile_value"]
    if rule == "무관":
        return None
    if evidence["policy_field"] == "earnEtcCn":
        quote = whole_sentences(policy.get("earn_etc") or rule, 200)
        return Finding(
            "income",
            NEEDS_CHECK,
            quote,
            f"확인 필요: 소득 조건 '{quote}'",
            f"To check: the income rule '{quote}'",
        )
    if verdict == NOT_ELIGIBLE:
        return Finding("income", verdict, rule, f"연소득 {rule} 기준이라 연소득 {income}만원이면 신청할 수 없어요.",
                       f"You cannot apply: the annual income limit is {rule}, and yours is {income}만원 a year.")  # fmt: skip
    if verdict == ELIGIBLE:
        return Finding(
            "income",
            verdict,
            rule,
            f"소득 기준(연소득 {rule})에 맞아요.",
            f"You meet the income rule ({rule} a year).",
        )
    return Finding(
        "income",
        verdict,
        rule,
        f"확인 필요: 연소득 기준은 {rule}이에요.",
        f"To check: the annual income rule is {rule}.",
    )


def _extra(policy: dict[str, Any]) -> Finding | None:
    special = [codes.SPECIAL_CODES.get(c, c) for c in policy.get("special_codes") or []]
    text = whole_sentences(policy.get("additional_conditions"), 300)
    parts = ([f"특화 대상 {', '.join(special)}"] if special else []) + ([text] if text else [])
    if not parts:
        return None
    quote = "; ".join(parts)
    return Finding(
        "extra",
        NEEDS_CHECK,
        quote,
        f"확인 필요: 추가 신청 자격 '{quote}'",
        f"To check: extra conditions '{quote}'",
    )


def _exclusions(policy: dict[str, Any], facts: Facts, subject: str) -> list[Finding]:
    terms = _status_terms(facts, subject, policy.get("name") or "")
    findings = []
    for item in exclusion_items(policy):
        compact = re.sub(r"\s+", "", item)
        if any(re.sub(r"\s+", "", term) in compact for term in terms):
            findings.append(_excluded(item))
    return findings


def _status_terms(facts: Facts, subject: str, own_name: str) -> list[str]:
    """Return the words for what the person is or receives, as exclusion items would say them."""
    keys = list(facts.benefits) + [
        k for k in (facts.school_status, facts.job_status, facts.military) if k
    ]
    terms = [t for key in keys for t in _EXCLUSION_TERMS.get(key, ())]
    own = re.sub(r"[^가-힣A-Za-z0-9]", "", own_name)
    for word in re.findall(r"[가-힣A-Za-z]{2,}", subject):
        stem = _stem(word)
        # The policy's own name is what is asked about, not a status ("청년월세" in "청년월세 지원").
        if len(stem) >= 2 and stem not in _NOT_STATUS and stem not in own:
            terms.append(stem)
    return terms


def _stem(word: str) -> str:
    """Return ``word`` without the endings a status takes ("영주권자인데" -> "영주권자")."""
    previous = None
    while previous != word:
        previous = word
        word = _ENDING.sub("", word) if len(word) > 2 else word
    return word


def _excluded(item: str) -> Finding:
    exception = exception_in(item)
    if exception and not _LATER.search(exception):
        return Finding("exclusion", NEEDS_CHECK, item, f"확인 필요: 참여 제한 대상 '{item}'에 해당할 수 있어요 (예외: {exception}).",
                       f"To check: you may fall under the exclusion '{item}' (exception: {exception}).")  # fmt: skip
    who = re.sub(r"\s*(은|는)?\s*(제외|참여\s*불가|지원\s*불가|선정\s*제외)$", "", item)
    tail_ko = f" ({exception})" if exception else ""
    tail_en = f" ({exception})" if exception else ""
    return Finding("exclusion", EXCLUDED, item, f"참여 제한 대상에 '{who}'이(가) 있어서 지금은 신청할 수 없어요{tail_ko}.",
                   f"You cannot apply now: the policy excludes '{who}' (참여제한대상){tail_en}.")  # fmt: skip


# Endings and particles after a status word; words that never name a status.
_ENDING = re.compile(
    r"(인데도|인데|이어도|여도|이라도|라도|이라서|라서|이면|이고|이에요|예요|이야|이지만|지만|"
    r"이랑|랑|하고|에서|으로|로|은|는|이|가|을|를|도|에|의|중)$"
)
_NOT_STATUS = frozenset(
    "청년 지원 신청 참여 가입 받을 받는 받고 있어 있는 있는데 있어도 있나 할수 수있어 같이 동시 "
    "이미 지금 현재 혹시 근데 그럼 그런데 정책 사업 제도 가능 돼요 되나 될까 되나요 살고 다니는 "
    "하는 해도 해요 싶어 나는 저는 제가 내가 명의".split()
)
# An exception that only applies after a change ("중도 해지 후 요건 충족 시 가능"): excluded now.
_LATER = re.compile(r"후|이후|뒤에|종료 시|해지")
