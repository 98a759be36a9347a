"""Whether a policy found for a need genuinely answers it (the relevance floor).

Owns the rule that a need search cites only real matches: the need's key concepts (content
words, without who the person is, places, generic and conversational words; English words
through the glossary) must be found in the policy's own text, and its similarity must clear a
floor. Pure over the rows handed in.
"""

# ruff: noqa: E501  (word tables in Hangul read best several per line; Hangul is double width)

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from chalicelib import codes
from chalicelib.agent.facts import Facts, extract_facts, without_status
from chalicelib.agent.verdicts import judge
from chalicelib.policies.glossary import EN_KO, is_english
from chalicelib.policies.latin import english_terms

# Words saying the answer depends on where the person lives.
LOCAL = re.compile(
    r"우리 ?동네|우리 ?지역|지역에서|사는 ?곳|동네|in my (city|area|town|region)|local", re.I
)
# A need's results within this distance of the best one fit as well; further ones are padding.
_FIT_MARGIN = 0.02
_MAX_FITTING = 3
# The index's cosine (multilingual-e5-small) plus discovery's keyword boosts. Measured on
# queries written for calibration (not the eval set) over the sample policies: the best result
# of a need with a real match scored 0.848-0.95 (Korean 0.87+), unrelated needs (recipes,
# space travel, pets, yachts) 0.78-0.855. The floor removes the far tail; the concept check
# below separates the overlapping band.
RELEVANCE_FLOOR = 0.83
# Words every youth policy or request shares: they say nothing about which need is meant.
_GENERIC_KO = frozenset(
    "청년 청년들 지원 지원금 지원비 정책 사업 제도 프로그램 혜택 정부 국가 관련 무료 받을 받고 받는 "
    "있는 있어 있나 있나요 있을까 없나 없을까 뭐 뭐가 무슨 어떤 좀 거 것 게 수 나 저 제 내 우리 "
    "알려줘 알려주세요 추천 추천해줘 추천해 해줘 주세요 싶어 싶어요 싶은데 하고 하는 되는 도움 "
    "신청 방법 가능 대상 요즘 최근 새로 소식 뉴스 같은 비슷한 종류 지역 지역에서 동네 사는 곳 중인 중이야 중이에요 인데 "
    # Who is asking ("내가 받을 수 있는 혜택"): the person, not what they need.
    "내가 제가 나한테 저한테 나에게 저에게 내게 제게 나는 저는 나도 저도 우리가 저희 저희가 사람 "
    "맞는 만한 받을만한 있어요 있을까요 있는지".split()
)
# Heads of many programme names: they say what form help takes, not what it is for.
_HEADS = frozenset({"수당", "지원금", "장려금", "바우처", "카드", "지원비"})
_WEAK_KO = frozenset({"지원", "지원금", "지원비", "급여", "혜택", "복지", "정책"})
_STOP_EN = frozenset(
    "a an the and or for to of in on at by with about from into is are am be been was were do "
    "does did i i'm im me my we our you your it its this that there any some what which who how "
    "when where why can could would should will may might get got give need needs want wants "
    "help find looking look apply applying application youth young people person policy "
    "policies program programs programme support supports tell know please recent news latest "
    "new now just also more most other than like such as if so not no yes here korea korean "
    "government public free living live lives year years old much many month months get "
    "could something anything everything thing things open opens opened close closed closing "
    "deadline due documents document paperwork papers submit amount eligible eligibility qualify "
    "compare comparison difference better still until date dates when".split()
)
# Endings of verbs and adjectives ("끓이는", "맛있게", "다니는데"): such a word is conversation,
# unless a found policy uses it.
_VERBAL = re.compile(r"(는|을|고|게|줘|요|까|데|어|아|니|지|한|할|된|던|면|며|서|야|라|인)$")
_PARTICLE = re.compile(
    r"(이야|이에요|예요|이요|인데|이고|이라|은|는|이|가|을|를|에서|에게|에|의|도|만|으로|로|랑|이랑|하고|와|과)$"
)


# Without a need of its own ("취준생인데 받을 수 있는 거 추천해줘"), who the person says they are is
# the need: the words policies for that status use (job and school status codes of the data).
_STATUS_TERMS = {
    "0013003": ("취업", "구직", "일자리", "미취업"), "0013002": ("자영업", "소상공인", "창업"),
    "0013004": ("프리랜서", "예술인"), "0013006": ("창업",), "0013008": ("농업", "영농", "농촌"),
    "0049002": ("고등학생", "고교"), "0049005": ("대학", "학자금", "장학", "등록금"),
    "0049006": ("졸업", "취업"), "0049007": ("졸업", "취업"), "0049008": ("대학원", "석사", "박사"),
}  # fmt: skip


@dataclass(frozen=True)
class Concept:
    """One thing the need is about, and the Korean spellings that show a policy covers it."""

    word: str
    terms: tuple[str, ...]
    verbal: bool = False  # ends like a verb or adjective: conversation unless a policy uses it
    titled: bool = False  # must be in the name or keywords (a status is mentioned in passing)


def concepts(need: str) -> tuple[Concept, ...]:
    """Return the key concepts of ``need`` (empty: a broad "what can I get" request)."""
    text = without_status(need)
    found: list[Concept] = []
    if is_english(text):
        text, english = _english_concepts(text)
        found += english
    for word in re.findall(r"[가-힣]{2,}", text):
        stem = _PARTICLE.sub("", word) if len(word) > 2 else word
        if len(stem) >= 2 and stem not in _GENERIC_KO and not _is_place(stem):
            found.append(Concept(stem, (stem,), _VERBAL.search(word) is not None))
    if all(c.verbal for c in found):  # only conversation: who the person is says what they need
        found += _status_concepts(need)
    return tuple(dict.fromkeys(found))


def _status_concepts(need: str) -> tuple[Concept, ...]:
    facts = extract_facts(need)
    codes_ = [c for c in (facts.job_status, facts.school_status) if c in _STATUS_TERMS]
    terms = tuple(dict.fromkeys(t for c in codes_ for t in _STATUS_TERMS[c]))
    return (Concept("status", terms, titled=True),) if terms else ()


def fits(need_concepts: Sequence[Concept], row: dict[str, Any], others: Sequence[str]) -> bool:
    """Whether ``row`` (found for the need) covers it: the floor and at least half its concepts.

    Args:
        need_concepts: ``concepts(need)``.
        row: The policy's row with its search ``score``.
        others: The text of every policy found for the need (a verbal word none of them uses
            is conversation, not a concept).
    """
    if not need_concepts:
        return True
    if row.get("score", 0.0) < RELEVANCE_FLOOR:
        return False
    pool = " ".join(others)
    counted = [c for c in need_concepts if not _conversational(c, pool)]
    if not counted:
        return True
    text, title = policy_text(row), policy_text(row, titled=True)
    hits = [c for c in counted if _covers(title if c.titled else text, c)]
    if any(c.word not in _HEADS for c in counted) and all(c.word in _HEADS for c in hits):
        return False  # "구직 수당": 자립수당 shares the head word, not the need
    return len(hits) >= 1 and 2 * len(hits) >= len(counted)


def policy_text(row: dict[str, Any], titled: bool = False) -> str:
    """Return the policy's own words the concepts are looked for in (``titled``: name, keywords)."""
    parts = [row.get("name") or "", *(row.get("keywords") or [])]
    if not titled:
        parts += [row.get("description") or "", row.get("support_content") or ""]
        parts += list(row.get("subcategories") or [])
    return " ".join(parts).lower()


def _english_concepts(text: str) -> tuple[str, list[Concept]]:
    lowered = text.lower()
    found = []
    for phrase, terms in sorted(EN_KO.items(), key=lambda item: -len(item[0])):
        pattern = rf"\b{re.escape(phrase)}(?:s|es|ed|ing|er|ers)?\b"
        if re.search(pattern, lowered):
            lowered = re.sub(pattern, " ", lowered)
            if not set(terms) <= _WEAK_KO:
                found.append(Concept(phrase, terms))
    for word in re.findall(r"[a-z][a-z'-]{2,}", lowered):
        if word not in _STOP_EN and not _is_place(word):
            found.append(Concept(word, (word,)))
    return lowered, found


def _conversational(concept: Concept, pool: str) -> bool:
    return concept.verbal and concept.word not in pool


def _covers(text: str, concept: Concept) -> bool:
    for term in concept.terms:
        if term.lower() in text:
            return True
        # A compound ("구직수당") is covered when both of its parts are.
        if len(term) >= 4 and any(
            term[:cut] in text and term[cut:] in text for cut in range(2, len(term) - 1)
        ):
            return True
    return False


@functools.lru_cache(maxsize=4096)
def _is_place(word: str) -> bool:
    names = _place_names()
    return word in names or (
        len(word) >= 2 and any(n.startswith(word) for n in names if n[-1] in "시도")
    )


@functools.lru_cache(maxsize=1)
def _place_names() -> frozenset[str]:
    names = {n for name in codes.provinces().values() for n in (name, name[:2])}
    names |= {part for name in codes.districts().values() for part in name.split()}
    names |= {"seoul", "busan", "daegu", "incheon", "gwangju", "daejeon", "ulsan", "sejong",
              "gyeonggi", "jeju", "gangwon"}  # fmt: skip
    return frozenset(names)


def relevant(need: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the rows found for ``need`` that genuinely answer it, in their order."""
    wanted = concepts(need)
    texts = [policy_text(r) for r in rows]
    return [r for r in rows if fits(wanted, r, texts)]


def fitting(rows: list[dict[str, Any]], margin: float = _FIT_MARGIN) -> list[dict[str, Any]]:
    """Return the results that fit as well as the best one (no padding), at most a few."""
    if not rows:
        return []
    best = max(r["score"] for r in rows)
    return [r for r in rows if r["score"] >= best - margin][:_MAX_FITTING]


def usable(
    rows: list[dict[str, Any]], profile: dict[str, Any], today: date, facts: Facts
) -> list[dict[str, Any]]:
    """Drop the policies the stated facts rule out (an exclusion, a status the policy bars)."""
    return [r for r in rows if judge(r, profile, today, facts).overall != "not_eligible"]


def local_first(
    rows: list[dict[str, Any]], need: str, profile: dict[str, Any]
) -> list[dict[str, Any]]:
    """For "지역에서 주는 …" with a known region: its own policies first."""
    if not (LOCAL.search(need) and profile.get("region_code")):
        return rows
    return sorted(rows, key=lambda r: bool(r.get("nationwide")))  # stable: relevance order kept


def with_local(
    chosen: list[dict[str, Any]], rows: list[dict[str, Any]], wanted: bool
) -> list[dict[str, Any]]:
    """Lead with the best regional policy when the person asked locally or named their region.

    "지역에서 주는 …", a region given in reply to the advisor's question, or "부산 사는데 …": a
    regional programme that answers the need is what they came for, even when a nationwide
    one scores a little higher by meaning.
    """
    if not wanted or any(not r.get("nationwide") for r in chosen):
        return chosen
    local = next((r for r in rows if not r.get("nationwide")), None)
    return chosen if local is None else [local, *chosen][:_MAX_FITTING]


def search_text(need: str) -> str:
    """Return ``need`` with the Korean terms its English words stand for (policies are Korean)."""
    terms = sorted(english_terms(need))
    return f"{need} {' '.join(terms)}" if terms else need
