"""Reading Latin script in messages: English descriptions, romanised names, Latin aliases.

Owns the Korean terms an English message stands for (glossary words, "K-" style prefixes,
acronyms, province names, Hangul words quoted in English prose), which Latin words must stay
English when romanised names are read back, and the whole-word form Latin aliases match in.
Pure.
"""

# ruff: noqa: E501  (a table of Hangul reads best several entries per line)

from __future__ import annotations

import functools
import re

from chalicelib.policies.glossary import EN_KO, is_english, korean_terms

_EN_PROVINCES = {
    "seoul": "서울", "busan": "부산", "daegu": "대구", "incheon": "인천", "gwangju": "광주", "daejeon": "대전",
    "ulsan": "울산", "sejong": "세종", "gyeonggi": "경기", "chungbuk": "충북", "chungnam": "충남", "jeonnam": "전남",
    "gyeongbuk": "경북", "gyeongnam": "경남", "jeju": "제주", "gangwon": "강원", "jeonbuk": "전북",
}  # fmt: skip


def english_terms(text: str) -> set[str]:
    """Return the Korean terms an English message's words stand for (places included)."""
    lowered = text.lower()
    terms = set(korean_terms(text))
    terms |= {m.lower() for m in re.findall(r"\b[a-z]{1,2}(?=-)", text, re.I)}
    terms |= {m.lower() for m in re.findall(r"\b[A-Z]{2,}\b", text)}
    terms |= {short for name, short in _EN_PROVINCES.items() if re.search(rf"\b{name}\b", lowered)}
    if is_english(text):  # Hangul words in English prose ("the 도약 account") are terms too
        terms |= set(re.findall(r"[가-힣]{2,}", text))
    return {t for t in terms if t}


def is_english_word(word: str) -> bool:
    """Whether ``word`` must stay English (a glossary word, an acronym, a short word)."""
    return len(word) < 3 or word.lower() in _glossary_words() or word.isupper()


@functools.lru_cache(maxsize=1)
def _glossary_words() -> frozenset[str]:
    return frozenset(w for phrase in EN_KO for w in re.findall(r"[a-z]+", phrase))


def latin_words(text: str) -> str:
    """Lowercase ``text`` with hyphens and dots dropped ("K-Move" -> "kmove"), spaces kept."""
    return re.sub(r"[-.·]", "", text.lower())
