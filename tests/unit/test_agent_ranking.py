"""What a need is answered with: policies one can still apply to, the person's region first,
and the turn rules that feed it (exclusion asks, need words that are not names, regions)."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.agent.facts import region_in
from chalicelib.agent.related import LIVE_MARGIN, applicable_first
from chalicelib.agent.relevance import with_local
from chalicelib.agent.turns import asks_in, name_spans

TODAY = date(2026, 12, 1)


def _row(no, score, status, nationwide=True):
    windows = {
        "closed": [{"start": "2026-07-07", "end": "2026-07-17"}],
        "open": [{"start": "2026-11-01", "end": "2026-12-31"}],
        "upcoming": [{"start": "2027-01-11", "end": "2027-02-05"}],
        "always": [],
    }[status]
    return {"plcy_no": no, "name": no, "score": score, "nationwide": nationwide,
            "apply_status": "always" if status == "always" else "period",
            "apply_windows": windows}  # fmt: skip


def test_open_and_upcoming_policies_that_fit_about_as_well_replace_a_closed_best_match():
    closed = _row("ended-allowance", 0.913, "closed")
    rows = [closed, _row("suit-rental", 0.881, "always"), _row("startup", 0.90, "upcoming")]
    assert [r["plcy_no"] for r in applicable_first(rows, TODAY)] == ["suit-rental", "startup"]


def test_a_closed_policy_that_fits_clearly_better_is_kept_over_a_loosely_related_open_one():
    rows = [_row("farming", 0.94, "closed"), _row("culture", 0.94 - LIVE_MARGIN - 0.01, "always")]
    assert applicable_first(rows, TODAY) == rows


def test_a_region_stated_or_asked_for_brings_its_best_regional_policy_first():
    national = [_row("national-a", 0.9, "always"), _row("national-b", 0.89, "always")]
    local = _row("goyang-transport", 0.85, "open", nationwide=False)
    rows = [*national, local]
    assert [r["plcy_no"] for r in with_local(national, rows, True)][0] == "goyang-transport"
    assert with_local(national, rows, False) == national


@pytest.mark.parametrize("text", ["연체 중이면 안 돼?", "대학원 재학 중이면 안 돼?"])
def test_asking_whether_a_status_rules_one_out_is_an_exclusion_ask(text):
    assert asks_in(text)[0] == "exclusion"


def test_clause_words_before_a_need_do_not_make_it_a_programme_name():
    assert name_spans("돈 모으고 싶은데 청년 적금 같은 거 있어?") == ()


@pytest.mark.parametrize(
    ("text", "code"),
    [("I live in Goyang, Gyeonggi.", "41"), ("Haeundae-gu, Busan", "26350"),
     ("I moved to Gangnam last year", "11680"), ("I live in Seoul", "11"),
     ("insane prices", None)],
)  # fmt: skip
def test_english_district_names_are_read_as_regions(text, code):
    assert region_in(text) == code
