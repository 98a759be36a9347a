"""Required-documents text -> an ordered, trimmed, de-duplicated list."""

from __future__ import annotations

import pytest

from chalicelib.policies.documents import parse_required_documents


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1. 신청서 2. 주민등록등본", ["신청서", "주민등록등본"]),
        ("신청서, 주민등록등본, 신청서", ["신청서", "주민등록등본"]),
        (
            "- 신청서\n- 소득금액증명원\n○ 임대차계약서 사본",
            ["신청서", "소득금액증명원", "임대차계약서 사본"],
        ),
        ("①신청서 ②가족관계증명서", ["신청서", "가족관계증명서"]),
        ("(1) 신청서\n(2) 재직증명서", ["신청서", "재직증명서"]),
        (
            "신분증(주민등록증, 운전면허증 등), 통장 사본",
            ["신분증(주민등록증, 운전면허증 등)", "통장 사본"],
        ),
        ("신청서\\n등본", ["신청서", "등본"]),
        ("신청서\r\n※ 해당자에 한함", ["신청서"]),
        ("", []),
        ("없음", []),
    ],
)
def test_parses_real_looking_formats(text, expected):
    assert parse_required_documents(text) == expected
