"""Does an FAQ entry answer THIS question? Text signals for the offline drafter's match score.

Owns the parts of the score that are not the embedding: the inquiry's key terms (nouns and
content words, Korean and English, no tagger), how many of them the FAQ entry covers, terms the
tenant's FAQ never mentions at all, and the kind of question asked (how, when, how much, where,
whether). Pure functions over strings; it must not embed, store or call anything.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_WORD = re.compile(r"[가-힣]+|[A-Za-z][A-Za-z0-9'-]*|\d+")
# Korean particles and copulas left on a noun ("배송은", "주소를", "카드로도").
_PARTICLE = re.compile(
    r"(으로는|에서는|에서도|으로도|이라도|까지는|부터는|에게서|한테서|이랑|에서|으로|에게|한테|까지|부터|처럼|"
    r"보다|마다|이나|은|는|이|가|을|를|에|의|도|만|로|와|과|랑|쯤)$"
)
# Endings of Korean predicates (verbs, adjectives): such words carry no topic of their own.
# Sentence-final syllables are certain; connectives are matched as two syllables, because one
# alone ("고", "서") also ends nouns ("재입고", "증명서").
_PREDICATE = re.compile(
    r"([요까다죠네]|하고|해서|하면|는데|은데|인데|려고|어서|아서|여서|라서|니까|으면|하게|하는|되는|"
    r"내고|되고|싶고|있고|없고|[된한할돼줘봐볼꿀갈올])$"
)
_KO_STOP = frozenset(
    "오늘 내일 어제 지금 방금 아직 이미 이번 지난 다음 저번 요즘 언제 "
    "어디 얼마 얼마나 어떻게 무엇 뭐 왜 어느 잘못 안녕하세요 안녕 감사 "
    "감사합니다 제가 저는 저희 우리 혹시 그냥 정말 진짜 너무 계속 다시 "
    "바로 빨리 좀 꼭 문의 문의드립니다 질문 궁금 방법 가능 여부 관련 경우 "
    "때문 정도 하나 두 세 번 것 거 수 등 및 또 더 잘 못 안 전 후 중 "
    "때 분 날 주 달 년 일 시간 며칠 하루 "
    "".split()
)
_EN_STOP = frozenset(
    "a an the and or but if then than so to of in on at by for from with without about into over "
    "after before since until up down out off is are was were be been being am do does did done "
    "doing have has had having can could will would should shall may might must i me my mine we "
    "us our ours you your yours it its this that these those there here what which who whom whose "
    "when where why how not no yes any some all each every more most other another such only own "
    "same too very just still also again already yet now today tomorrow yesterday please thanks "
    "thank hi hello hey dear regards get got getting want wanted need needed like know tell let "
    "make use used using try see way ways possible question questions help anyone something "
    "anything thing things much many one two three day days week weeks month months year years "
    "time usually really actually ok okay go going back new set".split()
)
_QUESTION_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cost", re.compile(
        r"얼마(?!나\s*(걸|남))|수수료|요금이|가격|비용|금리|이자율|"
        r"how much|cost|price|fee|cheaper|rate\b", re.I)),
    ("time", re.compile(r"언제|며칠|얼마나\s*걸|기간|시간|how long|when\b|what time|hours", re.I)),
    ("where", re.compile(r"어디|where\b", re.I)),
    ("how", re.compile(r"어떻게|방법|how (do|can|to|should)|steps?\b", re.I)),
    ("whether", re.compile(
        r"있나요|되나요|돼요\?|될까요|가능|할 수 있|"
        r"\b(can|could|is there|are there|do you|does it|is it)\b", re.I)),
)  # fmt: skip
# Kinds that answer each other: an entry telling how to do X also tells whether X can be done.
_COMPATIBLE = {("how", "whether"), ("whether", "how"), ("where", "how"), ("how", "where")}


def _en_stem(word: str) -> str:
    word = word.lower().strip("'-")
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _ko_stem(word: str) -> str | None:
    if _PREDICATE.search(word):
        return None
    stem = word
    for _ in range(2):
        stem = _PARTICLE.sub("", stem) or stem
    if len(stem) < 2 or stem in _KO_STOP:
        return None
    return stem


def key_terms(text: str) -> list[str]:
    """Return the text's topic-bearing terms: Korean noun stems, English content-word stems."""
    terms: list[str] = []
    for word in _WORD.findall(text):
        if word[0] >= "가":
            stem = _ko_stem(word)
        elif word.isdigit():
            stem = None
        else:
            stem = None if word.lower() in _EN_STOP or len(word) < 3 else _en_stem(word)
        if stem and stem not in terms:
            terms.append(stem)
    return terms


def _index(text: str) -> tuple[str, set[str]]:
    lowered = text.lower()
    return lowered, {_en_stem(w) for w in _WORD.findall(lowered) if not w[0] >= "가"}


def _found(term: str, index: tuple[str, set[str]]) -> bool:
    lowered, stems = index
    if term[0] >= "가":
        # Korean words inflect and compound: a short word counts when its two-syllable root is
        # found ("배송비" ~ "배송"); a long compound needs both halves ("잔액증명서" is not
        # covered by "잔액" alone).
        if term in lowered:
            return True
        return term[:2] in lowered and (len(term) <= 3 or term[2:] in lowered)
    return term in stems or any(len(term) >= 5 and s.startswith(term[:5]) for s in stems)


def coverage(terms: Iterable[str], entry_text: str) -> float:
    """Return the share of ``terms`` the entry's text mentions (1.0 when there are none)."""
    terms = list(terms)
    if not terms:
        return 1.0
    index = _index(entry_text)
    return sum(1 for t in terms if _found(t, index)) / len(terms)


def novel_terms(terms: Iterable[str], tenant_text: str) -> list[str]:
    """Return the terms that nothing the tenant wrote (FAQ, domain context) mentions."""
    index = _index(tenant_text)
    return [t for t in terms if not _found(t, index)]


def question_kind(text: str) -> str | None:
    """Return what is asked: ``cost``, ``time``, ``where``, ``how``, ``whether`` or None."""
    for kind, pattern in _QUESTION_KINDS:
        if pattern.search(text):
            return kind
    return None


def kinds_agree(asked: str | None, answered: str | None) -> bool:
    """Tell whether an entry asked as ``answered`` can answer a question asked as ``asked``."""
    if asked is None or answered is None or asked == answered:
        return True
    return (asked, answered) in _COMPATIBLE
