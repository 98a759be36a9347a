"""Schemathesis against FinQ's own OpenAPI document, over app.py and the real local stack.

Every operation gets a bounded number of schema-valid requests, sent as a user, a tenant's
staff member or with the tenant's API key (a platform admin creates tenants), through Chalice's
test client. Two checks: no request is a 5xx (`not_a_server_error`), and no request the
document calls valid is refused with a 4xx other than 401/403/404/409/429
(`positive_data_acceptance`): what the API enforces must be declared in the document.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import positive_data_acceptance

from app import app
from chalicelib.openapi import build_document
from chalicelib.policies.records import RawRecord
from chalicelib.services.ingestion import IngestionService
from tests.factories import (
    bearer,
    group_member,
    policy_record,
    post_json,
    sign_up_and_log_in,
)

# Examples per operation: enough to cover each field's edges, bounded so the run stays near a
# minute on two cores. A chat turn or an inquiry runs the offline models, so they get fewer.
EXAMPLES = 20
SLOW = {"POST /api/chats/{chat_id}/messages": 6, "POST /api/inquiries": 8}
# Run last, in this order: they change what the credentials may do.
LAST = ("PATCH /api/tenants/{tenant_id}", "DELETE /api/me")
CHECKS = [not_a_server_error, positive_data_acceptance]
FAQ = [{"question": "환불은 어떻게 받나요?", "answer": "결제 후 7일 안에 환불을 신청하세요."}]


def _operations() -> list[Any]:
    schema = schemathesis.openapi.from_dict(build_document(app.routes))
    operations = [result.ok() for result in schema.get_all_operations()]
    return sorted(operations, key=lambda op: LAST.index(op.label) if op.label in LAST else -1)


class Callers:
    """The credentials and real ids the generated requests use."""

    def __init__(self, client: Any, stack: Any) -> None:
        """Create a user with a chat, a tenant with staff, an API key and an inquiry."""
        self.user = sign_up_and_log_in(client)
        self.leaver = sign_up_and_log_in(client)  # DELETE /api/me deletes this one
        self.admin = group_member(client, stack, "platform-admins")["id_token"]
        tenant = post_json(
            client,
            "/api/tenants",
            {"name": "Fuzz", "faq": FAQ, "tier": "enterprise", "staff_email": "s@example.com"},
            **bearer(self.admin),
        ).json_body
        self.tenant_id = tenant["tenant_id"]
        self.api_key = post_json(
            client, f"/api/tenants/{self.tenant_id}/api-keys", {}, **bearer(self.admin)
        ).json_body["api_key"]
        staff_groups = (f"tenant-{self.tenant_id}-staff", f"tenant-{self.tenant_id}-admin")
        self.staff = group_member(client, stack, *staff_groups)["id_token"]
        self.chat_id = post_json(
            client, "/api/chats", {"title": "fuzz"}, **bearer(self.user["id_token"])
        ).json_body["id"]
        self.inquiry_id = post_json(
            client,
            "/api/inquiries",
            {
                "customer_email": "c@example.com",
                "title": "환불",
                "content": "환불은 어떻게 받나요?",
            },
            **{"x-api-key": self.api_key},
        ).json_body["inquiry_id"]

    def headers(self, label: str) -> dict[str, str]:
        """The credentials an operation is sent with."""
        path = label.split(" ", 1)[1]
        if label == "POST /api/tenants":
            return bearer(self.admin)
        if path.startswith(("/api/admin", "/api/tenants")):
            return bearer(self.staff)
        if path.startswith("/api/inquiries"):
            return {"x-api-key": self.api_key}
        if label == "DELETE /api/me":
            return bearer(self.leaver["id_token"])
        return bearer(self.user["id_token"])

    def path_parameters(self, label: str) -> dict[str, str]:
        """Real ids for the parameters whose random values could only ever be a 404/403."""
        fixed = {"tenant_id": self.tenant_id, "inquiry_id": self.inquiry_id}
        if "{chat_id}/messages" in label:
            fixed["chat_id"] = self.chat_id
        if "/policies/{plcyNo}" in label or "/user-policies/{plcyNo}" in label:
            fixed["plcyNo"] = "9001"
        return {name: value for name, value in fixed.items() if "{" + name + "}" in label}


def _send(client: Any, case: Any, headers: dict[str, str]) -> schemathesis.Response:
    """Send a generated case through Chalice's test client; wrap the answer for the checks."""
    kwargs = case.as_transport_kwargs(base_url="http://finq.test", headers=headers)
    kwargs.pop("cookies", None)
    prepared = requests.Request(**kwargs).prepare()
    started = time.perf_counter()
    response = client.http.request(
        prepared.method,
        prepared.path_url,
        headers=dict(prepared.headers),
        body=prepared.body or b"",
    )
    return schemathesis.Response(
        status_code=response.status_code,
        headers={name: [value] for name, value in response.headers.items()},
        content=response.body or b"",
        request=prepared,
        elapsed=time.perf_counter() - started,
        verify=False,
    )


def _fuzz(client: Any, operation: Any, callers: Callers, failures: list[str]) -> int:
    """Send the operation's examples; return how many were sent, appending each failure.

    Operations with ids in the path get half their examples with generated ids and half with
    real ones, so both the id checks and the code behind them are reached.
    """
    label = operation.label
    examples = SLOW.get(label, EXAMPLES)
    fixed = callers.path_parameters(label)
    if not fixed:
        return _examples(client, operation, callers, failures, examples, None)
    half = examples // 2
    return _examples(client, operation, callers, failures, half, None) + _examples(
        client, operation, callers, failures, examples - half, fixed
    )


def _examples(
    client: Any,
    operation: Any,
    callers: Callers,
    failures: list[str],
    examples: int,
    path_parameters: dict[str, str] | None,
) -> int:
    label, headers, sent = operation.label, callers.headers(operation.label), 0

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(path_parameters=path_parameters))
    def run(case: Any) -> None:
        nonlocal sent
        sent += 1
        # A cursor is valid only as issued by the server; a generated one is refused (400) by
        # design. test_hostile_input covers edited and forged cursors.
        if case.query:
            case.query.pop("next", None)
        # Likewise a category is valid only as one of the tenant's own (state, not schema);
        # test_desk_routes covers the 400 unknown_category.
        if label == "POST /api/inquiries" and isinstance(case.body, dict):
            case.body.pop("category", None)
        # Category names must be unique per tenant and not reserved: a rule JSON Schema cannot
        # state for objects (tests/unit/services/test_desk_tenants.py covers the 400).
        if label.startswith(("POST /api/tenants", "PUT /api/tenants")) and isinstance(
            case.body, dict
        ):
            case.body.pop("categories", None)
        response = _send(client, case, headers)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except FailureGroup as group:
            failures.append(
                f"{label}: {group.exceptions[0].title} -> {response.status_code}"
                f" {response.content[:300]!r}\n  {case.as_curl_command(headers)}"
            )

    run()
    return sent


@pytest.fixture
def fuzz_catalogue(policy_stack):
    service = IngestionService(
        policy_stack.policies, policy_stack.policy_index, policy_stack.embedder
    )
    service.ingest([RawRecord(0, policy_record("9001"))], source="test")
    return policy_stack


def test_schema_valid_requests_are_accepted_and_none_is_a_server_error(client, fuzz_catalogue):
    callers = Callers(client, fuzz_catalogue)
    operations = _operations()
    failures: list[str] = []
    started = time.perf_counter()
    cases = sum(_fuzz(client, operation, callers, failures) for operation in operations)
    elapsed = time.perf_counter() - started
    print(
        f"schemathesis: {len(operations)} operations, {cases} cases, {len(failures)} failures,"
        f" {elapsed:.1f} s"
    )
    assert not failures, "\n".join(failures)
    assert len(operations) == sum(len(methods) for methods in app.routes.values())
    assert cases >= EXAMPLES * len(operations) // 2
