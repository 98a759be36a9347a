"""The key terms of a customer's text, Korean and English, without a tagger.

Owns what a "term" is for the desk's FAQ match: Korean noun stems (particles and the copula
stripped; predicates, read by their endings letter by letter, dropped; counts and small words
dropped) and English content-word stems (a Porter-lite stem; small words, the closed classes of
pronouns and function adverbs, and contractions with or without their apostrophe dropped), plus
the tests that forgive how people write a word: one mistyped letter (Hangul jamo or Latin
letter), two swapped letters, a Korean abbreviation ("비번" ~ "비밀번호"). Pure functions over
strings.
"""

from __future__ import annotations

import re
from typing import NamedTuple

WORD = re.compile(r"[가-힣]+|[A-Za-z][A-Za-z0-9'-]*|\d+")
# Korean particles and copulas left on a noun ("배송은", "주소를", "카드로도").
_PARTICLE = re.compile(
    r"(으로는|에서는|에서도|으로도|이라도|까지는|부터는|에게서|한테서|이랑|에서|으로|에게|한테|까지|부터|처럼|"
    r"보다|마다|이나|은|는|이|가|을|를|에|의|도|만|로|와|과|랑|쯤)$"
)
# A count ("두개", "세 번" written as one word) names no topic.
_COUNT = re.compile(r"(한|두|세|네|다섯|여러|몇)(개|번|건|장|명|달|가지)$")
# A noun followed by the copula ("며칠이면", "주말이라서", "얼마예요" is a predicate already).
_COPULA = re.compile(r"(이라면|이라서|이라고|이면|이라|이야)$")
# Vowels ㅏ ㅐ ㅓ ㅕ ㅘ ㅝ (index in a syllable): a verb's 아/어 form ends in one ("바꿔", "지나").
_OPEN_AE = frozenset({0, 1, 4, 6, 9, 14})
_FINAL_L = 8  # ㄹ as a syllable's final letter
# Endings of Korean predicates (verbs, adjectives): such words carry no topic of their own.
# Sentence-final syllables are certain; connectives are matched as two syllables, because one
# alone ("고", "서") also ends nouns ("재입고", "증명서").
_PREDICATE = re.compile(
    r"([요까다죠네]|던데|던가|하고|해서|하면|는데|은데|인데|려고|어서|아서|여서|라서|니까|으면|하게|하는|되는|"
    r"내고|되고|싶고|있고|없고|[꾸리받주보쓰르키우치]고|[지리기우주꾸뀌]는|려면|는지|[려러]여|[해돼와봐내줘써]야|[리꾸이]기|[된한할돼줘봐볼꿀갈올])$"
)
_KO_STOP = frozenset(
    "오늘 내일 어제 지금 방금 아직 이미 이번 지난 다음 저번 요즘 언제 "
    "어디 어디서 얼마 얼마나 어떻게 무엇 뭐 뭘 무슨 왜 어느 잘못 안녕하세요 안녕 감사 "
    "감사합니다 제가 저는 저희 우리 혹시 그냥 정말 진짜 너무 계속 다시 "
    "바로 빨리 좀 꼭 문의 문의드립니다 질문 궁금 방법 가능 여부 관련 경우 "
    "때문 정도 하나 두 세 번 것 거 수 등 및 또 더 잘 못 안 전 후 중 "
    "때 분 날 주 달 년 일 시간 며칠 하루 지난달 이번달 다음달 기억 생각 다른 실수 "
    "".split()
)
_EN_STOP = frozenset(
    "a an the and or but if then than so to of in on at by for from with without about into over "
    "after before since until up down out off is are was were be been being am do does did done "
    "doing have has had having can could will would should shall may might must i me my mine we "
    "us our ours you your yours it its this that these those there here what which who whom whose "
    "when where why how not no yes any some all each every more most other another such only own "
    "same too very just still also again already yet now today tomorrow yesterday please thanks "
    "last next thank hi hello hey dear regards get got getting want wanted need needed like know "
    "tell let "
    "make use used using try see way ways possible question questions help anyone something "
    "anything thing things much many one two three day days week weeks month months year years "
    "time usually really actually ok okay go going back new set instead rather "
    # verbs that name no topic of their own
    "add adding remember forget forgot stop stopping start started turn bring buy place take "
    "keep find happen happens send sent say says give put work works able can't cannot don't "
    "doesn't didn't won't isn't long longer update ago right away current "
    "people money lose bigger "
    # closed classes: pronouns, conjunctions, adverbs of frequency and degree, indefinites
    "they them their theirs he him his she her hers myself yourself ourselves themselves itself "
    "whether while because though although via etc never ever even both either neither else "
    "nothing someone somebody anyone anybody everyone everybody everything nobody none maybe "
    "perhaps almost quite".split()
)
# A contraction, with or without its apostrophe ("haven't", "doesnt", "thats", "youre").
_CONTRACTION = re.compile(
    r"(do|does|did|is|are|was|were|have|has|had|ca|can|could|would|should|wo|must|need|ai)n'?t"
    r"|(i|you|we|they|he|she|it|that|there|what|who|here|where|how|let)'?(m|re|ve|ll|d|s)"
)


def en_stem(word: str) -> str:
    """Return a crude English stem: "pricing", "price", "prices" -> "pric"; "jobs" -> "job".

    Plural and verb endings go (a stem keeps three letters), then a silent e and a doubled
    last consonant ("dropped" -> "drop"); "plus", "less" and "this" are not plurals.
    """
    word = word.lower().removesuffix("'s").strip("'-")
    if len(word) >= 5 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) >= 5 and word.endswith(("ches", "shes", "sses", "xes", "zes")):
        word = word[:-2]
    elif len(word) >= 4 and word.endswith("s") and word[-2] not in "sui":
        word = word[:-1]
    for suffix in ("ing", "ed"):  # after the plural: "settings" -> "sett" as "setting" is
        if len(word) >= len(suffix) + 3 and word.endswith(suffix):
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]
    return word


def _inflected(word: str) -> bool:
    """Tell whether a Korean word ends as a predicate does (its ending read letter by letter).

    Besides the fixed endings: a conditional (open syllable + 면: "바꾸면"), an obligation
    (open syllable in ㅏ/ㅓ + 야: "바꿔야"), casual 요 written 여 ("싶어여"), "when doing"
    (ㄹ + 때: "보낼때"), a verb made a noun (closed syllable + 음: "까먹음"). A few nouns end the
    same way ("화면"); they lose their say as a term.
    """
    if _PREDICATE.search(word):
        return True
    if len(word) < 2 or not "가" <= word[-2] <= "힣":
        return False
    initial, vowel, final = _jamo(word[-2])
    del initial
    if word[-1] == "면":
        return final == 0
    if word[-1] == "음":
        return final != 0  # a verb made a noun: "까먹음", "없음" ("마음", "처음" are nouns)
    if word[-1] in "야여":
        return final == 0 and vowel in _OPEN_AE
    return word[-1] == "때" and final == _FINAL_L


def _ko_stem(word: str) -> str | None:
    stem = _COPULA.sub("", word) or word
    if stem == word and _inflected(word):
        return None
    for _ in range(2):
        stripped = _PARTICLE.sub("", stem) or stem
        if stripped != stem and _inflected(stripped):
            return None  # a predicate whose ending looked like a particle ("내려간다는")
        stem = stripped
    if len(stem) < 2 or stem in _KO_STOP or _COUNT.match(stem):
        return None
    return stem


class Terms(NamedTuple):
    """An inquiry's key terms, and those of them the tenant never mentions (``novel``)."""

    key: list[str]
    novel: list[str]


def key_terms(text: str) -> list[str]:
    """Return the text's topic-bearing terms: Korean noun stems, English content-word stems."""
    return list(term_words(text))


def term_words(text: str) -> dict[str, str]:
    """Return each key term of the text with the shortest word it was written as.

    The word reads better than the stem where a word's meaning is asked ("price", not "pric").
    """
    words: dict[str, str] = {}
    for word in WORD.findall(text):
        term = _term(word)
        if term and (term not in words or len(word) < len(words[term])):
            words[term] = word.lower() if term[0] < "가" else term
    return words


def _term(word: str) -> str | None:
    if word[0] >= "가":
        return _ko_stem(word)
    lowered = word.lower()
    if lowered in _EN_STOP or lowered.split("'")[0] in _EN_STOP or _CONTRACTION.fullmatch(lowered):
        return None
    if word.isdigit() or len(word) < 3:
        return None
    return en_stem(word)


def _jamo(syllable: str) -> tuple[int, int, int]:
    code = ord(syllable) - 0xAC00
    return code // 588, (code % 588) // 28, code % 28


def one_jamo_apart(a: str, b: str) -> bool:
    """A typo of one letter in Hangul: same syllables but one, whose parts differ in one."""
    if len(a) != len(b) or len(a) < 2:
        return False
    differ = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    if len(differ) != 1 or not all("가" <= c <= "힣" for c in differ[0]):
        return False
    return sum(p != q for p, q in zip(_jamo(differ[0][0]), _jamo(differ[0][1]), strict=True)) == 1


def abbreviates(short: str, word: str) -> bool:
    """A Korean abbreviation: the word's syllables kept in order, the first one first.

    "비번" ~ "비밀번호", "간편비번" ~ "간편비밀번호": at most twice as short, two syllables
    at least.
    """
    word = _PARTICLE.sub("", word) or word  # "비밀번호를"
    if not 2 <= len(short) < len(word) <= 2 * len(short) or short[0] != word[0]:
        return False
    rest = iter(word)
    return all(syllable in rest for syllable in short)


def one_letter_apart(a: str, b: str) -> bool:
    """A typo in a longer English word: one letter substituted, missing or extra, or two swapped."""
    if min(len(a), len(b)) < 5 or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        differ = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        swapped = len(differ) == 2 and differ[1] == differ[0] + 1 and a[differ[0]] == b[differ[1]]
        return len(differ) == 1 or (swapped and a[differ[1]] == b[differ[0]])
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))
