"""Facts a person states about themselves in one message (Korean and English).

Owns the rules that read age (digits and native Korean numerals such as "마흔", "서른다섯"),
region (provinces and districts), job, school, income, marriage, military service and benefits
received. Pure and deterministic: it reads text only, never a profile or a store.
"""

# ruff: noqa: E501  (pattern tables in Hangul read best one rule per line; Hangul is double width)

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from chalicelib import codes
from chalicelib.policies.romanize import romanize

_TENS = {"스물": 20, "서른": 30, "마흔": 40, "쉰": 50}
_UNITS = {
    "하나": 1, "한": 1, "둘": 2, "두": 2, "셋": 3, "세": 3, "넷": 4, "네": 4, "다섯": 5,
    "여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9,
}  # fmt: skip
_NATIVE_AGE = re.compile(
    r"(스물|서른|마흔|쉰)\s*(다섯|여섯|일곱|여덟|아홉|하나|한|둘|두|셋|세|넷|네)?"
    r"(?=\s*(?:살|세|이|인데|이야|이에요|예요|이고|인|이면|면|[?.!,]|$|\s))"
)
_DIGIT_AGE = re.compile(
    r"(?:만\s*)?(\d{2})\s*(?:살|세)(?!대)|(?:age|aged|i am|i'm|im|i’m)\s*(\d{2})\b"
    r"|(\d{2})\s*(?:years? old|y/o|yo\b)|나이(?:가|는)?\s*(\d{2})",
    re.I,
)
_INCOME = re.compile(
    r"(연봉|연소득|소득|월급|월소득|월|annual income|income|salary)"
    r"[^\d]{0,8}(\d[\d,.]*)\s*(억|천만|천|백만|만원|만|원|million|won)?",
    re.I,
)
_MONTHLY = re.compile(r"월급|월소득|^월$|a month|per month|monthly", re.I)
_JOB_WORDS: tuple[tuple[str, str], ...] = (
    (r"취준|취업 ?준비|구직 ?중|백수|무직|실업|미취업|일 ?안 ?하|unemployed|job ?seek|"
     r"looking for (a )?job|between jobs", "0013003"),
    (r"직장인|재직|회사 ?다니|근무 ?중|일하고 있|정규직|employed|work at|work for|"
     r"office worker|full-time job|i work", "0013001"),
    (r"자영업|사장|개인사업|self-employed|own (a|my) business", "0013002"),
    (r"프리랜서|freelanc", "0013004"),
    (r"창업 ?준비|예비 ?창업|창업했|스타트업 (운영|대표)|founder|starting a business", "0013006"),
    (r"농사|영농|농업인|귀농|farmer|farming", "0013008"),
)  # fmt: skip
_SCHOOL_WORDS: tuple[tuple[str, str], ...] = (
    (r"고등학생|고교생|고딩|high school student", "0049002"),
    (r"대학생|대학 ?재학|휴학|재학생|학부생|university student|college student|"
     r"i'm a student|i am a student|undergrad", "0049005"),
    (r"졸업 ?예정|graduating", "0049006"),
    (r"졸업생|대졸|졸업했|graduated|graduate of", "0049007"),
    (r"대학원|석사|박사|graduate school|master'?s|phd", "0049008"),
)  # fmt: skip
# Benefits and statuses that policies name as exclusions or extra conditions.
_BENEFITS: tuple[tuple[str, str], ...] = (
    (r"기초생활 ?수급|기초수급|생계급여|수급자|basic livelihood|welfare recipient", "기초생활수급자"),
    (r"차상위|near-poverty|near poverty", "차상위계층"),
    (r"주거급여|housing benefit", "주거급여 수급"),
    (r"국민취업지원제도|국취|national employment support", "국민취업지원제도 참여"),
    (r"실업급여|구직급여|unemployment benefit", "실업급여 수급"),
    (r"한부모|single parent", "한부모가정"),
    (r"장애인|장애가|disabilit|disabled", "장애인"),
    (r"집(이|을)? ?(있|가지고|소유)|주택(을|이)? ?(소유|있)|유주택|own (a|my) (house|home|apartment)|homeowner",
     "주택 소유"),
    (r"무주택|집 ?없|don'?t own a (house|home)", "무주택"),
    (r"공무원|civil servant|public official", "공무원"),
    (r"고용보험 ?(가입|있)|employment insurance", "고용보험 가입"),
    (r"자립준비|보호종료|leaving (foster|care)", "자립준비청년"),
)  # fmt: skip
_MILITARY = (
    (r"군 ?복무 ?중|현역|복무 ?중|군인|장병|입대했|in the military|serving in the army|soldier",
     "serving"),
    (r"전역|제대|군필|병역 ?(마침|필)|discharged|finished (my )?military", "discharged"),
)  # fmt: skip
_MARRIED = re.compile(r"결혼했|기혼|신혼|유부|남편|아내|와이프|i'?m married|i am married|newlywed|"
                      r"my (husband|wife)", re.I)  # fmt: skip
_SINGLE = re.compile(r"미혼|싱글|결혼 ?안|not married|i'?m single|unmarried", re.I)
_INTEREST_WORDS: tuple[tuple[str, str], ...] = (
    (r"월세|전세|보증금|집|주거|임대|이사|기숙사|housing|rent|deposit|apartment|dorm", "주거"),
    (r"취업|일자리|구직|면접|채용|인턴|창업|job|work|employment|intern|startup", "일자리"),
    (r"교육|학원|강의|자격증|학비|등록금|장학|공부|course|tuition|scholarship|study|training",
     "교육"),
    (r"상담|마음|심리|건강|문화|여가|공연|전시|교통|counsel|mental|health|culture|transit",
     "복지문화"),
    (r"정책 ?참여|청년 ?참여|위원|정책 ?제안|봉사|participat|volunteer", "참여권리"),
)  # fmt: skip
REGION_ALIASES = {
    "서울": "11", "부산": "26", "대구": "27", "인천": "28", "광주": "29", "대전": "30", "울산": "31",
    "세종": "36", "경기": "41", "충북": "43", "충남": "44", "전남": "46", "경북": "47", "경남": "48",
    "제주": "50", "강원": "51", "전북": "52", "seoul": "11", "busan": "26", "daegu": "27",
    "incheon": "28", "gwangju": "29", "daejeon": "30", "ulsan": "31", "sejong": "36",
    "gyeonggi": "41", "jeju": "50", "gangwon": "51", "jeonbuk": "52", "jeonnam": "46",
    "gyeongbuk": "47", "gyeongnam": "48", "chungbuk": "43", "chungnam": "44",
}  # fmt: skip
_AFTER_STEM = r"(?:[^가-힣]|$|에|에서|이|은|는|쪽|사|거주|살|인데|이고|이요|이에요|요)"


@dataclass(frozen=True)
class Facts:
    """What a person said about themselves; None or empty where they said nothing."""

    age: int | None = None
    region_code: str | None = None
    job_status: str | None = None
    school_status: str | None = None
    marital_status: str | None = None
    annual_income: int | None = None
    benefits: tuple[str, ...] = ()
    military: str | None = None
    interests: tuple[str, ...] = field(default_factory=tuple)

    def as_profile(self) -> dict[str, Any]:
        """Return the stated facts under the eligibility profile's keys (only those stated)."""
        keys = ("age", "region_code", "job_status", "school_status", "marital_status")
        profile: dict[str, Any] = {k: getattr(self, k) for k in keys if getattr(self, k)}
        if self.annual_income is not None:
            profile["annual_income"] = self.annual_income
        return profile

    def over(self, stored: dict[str, Any] | None) -> dict[str, Any]:
        """Return ``stored`` with these facts on top: what was said now wins for this answer."""
        merged = dict(stored or {})
        stated = self.as_profile()
        if "age" in stated:
            merged.pop("birth_date", None)
        merged.update(stated)
        return merged

    def is_empty(self) -> bool:
        """True when the message stated nothing about the person."""
        return not (self.as_profile() or self.benefits or self.military)


def extract_facts(text: str) -> Facts:
    """Return the facts ``text`` states about the person writing it."""
    return Facts(
        age=age_in(text),
        region_code=region_in(text),
        job_status=_first_code(_JOB_WORDS, text),
        school_status=_first_code(_SCHOOL_WORDS, text),
        marital_status=_marital(text),
        annual_income=income_in(text),
        benefits=tuple(label for pattern, label in _BENEFITS if re.search(pattern, text, re.I)),
        military=_first_code(_MILITARY, text),
        interests=tuple(
            label for pattern, label in _INTEREST_WORDS if re.search(pattern, text, re.I)
        ),
    )


def without_status(text: str) -> str:
    """Return ``text`` with the phrases stating who the person is (job, school, benefits) blanked.

    What is left says what the person needs: "취준생인데 교통비" -> " 생인데 교통비".
    """
    tables = (*_JOB_WORDS, *_SCHOOL_WORDS, *_BENEFITS, *_MILITARY)
    for pattern, _ in tables:
        text = re.sub(pattern, " ", text, flags=re.I)
    return _SINGLE.sub(" ", _MARRIED.sub(" ", text))


def age_in(text: str) -> int | None:
    """Return the age stated in ``text`` ("36살", "만 36세", "I'm 36", "마흔", "서른다섯")."""
    if match := _DIGIT_AGE.search(text):
        age = int(next(group for group in match.groups() if group))
        return age if 14 <= age <= 80 else None
    if match := _NATIVE_AGE.search(text):
        return _TENS[match.group(1)] + _UNITS.get(match.group(2) or "", 0)
    return None


def income_in(text: str) -> int | None:
    """Return the annual income in 만원 stated in ``text`` (monthly amounts times 12)."""
    for match in _INCOME.finditer(text):
        number = float(match.group(2).replace(",", "") or 0)
        unit = (match.group(3) or "").lower()
        scale = {"억": 10_000, "천만": 1_000, "천": 1_000, "백만": 100, "million": 100}.get(unit, 1)
        amount = number * scale
        if unit in ("원", "won") or amount > 100_000:
            amount /= 10_000
        if amount <= 0:
            continue
        if _MONTHLY.search(match.group(1)) or re.search(r"a month|per month|monthly", text, re.I):
            amount *= 12
        return int(round(amount))
    return None


def region_in(text: str) -> str | None:
    """Return the most specific region code named in ``text`` (district over province)."""
    lowered = text.lower()
    province = next(
        (code for name, code in REGION_ALIASES.items() if _names_place(lowered, name)),
        next((code for code, name in codes.provinces().items() if name in text), None),
    )
    candidates = [code for code, pattern in _district_patterns() if pattern.search(text)]
    if province:
        inside = [code for code in candidates if code.startswith(province)]
        return inside[0] if len(inside) == 1 else province
    if len({code[:2] for code in candidates}) == 1:
        return candidates[0] if len(candidates) == 1 else candidates[0][:2]
    return None


def _names_place(lowered: str, name: str) -> bool:
    if name.isascii():
        return re.search(rf"\b{name}\b", lowered) is not None
    return re.search(rf"(?<![가-힣]){name}", lowered) is not None


@functools.lru_cache(maxsize=1)
def _district_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    # "남구" must not match inside "강남구"; "마포" stands for "마포구" when a particle or a
    # non-Hangul character follows ("마포 살아요", "마포에서"); "성남시 분당구" is named by
    # either word. Compiled once: 255 patterns would thrash the re module's cache.
    patterns = []
    for code, name in codes.districts().items():
        if name == codes.provinces().get(code[:2]):
            continue
        options = []
        for word in name.split():
            options.append(re.escape(word))
            if len(word) >= 3:
                options.append(re.escape(word[:-1]) + _AFTER_STEM)
                # English: "Goyang", "Suwon-si", "Haeundae-gu" (Revised Romanization).
                options.append(rf"\b{romanize(word[:-1])}(?:[- ]?(?:si|gun|gu))?\b")
        patterns.append((code, re.compile(rf"(?<![가-힣])(?:{'|'.join(options)})", re.I)))
    return tuple(patterns)


def _first_code(table: tuple[tuple[str, str], ...], text: str) -> str | None:
    return next((code for pattern, code in table if re.search(pattern, text, re.I)), None)


def _marital(text: str) -> str | None:
    if _SINGLE.search(text):
        return "0055002"
    return "0055001" if _MARRIED.search(text) else None
