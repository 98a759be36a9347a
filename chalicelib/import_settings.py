"""What app.py's decorators need at import, read from the environment without validation.

Owns queue names, the schedule, CORS origins, the gateway's user pool and the mode as they are
known at import: ``chalice package`` imports app.py with the stage's environment, where full
validation would demand every aws-mode setting just to build the package.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from chalicelib.errors import ConfigurationError
from chalicelib.settings import default_queue


@dataclass(frozen=True)
class DecoratorSettings:
    """What app.py's decorators need at import, read without validating the rest.

    ``chalice package`` imports app.py with the stage's environment applied; full validation
    would demand every aws-mode setting just to build the package, so it waits for first use.
    """

    sync_schedule_hours: int
    desk_queue: str
    desk_dead_letter_queue: str
    policy_events_queue: str
    attachment_events_queue: str
    cors_origins: tuple[str, ...]
    cognito_user_pool_arn: str
    mode: str
    log_level: str


def decorator_settings() -> DecoratorSettings:
    """Read the decorator arguments from the environment (with local defaults)."""
    stage = os.environ.get("FINQ_STAGE", "local")
    return DecoratorSettings(
        sync_schedule_hours=int(os.environ.get("FINQ_SYNC_SCHEDULE_HOURS", "24")),
        desk_queue=os.environ.get("FINQ_DESK_QUEUE_NAME") or default_queue(stage, "desk"),
        desk_dead_letter_queue=os.environ.get("FINQ_DESK_DEAD_LETTER_QUEUE_NAME")
        or default_queue(stage, "desk-dead-letters"),
        policy_events_queue=os.environ.get("FINQ_POLICY_EVENTS_QUEUE_NAME")
        or default_queue(stage, "policy-files"),
        attachment_events_queue=os.environ.get("FINQ_ATTACHMENT_EVENTS_QUEUE_NAME")
        or default_queue(stage, "attachment-files"),
        cors_origins=cors_origins(os.environ.get("FINQ_CORS_ORIGINS", "*")),
        cognito_user_pool_arn=os.environ.get("FINQ_COGNITO_USER_POOL_ARN", "").strip(),
        mode=os.environ.get("FINQ_MODE", "local"),
        log_level=os.environ.get("FINQ_LOG_LEVEL", "INFO"),
    )


def cors_origins(value: str) -> tuple[str, ...]:
    """Split ``FINQ_CORS_ORIGINS`` (comma-separated origins, or ``*``) into origins.

    Raises:
        ConfigurationError: An origin is not ``scheme://host[:port]`` or ``*`` is mixed in.
    """
    origins = tuple(dict.fromkeys(o.strip().rstrip("/") for o in value.split(",") if o.strip()))
    if not origins:
        return ("*",)
    if "*" in origins and len(origins) > 1:
        raise ConfigurationError("FINQ_CORS_ORIGINS: '*' cannot be listed with other origins")
    for origin in origins:
        if origin != "*" and not _ORIGIN.match(origin):
            raise ConfigurationError(
                f"FINQ_CORS_ORIGINS: {origin!r} is not an origin (https://host[:port])"
            )
    return origins


_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$")
