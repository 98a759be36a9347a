"""Offline language understanding for the advisor: language, intent and slots from a message.

Owns the rules and the labelled examples the offline supervisor uses: rules catch the clear
cases (asking for a human, greetings, ages, regions, jobs), and a similarity classifier handed
in (nearest centroid over the embedding model's vectors, locally) decides the rest.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from chalicelib import codes

_HANGUL = re.compile(r"[가-힣]")
_HUMAN = re.compile(
    r"(상담원|상담사|사람(이랑|하고|과)|직원|담당자|연결해|human|agent|representative|real person|talk to someone)",
    re.I,
)
_GREETING = re.compile(
    r"^\s*(안녕|하이|헬로|반가|고마워|감사|thanks|thank you|hi|hello|hey)\b", re.I
)
_ABOUT = re.compile(
    r"(finq|핀큐|너는 누구|넌 누구|뭘 할 수|무엇을 할 수|what can you do|who are you|how do i use)",
    re.I,
)
_FOLLOW = re.compile(
    r"(그거|그 정책|첫 ?번째|두 ?번째|세 ?번째|위에|방금|더 자세히|신청 방법|서류|tell me more|the first|the second|that one|more about)",
    re.I,
)
_AGE = re.compile(
    r"(?:만\s*)?(\d{2})\s*(?:살|세)|(?:age|aged|i am|i'm|im)\s*(\d{2})\b|(\d{2})\s*(?:years? old|yo\b)",
    re.I,
)
_INCOME = re.compile(
    r"(연봉|연소득|소득|월급|월소득|annual income|income|salary)[^\d]{0,6}(\d[\d,]*)\s*(만원|만|원)?",
    re.I,
)

_JOB_WORDS: tuple[tuple[str, str], ...] = (
    (
        r"취준|취업 ?준비|구직|백수|무직|실업|미취업|unemployed|job ?seek|looking for (a )?job",
        "0013003",
    ),
    (r"직장인|재직|회사 ?다니|근무 ?중|employed|work at|office worker", "0013001"),
    (r"자영업|사장|self-employed|own business", "0013002"),
    (r"프리랜서|freelanc", "0013004"),
    (r"창업|스타트업|start-?up|founder", "0013006"),
)
_SCHOOL_WORDS: tuple[tuple[str, str], ...] = (
    (r"고등학생|고교생|high school student", "0049002"),
    (r"대학생|대학 ?재학|휴학|university student|college student", "0049005"),
    (r"졸업생|대졸|졸업했|graduated", "0049007"),
    (r"대학원|석사|박사|graduate school|master|phd", "0049008"),
)
_INTEREST_WORDS: tuple[tuple[str, str], ...] = (
    (r"월세|전세|보증금|집|주거|임대|이사|housing|rent|deposit|apartment", "주거"),
    (r"취업|일자리|구직|면접|채용|인턴|창업|job|work|employment|intern", "일자리"),
    (
        r"교육|학원|강의|자격증|학비|등록금|장학|공부|course|tuition|scholarship|study|training",
        "교육",
    ),
    (r"상담|마음|심리|건강|문화|여가|공연|전시|counsel|mental|health|culture", "복지문화"),
    (r"참여|위원|정책 ?제안|봉사|participat|volunteer", "참여권리"),
)

# Labelled examples for the nearest-centroid intent classifier (Korean and English).
EXAMPLES: dict[str, tuple[str, ...]] = {
    "policy_question": (
        "25살 서울 사는데 월세 지원 받을 수 있어?", "취업 준비 중인데 받을 수 있는 지원금 있어?",
        "청년 전세 대출 이자 지원 알려줘", "대학생 장학금이나 학비 지원 정책 뭐 있어?",
        "창업하려는데 청년 창업 지원 사업 찾아줘", "심리 상담 받을 수 있는 청년 정책 있어?",
        "부산 사는 29살 직장인인데 자산 형성 지원 있나요", "자격증 따는 데 돈 지원해주는 거 있어?",
        "Which youth policies can I get as a 27 year old in Seoul?", "Is there rent support for young people?",
        "I'm unemployed, is there any job-seeking allowance?", "Are there scholarships for university students?",
    ),
    "follow_up": (
        "첫 번째 정책 신청 방법 알려줘", "그거 서류 뭐 필요해?", "그 정책 마감 언제야?",
        "방금 말한 거 더 자세히", "Tell me more about the first one", "What documents do I need for that one?",
    ),
    "about_finq": (
        "너는 뭐 하는 서비스야?", "FinQ 어떻게 써?", "무엇을 도와줄 수 있어?",
        "What is FinQ?", "What can you do?", "How do I use this app?",
    ),
    "small_talk": (
        "안녕", "고마워", "좋은 하루", "반가워요", "Hi there", "Thanks a lot", "Good morning",
    ),
    "human": (
        "상담원이랑 얘기하고 싶어", "사람이랑 연결해줘", "담당자 연결 부탁해요",
        "I want to talk to a human", "Connect me to an agent",
    ),
    "out_of_scope": (
        "오늘 날씨 어때?", "주식 뭐 사야 돼?", "파스타 레시피 알려줘", "비트코인 전망은?",
        "What's the weather today?", "Write me a poem about cats", "Which stock should I buy?",
    ),
}  # fmt: skip
_REGION_ALIASES = {
    "서울": "11", "부산": "26", "대구": "27", "인천": "28", "광주": "29", "대전": "30", "울산": "31",
    "세종": "36", "경기": "41", "충북": "43", "충남": "44", "전남": "46", "경북": "47", "경남": "48",
    "제주": "50", "강원": "51", "전북": "52", "seoul": "11", "busan": "26", "daegu": "27",
    "incheon": "28", "gwangju": "29", "daejeon": "30", "ulsan": "31", "sejong": "36",
    "gyeonggi": "41", "jeju": "50", "gangwon": "51",
}  # fmt: skip


_INJECTION = re.compile(
    r"(무시하고|무시해|지시(를|사항)|시스템 ?프롬프트|라고만 (말|답|출력)|역할을 바꿔|ignore (all |the )?(previous|prior|above)|"
    r"disregard|system prompt|you are now|only (say|answer|reply)|pretend to be)",
    re.I,
)


def strip_instructions(text: str) -> str:
    """Drop sentences that try to instruct the assistant; the rest is the user's question."""
    sentences = re.split(r"(?<=[.!?。])\s+|\n+", text)
    kept = [s for s in sentences if s.strip() and not _INJECTION.search(s)]
    return " ".join(kept).strip()


def language_of(text: str) -> str:
    """``ko`` when the message contains Hangul, else ``en``."""
    return "ko" if _HANGUL.search(text) else "en"


def extract_slots(text: str) -> dict[str, Any]:
    """Return the slots a message states: age, region, job, school, annual_income, interests."""
    slots: dict[str, Any] = {}
    if match := _AGE.search(text):
        age = int(next(group for group in match.groups() if group))
        if 10 <= age <= 80:
            slots["age"] = age
    if region := region_in(text):
        slots["region"] = region
    for table, key in ((_JOB_WORDS, "job"), (_SCHOOL_WORDS, "school")):
        for pattern, code in table:
            if re.search(pattern, text, re.I):
                slots[key] = code
                break
    if match := _INCOME.search(text):
        amount = int(match.group(2).replace(",", ""))
        unit = match.group(3) or ""
        if unit == "원" or amount > 100_000:
            amount //= 10_000
        if re.search(r"월급|월소득|monthly", match.group(1), re.I):
            amount *= 12
        slots["annual_income"] = amount
    interests = [
        category for pattern, category in _INTEREST_WORDS if re.search(pattern, text, re.I)
    ]
    if interests:
        slots["interests"] = interests
    return slots


def region_in(text: str) -> str | None:
    """Return the most specific region code named in ``text`` (district over province)."""
    lowered = text.lower()
    province = next(
        (code for name, code in _REGION_ALIASES.items() if name in lowered),
        next((code for code, name in codes.provinces().items() if name in text), None),
    )
    candidates = [
        code
        for code, name in codes.districts().items()
        if len(name) >= 2
        and name != codes.provinces().get(code[:2])
        and _names_district(text, name)
    ]
    if province:
        in_province = [code for code in candidates if code.startswith(province)]
        return in_province[0] if len(in_province) == 1 else province
    return candidates[0] if len(candidates) == 1 else None


def _names_district(text: str, name: str) -> bool:
    # "남구" must not match inside "강남구": the name may not follow another Hangul letter.
    short = name.split()[-1]
    return re.search(rf"(?<![가-힣]){re.escape(short)}", text) is not None


class IntentClassifier:
    """Rules first; then a similarity classifier trained on ``EXAMPLES`` decides the rest."""

    def __init__(self, nearest: Callable[[str], str]) -> None:
        """Use ``nearest`` (text -> the closest label of ``EXAMPLES``) when no rule applies.

        The caller owns the classifier (the offline chat model builds a nearest-centroid one
        over its embedding model), so the agent never depends on an offline adapter.
        """
        self._nearest = nearest

    def classify(self, text: str, has_results: bool) -> str:
        """Return the intent of ``text``; ``has_results``: earlier turns found policies."""
        if _HUMAN.search(text):
            return "human"
        if _ABOUT.search(text):
            return "about_finq"
        if _GREETING.search(text) and len(text) < 25:
            return "small_talk"
        if has_results and _FOLLOW.search(text):
            return "follow_up"
        if extract_slots(text).get("interests"):
            return "policy_question"
        intent = self._nearest(text)
        if intent == "follow_up" and not has_results:
            return "policy_question"
        return intent
