"""The OpenAPI 3.1 document, generated from the pydantic models that validate requests.

Owns the route table the document describes (a test checks it against app.py's routes), the
error shape every 4xx/5xx shares, and the declarations of what validation enforces beyond the
models' own schemas (path parameter formats, code lists, characters no store keeps), so every
request the document calls valid is one the API accepts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from chalicelib import codes, models


@dataclass(frozen=True)
class Operation:
    """One route as documented."""

    method: str
    path: str
    summary: str
    auth: str = "none"  # none | bearer | optional
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    list_of: bool = False


OPERATIONS: tuple[Operation, ...] = (
    Operation("GET", "/api/health", "Each dependency's state (503 names the one down)", response=models.HealthReport),
    Operation("POST", "/api/auth/signup", "Create an account", body=models.SignUpRequest, status=201),
    Operation("POST", "/api/auth/confirm", "Confirm an account with the mailed code", body=models.ConfirmRequest),
    Operation("POST", "/api/auth/login", "Exchange email and password for tokens", body=models.LogInRequest, response=models.Tokens),
    Operation("POST", "/api/auth/refresh", "Exchange a refresh token for new tokens", body=models.RefreshRequest, response=models.Tokens),
    Operation("GET", "/api/me", "The caller's identity and profile", "bearer", response=models.Profile),
    Operation("PUT", "/api/me", "Replace the caller's profile", "bearer", body=models.ProfileUpdate, response=models.Profile),
    Operation("DELETE", "/api/me", "Delete the caller's data and login", "bearer", status=204),
    Operation("GET", "/api/policies", "List or search policies", "optional", query=models.PolicyListQuery, response=models.PolicyPage),
    Operation("GET", "/api/policies/recommendations", "Open policies for the caller's profile", "bearer", response=models.Recommendation, list_of=True),
    Operation("GET", "/api/policies/{plcyNo}", "One policy with documents (and verdict when logged in)", "optional", response=models.PolicyDetail),
    Operation("GET", "/api/policies/{plcyNo}/eligibility", "The caller's verdict per criterion", "bearer", response=models.Eligibility),
    Operation("GET", "/api/user-policies", "The caller's saved policies", "bearer", response=models.Bookmark, list_of=True),
    Operation("POST", "/api/user-policies", "Save a policy", "bearer", body=models.BookmarkCreate, status=201),
    Operation("PATCH", "/api/user-policies/{plcyNo}", "Change a saved policy's status", "bearer", body=models.BookmarkUpdate),
    Operation("DELETE", "/api/user-policies/{plcyNo}", "Remove a saved policy", "bearer", status=204),
    Operation("GET", "/api/user-policies/{plcyNo}/documents", "A saved policy's document checklist", "bearer", response=models.Checklist),
    Operation("PUT", "/api/user-policies/{plcyNo}/documents/{documentId}", "Set progress on one document", "bearer", body=models.DocumentProgressUpdate, response=models.Checklist),
    Operation("POST", "/api/chats", "Start an advisor chat", "bearer", body=models.ChatCreate, response=models.Chat, status=201),
    Operation("GET", "/api/chats", "The caller's chats", "bearer", response=models.Chat, list_of=True),
    Operation("GET", "/api/chats/{chat_id}/messages", "A page of a chat's messages", "bearer", query=models.MessageListQuery, response=models.ChatMessage, list_of=True),
    Operation("POST", "/api/chats/{chat_id}/messages", "Ask the advisor; the answer with citations", "bearer", body=models.MessageCreate, response=models.ChatMessage, status=201),
    Operation("DELETE", "/api/chats/{chat_id}", "Delete a chat", "bearer", status=204),
    Operation("POST", "/api/tenants", "Create a desk tenant (platform admins)", "bearer", body=models.TenantCreate, status=201),
    Operation("GET", "/api/tenants/{tenant_id}", "A tenant", "bearer"),
    Operation("PATCH", "/api/tenants/{tenant_id}", "Edit a tenant", "bearer", body=models.TenantUpdate),
    Operation("POST", "/api/tenants/{tenant_id}/api-keys", "Create an API key (shown once)", "bearer", status=201),
    Operation("DELETE", "/api/tenants/{tenant_id}/api-keys/{key_id}", "Revoke an API key", "bearer", status=204),
    Operation("POST", "/api/inquiries", "Submit an inquiry (x-api-key; Idempotency-Key)", "api_key", body=models.InquiryCreate, status=201),
    Operation("GET", "/api/inquiries/{inquiry_id}", "An inquiry's status, answers and ETA", "api_key"),
    Operation("POST", "/api/inquiries/{inquiry_id}/escalate", "Hand an inquiry to humans", "api_key"),
    Operation("POST", "/api/inquiries/{inquiry_id}/feedback", "Customer satisfaction", "api_key", body=models.Feedback),
    Operation("POST", "/api/inquiries/{inquiry_id}/messages", "A new customer message (reopens)", "api_key", body=models.InquiryMessage),
    Operation("POST", "/api/inquiries/{inquiry_id}/attachments", "A presigned upload for an attachment", "api_key", body=models.AttachmentRequest, status=201),
    Operation("GET", "/api/admin/inquiries", "Staff: the tenant's inquiries", "bearer", query=models.AdminInquiryQuery),
    Operation("GET", "/api/admin/inquiries/{inquiry_id}", "Staff: one inquiry with drafts and replies", "bearer"),
    Operation("POST", "/api/admin/inquiries/{inquiry_id}/reply", "Staff: answer and resolve", "bearer", body=models.StaffReply),
    Operation("GET", "/api/admin/metrics", "Staff: desk metrics over a date range", "bearer", query=models.MetricsQuery),
    Operation("GET", "/api/openapi.json", "This document"),
)  # fmt: skip

_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "details": {"type": "object"},
            },
        }
    },
}


# Path parameters as app.py and the services check them.
_UUID = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
_PATH_PARAMETERS: dict[str, dict[str, Any]] = {
    "plcyNo": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,40}$"},
    "documentId": {"type": "string", "pattern": "^[0-9]{1,18}$"},
    "chat_id": {"type": "string", "format": "uuid", "pattern": _UUID},
}
# Any text: NUL (and lone surrogates, which JSON generators do not make) is refused everywhere.
_STORABLE = "^[^\\x00]*$"
# Required text is stripped first: it needs a character that is neither whitespace nor control.
_NOT_BLANK = "^[^\\x00]*[^\\s\\x00-\\x20\\x7f-\\x9f][^\\x00]*$"
# A birth date is a past date after 1900; stated as a pattern of dates that are always valid.
_BIRTH_DATE = "^(19[0-9]{2}|20[01][0-9])-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])$"


def _code_lists() -> dict[str, list[str]]:
    """Properties whose values must come from a code list, by property name."""
    regions = sorted(codes.provinces()) + sorted(codes.districts())
    return {
        "region": regions,
        "region_code": regions,
        "job_status": sorted(codes.JOB_CODES),
        "school_status": sorted(codes.SCHOOL_CODES),
        "marital_status": sorted(codes.MARITAL_CODES),
    }


def _declare(schema: Any, code_lists: dict[str, list[str]], name: str = "") -> Any:
    """Add to a generated schema what validators enforce that JSON Schema cannot derive."""
    if isinstance(schema, list):
        return [_declare(item, code_lists, name) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {
        key: (
            {prop: _declare(sub, code_lists, prop) for prop, sub in value.items()}
            if key == "properties"
            else _declare(value, code_lists, name)
        )
        for key, value in schema.items()
    }
    if out.get("type") == "string" and name in code_lists and "enum" not in out:
        out = {"type": "string", "enum": code_lists[name]}
    elif out.get("type") == "string" and name == "birth_date":
        out = {"type": "string", "pattern": _BIRTH_DATE, "description": "a past date after 1900"}
    elif out.get("type") == "string" and not ({"pattern", "enum", "format", "const"} & set(out)):
        out["pattern"] = _NOT_BLANK if out.get("minLength", 0) >= 1 else _STORABLE
    return out


def _schema(model: type[BaseModel], components: dict[str, Any]) -> dict[str, Any]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    lists = _code_lists()
    for name, definition in schema.pop("$defs", {}).items():
        components[name] = _declare(definition, lists)
    components[model.__name__] = _declare(schema, lists)
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _query_schema(prop: dict[str, Any], name: str) -> dict[str, Any]:
    """A query parameter's schema: an absent parameter is the null, which a URL cannot carry."""
    variants = [v for v in prop.get("anyOf", [prop]) if v.get("type") != "null"]
    schema = {k: v for k, v in prop.items() if k not in ("anyOf", "default", "title")}
    if len(variants) == 1:
        schema.update(variants[0])
    else:
        schema["anyOf"] = variants
    return _declare(schema, _code_lists(), name)


def _parameters(op: Operation) -> list[dict[str, Any]]:
    params = [
        {
            "name": part[1:-1],
            "in": "path",
            "required": True,
            "schema": _PATH_PARAMETERS.get(part[1:-1], {"type": "string", "pattern": _STORABLE}),
        }
        for part in op.path.split("/")
        if part.startswith("{")
    ]
    if op.query is not None:
        schema = op.query.model_json_schema()
        for name, prop in schema["properties"].items():
            params.append(
                {
                    "name": name,
                    "in": "query",
                    "required": False,
                    "schema": _query_schema(prop, name),
                }
            )
    return params


def build_document() -> dict[str, Any]:
    """Return the OpenAPI document of every route."""
    components: dict[str, Any] = {"Error": _ERROR}
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        responses: dict[str, Any] = {
            "4XX": {
                "description": "Client error",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            },
            "5XX": {
                "description": "Server error",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            },
        }
        ok: dict[str, Any] = {"description": "Success"}
        if op.response is not None:
            ref = _schema(op.response, components)
            schema = (
                {"type": "object", "properties": {"items": {"type": "array", "items": ref}}}
                if op.list_of
                else ref
            )
            ok["content"] = {"application/json": {"schema": schema}}
        responses[str(op.status)] = ok
        operation: dict[str, Any] = {
            "summary": op.summary,
            "operationId": f"{op.method.lower()}_{op.path.strip('/').replace('/', '_').replace('{', '').replace('}', '')}",
            "parameters": _parameters(op),
            "responses": responses,
        }
        if op.body is not None:
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": _schema(op.body, components)}},
            }
        if op.auth == "bearer":
            operation["security"] = [{"cognitoIdToken": []}]
        elif op.auth == "optional":
            operation["security"] = [{}, {"cognitoIdToken": []}]
        elif op.auth == "api_key":
            operation["security"] = [{"tenantApiKey": []}]
        paths.setdefault(op.path, {})[op.method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "FinQ",
            "version": "1.0.0",
            "description": "Youth-policy advisor and AI inquiry desk.",
        },
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {
                "cognitoIdToken": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
                "tenantApiKey": {"type": "apiKey", "in": "header", "name": "x-api-key"},
            },
        },
    }
