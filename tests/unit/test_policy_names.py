"""Resolving policy names in messages against the sample catalogue (data/policies)."""

import pytest

from chalicelib.policies.names import FUZZY_THRESHOLD, NameResolver, core, normalize
from tests.unit.advisor_data import catalogue


@pytest.fixture(scope="module")
def resolver():
    return NameResolver(catalogue())


def _top(resolver, text):
    found = resolver.resolve(text)
    return (found[0].name, found[0].kind) if found else None


def test_normalization_ignores_spaces_punctuation_case_and_province_spelling():
    assert normalize("K-패스 (청년 추가 환급)") == "k패스청년추가환급"
    assert normalize("서울특별시 청년 월세") == normalize("서울시 청년월세") == "서울청년월세"
    assert core("청년전용 버팀목전세자금 지원사업") == "버팀목전세자금"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("청년 내일 채움 공제 가입하고 싶어", "청년내일채움공제"),
        ("청년창업 사관학교 모집 언제?", "청년창업사관학교"),
        ("예비창업 패키지 지원금 얼마야", "예비창업패키지"),
    ],
)
def test_a_full_name_matches_with_or_without_spaces(resolver, text, name):
    assert _top(resolver, text) == (name, "exact")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("도약 계좌랑 비교하면?", "청년도약계좌"),
        ("버팀목으로 전세 구할 수 있나", "청년전용 버팀목전세자금"),
        ("케이패스 환급 조건", "K-패스(청년 추가 환급)"),
        ("내일저축 서류", "청년내일저축계좌"),
        ("SeSAC 교육 들어보고 싶어", "청년취업사관학교(SeSAC)"),
        ("희망두배 통장 가입 돼?", "희망두배 청년통장"),
    ],
)
def test_common_short_names_are_derived_from_the_names(resolver, text, name):
    top = _top(resolver, text)
    assert top is not None and top[0] == name and top[1] in ("alias", "exact")


def test_generic_words_alone_never_become_an_alias(resolver):
    for number, name, _ in catalogue():
        for alias in resolver.aliases(number):
            assert alias not in {
                "청년",
                "지원",
                "월세",
                "통장",
                "자격증",
                "마음건강",
                "일경험",
                "구직활동",
            }, (name, alias)


@pytest.mark.parametrize(
    "text",
    [
        "월세 지원 받을 수 있는 거 있어?",
        "자격증 따는데 돈 지원해주는 데 있나",
        "마음건강 상담 받고 싶어",
        "청년 전세 대출 알아보는 중",
    ],
)
def test_a_need_is_not_mistaken_for_a_named_policy(resolver, text):
    assert resolver.resolve(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "청년 은하수 적금 가입할 수 있어?",
        "청년 희망 점프 수당 언제 줘?",
        "서울 청년 우주탐사 지원금 신청 방법",
        "Can I apply for the Youth Starlight Savings Plan?",
    ],
)
def test_a_made_up_programme_resolves_to_nothing(resolver, text):
    assert resolver.resolve(text) == []


def test_the_refusal_threshold_sits_above_what_shared_generic_words_score(resolver):
    # "청년 ... 지원" shares two bigrams with half the catalogue; it must stay below the bar.
    assert FUZZY_THRESHOLD >= 0.7
    assert all(c.kind != "fuzzy" for c in resolver.resolve("청년 우주탐사 지원사업"))


def test_a_near_miss_of_a_real_name_matches_fuzzily_with_a_lower_score(resolver):
    found = resolver.resolve("월세 특별지원 받을 수 있을까?")
    assert [(c.name, c.kind) for c in found] == [("청년월세 특별지원", "fuzzy")]
    assert found[0].score < 0.92


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Can I open the youth leap account?", "청년도약계좌"),
        ("How much is the K-Pass refund?", "K-패스(청년 추가 환급)"),
        ("rent support in Busan", "부산 청년 월세 지원"),
        ("mental health support in Daegu", "대구 청년 마음건강 지원"),
        ("Tell me about the youth tomorrow savings account", "청년내일저축계좌"),
    ],
)
def test_english_descriptions_resolve_through_the_term_map(resolver, text, name):
    assert _top(resolver, text) == (name, "english")


@pytest.mark.parametrize(
    "text", ["rent help", "Is there any help with rent?", "I need a jeonse loan"]
)
def test_an_english_need_without_a_distinctive_name_resolves_to_nothing(resolver, text):
    assert resolver.resolve(text) == []


def test_two_named_policies_are_both_returned_for_a_comparison(resolver):
    found = resolver.resolve("청년미래적금하고 도약계좌 중에 뭐가 나아?")
    assert {c.name for c in found} == {"청년미래적금", "청년도약계좌"}


def test_a_longer_name_shadows_the_shorter_alias_it_contains(resolver):
    found = resolver.resolve("대구형 청년 일경험 드림 신청 기간")
    assert [c.name for c in found] == ["대구형 청년 일경험 드림"]


def test_candidates_carry_plcy_no_score_and_match_kind(resolver):
    (candidate,) = resolver.resolve("청년도약계좌 가입 조건")
    number = next(n for n, name, _ in catalogue() if name == "청년도약계좌")
    assert (candidate.plcy_no, candidate.score, candidate.kind, candidate.matched) == (
        number,
        1.0,
        "exact",
        "청년도약계좌",
    )


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("근로장학금 시급 얼마야", "국가근로장학금"),
        ("내일배움카드로 학원 다닐 수 있어?", "국민내일배움카드"),
        ("국취제 1유형 조건", "국민취업지원제도"),
    ],
)
def test_short_names_drop_a_leading_modifier_or_abbreviate_by_syllables(text, name):
    resolver = NameResolver(catalogue())
    assert resolver.resolve(text)[0].name == name


@pytest.mark.parametrize(
    "text",
    ["Compare K-Digital Training with the Tomorrow Learning Card", "how do I fix my bike chain?",
     "Is there a grant for young people learning to sail?", "I want to maintain my savings"],
)  # fmt: skip
def test_a_latin_alias_never_matches_inside_another_word(resolver, text):
    # "ai" (광주 청년 AI 실무인재 양성과정) is inside "training", "chain", "sail", "maintain".
    assert "AI" not in " ".join(c.name for c in resolver.resolve(text))


def test_a_latin_alias_matches_as_a_word_of_its_own(resolver):
    assert _top(resolver, "광주 AI 과정 신청하고 싶어")[0] == "광주 청년 AI 실무인재 양성과정"
    assert _top(resolver, "AI 교육 받고 싶어")[0] == "광주 청년 AI 실무인재 양성과정"


@pytest.mark.parametrize(
    ("text", "name"),
    [("What documents do I need for the Beotimmok youth jeonse loan?", "청년전용 버팀목전세자금"),
     ("Can I still join the Doyak account?", "청년도약계좌"),
     ("Tell me about Haengbok Jutaek", "행복주택(청년)"),
     ("Is the Huimang Dubae account open?", "희망두배 청년통장")],
)  # fmt: skip
def test_a_romanised_korean_name_resolves_to_its_policy(resolver, text, name):
    assert _top(resolver, text)[0] == name


def test_a_verb_form_in_a_name_is_no_alias_but_the_quoted_title_is(resolver):
    # "만드는" of "부산 청년참여 플랫폼 '청년이 만드는 부산'" once turned a pasta recipe into it.
    assert resolver.resolve("파스타 맛있게 만드는 법 알려줘") == []
    assert _top(resolver, "청년이 만드는 부산 참여하고 싶어") == (
        "부산 청년참여 플랫폼 '청년이 만드는 부산'",
        "alias",
    )


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Is the Busan youth startup support open now?", "부산 청년 창업 스타트업 지원"),
        ("How do I apply for the Seoul youth rental deposit interest support?",
         "서울시 청년 임차보증금 이자지원"),
    ],
)  # fmt: skip
def test_an_english_description_of_a_regional_programme_resolves(resolver, text, name):
    assert _top(resolver, text) == (name, "english")
