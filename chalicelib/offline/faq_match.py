"""Does an FAQ entry answer THIS question? Text signals for the offline drafter's match score.

Owns the parts of the score that are not the embedding: how many of the inquiry's key terms
(chalicelib/offline/words.py) the FAQ entry covers (a term is found inflected, compounded,
mistyped, abbreviated or spaced otherwise, an English verb joined to its particle), terms the
tenant's FAQ never mentions at all, the kinds of question asked (how, when, how much, up to how
much, where, whether) and the kinds an entry answers (those its question asks, and those its
answer gives facts for). Pure functions over strings; it must not embed, store or call anything.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from chalicelib.offline import words
from chalicelib.offline.words import Terms, key_terms, term_words

__all__ = [
    "Terms",
    "coverage",
    "entry_kinds",
    "key_terms",
    "kinds_agree",
    "novel_terms",
    "question_kinds",
    "spelled_as_tenant",
    "term_words",
]

_QUESTION_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cost", re.compile(
        r"얼마(?!나\s*(걸|남)|까지)|수수료|요금이|가격|비용|금리|이자율|"
        r"how much|\b(cost|price|pricing|fees?|cheaper|rate)\b", re.I)),
    ("time", re.compile(r"언제|며칠|얼마나\s*걸|기간|시간|how long|when\b|what time|hours", re.I)),
    ("where", re.compile(r"어디|where\b", re.I)),
    ("limit", re.compile(r"얼마까지|최대|한도|\b(limit|maximum|max|up to)\b", re.I)),
    ("how", re.compile(r"어떻게|방법|how (do|can|to|should)|steps?\b", re.I)),
    ("whether", re.compile(
        r"있나요|되나요|돼요\?|될까요|가능|할 수 있|"
        r"\b(can|could|is there|are there|do you|does it|is it)\b", re.I)),
)  # fmt: skip
# Kinds that answer each other: an entry telling how to do X also tells whether X can be done.
_COMPATIBLE = {("how", "whether"), ("whether", "how"), ("where", "how"), ("how", "where")}


_KO_PAIR = re.compile(r"(?<![가-힣])([가-힣]+) (?=([가-힣]+))")
# An English verb and its particle are also written as one word ("log in" ~ "login", "set up").
_EN_PHRASAL = re.compile(r"\b([a-z]{2,}) (?=(in|up|out|on|off|down|back|over)\b)")


class _Index:
    """A text's words, for finding a term in it (inflected, compounded or mistyped)."""

    def __init__(self, text: str) -> None:
        self.lowered = text.lower()
        found = words.WORD.findall(self.lowered)
        self.en = {words.en_stem(w) for w in found if not w[0] >= "가" and not w.isdigit()}
        self.en |= {words.en_stem(a + b) for a, b in _EN_PHRASAL.findall(self.lowered)}
        self.en |= {w.replace("-", "") for w in self.en if "-" in w}  # "e-mail" ~ "email"
        # Korean spacing varies ("간편 비밀번호", "간편비밀번호"): two words are also read joined.
        pairs = [a + b for a, b in _KO_PAIR.findall(self.lowered)]
        self.lowered += "\n" + " ".join(pairs)
        self.ko = {w for w in found if w[0] >= "가"} | set(pairs)
        self.scripts = {"ko"} if self.ko else set()
        if len(self.en) >= 3:
            self.scripts.add("en")

    def found(self, term: str) -> bool:
        if term[0] >= "가":
            # Korean words inflect and compound: a short word counts when its two-syllable root
            # is found ("배송비" ~ "배송"); a long compound needs both halves ("잔액증명서" is
            # not covered by "잔액" alone); one mistyped letter is forgiven ("배숑" ~ "배송").
            if term in self.lowered:
                return True
            if term[:2] in self.lowered and (len(term) <= 3 or term[2:] in self.lowered):
                return True
            return any(
                words.one_jamo_apart(term, w[: len(term)]) or words.abbreviates(term, w)
                for w in self.ko
            )
        if term in self.en or term.replace("-", "") in self.en:  # "e-mail" ~ "email"
            return True
        return any(
            (len(term) >= 5 and s.startswith(term[:5])) or words.one_letter_apart(term, s)
            for s in self.en
        )


_EN_WORD = re.compile(r"[A-Za-z]{5,}")


def spelled_as_tenant(text: str, tenant_text: str) -> str:
    """Return ``text`` with each mistyped English word spelled as the tenant spells it.

    A word of five letters or more that the tenant never writes but writes one letter apart
    ("cancle", "subscrption") is read as the tenant's word, so that the embedding, which a typo
    throws off, compares the question the customer meant.
    """
    vocabulary = {w.lower() for w in _EN_WORD.findall(tenant_text)}

    def spell(match: re.Match[str]) -> str:
        word = match.group().lower()
        if word in vocabulary:
            return match.group()
        near = [w for w in vocabulary if words.one_letter_apart(word, w)]
        return min(near) if len(near) == 1 else match.group()

    return _EN_WORD.sub(spell, text)


def _script(term: str) -> str:
    return "ko" if term[0] >= "가" else "en"


def coverage(terms: Iterable[str], entry_text: str) -> float:
    """Return the share of ``terms`` the entry's text mentions (1.0 when there are none).

    Only terms in a script the entry is written in are judged (an English word is not looked
    for in a Korean entry); when none is left, coverage says nothing: 0.5.
    """
    terms = list(terms)
    if not terms:
        return 1.0
    index = _Index(entry_text)
    judged = [t for t in terms if _script(t) in index.scripts]
    if not judged:
        return 0.5
    return sum(1 for t in judged if index.found(t)) / len(judged)


def novel_terms(terms: Iterable[str], tenant_text: str) -> list[str]:
    """Return the terms that nothing the tenant wrote (FAQ, domain context) mentions.

    Terms in a script the tenant does not write in are not judged.
    """
    index = _Index(tenant_text)
    return [t for t in terms if _script(t) in index.scripts and not index.found(t)]


# Facts an entry's answer gives, by the kind of question they answer: an amount of money answers
# "how much", a duration or a date "when / how long", a place or menu path "where / how".
_ANSWER_FACTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cost", re.compile(
        r"\d[\d,.]*\s*(만|천|억)?\s*(원|%|달러)|[$₩]\s?\d|무료|건당|"
        r"\bfree\b|\bper (member|month|day|minute)",
        re.I)),
    ("time", re.compile(
        r"\d+\s*(~\s*\d+\s*)?(영업일|시간|분|개월|년|주일?)|매월|매주|요일|평일|당일|즉시|이후|"
        r"\d+\s*(~\s*\d+\s*)?일\s*(안|이내|내|후|뒤|이|가|더|부터|까지|과|와|에|동안)|"
        r"\d{1,2}:\d{2}|\b\d+\s*(business )?(days?|hours?|minutes?|months?)\b|within|until",
        re.I)),
    ("where", re.compile(r">|에서|\bunder\b|\bin the app\b|\bpage\b", re.I)),
    ("limit", re.compile(r"최대|한도|\b(up to|limit|maximum)\b", re.I)),
)  # fmt: skip


def question_kinds(text: str) -> set[str]:
    """Return every kind of question the text asks (empty when none is recognised).

    Kinds: ``cost``, ``time``, ``where``, ``limit``, ``how``, ``whether``.
    """
    return {kind for kind, pattern in _QUESTION_KINDS if pattern.search(text)}


def entry_kinds(question: str, answer: str) -> set[str]:
    """Return the kinds of question an FAQ entry answers.

    Those its question asks, plus those its answer gives facts for (a menu path answers "how"
    as well as "where").
    """
    kinds = question_kinds(question)
    kinds |= {kind for kind, pattern in _ANSWER_FACTS if pattern.search(answer)}
    if "where" in kinds:
        kinds.add("how")
    return kinds


def kinds_agree(asked: set[str], answered: set[str]) -> bool:
    """Tell whether an entry answering ``answered`` answers every kind in ``asked``.

    "Whether" needs no fact of its own: an entry on the very thing asked about answers it.
    """
    if not answered:
        return True
    return all(
        kind in answered or any((kind, other) in _COMPATIBLE for other in answered)
        for kind in asked - {"whether"}
    )
