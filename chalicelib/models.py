"""Pydantic models for request payloads and response records.

Owns field-level validation (types, lengths, formats); the OpenAPI document is generated from
these same models. No I/O here.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from chalicelib import codes
from chalicelib.policies.filters import PLCY_NO_PATTERN, PolicyCategory, PolicyFilter, PolicyStatus

# An address mail services deliver to (SES takes no SMTPUTF8): an RFC 5322 dot-atom local part in
# ASCII and a host name. A domain written in Unicode (user@예시.한국) is taken in its IDNA (xn--)
# form, which is what the pattern then checks and what is stored and mailed.
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
EMAIL_PATTERN = rf"^{_ATEXT}(?:\.{_ATEXT})*@{_LABEL}(?:\.{_LABEL})+$"


def _idna_domain(value: Any) -> Any:
    """``a@유니코드.도메인`` -> ``a@xn--...``; anything else as it is (the pattern judges)."""
    if not isinstance(value, str) or value.isascii() or value.count("@") != 1:
        return value
    local, domain = value.strip().rsplit("@", 1)
    try:
        return f"{local}@{domain.encode('idna').decode('ascii')}"
    except UnicodeError:
        return value


# What a pattern means, for error messages (payloads.validate), instead of the regex itself.
PATTERN_MESSAGES = {
    EMAIL_PATTERN: "must be an email address such as name@example.com (ASCII before the @;"
    " mail services deliver to no other)",
}

Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_lower=True, max_length=254, pattern=EMAIL_PATTERN),
    # Listed after the constraints so the document keeps the pattern; a before-validator runs
    # before everything on its left all the same.
    BeforeValidator(_idna_domain),
]
# The user pool's policy, checked here so the document can state it: 8+ characters with a
# lower-case letter and a digit. At most 98, the longest the local Cognito (moto) accepts.
_PASSWORD = r"^(?:[^\x00]*[a-z][^\x00]*[0-9][^\x00]*|[^\x00]*[0-9][^\x00]*[a-z][^\x00]*)$"
Password = Annotated[str, StringConstraints(min_length=8, max_length=98, pattern=_PASSWORD)]


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


class FirstPasswordRequest(Payload):
    """``POST /api/auth/first-password``: an invited login sets its own password."""

    email: Email
    temporary_password: Annotated[str, StringConstraints(min_length=1, max_length=256)]
    new_password: Password


class RefreshRequest(Payload):
    """``POST /api/auth/refresh``."""

    refresh_token: Annotated[str, StringConstraints(min_length=1, max_length=8192)]


class Reply(BaseModel):
    """Base of response bodies: a key the model does not name is a test failure, not a leak."""

    model_config = ConfigDict(extra="forbid")


class Tokens(Reply):
    """Tokens returned by log-in and refresh; send ``id_token`` as the bearer token."""

    id_token: str
    access_token: str
    refresh_token: str | None = None
    expires_in: int
    token_type: str = "Bearer"


class HealthReport(Reply):
    """``GET /api/health``: each dependency's state."""

    status: str = Field(description="ok when every dependency is up, else degraded")
    dependencies: dict[str, dict[str, object]]


CATEGORIES = ("일자리", "주거", "교육", "복지문화", "참여권리")
BookmarkStatus = Literal["saved", "preparing", "applied", "received", "rejected"]
DocumentStatus = Literal["todo", "ready", "submitted"]
PlcyNo = Annotated[str, StringConstraints(pattern=PLCY_NO_PATTERN)]


def _known(code: str | None, table: dict[str, str], what: str) -> str | None:
    if code is not None and code not in table:
        raise ValueError(f"unknown {what} code {code!r}; allowed: {', '.join(sorted(table))}")
    return code


def validate_region(code: str | None) -> str | None:
    """Accept a known 5-digit district or 2-digit province code."""
    if code is None:
        return None
    if code in codes.districts() or code in codes.provinces():
        return code
    raise ValueError("unknown region code: use a 5-digit district or 2-digit province code")


class ProfileUpdate(Payload):
    """``PUT /api/me``: the caller's profile; a field left out is cleared."""

    birth_date: date | None = None
    region_code: str | None = Field(default=None, max_length=5)
    job_status: str | None = Field(default=None, max_length=7)
    school_status: str | None = Field(default=None, max_length=7)
    marital_status: str | None = Field(default=None, max_length=7)
    annual_income: int | None = Field(default=None, ge=0, le=1_000_000, description="만원 per year")
    interests: list[Annotated[str, StringConstraints(min_length=1, max_length=30)]] = Field(
        default_factory=list, max_length=20
    )
    language: Literal["ko", "en"] = Field(
        default="ko", description="the language of FinQ's mail and notifications"
    )

    @field_validator("birth_date")
    @classmethod
    def _plausible_birth(cls, value: date | None) -> date | None:
        if value is not None and not (date(1900, 1, 1) <= value <= date.today()):
            raise ValueError("birth_date must be a past date after 1900")
        return value

    @field_validator("region_code")
    @classmethod
    def _region(cls, value: str | None) -> str | None:
        return validate_region(value)

    @field_validator("job_status")
    @classmethod
    def _job(cls, value: str | None) -> str | None:
        return _known(value, codes.JOB_CODES, "job_status")

    @field_validator("school_status")
    @classmethod
    def _school(cls, value: str | None) -> str | None:
        return _known(value, codes.SCHOOL_CODES, "school_status")

    @field_validator("marital_status")
    @classmethod
    def _marital(cls, value: str | None) -> str | None:
        return _known(value, codes.MARITAL_CODES, "marital_status")


class Profile(Reply):
    """The caller's account and profile."""

    sub: str
    email: str
    groups: list[str] = Field(default_factory=list)
    birth_date: date | None = None
    age: int | None = None
    region_code: str | None = None
    job_status: str | None = None
    school_status: str | None = None
    marital_status: str | None = None
    annual_income: int | None = None
    interests: list[str] = Field(default_factory=list)
    language: Literal["ko", "en"] = "ko"
    created_at: str


class PolicyListQuery(Payload):
    """``GET /api/policies`` query parameters."""

    age: int | None = Field(default=None, ge=0, le=120)
    region: str | None = Field(default=None, max_length=5)
    category: PolicyCategory | None = None
    status: PolicyStatus | None = None
    deadline_before: date | None = None
    keyword: str | None = Field(default=None, min_length=1, max_length=100)
    q: str | None = Field(default=None, min_length=1, max_length=300)
    sort: Literal["relevance", "deadline", "newest"] = "relevance"
    limit: int = Field(default=20, ge=1, le=100)
    next: str | None = Field(
        default=None, max_length=512, description="the `next` of the previous page, unchanged"
    )

    @field_validator("region")
    @classmethod
    def _region(cls, value: str | None) -> str | None:
        return validate_region(value)

    def policy_filter(self) -> PolicyFilter:
        """Return the validated filters of this query (without the text, sort and cursor)."""
        return PolicyFilter(
            age=self.age,
            region=self.region,
            category=self.category,
            status=self.status,
            deadline_before=self.deadline_before,
            keyword=self.keyword,
        )


class BookmarkCreate(Payload):
    """``POST /api/user-policies``."""

    plcyNo: PlcyNo  # noqa: N815 - the Ontong field name, as clients know it
    status: BookmarkStatus = "saved"


class BookmarkUpdate(Payload):
    """``PATCH /api/user-policies/{plcyNo}``."""

    status: BookmarkStatus


class DocumentProgressUpdate(Payload):
    """``PUT /api/user-policies/{plcyNo}/documents/{documentId}``."""

    status: DocumentStatus


class Criterion(Reply):
    """One eligibility criterion's verdict and its evidence."""

    criterion: str
    verdict: Literal["eligible", "needs_check", "not_eligible"]
    reason: str = Field(description="the reason in the requested language (`lang`, default en)")
    reason_code: str = Field(description="a stable code of the reason, for clients that render")
    reason_params: dict[str, Any] = Field(default_factory=dict)
    evidence: dict[str, Any]


class Eligibility(Reply):
    """A verdict per criterion; ``overall`` is the weakest."""

    plcyNo: str  # noqa: N815
    overall: Literal["eligible", "needs_check", "not_eligible"]
    criteria: list[Criterion]


class PolicySummary(Reply):
    """A policy as a list shows it."""

    plcyNo: str  # noqa: N815
    name: str
    categories: list[str]
    summary: str
    support: str
    min_age: int | None
    max_age: int | None
    region: str
    apply_status: Literal["open", "upcoming", "closed", "always", "unknown"]
    apply_start: date | None
    apply_end: date | None
    days_left: int | None
    apply_url: str
    score: float | None = None
    eligibility: str | None = None


class PolicyPage(Reply):
    """A page of policies; pass ``next`` back to get the following page."""

    items: list[PolicySummary]
    next: str | None


class PolicyDetail(PolicySummary):
    """The full policy with its documents and, for a logged-in caller, the verdict."""

    description: str
    support_content: str
    keywords: list[str]
    subcategories: list[str]
    apply_method: str
    screening_method: str
    reference_url: str
    institution: str
    apply_windows: list[dict[str, str]]
    conditions: dict[str, Any]
    documents: list[dict[str, Any]]
    eligibility_detail: Eligibility | None = None


class Recommendation(Reply):
    """A recommended policy and why (reasons in the requested language, default en)."""

    policy: PolicySummary
    overall: str
    reasons: list[str]
    interests: list[str] = Field(
        default_factory=list, description="the profile's interests this policy matches"
    )


class LanguageQuery(Payload):
    """The language verdict reasons are written in (``?lang=ko``; English by default)."""

    lang: Literal["en", "ko"] = "en"


class Bookmark(Reply):
    """A saved policy with the caller's status and document progress."""

    plcyNo: str  # noqa: N815
    status: BookmarkStatus
    policy: PolicySummary
    documents_total: int
    documents_done: int
    created_at: str
    updated_at: str


class ChecklistItem(Reply):
    """One required document and the caller's progress on it."""

    documentId: int  # noqa: N815
    position: int
    name: str
    status: DocumentStatus


class Checklist(Reply):
    """The required-documents checklist of a bookmarked policy."""

    plcyNo: str  # noqa: N815
    items: list[ChecklistItem]
    completion: int = Field(description="percent of documents ready or submitted")


class ChatCreate(Payload):
    """``POST /api/chats``."""

    title: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] = ""


class MessageCreate(Payload):
    """``POST /api/chats/{id}/messages``."""

    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class MessageListQuery(Payload):
    """``GET /api/chats/{id}/messages`` query parameters."""

    # Message ids are PostgreSQL bigints: a larger `before` could never match and fails to bind.
    before: int | None = Field(default=None, ge=1, le=2**63 - 1)
    limit: int = Field(default=50, ge=1, le=100)


class Citation(Reply):
    """A policy an answer relies on."""

    plcyNo: str  # noqa: N815
    name: str
    apply_url: str
    verdict: str


class NewsArticle(Reply):
    """A web news result shown apart from an answer: for reference, never its evidence."""

    title: str
    url: str
    source: str = Field(description="the publisher's domain")
    published: str | None = Field(description="YYYY-MM-DD, when the source gives it")
    snippet: str


class MessageError(Reply):
    """Why a turn failed, as a stable code."""

    code: str


class ChatMessage(Reply):
    """A stored chat message."""

    id: int
    role: Literal["user", "assistant"]
    content: str
    citations: list[Citation]
    news: list[NewsArticle] = Field(
        default_factory=list,
        description="recent web news, labelled and apart from the answer (empty when off)",
    )
    model: str | None
    input_tokens: int
    output_tokens: int
    latency_ms: int | None
    status: Literal["complete", "failed"] = Field(description="failed: the turn did not finish")
    error: MessageError | None = None
    created_at: str


class Chat(Reply):
    """A chat."""

    id: str
    title: str
    handoff: dict[str, Any] | None
    created_at: str
    updated_at: str


class SocketMessage(Payload):
    """A WebSocket frame from the client: ``{"action": "sendMessage", "chatId", "text"}``."""

    action: Literal["sendMessage"]
    chatId: Annotated[str, StringConstraints(pattern=r"^[0-9a-fA-F-]{36}$")]  # noqa: N815
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


Tier = Literal["basic", "pro", "enterprise"]
# A tenant's own category name, in any language ("기술문의", "billing"); the tenant's list decides.
InquiryCategory = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=50, pattern=r"^[^\x00-\x1f<>]+$"
    ),
]


class CategorySpec(Payload):
    """One of a tenant's inquiry categories and its priority weight (0-30, added to the score)."""

    name: InquiryCategory
    weight: int = Field(default=0, ge=0, le=30)


class FaqEntry(Payload):
    """One FAQ question and answer of a tenant."""

    # No stripping before the length check: what the schema says (3-500 characters, not blank)
    # is exactly what is accepted.
    question: Annotated[str, StringConstraints(min_length=3, max_length=500, pattern=r"\S")]
    answer: Annotated[str, StringConstraints(min_length=1, max_length=4000, pattern=r"\S")]


class TenantCreate(Payload):
    """``POST /api/tenants`` (platform admins)."""

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    domain_context: Annotated[str, StringConstraints(max_length=4000)] = ""
    faq_data: list[FaqEntry] | None = Field(default=None, max_length=200)
    faq: list[FaqEntry] | None = Field(
        default=None, max_length=200, description="deprecated: faq_data", deprecated=True
    )
    categories: list[CategorySpec] | None = Field(default=None, min_length=1, max_length=50)
    subscription_tier: Tier | None = Field(default=None, description="default: basic")
    tier: Tier | None = Field(
        default=None, description="deprecated: subscription_tier", deprecated=True
    )
    staff_email: Email
    sns_topic_arn: (
        Annotated[
            str, StringConstraints(pattern=r"^arn:aws:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$")
        ]
        | None
    ) = None


class TenantUpdate(Payload):
    """``PATCH /api/tenants/{id}``: the fields to replace."""

    domain_context: Annotated[str, StringConstraints(max_length=4000)] | None = None
    faq_data: list[FaqEntry] | None = Field(default=None, max_length=200)
    faq: list[FaqEntry] | None = Field(
        default=None, max_length=200, description="deprecated: faq_data", deprecated=True
    )
    categories: list[CategorySpec] | None = Field(default=None, min_length=1, max_length=50)
    subscription_tier: Tier | None = None
    tier: Tier | None = Field(
        default=None, description="deprecated: subscription_tier", deprecated=True
    )
    staff_email: Email | None = None


class InquiryCreate(Payload):
    """``POST /api/inquiries`` (``x-api-key``)."""

    customer_email: Email
    category: InquiryCategory | None = Field(
        default=None, description="one of the tenant's categories (default: its first)"
    )
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    content: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000)
    ]
    urgency: Literal["low", "medium", "high"] | None = None


class AttachmentRequest(Payload):
    """``POST /api/inquiries/{id}/attachments``: what will be uploaded."""

    filename: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    content_type: Literal["image/png", "image/jpeg", "image/tiff", "application/pdf"]
    size: int = Field(ge=1, le=5 * 1024 * 1024)


class InquiryMessage(Payload):
    """``POST /api/inquiries/{id}/messages``: the customer writes again (reopens if resolved)."""

    content: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000)
    ]


class Feedback(Payload):
    """``POST /api/inquiries/{id}/feedback``."""

    satisfaction: int = Field(ge=1, le=5)
    comment: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] = ""


class StaffReply(Payload):
    """``POST /api/admin/inquiries/{id}/reply``."""

    content: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000)
    ]


InquiryStatus = Literal["pending", "ai_responded", "escalated", "resolved"]
InquiryPriority = Literal["urgent", "high", "normal", "low"]


class AdminInquiryQuery(Payload):
    """``GET /api/admin/inquiries`` query parameters."""

    status: InquiryStatus | None = None
    priority: InquiryPriority | None = None
    limit: int = Field(default=20, ge=1, le=100)
    next: str | None = Field(
        default=None, max_length=1024, description="the `next` of the previous page, unchanged"
    )


class StaffCreate(Payload):
    """``POST /api/admin/staff``."""

    email: Email


class MetricsQuery(Payload):
    """``GET /api/admin/metrics`` query parameters."""

    since: date | None = None
    until: date | None = None


# --- Response bodies of the routes without a model above (app.py declares which is which) ---


class ErrorDetail(Reply):
    """A machine-readable code, a message safe to show, and optional context."""

    code: str
    message: str
    details: dict[str, Any] | None = None


class Error(Reply):
    """Every 4xx/5xx body: ``{"error": {"code", "message"}}``."""

    error: ErrorDetail


class SignUpResult(Reply):
    """``POST /api/auth/signup``: the new account (confirmed at once in local mode)."""

    sub: str
    email: str
    confirmed: bool


class Confirmation(Reply):
    """``POST /api/auth/confirm``."""

    email: str
    confirmed: bool


class RecommendationList(Reply):
    """``GET /api/policies/recommendations``."""

    items: list[Recommendation]


class BookmarkList(Reply):
    """``GET /api/user-policies``."""

    items: list[Bookmark]


class SavedBookmark(Reply):
    """A saved policy's status, as saving or changing it returns."""

    plcyNo: str  # noqa: N815
    status: BookmarkStatus
    created_at: str
    updated_at: str


class ChatList(Reply):
    """``GET /api/chats``: most recent first."""

    items: list[Chat]


class MessagePage(Reply):
    """A page of a chat's messages; pass ``next`` as ``before`` for the older ones."""

    items: list[ChatMessage]
    next: str | None


class FaqItem(Reply):
    """One FAQ entry of a tenant, with its id."""

    id: str
    question: str
    answer: str


class CategoryItem(Reply):
    """One of a tenant's inquiry categories."""

    name: str
    weight: int


class Tenant(Reply):
    """A tenant of the inquiry desk."""

    tenant_id: str
    name: str
    domain_context: str
    faq_data: list[FaqItem]
    faq: list[FaqItem] = Field(description="deprecated: faq_data (kept for one release)")
    categories: list[CategoryItem]
    subscription_tier: Tier
    tier: Tier = Field(description="deprecated: subscription_tier (kept for one release)")
    staff_email: str
    sns_topic_arn: str | None = None
    created_at: str


class ApiKey(Reply):
    """A new API key: ``api_key`` is shown in this response only."""

    key_id: str
    api_key: str
    created_at: str


class InquiryAnswer(Reply):
    """An answer the customer has received."""

    from_: Literal["ai", "staff"] = Field(alias="from")
    content: str
    created_at: str


class AttachmentState(Reply):
    """An attachment as the customer sees it."""

    attachment_id: str
    filename: str
    state: Literal["awaiting_upload", "read", "not_read", "rejected"]
    reason: str | None = None


class Inquiry(Reply):
    """The customer's view of an inquiry: status, answers so far and ETA."""

    inquiry_id: str
    status: InquiryStatus
    attachments: list[AttachmentState]
    priority: InquiryPriority
    eta_minutes: int
    estimated_response_time: str = Field(
        description="when a human (or the AI) is expected to answer: created_at + eta_minutes"
    )
    urgency: Literal["low", "medium", "high"] | None = None
    ai_response: str | None = Field(default=None, description="the AI's answer the customer got")
    human_response: str | None = Field(default=None, description="the latest staff answer")
    answers: list[InquiryAnswer]
    created_at: str
    satisfaction: int | None


class UploadForm(Reply):
    """A presigned S3 POST: send ``fields`` and then the file as multipart form data to ``url``."""

    url: str
    fields: dict[str, str]


class UploadTicket(Reply):
    """``POST /api/inquiries/{id}/attachments``."""

    attachment_id: str
    upload: UploadForm
    expires_in: int
    max_bytes: int


class StaffInquiry(Reply):
    """An inquiry as the tenant's staff see it: triage, timings and tokens."""

    inquiry_id: str
    tenant_id: str
    customer_email: str
    category: InquiryCategory
    title: str
    content: str
    urgency: Literal["low", "medium", "high"] | None = None
    status: InquiryStatus
    priority: InquiryPriority
    priority_score: int
    sentiment: str | None = Field(default=None, description="None until the worker analysed it")
    language: str | None = None
    ai_confidence: float | None = Field(default=None, description="None until drafted")
    escalation_reason: str | None = None
    decision: str | None = Field(default=None, description="why the desk answered or escalated")
    eta_minutes: int
    estimated_response_time: str | None = Field(
        default=None, description="created_at + eta_minutes (None on inquiries stored before it)"
    )
    ai_response: str | None = Field(default=None, description="the AI's draft (sent or not)")
    human_response: str | None = Field(default=None, description="the latest staff answer")
    created_at: str
    triaged_at: str | None = None
    drafted_at: str | None = None
    decided_at: str | None = None
    first_response_at: str | None = None
    escalated_at: str | None = None
    resolved_at: str | None = None
    reopened_at: str | None = None
    tokens_in: int
    tokens_out: int
    source: dict[str, Any] | None = None
    satisfaction: int | None = None
    feedback_comment: str | None = None
    feedback_at: str | None = None


class InquiryEntry(Reply):
    """An AI draft, a reply, a customer message or an attachment of an inquiry."""

    entry_id: str
    created_at: str
    kind: Literal["attachment"] | None = None
    draft: str | None = None
    confidence: float | None = Field(default=None, description="deprecated: response_quality_score")
    response_quality_score: float | None = None
    model: str | None = Field(default=None, description="deprecated: model_used")
    model_used: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    sent_to_customer: bool | None = None
    source_faq: str | None = None
    after_attachment: str | None = None
    author: str | None = Field(default=None, description="staff email, or customer")
    content: str | None = None
    filename: str | None = None
    content_type: str | None = None
    declared_size: int | None = None
    size: int | None = None
    key: str | None = None
    state: Literal["awaiting_upload", "read", "not_read", "rejected"] | None = None
    text: str | None = None
    reason: str | None = None


class StaffInquiryDetail(StaffInquiry):
    """One inquiry with every draft, reply, message and attachment."""

    entries: list[InquiryEntry]


class StaffInquiryPage(Reply):
    """A page of the tenant's inquiries; pass ``next`` back for the following page."""

    items: list[StaffInquiry]
    next: str | None


class StaffMember(Reply):
    """A login of the tenant's staff.

    ``status`` is Cognito's: FORCE_CHANGE_PASSWORD until the invited person sets a password.
    """

    username: str
    email: str
    enabled: bool
    status: str
    created_at: str | None


class StaffList(Reply):
    """The tenant's staff, by email."""

    items: list[StaffMember]


class TokenCounts(Reply):
    """Model tokens spent."""

    input: int
    output: int


class Metrics(Reply):
    """``GET /api/admin/metrics``: None where no inquiry gives a figure."""

    inquiries: int
    escalation_rate: float | None
    ai_auto_resolution_rate: float | None
    median_first_response_seconds: float | None
    tokens: TokenCounts
    cost_usd: float
    average_ai_quality: float | None
    csat: float | None
    since: str | None
    until: str | None


class OpenApiDocument(BaseModel):
    """``GET /api/openapi.json``: an OpenAPI 3.1 document (its parts are OpenAPI's own)."""

    openapi: Literal["3.1.0"]
    info: dict[str, str]
    paths: dict[str, dict[str, Any]]
    components: dict[str, dict[str, Any]]


# --- Alerts for saved policies: the in-app notification list ----------------------------------


class NotificationListQuery(Payload):
    """``GET /api/notifications`` query parameters."""

    limit: int = Field(default=20, ge=1, le=100)
    next: str | None = Field(
        default=None, max_length=1024, description="the `next` of the previous page, unchanged"
    )
    lang: Literal["en", "ko"] | None = Field(
        default=None, description="the texts' language; unset: the caller's profile language"
    )


class NotificationChange(Reply):
    """One thing that changed, in words."""

    kind: str = Field(description="window_extended, amount, age, region, documents, news, ...")
    text: str


class Notification(Reply):
    """A change to a policy the caller saved (``confirmed`` false: unconfirmed web news)."""

    id: int
    plcyNo: str  # noqa: N815
    policy_name: str
    source: Literal["ingestion", "news"]
    confirmed: bool
    title: str
    changes: list[NotificationChange]
    url: str | None
    read: bool
    created_at: str


class NotificationPage(Reply):
    """A page of the caller's notifications, newest first, and how many are unread."""

    items: list[Notification]
    next: str | None
    unread: int


class NotificationsRead(Reply):
    """How many notifications a read mark changed, and how many are still unread."""

    marked: int
    unread: int
