"""English renderings of Korean policy text: name glosses, figures, documents, application steps.

Owns the small Korean->English vocabulary answers in English use so that the prose is English
while the policy's own words stay quoted in Korean: a gloss after a policy's Korean name ("청년월세
특별지원 (youth rent special support)"), the amounts, rates and periods of a benefit in English,
common document names, and the ways of applying. The reverse of the youth-policy glossary plus
the domain's document and procedure words. Pure.
"""

# ruff: noqa: E501  (term tables in Hangul read best several entries per line; Hangul is double width)

from __future__ import annotations

import functools
import re

from chalicelib.policies.glossary import EN_KO

_NAME_WORDS: dict[str, str] = {
    "청년": "youth", "지원": "support", "특별": "special", "전용": "", "사업": "programme", "수당": "allowance",
    "장학금": "scholarship", "국가": "national", "국민": "national", "도약": "leap", "계좌": "account",
    "통장": "account", "적금": "savings", "저축": "savings", "내일": "tomorrow", "채움": "filling", "공제": "mutual aid",
    "미래": "future", "취업": "employment", "제도": "scheme", "근로": "work", "버팀목": "Beotimmok", "전세자금": "jeonse loan",
    "보증부": "guaranteed", "월세대출": "rent loan", "분리지급": "separate payment", "마음건강": "mental health",
    "심리상담": "counselling", "바우처": "voucher", "검진": "check-up", "건강검진": "health check-up", "일반": "general",
    "배움카드": "learning card", "패스": "pass", "환급": "refund", "추가": "extra", "교통비": "transport costs",
    "구직활동": "job-seeking", "자격증": "certificate", "응시료": "exam fee", "행복주택": "happy housing",
    "기숙사": "dormitory", "입주": "move-in", "자립": "independence", "준비": "preparation", "주택드림": "housing dream",
    "청약통장": "subscription account", "해외취업": "overseas jobs", "창업": "start-up", "사관학교": "academy",
    "예비": "pre-", "패키지": "package", "트레이닝": "training", "디지털": "digital", "일자리": "job",
    "장려금": "incentive", "가족돌봄": "family carer", "자기돌봄비": "self-care grant", "주거": "housing", "안심": "safety",
}  # fmt: skip
_DOCUMENTS: dict[str, str] = {
    "임대차계약서": "lease (rental) contract", "주민등록등본": "resident registration certificate",
    "주민등록초본": "resident registration abstract", "가족관계증명서": "family relationship certificate",
    "통장 사본": "bank account (bankbook) copy", "통장사본": "bank account (bankbook) copy", "신분증": "ID card",
    "재학증명서": "certificate of enrolment", "졸업증명서": "graduation certificate", "소득금액증명": "income certificate",
    "건강보험": "health insurance record", "신청서": "application form", "동의서": "consent form",
    "재직증명서": "employment certificate", "사업자등록증": "business registration certificate",
    "월세 이체": "rent transfer records", "이체 내역": "transfer records", "확인서": "confirmation letter",
    "사업계획서": "business plan", "자기소개서": "self-introduction letter", "증명서": "certificate",
    "등기부등본": "property register", "수료증": "completion certificate", "계약서": "contract", "소득": "income proof",
}  # fmt: skip
_APPLY_WORDS: tuple[tuple[str, str], ...] = (
    (r"온라인|누리집|홈페이지|웹사이트|포털", "online on the official website"), (r"앱|어플|모바일", "in the mobile app"),
    (r"방문", "in person at the office"), (r"우편", "by post"), (r"카드 ?발급", "get the card first"),
    (r"회원 ?가입", "sign up as a member"), (r"은행", "at a participating bank"), (r"행정복지센터|주민센터", "at your local community centre"),
    (r"고용센터", "at the job centre"), (r"이메일|e-?mail", "by e-mail"), (r"전화", "by phone"),
)  # fmt: skip
_MAN = r"([\d][\d,.]*)\s*(억|천만|백만|만)\s*원?"


@functools.lru_cache(maxsize=1)
def _reverse() -> dict[str, str]:
    reverse: dict[str, str] = {}
    for english, terms in sorted(EN_KO.items(), key=lambda item: len(item[0])):
        for term in terms:
            reverse.setdefault(term.replace(" ", ""), english)
    return reverse | _NAME_WORDS


def gloss(name: str) -> str:
    """Return an English gloss of a Korean policy name, or "" when too little of it is known."""
    words = _reverse()
    text = re.sub(r"\([^)]*\)|[^가-힣A-Za-z0-9]", "", name)
    found, covered, at = [], 0, 0
    while at < len(text):
        term = next((text[at:end] for end in range(len(text), at, -1) if text[at:end] in words), "")
        if term:
            if words[term] and words[term] not in found:
                found.append(words[term])
            covered += len(term)
            at += len(term)
        else:
            at += 1
    hangul = len(re.findall(r"[가-힣]", text))
    return " ".join(found) if found and covered >= 0.6 * max(1, hangul) else ""


def figures(text: str) -> list[str]:
    """Return the amounts, rates and periods of a Korean benefit text, in English."""
    found: list[str] = []
    for match in re.finditer(rf"(월|연|학기당|1인당)?\s*(최대|최고)?\s*{_MAN}", text):
        per = {
            "월": " a month",
            "연": " a year",
            "학기당": " a semester",
            "1인당": " per person",
        }.get(match.group(1) or "", "")
        amount = _won(match.group(3), match.group(4))
        found.append(f"{'up to ' if match.group(2) else ''}{amount:,} won{per}")
    for match in re.finditer(r"(연)?\s*(최대|최저)?\s*(연)?\s*([\d.]+)\s*%", text):
        lead = {"최대": "up to ", "최저": "from "}.get(match.group(2) or "", "")
        per = " a year" if match.group(1) or match.group(3) else ""
        found.append(f"{lead}{match.group(4)}%{per}")
    for match in re.finditer(r"(생애|최장|최대)?\s*(\d+)\s*(개월|년|회)", text):
        lead, count, unit = match.group(1) or "", int(match.group(2)), match.group(3)
        if unit == "회":
            times = "once" if count == 1 else f"{count} times"
            found.append(f"{times} in a lifetime" if lead == "생애" else times)
        else:
            span = f"{count} {'months' if unit == '개월' else 'years'}"
            found.append(f"up to {span}" if lead in ("최장", "최대") else span)
    return list(dict.fromkeys(found))[:6]


def document_name(item: str) -> str:
    """Return a document item with its English name first when known ("lease contract (임대차계약서)")."""
    compact = item.replace(" ", "")
    english = next((en for ko, en in _DOCUMENTS.items() if ko.replace(" ", "") in compact), "")
    return f"{english} ({item})" if english else item


def apply_ways(text: str) -> list[str]:
    """Return the ways of applying a Korean method text names, in English."""
    return [english for pattern, english in _APPLY_WORDS if re.search(pattern, text, re.I)]


def _won(number: str, unit: str) -> int:
    scale = {"억": 100_000_000, "천만": 10_000_000, "백만": 1_000_000, "만": 10_000}[unit]
    return int(round(float(number.replace(",", "")) * scale))
