"""The EMF adapter writes CloudWatch's embedded metric format, exactly."""

from __future__ import annotations

import json

from chalicelib.aws.emf import EmfMetrics


def test_the_exact_emf_document_is_written_as_one_line():
    lines: list[str] = []
    metrics = EmfMetrics(write=lines.append, clock=lambda: 1_760_000_000.1234)
    metrics.emit(
        "FinQ/Desk",
        {"TenantId": "acme"},
        {"PromptTokens": (300, "Count"), "ResponseQualityScore": (0.9, "None")},
        {"InquiryId": "i-1"},
    )
    [line] = lines
    assert "\n" not in line
    assert json.loads(line) == {
        "_aws": {
            "Timestamp": 1_760_000_000_123,
            "CloudWatchMetrics": [
                {
                    "Namespace": "FinQ/Desk",
                    "Dimensions": [["TenantId"]],
                    "Metrics": [
                        {"Name": "PromptTokens", "Unit": "Count"},
                        {"Name": "ResponseQualityScore", "Unit": "None"},
                    ],
                }
            ],
        },
        "InquiryId": "i-1",
        "TenantId": "acme",
        "PromptTokens": 300,
        "ResponseQualityScore": 0.9,
    }


def test_by_default_the_line_goes_to_stdout_unprefixed(capsys):
    EmfMetrics(clock=lambda: 1.0).emit("FinQ/Desk", {"TenantId": "t"}, {"Escalated": (1, "Count")})
    out = capsys.readouterr().out
    assert out.endswith("\n") and out.count("\n") == 1
    assert json.loads(out)["_aws"]["CloudWatchMetrics"][0]["Metrics"] == [
        {"Name": "Escalated", "Unit": "Count"}
    ]
