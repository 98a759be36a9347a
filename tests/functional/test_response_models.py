"""Every route of app.py answers in the models it declares, over the real local stack.

The walk covers each route in Chalice's route table twice: a valid request (its body must
validate against the model declared for the status it got) and a request it must refuse (its
body must be the `Error` shape). A route without a declared operation or without an exercise
here fails the walk, so a new route cannot go unchecked.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from chalicelib.models import Error
from chalicelib.openapi import operations
from chalicelib.operations import Operation
from chalicelib.policies.records import RawRecord
from chalicelib.services.ingestion import IngestionService
from tests.factories import (
    PASSWORD,
    group_member,
    policy_record,
    sign_up_and_log_in,
    unique_email,
)

FAQ = [{"question": "환불은 어떻게 받나요?", "answer": "결제 후 7일 안에 환불을 신청하세요."}]
PROFILE = {"birth_date": "2000-05-05", "region_code": "11110", "interests": ["주거"]}
# Routes that read no input at all: nothing a caller sends can make them refuse.
NO_INPUT = {"GET /api/health", "GET /api/openapi.json"}


@dataclass
class Call:
    """One request: ``caller`` names whose credentials go with it (``nobody``: none)."""

    method: str
    path: str
    body: Any = None
    caller: str = "user"


@dataclass
class World:
    """The callers and the answers so far, so later requests use real ids."""

    client: Any
    stack: Any
    user: dict[str, Any]
    admin: str
    answers: dict[str, Any] = field(default_factory=dict)
    _staff: str | None = None

    def answer(self, label: str) -> Any:
        """Return the JSON body of an earlier exercise."""
        return self.answers[label]

    @property
    def tenant_id(self) -> str:
        """The tenant the walk created."""
        return str(self.answer("POST /api/tenants")["tenant_id"])

    @property
    def inquiry_id(self) -> str:
        """The inquiry the walk submitted."""
        return str(self.answer("POST /api/inquiries")["inquiry_id"])

    @property
    def chat_id(self) -> str:
        """The chat the walk started."""
        return str(self.answer("POST /api/chats")["id"])

    def headers(self, caller: str) -> dict[str, str]:
        """Credentials of ``caller``."""
        if caller == "user":
            return {"Authorization": f"Bearer {self.user['id_token']}"}
        if caller == "admin":
            return {"Authorization": f"Bearer {self.admin}"}
        if caller == "staff":
            if self._staff is None:
                groups = (f"tenant-{self.tenant_id}-staff", f"tenant-{self.tenant_id}-admin")
                self._staff = group_member(self.client, self.stack, *groups)["id_token"]
            return {"Authorization": f"Bearer {self._staff}"}
        if caller == "key":
            return {"x-api-key": self.answer("POST /api/tenants/{tenant_id}/api-keys")["api_key"]}
        return {}

    def send(self, call: Call, headers: dict[str, str] | None = None) -> Any:
        """Send ``call`` (with ``headers`` instead of the caller's, when given)."""
        sent = dict(self.headers(call.caller) if headers is None else headers)
        body = b""
        if call.body is not None:
            sent["Content-Type"] = "application/json"
            body = json.dumps(call.body).encode()
        return self.client.http.request(call.method, call.path, headers=sent, body=body)


def _document_id(w: World) -> int:
    return int(w.answer("GET /api/user-policies/{plcyNo}/documents")["items"][0]["documentId"])


def _saved_policy_changed(w: World) -> None:
    """A new version of the walk's saved policy arrives: the user gets a notification."""
    changed = policy_record("9002", aplyPrdSeCd="0057002", aplyYmd="", sprtTrgtMaxAge="34")
    w.stack.ingestion.ingest([RawRecord(0, changed)], source="walk")


def _notification_id(w: World) -> int:
    return int(w.answer("GET /api/notifications")["items"][0]["id"])


def _invited(w: World) -> dict[str, str]:
    """An admin-created login with a temporary password (Cognito mails it; set here directly)."""
    email = unique_email("invited")
    pool_id, _ = w.stack.cognito_ids
    w.stack.cognito.admin_create_user(
        UserPoolId=pool_id,
        Username=email,
        TemporaryPassword="Temp-passw0rd",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": email}],
    )
    return {"email": email, "temporary_password": "Temp-passw0rd", "new_password": PASSWORD}


SIGN_UP = unique_email("walk")
INQUIRY = {"customer_email": "c@example.com", "title": "환불", "content": FAQ[0]["question"]}
TENANT = {"name": "Walk", "faq": FAQ, "tier": "pro", "staff_email": "staff@example.com"}
ATTACHMENT = {"filename": "receipt.png", "content_type": "image/png", "size": 100}

# In order: later requests use what earlier ones created; the deletions come last.
EXERCISES: dict[str, Callable[[World], Call]] = {
    "GET /api/health": lambda w: Call("GET", "/api/health"),
    "GET /api/openapi.json": lambda w: Call("GET", "/api/openapi.json"),
    "POST /api/auth/signup": lambda w: Call(
        "POST", "/api/auth/signup", {"email": SIGN_UP, "password": PASSWORD}, "nobody"
    ),
    "POST /api/auth/confirm": lambda w: Call(
        "POST", "/api/auth/confirm", {"email": SIGN_UP, "code": "123456"}, "nobody"
    ),
    "POST /api/auth/login": lambda w: Call(
        "POST", "/api/auth/login", {"email": SIGN_UP, "password": PASSWORD}, "nobody"
    ),
    "POST /api/auth/refresh": lambda w: Call(
        "POST", "/api/auth/refresh", {"refresh_token": w.user["refresh_token"]}, "nobody"
    ),
    "POST /api/auth/first-password": lambda w: Call(
        "POST", "/api/auth/first-password", _invited(w), "nobody"
    ),
    "GET /api/me": lambda w: Call("GET", "/api/me"),
    "PUT /api/me": lambda w: Call("PUT", "/api/me", PROFILE),
    "GET /api/policies": lambda w: Call("GET", "/api/policies?limit=1"),
    "GET /api/policies/recommendations": lambda w: Call("GET", "/api/policies/recommendations"),
    "GET /api/policies/{plcyNo}": lambda w: Call("GET", "/api/policies/9002"),
    "GET /api/policies/{plcyNo}/eligibility": lambda w: Call(
        "GET", "/api/policies/9002/eligibility"
    ),
    "POST /api/user-policies": lambda w: Call("POST", "/api/user-policies", {"plcyNo": "9002"}),
    "GET /api/user-policies": lambda w: Call("GET", "/api/user-policies"),
    "PATCH /api/user-policies/{plcyNo}": lambda w: Call(
        "PATCH", "/api/user-policies/9002", {"status": "preparing"}
    ),
    "GET /api/user-policies/{plcyNo}/documents": lambda w: Call(
        "GET", "/api/user-policies/9002/documents"
    ),
    "PUT /api/user-policies/{plcyNo}/documents/{documentId}": lambda w: Call(
        "PUT", f"/api/user-policies/9002/documents/{_document_id(w)}", {"status": "ready"}
    ),
    "GET /api/notifications": lambda w: (
        _saved_policy_changed(w),
        Call("GET", "/api/notifications?limit=5&lang=en"),
    )[1],
    "POST /api/notifications/{notification_id}/read": lambda w: Call(
        "POST", f"/api/notifications/{_notification_id(w)}/read"
    ),
    "POST /api/notifications/read": lambda w: Call("POST", "/api/notifications/read"),
    "POST /api/chats": lambda w: Call("POST", "/api/chats", {"title": "월세"}),
    "GET /api/chats": lambda w: Call("GET", "/api/chats"),
    "POST /api/chats/{chat_id}/messages": lambda w: Call(
        "POST", f"/api/chats/{w.chat_id}/messages", {"text": "종로구 청년 월세 지원 알려줘"}
    ),
    "GET /api/chats/{chat_id}/messages": lambda w: Call(
        "GET", f"/api/chats/{w.chat_id}/messages?limit=1"
    ),
    "POST /api/tenants": lambda w: Call("POST", "/api/tenants", TENANT, "admin"),
    "GET /api/tenants/{tenant_id}": lambda w: Call(
        "GET", f"/api/tenants/{w.tenant_id}", caller="staff"
    ),
    "PATCH /api/tenants/{tenant_id}": lambda w: Call(
        "PATCH", f"/api/tenants/{w.tenant_id}", {"tier": "enterprise"}, "staff"
    ),
    "POST /api/tenants/{tenant_id}/api-keys": lambda w: Call(
        "POST", f"/api/tenants/{w.tenant_id}/api-keys", {}, "staff"
    ),
    "POST /api/inquiries": lambda w: Call("POST", "/api/inquiries", INQUIRY, "key"),
    "GET /api/inquiries/{inquiry_id}": lambda w: Call(
        "GET", f"/api/inquiries/{w.inquiry_id}", caller="key"
    ),
    "POST /api/inquiries/{inquiry_id}/attachments": lambda w: Call(
        "POST", f"/api/inquiries/{w.inquiry_id}/attachments", ATTACHMENT, "key"
    ),
    "POST /api/inquiries/{inquiry_id}/escalate": lambda w: Call(
        "POST", f"/api/inquiries/{w.inquiry_id}/escalate", {}, "key"
    ),
    "POST /api/inquiries/{inquiry_id}/feedback": lambda w: Call(
        "POST", f"/api/inquiries/{w.inquiry_id}/feedback", {"satisfaction": 4}, "key"
    ),
    "GET /api/admin/inquiries": lambda w: Call("GET", "/api/admin/inquiries", caller="staff"),
    "GET /api/admin/inquiries/{inquiry_id}": lambda w: Call(
        "GET", f"/api/admin/inquiries/{w.inquiry_id}", caller="staff"
    ),
    "POST /api/admin/inquiries/{inquiry_id}/reply": lambda w: Call(
        "POST", f"/api/admin/inquiries/{w.inquiry_id}/reply", {"content": "환불했습니다"}, "staff"
    ),
    "POST /api/inquiries/{inquiry_id}/messages": lambda w: Call(
        "POST", f"/api/inquiries/{w.inquiry_id}/messages", {"content": "다시 문의"}, "key"
    ),
    "GET /api/admin/metrics": lambda w: Call("GET", "/api/admin/metrics", caller="staff"),
    "POST /api/admin/staff": lambda w: Call(
        "POST", "/api/admin/staff", {"email": "invited@walk.test"}, "staff"
    ),
    "GET /api/admin/staff": lambda w: Call("GET", "/api/admin/staff", caller="staff"),
    "DELETE /api/admin/staff/{username}": lambda w: Call(
        "DELETE", "/api/admin/staff/" + w.answer("POST /api/admin/staff")["username"], None, "staff"
    ),
    "DELETE /api/tenants/{tenant_id}/api-keys/{key_id}": lambda w: Call(
        "DELETE",
        f"/api/tenants/{w.tenant_id}/api-keys/"
        + w.answer("POST /api/tenants/{tenant_id}/api-keys")["key_id"],
        caller="staff",
    ),
    "DELETE /api/chats/{chat_id}": lambda w: Call("DELETE", f"/api/chats/{w.chat_id}"),
    "DELETE /api/user-policies/{plcyNo}": lambda w: Call("DELETE", "/api/user-policies/9002"),
    "DELETE /api/me": lambda w: Call("DELETE", "/api/me"),
}


def _refusal(label: str, op: Operation, call: Call, world: World) -> Any:
    """Send what the route must refuse: no (or a bad) credential, else a body it forbids."""
    if op.auth in ("bearer", "api_key"):
        return world.send(call, headers={})
    if op.auth == "optional":
        return world.send(call, headers={"Authorization": "Bearer not-a-token"})
    if op.body is not None:
        return world.send(Call(call.method, call.path, {"unexpected": 1}, call.caller))
    assert label in NO_INPUT, f"{label}: no request it must refuse"
    return None


def _violations(label: str, model: type[BaseModel] | None, response: Any) -> list[str]:
    """Validate a response body against ``model`` (None: the body must be empty)."""
    if model is None:
        return [] if not response.body else [f"{label}: {response.status_code} has a body"]
    try:
        model.model_validate(json.loads(response.body))
    except (ValueError, ValidationError) as error:
        return [f"{label} {response.status_code} is not {model.__name__}: {error}"]
    return []


def _walk(world: World, declared: dict[str, Operation]) -> list[str]:
    """Send each exercise and its refusal in order; return every mismatch with its model."""
    failures: list[str] = []
    for label, exercise in EXERCISES.items():
        op, call = declared[label], exercise(world)
        refused = _refusal(label, op, call, world)
        if refused is not None and not 400 <= refused.status_code < 500:
            failures.append(f"{label}: the refusal got {refused.status_code}")
        elif refused is not None:
            failures += _violations(label, op.responses.get(refused.status_code, Error), refused)
        response = world.send(call)
        if response.status_code not in op.responses or response.status_code >= 400:
            failures.append(f"{label}: {response.status_code} {response.body[:300]!r}")
            continue
        failures += _violations(label, op.responses[response.status_code], response)
        world.answers[label] = json.loads(response.body) if response.body else None
    return failures


def _declared() -> dict[str, Operation]:
    from app import app

    return {f"{method} {path}": op for path, method, op in operations(app.routes)}


@pytest.fixture
def catalogue(policy_stack):
    """A closed policy and an always-open one that the walk's profile may apply for."""
    always = policy_record("9002", aplyPrdSeCd="0057002", aplyYmd="")
    records = [RawRecord(0, policy_record("9001")), RawRecord(1, always)]
    IngestionService(
        policy_stack.policies, policy_stack.policy_index, policy_stack.embedder
    ).ingest(records, source="test")
    return policy_stack


def test_every_route_declares_an_operation_and_has_an_exercise():
    assert set(_declared()) == set(EXERCISES)


def test_every_route_answers_in_its_declared_models(client, catalogue):
    world = World(
        client,
        catalogue,
        user=sign_up_and_log_in(client),
        admin=group_member(client, catalogue, "platform-admins")["id_token"],
    )
    failures = _walk(world, _declared())
    assert not failures, "\n".join(failures)
    # The lists validated above held items, so their item models were checked too.
    answers = world.answers
    assert answers["GET /api/policies/recommendations"]["items"]
    assert answers["GET /api/user-policies"]["items"]
    assert answers["GET /api/notifications"]["items"]
    assert answers["GET /api/chats/{chat_id}/messages"]["items"]
    assert answers["GET /api/admin/inquiries"]["items"]
    kinds = {
        entry.get("kind")
        for entry in answers["POST /api/admin/inquiries/{inquiry_id}/reply"]["entries"]
    }
    assert "attachment" in kinds


def test_admin_inquiry_entries_carry_no_storage_keys(client, catalogue):
    world = World(
        client,
        catalogue,
        user=sign_up_and_log_in(client),
        admin=group_member(client, catalogue, "platform-admins")["id_token"],
    )
    labels = list(EXERCISES)
    upto = labels.index("GET /api/admin/inquiries/{inquiry_id}")
    needed = [label for label in labels[: upto + 1] if "tenant" in label or "inquir" in label]
    for label in needed:
        response = world.send(EXERCISES[label](world))
        assert response.status_code < 400, (label, response.body)
        world.answers[label] = json.loads(response.body)
    entries = world.answers["GET /api/admin/inquiries/{inquiry_id}"]["entries"]
    assert entries and all(not {"PK", "SK"} & set(entry) for entry in entries)
