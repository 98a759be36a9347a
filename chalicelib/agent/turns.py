"""Understand one turn of the advisor's conversation: what is asked, by whom, about what.

Owns the deterministic reading of a message in Korean or English: the asks (eligibility,
documents, window, amount, how to apply, exclusion, comparison, recommendation, news, human,
about FinQ, small talk, off-topic), crisis and prompt-injection detection, the stated facts,
spans that look like programme names, and whether the message refers to the conversation's
focus or answers the advisor's pending question. Pure: no catalogue, no store, no model.
"""

# ruff: noqa: E501  (pattern tables in Hangul read best one rule per line; Hangul is double width)

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Literal

from chalicelib.agent.facts import Facts, extract_facts

Ask = Literal[
    "eligibility", "exclusion", "documents", "window", "amount", "how_to_apply", "comparison",
    "recommendation", "news", "human", "about", "small_talk", "details",
]  # fmt: skip
Pending = Literal["region", "age", "job", "income", "policy"]

# Order matters only for ``Turn.primary``: the most specific ask first.
_ASKS: tuple[tuple[Ask, str], ...] = (
    ("human", r"상담원|상담사(랑|와|하고|를)|사람(이랑|하고|과) (얘기|대화|통화)|직원|담당자|연결해|"
              r"talk to (a )?(human|person|someone)|real person|representative|human agent|"
              r"connect me"),
    ("about", r"finq|핀큐|너는 누구|넌 누구|넌 뭐|뭘 할 수 있|무엇을 할 수|what can you do|who are you|"
              r"how do i use"),
    ("comparison", r"차이|비교|(뭐가|무엇이|어떻게|어디가) 달라|다른 ?점|뭐가 (더 )?(나아|좋아|유리)|어떤 게 (더 )?(나아|좋아|유리)|둘 중|중에 (뭐|어떤)|"
                   r"\bvs\.?\b|compare|difference|better for me|which (one|is better)"),
    ("exclusion", r"(이어|여|이라|라|해|받아|있어|중이어|중이라)도 (돼|되|괜찮|가능|신청|받)|인데도|"
                  r"[가-힣](어|아|여|워|해|돼|와|봐)도\s.{0,30}(돼|되|괜찮|가능|수 ?있|받|신청|가입)|"
                  r"(중|자|생|원)인데\s.{0,40}(돼|되|수 ?있|가능)|"
                  r"(중|자|생|원|체|직)(이)?면\s?안\s?(돼|되)|"
                  r"(하|받|다니|으)면서|중복|제외|참여 ?제한|even (if|though|while)|while (i'?m|i am|"
                  r"receiving|on|getting)|excluded|disqualif|at the same time"),
    ("documents", r"서류|제출|준비물|필요한 (거|것|게)|뭘 (내|준비)|documents?|paperwork|papers|submit|"
                  r"what (do i|should i) (need to )?(submit|bring|prepare)"),
    ("window", r"언제|마감|기간|접수|d-?day|디데이|아직 (신청|받|돼|되|열)|열려|지났|끝났|"
               r"deadline|when\b|until|still open|is it open|closed|apply by|due"),
    ("amount", r"얼마|금액|혜택|한도|몇 ?(만|프로|%)|이자|금리|지원 ?내용|뭘 (받|지원)|how much|amount|"
               r"benefit|what (do|would|will) i get|interest rate|what does it (give|cover|pay)"),
    ("how_to_apply", r"어떻게 (신청|지원|가입|받)|신청 ?방법|가입 ?방법|어디서 (신청|가입|하)|신청(은|하는 곳|처)|어디서 해|신청하려면|"
                     r"신청 ?절차|how (do|can|should) i (apply|sign up|register|join)|how to apply|"
                     r"where (do|can) i apply|application process"),
    ("eligibility", r"(받을|신청할|가입할|참여할|지원할|들어갈) 수 (있|없)|신청 ?가능|가입 ?가능|지원 ?가능|"
                    r"가능(해|한가|할까|하나|한지)|해당(돼|되|될)|대상(이야|인가|일까|이에요|이 ?돼)|자격|(기준|조건)(은|이 뭐|이 어떻게)|"
                    r"(돼|되나요|될까|되나)\s*\??$|(can|could|may) i (still |also |even )?(apply|get|receive|join|use)|"
                    r"am i (still )?eligible|eligib|qualify|am i (still )?allowed"),
    ("news", r"뉴스|소식|새로 (나온|생긴)|요즘 (뭐|새)|최근 (정책|발표|나온)|바뀐|개편|올해 (새|달라)|"
             r"\bnews\b|latest|new polic|what'?s new|recent(ly)? (announced|changes)"),
    ("recommendation", r"추천|뭐 (있|없)|뭐가 있|있을까|있나요|있어\?|있어요\?|없을까|찾아|알아봐|"
                       r"받을 수 있는 (게|거|정책|지원)|recommend|suggest|what (policies|support|help|"
                       r"programs?)|is there (any|a)|are there (any)?|looking for|help (with|for)"),
    ("details", r"자세히|알려줘|설명|뭐야\??$|tell me (more )?about|what is|explain|more about"),
)  # fmt: skip
_STRONG_RECOMMEND = re.compile(
    r"추천|받을 수 있는 (게|거|것|정책|지원)|뭐 ?있|뭐가 있|어떤 (게|정책|지원)|recommend|suggest|"
    r"what (policies|support|programs?)|which (policies|programs?)",
    re.I,
)
_BARE_NUMBER = re.compile(r"^\s*(1[4-9]|[2-7]\d)\s*(이요|요|입니다|이에요)?\s*[.!]?\s*$")
_GREETING = re.compile(
    r"^\s*(?:안녕|하이|헬로|반가|고마워|감사|ㅎㅇ|(?:thanks|thank you|hi|hello|hey|good (?:morning|evening))\b)",
    re.I,
)
_CRISIS = re.compile(
    r"죽고 ?싶|자살|극단적 ?(선택|생각)|목숨을|살기 ?싫|살고 ?싶지 ?않|사라지고 ?싶|자해|손목을|"
    r"뛰어내리|삶을 끝|생을 마감|더 ?이상 (못 ?버티|버틸 수)|희망이 없|우울|공황|"
    r"(사는 ?게|살기가|삶이|하루하루가|마음이) (너무 |정말 |진짜 )?(힘들|괴로|지옥)|"
    r"suicid|kill myself|ending (it|my life)|end (my|it all)|self-?harm|hurt myself|want to die|don'?t want to (live|be "
    r"alive|exist)|no reason to live|can'?t go on|depress|hopeless|panic attack",
    re.I,
)  # fmt: skip
_INJECTION = re.compile(
    r"(이전|위|앞)의? ?(지시|명령|규칙|프롬프트).{0,6}(무시|잊)|무시하고|무시해|시스템 ?프롬프트|개발자 ?모드|"
    r"(라고|이라고)만? (말해|답해|출력해|말하|답하|출력하)|(라고|이라고)만 (말|답|출력)|역할을 바꿔|관리자 ?모드|^\s*(시스템|system)\s*:|admin(istrator)? mode|규칙을 (잊|어겨)|너의 (설정|지시문)|탈옥|"
    r"ignore (all |any |the |your )?(previous|prior|above|earlier)|disregard (all|the|your|previous)|"
    r"system prompt|developer mode|you are now|from now on you|only (say|answer|reply|output)|"
    r"pretend (to be|you are)|jailbreak|reveal (your|the) (instructions|prompt)|\bDAN\b|"
    r"print (your|the) (prompt|instructions)",
    re.I,
)  # fmt: skip
_OFF_TOPIC = re.compile(
    r"날씨|주식|코인|비트코인|레시피|요리|맛집|영화 (추천|뭐)|노래 (추천|가사)|시를? 써|소설|게임|축구|야구|"
    r"연애|숙제|코드 ?짜|로또|운세|별자리|weather|stock|bitcoin|crypto|recipe|poem|movie|song|lyrics|"
    r"football|soccer|baseball|homework|write (me )?(a |some )?code|lottery|horoscope|joke",
    re.I,
)  # fmt: skip
_POLICY_SIGNAL = re.compile(
    r"정책|지원|청년|혜택|수당|신청|대출|적금|통장|계좌|월세|전세|장학|취업|일자리|창업|보증금|바우처|"
    r"policy|policies|support|benefit|allowance|loan|rent|subsid|scholarship|grant|apply|youth",
    re.I,
)  # fmt: skip
_FOCUS_WORDS = re.compile(
    r"그거|그것|그건|그게|이거|이건|그 (정책|사업|제도|프로그램|지원|거)|이 (정책|사업|제도)|거기|아까 (그|말한)|"
    r"방금|위에 (거|말한)|첫 ?번째|두 ?번째|세 ?번째|저거|"
    r"\b(that|this|the same) (one|policy|program|programme)\b|\bit\b|\bthe first\b|\bthe second\b",
    re.I,
)  # fmt: skip
_WHAT_IF = re.compile(
    r"(이|라)?면\s*\??$|(은|는)\s*\?$|(은|는)요\s*\??$|^\s*(그럼|그러면|그렇다면)|"
    r"what about|how about|and (if|for|in)\b|what if",
    re.I,
)  # fmt: skip
_NAME_SUFFIX = (
    r"지원금|수당|통장|계좌|적금|카드|패스|바우처|장학금|대출|공제|지원사업|사업|프로그램|제도|"
    r"아카데미|사관학교|학교|센터|펀드|키트"
)
_NAME_SPAN = re.compile(
    rf"((?:[가-힣0-9]+\s?){{0,3}}?(?:[A-Za-z]+-?)?[가-힣0-9]*(?:{_NAME_SUFFIX}))(?![가-힣])"
    rf"|((?:[가-힣0-9]+\s?){{0,3}}?(?:[A-Za-z]+-?)?[가-힣0-9]*(?:{_NAME_SUFFIX}))(?=[은는이가을를도랑요]|이랑)"
)
# A word ending like this closes a clause: a name starts after it ("36살인데 도약계좌").
_CLAUSE_END = re.compile(
    r"(인데|는데|은데|이고|하고|이랑|랑|이면|라면|에서|부터|까지|면서|해도|여도|이나|살|세|"
    r"[으하되받있없싶]고|"
    r"[주받하되있없나]는|[준받한된]|같은)$"
)
# Endings that always close a clause (never inside a programme's name).
_CONNECTIVE = re.compile(r"(인데|는데|은데|면서|라면|이면|해도|여도|[을를] 수|[있없]는)$")
_QUOTED = re.compile(
    r"['\"‘“「『]([^'\"’”」』]{2,40})['\"’”」』]|(\S+(?:\s\S+){0,3})\s?(?:이라는|라는)"
)
_EN_NAME = re.compile(
    r"((?:[A-Z][\w'-]*\s){1,4}(?:Fund|Program|Programme|Scheme|Grant|Allowance|Account|Pass|"
    r"Loan|Card|Voucher|Scholarship|Project))\b"
)
# Words that describe a need, not a programme's name; a span made only of these is not a name.
_NEED_WORDS = re.compile(
    r"^(청년|청년들|청년용|월세|전세|주거|주거비|주택|집|보증금|취업|일자리|구직|구직활동|창업|교육|학자금|등록금|장학|"
    r"교통|교통비|문화|마음|심리|건강|생활|생활비|자격증|면접|정장|통장|계좌|적금|저축|대출|이자|카드|패스|수당|"
    r"지원|지원금|지원사업|사업|프로그램|제도|정부|국가|나라|받을|있는|무슨|어떤|관련|무료|혜택|수|것|거|뭐|좀|"
    r"youth|rent|housing|job|jobs|"
    r"loan|the|a|an|any|some|new|support|\d+)$",
    re.I,
)  # fmt: skip


@dataclass(frozen=True)
class Turn:
    """One message understood: asks in priority order and everything the answer depends on."""

    text: str
    language: Literal["ko", "en"]
    asks: tuple[Ask, ...]
    facts: Facts
    named_text_spans: tuple[str, ...] = ()
    refers_to_focus: bool = False
    is_reply_to_pending: bool = False
    crisis: bool = False
    injection: bool = False
    off_topic: bool = False
    small_talk: bool = False
    flags: tuple[str, ...] = field(default_factory=tuple)
    query: str = ""  # what to search for when a need is asked (a model may rewrite it)

    @property
    def primary(self) -> Ask | None:
        """The ask the answer must lead with (None: inherit the focus's previous ask)."""
        return self.asks[0] if self.asks else None


def language_of(text: str) -> Literal["ko", "en"]:
    """``en`` when Latin words outnumber Hangul words (policy names may stay in Korean)."""
    hangul = len(re.findall(r"\S*[가-힣]\S*", text))
    latin = len(re.findall(r"(?<!\S)[A-Za-z][A-Za-z'’.,?!-]*(?!\S)", text))
    return "en" if latin > hangul else "ko"


def asks_in(text: str) -> tuple[Ask, ...]:
    """Return every ask ``text`` makes, most specific first."""
    found = [ask for ask, pattern in _ASKS if re.search(pattern, text, re.I)]
    if "comparison" in found and "recommendation" in found:
        found.remove("recommendation")
    if "recommendation" in found and _STRONG_RECOMMEND.search(text):
        rest: list[Ask] = [a for a in found if a not in ("recommendation", "eligibility")]
        found = ["recommendation", *rest]
    if "exclusion" in found and "eligibility" in found:
        found.remove("eligibility")
    if len(found) > 1 and "details" in found:
        found.remove("details")
    return tuple(found)


def is_crisis(text: str) -> bool:
    """True when the message speaks of self-harm, suicide or acute distress."""
    return _CRISIS.search(text) is not None


def is_injection(text: str) -> bool:
    """True when the message tries to instruct the assistant instead of asking it."""
    return _INJECTION.search(text) is not None


def speaks_of_policy(text: str) -> bool:
    """True when the message mentions support, a benefit or a policy at all."""
    return _POLICY_SIGNAL.search(text) is not None


def strip_instructions(text: str) -> str:
    """Drop the sentences that try to instruct the assistant; the rest is the person's question."""
    sentences = re.split(r"(?<=[.!?。])\s+|\n+|(?<=[가-힣])\.\s*", text)
    kept = [s for s in sentences if s.strip() and not _INJECTION.search(s)]
    return " ".join(kept).strip()


def name_spans(text: str) -> tuple[str, ...]:
    """Return spans that look like a programme's name (not a plain need such as "월세 지원")."""
    spans = [m.group(1) or re.sub(r"이$", "", m.group(2)) for m in _QUOTED.finditer(text)]
    spans += [m.group(1) for m in _EN_NAME.finditer(text)]
    found = (_after_clause(m.group(1) or m.group(2)) for m in _NAME_SPAN.finditer(text))
    spans += [span for span in found if _is_name_like(span)]
    cleaned = [span.strip(" ?.,!") for span in spans if span and span.strip()]
    return tuple(dict.fromkeys(span for span in cleaned if span))


def _after_clause(span: str) -> str:
    words = span.split()
    # A connective ("준비 중인데", "받을 수 있는") ends the clause before it wherever it stands.
    cut = max((n + 1 for n, word in enumerate(words[:-1]) if _CONNECTIVE.search(word)), default=0)
    words = words[cut:]
    while len(words) > 1 and (_CLAUSE_END.search(words[0]) or re.search(r"\d", words[0])):
        words = words[1:]
    return " ".join(words)


def _is_name_like(span: str) -> bool:
    words = [_strip_particle(w) for w in span.split()]
    distinctive = [w for w in words if w and not _NEED_WORDS.match(w) and not _is_need_compound(w)]
    return bool(distinctive)


def _is_need_compound(word: str) -> bool:
    # "월세지원금", "청년수당": need words glued together are still a need.
    rest = word
    while rest:
        head = next((rest[:n] for n in range(len(rest), 0, -1) if _NEED_WORDS.match(rest[:n])), "")
        if not head:
            return False
        rest = rest[len(head) :]
    return True


def _strip_particle(word: str) -> str:
    return (
        re.sub(r"(은|는|이|가|을|를|도|으로|로|에|이랑|랑)$", "", word) if len(word) > 2 else word
    )


def understand_turn(text: str, *, pending: Pending | None = None, has_focus: bool = False) -> Turn:
    """Understand one message given the advisor's pending question and whether a focus exists.

    Args:
        text: The person's message.
        pending: What the advisor asked for last turn (``region``, ``age``...), if anything.
        has_focus: A policy or need is under discussion (follow-ups may refer to it).
    """
    facts = extract_facts(text)
    if pending == "age" and facts.age is None and (bare := _BARE_NUMBER.match(text)):
        # Asked for an age, "31" is the age.
        facts = dataclasses.replace(facts, age=int(bare.group(1)))
    language = language_of(text)
    if is_crisis(text):
        return Turn(text, language, (), facts, crisis=True)
    if is_injection(text):
        return Turn(text, language, (), facts, injection=True)
    asks = asks_in(text)
    spans = name_spans(text)
    small_talk = _GREETING.search(text) is not None and len(text) < 25 and not asks
    off_topic = _OFF_TOPIC.search(text) is not None and not _POLICY_SIGNAL.search(text)
    reply = _completes(pending, facts, asks, text)
    refers = has_focus and not off_topic and _refers_to_focus(text, asks, facts, spans)
    return Turn(
        text=text,
        language=language,
        asks=asks,
        facts=facts,
        named_text_spans=spans,
        refers_to_focus=refers,
        is_reply_to_pending=reply,
        off_topic=off_topic,
        small_talk=small_talk,
    )


def _completes(pending: Pending | None, facts: Facts, asks: tuple[Ask, ...], text: str) -> bool:
    stated = {
        "region": facts.region_code is not None,
        "age": facts.age is not None,
        "job": facts.job_status is not None or facts.school_status is not None,
        "income": facts.annual_income is not None,
        "policy": bool(text.strip()),
    }
    if pending is None or not stated[pending]:
        return False
    # A bare reply ("서울 마포구 살아요", "28살이요") asks nothing new of its own.
    return not (set(asks) - {"details"}) or len(text) <= 20


def _refers_to_focus(
    text: str, asks: tuple[Ask, ...], facts: Facts, spans: tuple[str, ...]
) -> bool:
    if _FOCUS_WORDS.search(text):
        return True
    if spans or "recommendation" in asks and len(text) > 25:
        return False
    # English spends more letters and words on the same question ("I'm 36, can I still apply?").
    words = 8 if language_of(text) == "en" else 5
    short = len(text.strip()) <= 25 or len(text.split()) <= words
    specific = bool(set(asks) & {"documents", "window", "amount", "how_to_apply", "eligibility",
                                 "exclusion"})  # fmt: skip
    what_if = _WHAT_IF.search(text) is not None and not facts.is_empty()
    # "대전 유성구", "28살이요": bare facts carry the question under discussion to them.
    bare = not asks and not facts.is_empty() and len(text.strip()) <= 15
    return short and (specific or what_if or bare)
