"""The deployed stages (dev, prod) and what differs between them.

Owns each stage's sizing and data-keeping choices and reads the deploy-time choices passed as
CDK context (``-c key=value``): the mail sender, the web origins, which optional secrets exist
and whether ``make destroy`` may delete data. Names of resources the code finds by name (table,
queues, functions, secrets) follow ``finq-<stage>-...`` as the stage's IAM policy files expect.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from constructs import Node

# Per-function memory and timeouts live in .chalice/config.json (Chalice reads them there);
# the queues' visibility must cover the timeout of the function that consumes them.
QUEUE_CONSUMER_TIMEOUT_SECONDS = {
    "policy-files": 900,
    "attachment-files": 120,
    "desk": 120,
    "desk-dead-letters": 60,
}
# SQS moves a desk message to its dead-letter queue after this many receives; FinQ's
# FINQ_DESK_MAX_RECEIVES must be the same number (the worker's last attempt hands over).
DESK_MAX_RECEIVES = 4
# S3 event queues: a file that failed this many times waits in the dead-letter queue.
FILE_EVENT_MAX_RECEIVES = 3


@dataclass(frozen=True)
class Stage:
    """One deployed stage's settings."""

    name: str
    db_instance_class: str
    db_multi_az: bool
    nat_gateways: int
    waf_requests_per_5_minutes: int
    cors_origins: tuple[str, ...]
    mail_sender: str
    keep_data: bool = True
    ontong_secret: bool = False
    tavily_secret: bool = False
    create_ses_identity: bool = True
    ops_email: str = ""

    def resource(self, purpose: str) -> str:
        """Return the stage's name for a resource (``finq-<stage>-<purpose>``)."""
        return f"finq-{self.name}-{purpose}"

    def secret(self, purpose: str) -> str:
        """Return the stage's secret name (``finq/<stage>/<purpose>``, as the IAM files allow)."""
        return f"finq/{self.name}/{purpose}"


_DEFAULTS = {
    "dev": Stage(
        name="dev",
        db_instance_class="t4g.micro",
        db_multi_az=False,
        nat_gateways=1,
        waf_requests_per_5_minutes=2000,
        cors_origins=("http://localhost:3000", "http://localhost:5173"),
        mail_sender="no-reply@example.com",
    ),
    "prod": Stage(
        name="prod",
        db_instance_class="t4g.small",
        db_multi_az=True,
        nat_gateways=1,
        waf_requests_per_5_minutes=1000,
        cors_origins=("https://finq.example.com",),
        mail_sender="no-reply@example.com",
    ),
}
STAGE_NAMES = tuple(_DEFAULTS)


def _flag(value: object, default: bool) -> bool:
    if value is None or value == "":
        return default
    return str(value).lower() in ("1", "true", "yes")


def stage_from_context(node: Node) -> Stage:
    """Return the stage named by ``-c stage=<name>``, with the context's overrides applied."""
    name = str(node.try_get_context("stage") or "dev")
    if name not in _DEFAULTS:
        raise ValueError(f"unknown stage {name!r}; use one of {', '.join(STAGE_NAMES)}")
    origins = node.try_get_context("cors_origins")
    return replace(
        _DEFAULTS[name],
        cors_origins=tuple(o.strip() for o in str(origins or "").split(",") if o.strip())
        or _DEFAULTS[name].cors_origins,
        mail_sender=str(node.try_get_context("mail_sender") or _DEFAULTS[name].mail_sender),
        keep_data=_flag(node.try_get_context("keep_data"), True),
        ontong_secret=_flag(node.try_get_context("ontong_secret"), False),
        tavily_secret=_flag(node.try_get_context("tavily_secret"), False),
        create_ses_identity=_flag(node.try_get_context("create_ses_identity"), True),
        ops_email=str(node.try_get_context("ops_email") or ""),
    )
