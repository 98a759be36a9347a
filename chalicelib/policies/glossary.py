"""The English->Korean glossary of youth-policy words, and query expansion with it.

Owns the one glossary FinQ reads English with: the name resolver (``names.py``) maps English
descriptions onto policy names with it, and discovery appends the Korean terms an English query
stands for before embedding it (the catalogue is Korean; a small multilingual model matches
English to Korean loosely). General vocabulary of the domain, never a benchmark's questions.
Pure.
"""

# ruff: noqa: E501  (term tables in Hangul read best several entries per line; Hangul is double width)

from __future__ import annotations

import functools
import re

# English word or phrase -> Korean terms the catalogue uses for it (names, keywords, descriptions).
EN_KO: dict[str, tuple[str, ...]] = {
    # housing
    "rent": ("월세",), "monthly rent": ("월세",), "renter": ("월세", "임차"), "tenant": ("임차", "세입자"),
    "landlord": ("임대인", "집주인"), "deposit": ("보증금", "전세"), "security deposit": ("임차보증금",), "rental deposit": ("임차보증금",),
    "lease deposit": ("임차보증금",), "deposit interest": ("임차보증금", "이자"), "interest support": ("이자",),
    "interest subsidy": ("이자",),
    "jeonse": ("전세",), "lease": ("전세", "임대"), "housing": ("주거", "주택"), "house": ("주택",), "home": ("주택",),
    "apartment": ("주택", "임대주택"), "public housing": ("공공임대", "임대주택"),
    "public rental": ("공공임대", "임대주택"), "rental housing": ("임대주택",), "housing cost": ("주거비",),
    "housing benefit": ("주거급여",), "dormitory": ("기숙사",), "dorm": ("기숙사",),
    "moving": ("이사비",), "move out": ("자립",), "moving cost": ("이사비",), "relocate": ("전입", "이주"),
    "brokerage": ("중개보수",), "real estate agent": ("중개보수",), "realtor": ("중개보수",),
    "homeless": ("무주택",), "own a home": ("무주택", "주택 소유"), "newlywed": ("신혼부부",),
    "married couple": ("신혼부부",), "live alone": ("1인가구",), "living alone": ("1인가구",),
    "single-person household": ("1인가구",), "break-in": ("안심", "방범"), "door lock": ("안심홈", "방범"),
    "safety": ("안전", "안심"), "fraud": ("사기",), "scam": ("사기",), "guarantee": ("보증",),
    "insurance premium": ("보증료",), "premium": ("보증료",), "subscription account": ("청약통장",),
    "housing subscription": ("청약통장", "청약"), "island": ("섬",), "village": ("마을",),
    # money, savings, loans
    "savings account": ("적금", "통장", "계좌"), "savings": ("적금", "저축"), "save": ("저축", "적금"),
    "account": ("계좌", "통장"), "bankbook": ("통장",), "lump sum": ("목돈",), "nest egg": ("목돈", "자산형성"),
    "asset": ("자산형성",), "matching": ("매칭",), "match": ("매칭",), "contribution": ("기여금", "적립"),
    "interest rate": ("금리", "이자"), "loan interest": ("이자",), "the interest": ("이자",), "loan": ("대출",), "borrow": ("대출", "대여"),
    "debt": ("부채", "대출"), "credit score": ("신용", "저신용"), "low credit": ("저신용",),
    "financial counseling": ("재무상담", "금융"), "finance": ("금융", "재무"), "financial": ("금융", "재무"),
    "money management": ("재무상담", "자산관리"), "tax": ("세금", "세"), "income tax": ("소득세",),
    "tax cut": ("감면",), "tax break": ("감면", "비과세"), "waive": ("감면",), "refund": ("환급",),
    "cash": ("지원금", "수당"), "allowance": ("수당", "지원금"), "stipend": ("수당", "활동비"),
    "grant": ("지원금", "지원비"), "subsidy": ("지원금", "지원"), "benefit": ("급여", "지원"),
    "points": ("포인트",), "voucher": ("바우처",), "local currency": ("지역화폐",), "basic income": ("기본소득",),
    "living costs": ("생활비", "생활"), "living expenses": ("생활비", "생활자금"), "emergency": ("긴급", "생활자금"),
    "low income": ("저소득", "기초생활", "차상위"), "low-income": ("저소득", "기초생활", "차상위"),
    "welfare": ("복지",), "welfare points": ("복지포인트",),
    # work
    "job": ("취업", "일자리"), "jobs": ("일자리", "취업"), "work": ("일자리", "근로"), "worker": ("근로자", "재직자", "노동자"),
    "employee": ("재직자", "근로자"), "employed": ("재직자",), "employment": ("취업", "고용"),
    "unemployed": ("미취업", "구직"), "jobless": ("미취업", "구직"), "job seeker": ("구직", "미취업"),
    "job seeking": ("구직활동",), "job-seeking": ("구직활동",), "job search": ("구직활동", "구직"),
    "looking for a job": ("구직활동", "구직"), "job hunting": ("구직활동", "취업준비"), "hired": ("취업", "채용"),
    "hiring": ("채용",), "recruit": ("채용", "모집"), "full-time": ("정규직",), "permanent position": ("정규직",),
    "part-time": ("아르바이트",), "part-time job": ("아르바이트",), "wage": ("임금",), "wages": ("임금",),
    "salary": ("급여", "임금"), "unpaid wages": ("임금체불",), "labor": ("노동",), "labour": ("노동",),
    "labor rights": ("노동권익", "노동인권"), "labor attorney": ("노무사",), "labor law": ("노동법", "노무"),
    "work experience": ("일경험", "직무체험"), "internship": ("일경험", "인턴"), "intern": ("인턴", "일경험"),
    "career": ("진로", "경력"), "interview": ("면접",), "suit": ("정장",), "resume": ("이력서",),
    "photo": ("사진",), "small company": ("중소기업",), "small business": ("중소기업", "소상공인"),
    "sme": ("중소기업",), "company": ("기업", "회사"), "employer": ("사업주", "기업"), "factory": ("제조업", "공장"),
    "manufacturing": ("제조업",), "long-term": ("장기근속",), "stay at": ("근속",), "tenure": ("근속",),
    "quit": ("퇴사",), "overseas job": ("해외취업",), "work abroad": ("해외취업",),
    "startup": ("창업", "스타트업"), "start-up": ("창업", "스타트업"), "start a business": ("창업",), "founder": ("창업",),
    "entrepreneur": ("창업",), "business": ("창업", "사업"), "office space": ("창업공간", "사무공간"),
    "incubator": ("인큐베이팅", "보육"), "investment": ("투자",), "investor": ("투자",), "mentoring": ("멘토링",),
    "mentor": ("멘토",), "coaching": ("코칭",), "consulting": ("컨설팅",), "prototype": ("시제품",),
    "store": ("점포",), "shop": ("점포",), "local brand": ("로컬브랜딩", "로컬"),
    # learning
    "training": ("훈련", "교육", "트레이닝"), "course": ("강좌", "과정", "교육"), "class": ("강좌", "교육"),
    "online course": ("온라인 강좌", "온라인교육"), "bootcamp": ("부트캠프", "훈련"), "coding": ("코딩", "소프트웨어"),
    "software": ("소프트웨어", "SW"), "developer": ("개발자",), "programming": ("코딩", "소프트웨어"),
    "digital": ("디지털",), "ai": ("AI", "인공지능"), "artificial intelligence": ("인공지능", "AI"), "data": ("데이터",),
    "battery": ("이차전지",), "skills": ("역량", "직무"), "certificate": ("자격", "수료증"),
    "certification": ("자격증", "자격"), "license": ("자격", "면허"), "driver's license": ("운전면허",),
    "driving license": ("운전면허",), "driving school": ("운전면허", "학원"), "exam": ("시험", "응시"),
    "exam fee": ("응시료",), "test fee": ("응시료",), "language": ("어학",), "foreign language": ("어학",),
    "english": ("어학", "영어"), "student": ("대학생", "학생"), "university": ("대학", "대학생"),
    "college": ("대학", "대학생"), "campus": ("교내", "대학"), "graduate school": ("대학원",),
    "tuition": ("등록금", "학자금", "학비"), "school fees": ("학비", "등록금"), "scholarship": ("장학금",),
    "student loan": ("학자금대출",), "academy": ("아카데미", "학교"), "study": ("학습", "교육"),
    "self-development": ("자기계발",), "lecture": ("강의", "강좌"),
    # health, care, life
    "mental health": ("마음건강", "정신건강"), "depressed": ("우울", "마음건강"), "depression": ("우울", "마음건강"),
    "anxious": ("불안", "마음건강"), "anxiety": ("불안", "마음건강"), "stress": ("마음건강", "심리"),
    "counseling": ("상담",), "counselling": ("상담",), "counselor": ("상담",), "therapy": ("심리상담", "상담"),
    "psychological": ("심리",), "health": ("건강",), "health check": ("건강검진",), "checkup": ("건강검진", "검진"),
    "medical": ("의료", "건강"), "isolated": ("고립", "은둔"), "lonely": ("고립", "사회관계"),
    "recluse": ("은둔", "고립"), "withdrawn": ("은둔", "고립"), "caregiver": ("돌봄", "가족돌봄"),
    "carer": ("돌봄", "가족돌봄"), "young carer": ("가족돌봄청년", "영케어러"), "look after": ("돌봄", "가족돌봄"),
    "take care of": ("돌봄",), "care": ("돌봄",), "family": ("가족", "가구"), "foster": ("보호종료", "아동복지"),
    "care facility": ("보호종료", "아동복지", "자립준비청년"), "orphanage": ("보호종료", "자립준비청년"),
    "leaving care": ("자립준비청년", "보호종료"), "independence": ("자립",), "independent": ("자립",),
    "disabled": ("장애인",), "disability": ("장애인",), "single parent": ("한부모",),
    "crisis": ("위기",), "hotline": ("상담전화",), "advice": ("상담",), "consultation": ("상담",),
    # culture, leisure, transport
    "culture": ("문화",), "cultural": ("문화",), "arts": ("예술", "문화예술"), "art": ("예술",),
    "artist": ("예술인",), "creative": ("창작",), "studio": ("작업실", "창작공간"), "performance": ("공연",),
    "concert": ("공연",), "musical": ("공연", "뮤지컬"), "exhibition": ("전시",), "movie": ("영화", "문화"),
    "ticket": ("관람",), "sports": ("체육", "레저"), "leisure": ("여가", "레저"), "scuba": ("스쿠버",),
    "yacht": ("요트",), "marine": ("해양",), "transit": ("교통", "대중교통"), "transport": ("교통",),
    "transportation": ("교통",), "bus": ("교통", "대중교통"), "subway": ("교통", "대중교통"),
    "fare": ("교통비",), "commute": ("교통", "대중교통"), "commuter": ("교통", "대중교통"), "pass": ("패스",),
    "card": ("카드",), "gap year": ("갭이어",),
    # farming, fishing, regions
    "farm": ("농업", "영농"), "farming": ("농업", "영농"), "farmer": ("농업인", "농부"), "agriculture": ("농업",),
    "return to farming": ("귀농",), "smart farm": ("스마트팜",), "greenhouse": ("스마트팜", "온실"),
    "fishing": ("어업", "어촌"), "fisherman": ("어업인", "귀어"), "fisher": ("어업인", "귀어"),
    "fishery": ("어업",), "boat": ("어선",), "rural": ("농촌",), "countryside": ("농촌", "지역살이"),
    "garden": ("정원",), "landscaping": ("조경", "정원"), "tangerine": ("감귤",), "settle": ("정착",),
    "settlement": ("정착",), "move in": ("전입",), "moved to": ("전입",), "move to": ("전입",),
    # participation, service, abroad
    "participation": ("참여",), "participate": ("참여",), "committee": ("위원회", "위원"), "council": ("위원회", "회의"),
    "advisory": ("자문단", "자문"), "advisor": ("자문",), "policy proposal": ("정책제안",), "ideas": ("정책제안", "아이디어"),
    "idea": ("아이디어", "정책제안"), "supporters": ("서포터즈",), "network": ("네트워크",), "contest": ("공모",),
    "volunteer": ("봉사",), "volunteering": ("봉사", "해외봉사"), "overseas": ("해외",), "abroad": ("해외",),
    "exchange": ("교류", "국제교류"), "developing country": ("개발도상국", "해외봉사"), "global": ("글로벌", "해외"),
    "soldier": ("장병", "군인"), "military": ("장병", "병역", "군"), "military service": ("병역", "장병"),
    "army": ("장병", "군인"), "discharge": ("전역",), "discharged": ("전역",),
    # names' common parts
    "leap": ("도약",), "future": ("미래",), "tomorrow": ("내일",), "happy": ("행복",), "dream": ("드림",),
    "hope": ("희망",), "youth center": ("청년센터",), "national": ("국가", "국민"),
}  # fmt: skip

# An English word may carry a plural or verb ending the glossary leaves out ("renters", "farming").
_ENDINGS = r"(?:s|es|ed|ing|er|ers)?"


@functools.lru_cache(maxsize=1)
def _patterns() -> list[tuple[re.Pattern[str], tuple[str, ...]]]:
    return [
        (re.compile(rf"\b{re.escape(phrase)}{_ENDINGS}\b"), terms)
        for phrase, terms in sorted(EN_KO.items(), key=lambda item: -len(item[0]))
    ]


def korean_terms(text: str) -> list[str]:
    """Return the Korean terms the English words of ``text`` stand for, in glossary order."""
    lowered = text.lower()
    found: dict[str, None] = {}
    for pattern, terms in _patterns():
        if pattern.search(lowered):
            found.update(dict.fromkeys(terms))
    return list(found)


def is_english(text: str) -> bool:
    """Whether ``text`` is written mostly in Latin letters (more than in Hangul)."""
    latin = len(re.findall(r"[A-Za-z]", text))
    return latin > 0 and latin >= 2 * len(re.findall(r"[가-힣]", text))


def expand_query(text: str) -> str:
    """Return ``text`` with the Korean terms it stands for appended (English text only)."""
    if not is_english(text):
        return text
    terms = korean_terms(text)
    return f"{text} ({' '.join(terms)})" if terms else text
