"""HealthService: parallel probes, a deadline, and a report per dependency."""

from __future__ import annotations

import threading

from chalicelib.errors import UpstreamUnavailable
from chalicelib.services.health import HealthService


def test_all_probes_up_is_ok_with_latencies():
    report = HealthService({"a": lambda: None, "b": lambda: {"ignored": True}}).check()
    assert report["status"] == "ok"
    assert {name: part["status"] for name, part in report["dependencies"].items()} == {
        "a": "up",
        "b": "up",
    }
    assert all(part["latency_ms"] >= 0 for part in report["dependencies"].values())


def test_a_failing_probe_is_down_by_its_error_type_without_its_message():
    def broken():
        raise UpstreamUnavailable("secret host name db-1.internal")

    report = HealthService({"db": broken, "s3": lambda: None}).check()
    assert report["status"] == "degraded"
    assert report["dependencies"]["db"] == {"status": "down", "error": "UpstreamUnavailable"}
    assert report["dependencies"]["s3"]["status"] == "up"


def test_a_hanging_probe_is_down_at_the_deadline():
    release = threading.Event()
    report = HealthService(
        {"slow": lambda: release.wait(5), "fast": lambda: None}, timeout_seconds=0.2
    ).check()
    release.set()
    assert report["dependencies"]["slow"] == {"status": "down", "error": "timed out"}
    assert report["dependencies"]["fast"]["status"] == "up"


def test_a_probe_may_report_its_own_status_and_details():
    lagging = {"status": "lagging", "searchable": 3, "expected": 10}
    report = HealthService({"index": lambda: lagging}).check()
    assert report["status"] == "degraded"
    assert report["dependencies"]["index"]["searchable"] == 3
    assert report["dependencies"]["index"]["status"] == "lagging"
