"""Reading policy files in every accepted shape; unreadable parts become rejections."""

from __future__ import annotations

import json

from chalicelib.policies.records import RawRecord, Rejection, page_info, read_records
from tests.factories import policy_record


def _numbers(payload) -> list[str]:
    return [item.data["plcyNo"] for item in read_records(payload) if isinstance(item, RawRecord)]


def test_reads_one_record_object():
    assert _numbers(json.dumps(policy_record("1"))) == ["1"]


def test_reads_a_json_array():
    payload = json.dumps([policy_record("1"), policy_record("2")], ensure_ascii=False)
    assert _numbers(payload.encode("utf-8")) == ["1", "2"]


def test_reads_the_api_page_envelope_with_its_pagging_block():
    page = {
        "resultCode": 200,
        "result": {
            "pagging": {"totCount": 3, "pageNum": 1, "pageSize": 2},
            "youthPolicyList": [policy_record("1"), policy_record("2")],
        },
    }
    assert _numbers(json.dumps(page)) == ["1", "2"]
    assert page_info(page) == {"page": 1, "size": 2, "total": 3}


def test_reads_json_lines_and_rejects_only_the_bad_line():
    lines = "\n".join(
        [
            json.dumps(policy_record("1")),
            '{"plcyNo": "2", broken',
            "",
            json.dumps(policy_record("3")),
        ]
    )
    items = list(read_records(lines.encode("utf-8")))
    assert [i.data["plcyNo"] for i in items if isinstance(i, RawRecord)] == ["1", "3"]
    [rejection] = [i for i in items if isinstance(i, Rejection)]
    assert rejection.position == 1 and "invalid JSON" in rejection.reason


def test_utf8_bom_is_accepted():
    assert _numbers(b"\xef\xbb\xbf" + json.dumps([policy_record("1")]).encode()) == ["1"]


def test_non_object_elements_are_rejected_not_fatal():
    items = list(read_records(json.dumps([policy_record("1"), 42, "x"])))
    assert sum(isinstance(i, Rejection) for i in items) == 2
    assert _numbers(json.dumps([policy_record("1"), 42])) == ["1"]


def test_empty_file_yields_nothing():
    assert list(read_records(b"   ")) == []
