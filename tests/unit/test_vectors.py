"""Milvus filter expressions are built from validated values only."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.policies.filters import PolicyFilter
from chalicelib.repositories.milvus.index import as_set, member, quote, vector_filter


def test_filter_expression_for_every_filter():
    expression = vector_filter(
        PolicyFilter(
            age=25,
            region="11680",
            category="주거",
            status="open",
            deadline_before=date(2026, 12, 31),
        ),
        date(2026, 11, 21),
    )
    assert expression == (
        "approved == true and min_age <= 25 and max_age >= 25 and (nationwide == true or "
        'district_codes like "%|11680|%" or province_wide like "%|11|%") and '
        'categories like "%|주거|%" and (apply_status == "always" or (apply_status == '
        '"window" and apply_start <= 20261121 and apply_end >= 20261121)) and '
        'apply_status == "window" and apply_end <= 20261231'
    )


def test_province_region_uses_the_province_set():
    expression = vector_filter(PolicyFilter(region="26"), date(2026, 11, 21))
    assert 'province_codes like "%|26|%"' in expression


@pytest.mark.parametrize("value", ['11" or true or "', "a\\b", "x)", "", "1" * 60])
def test_quote_refuses_anything_unexpected(value):
    with pytest.raises(ValueError):
        quote(value)


@pytest.mark.parametrize("value", ["11%", "1_1", "11|22", '"', "", "가" * 41])
def test_set_members_refuse_wildcards_and_delimiters(value):
    with pytest.raises(ValueError):
        member("district_codes", value)


def test_sets_are_stored_delimited_and_skip_unsafe_values():
    assert as_set(["11680", "11110"]) == "|11680|11110|"
    assert as_set([]) == "|"
    assert as_set(["1%"]) == "|"
