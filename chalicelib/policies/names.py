"""Resolve the policy names a message mentions against the catalogue's names and keywords.

Owns name matching: normalization (no spaces or punctuation, province spellings unified),
aliases derived from the names themselves (generic words dropped, distinctive cores kept,
"K-" read as "케이"), partial and fuzzy matching by character bigrams, and English descriptions
through the English->Korean glossary (``glossary.py``). Pure: the caller loads the catalogue.
"""

# ruff: noqa: E501  (term tables in Hangul read best one entry per line; Hangul is double width)

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from chalicelib import codes
from chalicelib.policies.latin import english_terms, is_english_word, latin_words
from chalicelib.policies.romanize import read_romanised, reading_table

MatchKind = Literal["exact", "alias", "fuzzy", "english"]
# Below this a candidate is refused: a made-up name shares "청년" and "지원" with half the
# catalogue, which scores at most ~0.45 (see tests/unit/test_policy_names.py).
FUZZY_THRESHOLD = 0.7
_SCORES = {"exact": 1.0, "alias": 0.92}
_GENERIC = (
    "지원사업",
    "지원",
    "사업",
    "프로그램",
    "청년",
    "특별",
    "모집",
    "및",
    "신청",
    "전용",
    "공개",
)
_HEAD_TERMS = (
    "전세자금",
    "자금",
    "대출",
    "지원금",
    "장려금",
    "수당",
    "계좌",
    "통장",
    "적금",
    "카드",
    "패스",
    "공제",
    "바우처",
)
_LATIN_READINGS = {"k": "케이"}
# A word of a name ending like a verb's modifier ("만드는", "꿈꾸던") is no alias of its own.
_VERB_FORM = re.compile(r"[가-힣](는|던)$")
_PROVINCE_SHORT = {
    "서울특별시": "서울", "서울시": "서울", "부산광역시": "부산", "대구광역시": "대구", "인천광역시": "인천",
    "광주광역시": "광주", "대전광역시": "대전", "울산광역시": "울산", "세종특별자치시": "세종", "세종시": "세종",
    "경기도": "경기", "충청북도": "충북", "충청남도": "충남", "전라남도": "전남", "경상북도": "경북",
    "경상남도": "경남", "제주특별자치도": "제주", "제주도": "제주", "강원특별자치도": "강원", "강원도": "강원",
    "전북특별자치도": "전북", "전라북도": "전북", "부산시": "부산", "대구시": "대구", "인천시": "인천",
    "대전시": "대전", "울산시": "울산", "광주시": "광주",
}  # fmt: skip
_PROVINCE_SHORT.update({f"{short}형": short for short in set(_PROVINCE_SHORT.values())})


@dataclass(frozen=True)
class CatalogueEntry:
    """One policy as the resolver needs it."""

    plcy_no: str
    name: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Candidate:
    """A policy the message may name, how it matched, and how sure the match is (0..1)."""

    plcy_no: str
    name: str
    score: float
    kind: MatchKind
    matched: str


def normalize(text: str) -> str:
    """Lowercase, unify province spellings, drop spaces, punctuation and parentheses."""
    lowered = text.lower()
    for long, short in sorted(_PROVINCE_SHORT.items(), key=lambda item: -len(item[0])):
        lowered = lowered.replace(long, short)
    return re.sub(r"[^0-9a-z가-힣ⅰ-ⅻ]", "", lowered)


def core(text: str) -> str:
    """Return the normalized text without the generic words every youth policy shares."""
    stripped = normalize(text)
    for word in _GENERIC:
        stripped = stripped.replace(word, "")
    return stripped


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


class NameResolver:
    """Resolve policy mentions against one catalogue (build once per catalogue load)."""

    def __init__(
        self, catalogue: Iterable[CatalogueEntry | tuple[str, str, Sequence[str]]]
    ) -> None:
        """Index the catalogue: exact names, derived aliases, cores for fuzzy matching."""
        self._entries = [
            e if isinstance(e, CatalogueEntry) else CatalogueEntry(e[0], e[1], tuple(e[2]))
            for e in catalogue
        ]
        self._names = {e.plcy_no: normalize(_without_parens(e.name)) for e in self._entries}
        self._cores = {e.plcy_no: core(_without_parens(e.name)) for e in self._entries}
        self._keyword_use = Counter(normalize(k) for e in self._entries for k in e.keywords)
        self._aliases = self._derive_aliases()
        self._readings = reading_table([e.name for e in self._entries] + list(self._aliases))

    def aliases(self, plcy_no: str) -> tuple[str, ...]:
        """Return the aliases derived for one policy (for reading and tests)."""
        return tuple(sorted(alias for alias, number in self._aliases.items() if number == plcy_no))

    def resolve(self, text: str, limit: int = 3) -> list[Candidate]:
        """Return the policies ``text`` names, best first; an empty list when none is named."""
        # "Beotimmok youth jeonse loan": romanised words are read back to the catalogue's Hangul.
        text = read_romanised(text, self._readings, is_english_word)
        message = normalize(text)
        found: dict[str, Candidate] = {}
        literal = self._literal(message, latin_words(text))
        for candidate in literal + self._fuzzy(message) + self._english(text):
            best = found.get(candidate.plcy_no)
            if best is None or (candidate.score, len(candidate.matched)) > (
                best.score,
                len(best.matched),
            ):
                found[candidate.plcy_no] = candidate
        ranked = sorted(found.values(), key=lambda c: (-c.score, -len(c.matched), c.plcy_no))
        return _drop_shadowed(ranked)[:limit]

    def _derive_aliases(self) -> dict[str, str]:
        proposals: dict[str, set[str]] = {}
        for entry in self._entries:
            for alias in self._proposals(entry):
                proposals.setdefault(alias, set()).add(entry.plcy_no)
        # An alias must point at one policy and must not be a word other policies use as a keyword.
        return {
            alias: next(iter(numbers))
            for alias, numbers in proposals.items()
            if len(numbers) == 1 and self._distinctive(alias, next(iter(numbers)))
        }

    def _proposals(self, entry: CatalogueEntry) -> set[str]:
        plain = _without_parens(entry.name)
        found = {normalize(entry.name), core(plain)}
        found |= {core(inner) for inner in re.findall(r"\(([^)]*)\)", entry.name)}
        # A quoted title ("'청년이 만드는 부산'") is a name people use on its own.
        found |= {normalize(q) for q in re.findall(r"['‘\"“]([^'’\"”]{4,})['’\"”]", entry.name)}
        for word in (core(w) for w in plain.split()):
            found.add(word)
            head = next(
                (word[: -len(t)] for t in _HEAD_TERMS if word.endswith(t) and len(word) > len(t)),
                "",
            )
            if len(head) >= 3:
                found.add(head)
            # "국가근로장학금" is called "근로장학금", "국민내일배움카드" "내일배움카드": a leading
            # one- or two-syllable modifier is often dropped.
            found |= {word[cut:] for cut in (1, 2) if len(word) - cut >= 4}
        found |= _abbreviations(core(plain))
        for alias in list(found):
            for latin, reading in _LATIN_READINGS.items():
                if alias.startswith(latin) and not alias[1:2].isascii():
                    found.add(reading + alias[1:])
        return {
            alias for alias in found if len(alias) >= 3 or (alias.isascii() and len(alias) >= 2)
        }

    def _distinctive(self, alias: str, plcy_no: str) -> bool:
        if alias in (self._names[plcy_no], normalize(self._name_of(plcy_no))):
            return True
        if _VERB_FORM.search(alias):
            return False  # "만드는" of "청년이 만드는 부산": a verb form is anyone's word
        used_elsewhere = sum(
            1 for number, name in self._names.items() if number != plcy_no and alias in name
        )
        return used_elsewhere == 0 and self._keyword_use[alias] <= 1 and not _is_place(alias)

    def _name_of(self, plcy_no: str) -> str:
        return next(e.name for e in self._entries if e.plcy_no == plcy_no)

    def _literal(self, message: str, latin: str) -> list[Candidate]:
        found = [
            Candidate(number, self._name_of(number), _SCORES["exact"], "exact", name)
            for number, name in self._names.items()
            if name and name in message
        ]
        found += [
            Candidate(number, self._name_of(number), _SCORES["alias"], "alias", alias)
            for alias, number in self._aliases.items()
            if _alias_in(alias, message, latin)
        ]
        return found

    def _fuzzy(self, message: str) -> list[Candidate]:
        grams, core_grams = _bigrams(message), _bigrams(core(message))
        found = []
        for number, name in self._names.items():
            name_grams, name_core = _bigrams(name), _bigrams(self._cores[number])
            full = len(name_grams & grams) / len(name_grams) if name_grams else 0.0
            if len(name_core) < 2:
                # A name that is all generic words but one ("청년월세 특별지원") is matched whole.
                score, inner = full, 1.0
            else:
                inner = len(name_core & core_grams) / len(name_core)
                score = round(0.5 * full + 0.5 * inner, 3)
            if score >= FUZZY_THRESHOLD and inner >= 0.75:
                found.append(
                    Candidate(number, self._name_of(number), round(0.85 * score, 3), "fuzzy", name)
                )
        return found

    def _english(self, text: str) -> list[Candidate]:
        terms = english_terms(text)
        if not terms:
            return []
        found = []
        for number, name_core in self._cores.items():
            words = [core(w) for w in _without_parens(self._name_of(number)).split()]
            words = [w for w in words if w and not _is_place(w)]
            places = [w for w in (core(x) for x in self._name_of(number).split()) if _is_place(w)]
            if not words or any(p not in terms for p in places):
                continue
            coverage = [_covered(word, terms) for word in words]
            distinctive = (
                any(self._distinctive(w, number) for w in words) or len(words + places) >= 2
            )
            if min(coverage) >= 0.8 and distinctive:
                score = round(0.8 * sum(coverage) / len(coverage), 3)
                found.append(Candidate(number, self._name_of(number), score, "english", name_core))
        return found


def _alias_in(alias: str, message: str, latin: str) -> bool:
    if alias.isascii():
        # A Latin alias ("ai", "kmove") is a word of its own, never part of "training".
        return re.search(rf"(?<![a-z]){re.escape(alias)}(?![a-z])", latin) is not None
    return alias in message or (alias in core(message) and len(alias) >= 4)


def _covered(word: str, terms: set[str]) -> float:
    marked = [False] * len(word)
    for term in terms:
        for match in re.finditer(re.escape(term), word):
            marked[match.start() : match.end()] = [True] * len(term)
    return sum(marked) / len(word) if word else 0.0


def _abbreviations(name_core: str) -> set[str]:
    """Return syllable abbreviations of a name's core ("국민취업제도" -> "국취제")."""
    found = set()
    for start in (0, 2):
        rest = name_core[start:]
        if len(rest) >= 6 and len(rest) % 2 == 0 and re.fullmatch(r"[가-힣]+", rest):
            found.add(rest[::2])
    return found


def _without_parens(name: str) -> str:
    return re.sub(r"\([^)]*\)", " ", name).strip()


def _is_place(word: str) -> bool:
    if word in _PROVINCE_SHORT.values():
        return True
    return any(
        word == d.split()[-1] or word == d.split()[-1][:-1] for d in codes.districts().values()
    )


def _drop_shadowed(ranked: list[Candidate]) -> list[Candidate]:
    # "대구형 청년 일경험 드림" contains the core "일경험" of "청년 일경험 지원사업": the longer
    # literal match wins and the policy whose core it contains is dropped.
    literal = [c for c in ranked if c.kind in ("exact", "alias")]
    kept: list[Candidate] = []
    for candidate in ranked:
        inner = candidate.matched if candidate.kind != "fuzzy" else core(candidate.name)
        shadowed = any(
            other is not candidate and inner in other.matched and len(other.matched) > len(inner)
            for other in literal
        )
        if not shadowed:
            kept.append(candidate)
    return kept
