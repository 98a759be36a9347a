"""The advisor's answers built from the sample policies (data/policies), Korean and English."""

import re
from datetime import date

import pytest

from chalicelib.agent.answers import (
    answer_comparison,
    answer_crisis,
    answer_decline,
    answer_not_found,
    answer_policy,
    counselling_contact,
)
from chalicelib.agent.facts import extract_facts
from chalicelib.agent.policy_text import documents, region_names, whole_sentences, window
from chalicelib.agent.verdicts import judge
from tests.unit.advisor_data import policy, rows

TODAY = date(2026, 11, 21)  # "today" of the sample data (data/README.md)


def _answer(name, message, asks, language="ko", stored=None):
    facts = extract_facts(message)
    return answer_policy(
        policy(name), asks, facts.over(stored), TODAY, language, facts=facts, subject=message
    )


def test_over_the_age_limit_the_verdict_quotes_the_limit_first():
    answer = _answer("청년도약계좌", "서른일곱인데", ["eligibility"])
    verdict = answer.section("verdict")
    assert verdict.lines[0] == "만 19~34세가 대상이라 37세는 신청할 수 없어요."
    assert answer.citations == (policy("청년도약계좌")["plcy_no"],)


def test_english_verdict_gives_the_reason_in_english_with_the_korean_name_shown():
    answer = _answer("청년도약계좌", "I'm 37", ["eligibility"], "en")
    assert (
        answer.section("verdict").lines[0]
        == "You cannot apply: it is for ages 19-34, and you are 37."
    )
    assert answer.section("policy").title.startswith("청년도약계좌")
    assert "신청 가능 여부" not in answer.render()


def test_outside_the_region_the_verdict_names_the_places_not_codes():
    answer = _answer("대구 청년 월세 지원", "광주 사는 25살", ["eligibility"])
    line = answer.section("verdict").lines[0]
    assert line == "대구광역시에 사는 청년이 대상이라 광주광역시에 살면 신청할 수 없어요."
    assert not re.search(r"\d{5}", answer.render())


def test_a_stated_benefit_matching_an_exclusion_is_an_exclusion_not_a_condition():
    answer = _answer("청년 주거급여 분리지급", "주거급여 받고 있는데 이것도 돼?", ["exclusion"])
    verdict = answer.section("verdict").lines[0]
    assert "참여 제한 대상" in verdict and "신청할 수 없어요" in verdict
    assert "확인 필요: 추가 조건" not in answer.render()
    assert answer.section("exclusions").title == "참여 제한 대상 (신청할 수 없는 경우)"


def test_an_exclusion_with_an_exception_is_to_be_checked_with_the_exception_quoted():
    row = policy("국민취업지원제도")
    facts = extract_facts("생계급여 받는 기초생활수급자예요")
    verdict = judge(row, facts.over({}), TODAY, facts)
    finding = next(f for f in verdict.findings if f.criterion == "exclusion")
    assert finding.verdict == "needs_check"
    assert "Ⅱ유형으로만 참여 가능" in finding.ko


def test_free_text_conditions_are_to_be_checked_and_quoted_never_eligible():
    verdict = judge(policy("청년월세 특별지원"), {"age": 27, "region_code": "11440"}, TODAY)
    texts = [f.ko for f in verdict.findings if f.verdict == "needs_check"]
    assert verdict.overall == "needs_check"
    assert any(t.startswith("확인 필요: 소득 조건 '") for t in texts)
    assert any(t.startswith("확인 필요: 추가 신청 자격 '") for t in texts)


@pytest.mark.parametrize(
    ("name", "state"),
    [
        ("부산 청년 월세 지원", "open"),
        ("청년미래적금", "upcoming"),
        ("청년내일저축계좌", "ended"),
        ("청년도약계좌", "closed"),
        ("국민취업지원제도", "always"),
    ],
)
def test_window_state_is_relative_to_today(name, state):
    assert window(policy(name), TODAY).state == state


def test_an_open_window_says_d_day_and_an_upcoming_one_the_start_date():
    open_line = _answer("부산 청년 월세 지원", "마감 언제?", ["window"]).section("window").lines[0]
    assert open_line.startswith("지금 신청할 수 있어요. 2026-12-11까지(D-20)")
    upcoming = _answer("청년미래적금", "When can I apply?", ["window"], "en").section("window")
    assert upcoming.lines[0].startswith("Not open yet: applications start on 2026-12-01")


def test_a_named_ended_policy_is_still_answered_and_says_it_ended():
    answer = _answer("청년내일저축계좌", "서류 뭐 내야 돼?", ["documents"])
    assert answer.section("documents").lines[0] == "사회보장급여 신청서"
    assert answer.section("window").lines[0].startswith("신청 기간이 끝났어요")


def test_documents_are_clean_items_without_separator_debris():
    items, _ = documents(
        {
            "documents_text": "1. 가구원 정보제공 동의(온라인) / 2. 가족관계증명서(재단 요청 시) / 3. 혼인관계증명서(기혼자)"
        }
    )
    assert items == [
        "가구원 정보제공 동의(온라인)",
        "가족관계증명서(재단 요청 시)",
        "혼인관계증명서(기혼자)",
    ]
    items, _ = documents({"documents_text": "신청서 / 임대차계약서 / 월세 이체 증빙"})
    assert items == ["신청서", "임대차계약서", "월세 이체 증빙"]


@pytest.mark.parametrize(
    "text",
    [
        "비대면 신청 시 별도 서류 없음(행정정보 공동이용)",
        "별도 제출서류 없음(온라인 본인인증)",
        "공고문 참조",
    ],
)
def test_no_documents_notes_are_not_checklist_items(text):
    assert documents({"documents_text": text})[0] == []


def test_no_sample_policy_yields_debris_as_a_document():
    for row in rows():
        for item in documents(row)[0]:
            assert not re.search(r"(^[/,·\-]|[/,]$|서류\s*없음|^공고문?\s*참조$)", item), (
                row["name"],
                item,
            )


def test_region_names_replace_code_lists():
    assert region_names(policy("마포 청년 창업공간 입주기업 모집")) == "서울특별시 마포구"
    assert region_names(policy("경기도 청년기본소득")) == "경기도"
    assert region_names(policy("청년도약계좌")) == "전국"


def test_long_text_is_cut_at_a_sentence_boundary_never_mid_word():
    text = "첫 문장은 짧습니다. 두 번째 문장은 조금 더 길게 이어집니다. 세 번째 문장이 한도를 넘깁니다."
    assert (
        whole_sentences(text, 40) == "첫 문장은 짧습니다. 두 번째 문장은 조금 더 길게 이어집니다."
    )
    cut = whole_sentences(
        "띄어쓰기 없이아주길게이어지는단어 그리고 또 다른 단어가 계속 나옵니다", 20
    )
    assert cut.endswith("…") and cut[:-1] in "띄어쓰기 없이아주길게이어지는단어 그리고"


def test_amount_and_how_to_apply_come_from_the_policy_fields():
    answer = _answer(
        "K-패스(청년 추가 환급)", "얼마 돌려받아? 신청은 어떻게 해?", ["amount", "how_to_apply"]
    )
    assert [s.kind for s in answer.sections[:3]] == ["policy", "amount", "how_to_apply"]
    assert any(
        line.startswith("신청 페이지: http") for line in answer.section("how_to_apply").lines
    )


def test_related_policies_appear_only_when_given_and_are_marked():
    plain = _answer("부산 청년 월세 지원", "자세히", ["details"])
    assert plain.section("related") is None and plain.related == ()
    marked = answer_policy(
        policy("부산 청년 월세 지원"),
        ["details"],
        {},
        TODAY,
        "ko",
        related=[policy("청년월세 특별지원")],
    )
    assert marked.sections[-1].title == "관련 정책 (참고)"
    assert marked.related == (policy("청년월세 특별지원")["plcy_no"],)


def test_comparison_lists_each_named_policy():
    answer = answer_comparison(
        [policy("청년미래적금"), policy("청년도약계좌")], {"age": 30}, TODAY, "ko"
    )
    assert [s.title for s in answer.sections] == ["청년미래적금", "청년도약계좌"]
    assert len(answer.citations) == 2


def test_the_counselling_contact_comes_from_the_data():
    contact = counselling_contact(rows())
    source = policy("온통청년 청년정책 통합 상담")["apply_method"]
    assert contact is not None and contact in source
    assert counselling_contact([]) is None


def test_not_found_is_honest_and_says_what_to_do_next():
    answer = answer_not_found("ko", "청년 은하수 적금", "1811-9876")
    text = answer.render()
    assert text.startswith("'청년 은하수 적금'(이)라는 정책은 찾지 못했어요.")
    assert "1811-9876" in text and answer.citations == ()
    english = answer_not_found("en", "", None).render()
    assert "could not find" in english and "youthcenter.go.kr" in english


@pytest.mark.parametrize("language", ["ko", "en"])
def test_crisis_lines_come_first(language):
    lines = answer_crisis(language).render().split("\n")
    assert "109" in lines[1] and "1577-0199" in lines[2]
    assert answer_crisis(language).citations == ()


@pytest.mark.parametrize(("reason", "language"), [("off_topic", "ko"), ("injection", "en")])
def test_declines_are_brief_and_cite_nothing(reason, language):
    answer = answer_decline(reason, language)
    assert answer.citations == () and len(answer.render()) < 120


def test_documents_stated_as_none_say_no_separate_documents_not_see_the_notice():
    row = {**policy("청년도약계좌"), "documents_text": "해당없음"}
    lines = answer_policy(row, ["documents"], {}, TODAY, "ko").section("documents").lines
    assert lines == ("별도로 낼 서류는 없다고 적혀 있어요(해당없음).",)


def test_english_amount_gives_the_figures_in_english_beside_the_korean_quote():
    lines = _answer("청년월세 특별지원", "how much?", ["amount"], "en").section("amount").lines
    assert lines[0] == "In short: up to 200,000 won a month, up to 12 months, once in a lifetime."
    assert lines[1].startswith("The policy says (in Korean): ")


def test_english_documents_lead_with_the_english_name_of_known_documents():
    lines = _answer("청년월세 특별지원", "papers?", ["documents"], "en").section("documents").lines
    assert any(line.startswith("lease (rental) contract (") for line in lines)
