"""Builders shared by tests: accounts, tokens and request helpers."""

from __future__ import annotations

import json
import uuid
from typing import Any

from chalice.test import Client

PASSWORD = "Sup3r-secret-pw"  # noqa: S105 - a test account's password


def unique_email(prefix: str = "user") -> str:
    """Return an email no other test uses."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.com"


def post_json(client: Client, path: str, body: Any, **headers: str) -> Any:
    """POST ``body`` as JSON and return the response."""
    return client.http.post(
        path,
        headers={"Content-Type": "application/json", **headers},
        body=json.dumps(body),
    )


def sign_up_and_log_in(client: Client, email: str | None = None) -> dict[str, Any]:
    """Create an account through the API and return its tokens plus ``email``."""
    email = email or unique_email()
    created = post_json(client, "/api/auth/signup", {"email": email, "password": PASSWORD})
    assert created.status_code == 201, created.body
    tokens = post_json(client, "/api/auth/login", {"email": email, "password": PASSWORD})
    assert tokens.status_code == 200, tokens.body
    return {**tokens.json_body, "email": email, "sub": created.json_body["sub"]}


def bearer(token: str) -> dict[str, str]:
    """Return an Authorization header for ``token``."""
    return {"Authorization": f"Bearer {token}"}
