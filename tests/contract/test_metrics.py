"""Contract: the recording Metrics fake keeps what the EMF adapter writes, for the same calls."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from chalicelib.aws.emf import EmfMetrics
from tests.fakes.desk import RecordingMetrics


def _from_emf(line: str) -> dict[str, Any]:
    """Read an EMF line back as the fake records a call."""
    document = json.loads(line)
    [directive] = document.pop("_aws")["CloudWatchMetrics"]
    [names] = directive["Dimensions"]
    metrics = {m["Name"]: m["Unit"] for m in directive["Metrics"]}
    return {
        "namespace": directive["Namespace"],
        "dimensions": {n: document.pop(n) for n in names},
        "values": {n: (document.pop(n), unit) for n, unit in metrics.items()},
        "properties": document,
    }


@pytest.fixture(params=["fake", "emf"])
def metrics(request) -> tuple[Any, Callable[[], list[dict[str, Any]]]]:
    if request.param == "fake":
        fake = RecordingMetrics()
        return fake, lambda: fake.emitted
    lines: list[str] = []
    return EmfMetrics(write=lines.append), lambda: [_from_emf(line) for line in lines]


def test_each_emit_is_one_record_with_its_dimensions_values_and_properties(metrics):
    port, emitted = metrics
    port.emit("FinQ/Desk", {"TenantId": "a"}, {"Escalated": (1, "Count")}, {"InquiryId": "i"})
    port.emit("FinQ/Desk", {"TenantId": "b"}, {"CustomerSatisfaction": (4, "None")})
    assert emitted() == [
        {
            "namespace": "FinQ/Desk",
            "dimensions": {"TenantId": "a"},
            "values": {"Escalated": (1, "Count")},
            "properties": {"InquiryId": "i"},
        },
        {
            "namespace": "FinQ/Desk",
            "dimensions": {"TenantId": "b"},
            "values": {"CustomerSatisfaction": (4, "None")},
            "properties": {},
        },
    ]
