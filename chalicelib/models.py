"""Pydantic models for request payloads and response records.

Owns field-level validation (types, lengths, formats); the OpenAPI document is generated from
these same models. No I/O here.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Email = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        to_lower=True,
        max_length=254,
        pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
    ),
]
Password = Annotated[str, StringConstraints(min_length=8, max_length=256)]


class Payload(BaseModel):
    """Base of request bodies: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class SignUpRequest(Payload):
    """``POST /api/auth/signup``."""

    email: Email
    password: Password


class ConfirmRequest(Payload):
    """``POST /api/auth/confirm``."""

    email: Email
    code: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=16)]


class LogInRequest(Payload):
    """``POST /api/auth/login``."""

    email: Email
    password: Annotated[str, StringConstraints(min_length=1, max_length=256)]


class RefreshRequest(Payload):
    """``POST /api/auth/refresh``."""

    refresh_token: Annotated[str, StringConstraints(min_length=1, max_length=8192)]


class Tokens(BaseModel):
    """Tokens returned by log-in and refresh; send ``id_token`` as the bearer token."""

    id_token: str
    access_token: str
    refresh_token: str | None = None
    expires_in: int
    token_type: str = "Bearer"


class HealthReport(BaseModel):
    """``GET /api/health``: each dependency's state."""

    status: str = Field(description="ok when every dependency is up, else degraded")
    dependencies: dict[str, dict[str, object]]
