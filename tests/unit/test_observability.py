"""aws mode logs one JSON object per line with the invocation's request id; local mode is plain."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_INVOKE = """
import logging, app
class Context:
    aws_request_id = "req-42"
    function_name = "finq-dev-on_policy_file_uploaded"
class Event:
    context = Context()
def handler(event):
    app.app.log.error("handled %s", 1)
    logging.getLogger("chalicelib.services.ingestion").info("ingested")
app.observe(Event(), handler)
logging.getLogger("chalicelib.after").info("between invocations")
"""


def _run(mode: str) -> list[str]:
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "FINQ_MODE": mode,
        "POWERTOOLS_TRACE_DISABLED": "true",  # no X-Ray daemon here
    }
    result = subprocess.run(
        [sys.executable, "-c", _INVOKE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return (result.stdout + result.stderr).strip().splitlines()


def test_aws_mode_logs_json_with_the_request_id_of_each_invocation():
    lines = [json.loads(line) for line in _run("aws")]
    assert [(r["level"], r["message"]) for r in lines] == [
        ("ERROR", "handled 1"),
        ("INFO", "ingested"),
        ("INFO", "between invocations"),
    ]
    for record in lines[:2]:
        assert record["service"] == "finq"
        assert record["function_request_id"] == "req-42"
        assert record["function_name"] == "finq-dev-on_policy_file_uploaded"
        assert record["cold_start"] is True
    assert "function_request_id" not in lines[2]


def test_local_mode_keeps_plain_log_lines():
    lines = _run("local")
    assert lines == ["finq - ERROR - handled 1"]  # Chalice's format; its level: ERROR
