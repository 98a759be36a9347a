"""FinQ's routing layer: every Chalice decorator, each handler a few lines.

Handlers parse the request into a model, call one service from the providers container and
shape the result. No boto3, SQL or prompt text here; nothing at import touches the network.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import unquote

from chalice import Chalice, CognitoUserPoolAuthorizer, CORSConfig, Cron, Rate, Response
from chalice.app import Request
from pydantic import BaseModel

from chalicelib import observability, providers
from chalicelib.auth import Identity, bearer_token
from chalicelib.cors import ALLOW_HEADERS, EXPOSE_HEADERS, MAX_AGE_SECONDS, CorsPolicy
from chalicelib.deadlines import stop_before_timeout
from chalicelib.errors import AppError, Forbidden, InvalidInput, TooManyRequests, as_app_error
from chalicelib.file_events import handle_uploads
from chalicelib.import_settings import decorator_settings
from chalicelib.models import (
    AdminInquiryQuery,
    ApiKey,
    AttachmentRequest,
    BookmarkCreate,
    BookmarkList,
    BookmarkUpdate,
    Chat,
    ChatCreate,
    ChatList,
    ChatMessage,
    Checklist,
    Confirmation,
    ConfirmRequest,
    DocumentProgressUpdate,
    Eligibility,
    Feedback,
    FirstPasswordRequest,
    HealthReport,
    Inquiry,
    InquiryCreate,
    InquiryMessage,
    LanguageQuery,
    LogInRequest,
    MessageCreate,
    MessageListQuery,
    MessagePage,
    Metrics,
    MetricsQuery,
    NotificationListQuery,
    NotificationPage,
    NotificationsRead,
    OpenApiDocument,
    PolicyDetail,
    PolicyListQuery,
    PolicyPage,
    Profile,
    ProfileUpdate,
    RecommendationList,
    RefreshRequest,
    SavedBookmark,
    SignUpRequest,
    SignUpResult,
    StaffCreate,
    StaffInquiryDetail,
    StaffInquiryPage,
    StaffList,
    StaffMember,
    StaffReply,
    Tenant,
    TenantCreate,
    TenantUpdate,
    Tokens,
    UploadTicket,
)
from chalicelib.operations import documented
from chalicelib.payloads import parse_json, parse_query, validate
from chalicelib.policies.filters import PLCY_NO
from chalicelib.settings import get_settings

# In aws mode every log line is JSON with the request id (chalicelib.observability); Chalice's
# own plain handler on app.log would bypass it, so it is only configured locally.
_AWS = decorator_settings().mode == "aws"
app = Chalice(app_name="finq", configure_logs=not _AWS)
app.experimental_feature_flags.update(["WEBSOCKETS"])
if _AWS:
    observability.structured_logs(decorator_settings().log_level)

# Authentication: FinQ verifies Cognito ID tokens itself in every mode (`_caller`: signature
# via the pool's JWKS, expiry, issuer, client, token use): `chalice local` and the test client
# admit any token. In deployed stages (FINQ_COGNITO_USER_POOL_ARN set when `chalice package`
# imports this file) API Gateway's Cognito authorizer also guards the login-only routes, so
# missing and invalid tokens are refused before a Lambda runs; routes with an optional login
# and public ones stay open. Locally there is no authorizer (chalice local crashes on
# malformed tokens).
_POOL_ARN = decorator_settings().cognito_user_pool_arn
LOGIN_REQUIRED = (
    CognitoUserPoolAuthorizer("finq-users", provider_arns=[_POOL_ARN]) if _POOL_ARN else None
)

# Browsers: CORS on every route (FINQ_CORS_ORIGINS; bearer tokens and API keys, no cookies).
# One origin (or "*"): Chalice's CORS config on every route, and API Gateway answers the
# preflights itself. Several: `cors_headers` echoes a listed Origin and `_answer_preflights`
# routes OPTIONS of every path to FinQ (a gateway-generated preflight is static).
CORS = CorsPolicy(decorator_settings().cors_origins)
if not CORS.echoes:
    app.api.cors = CORSConfig(
        allow_origin=CORS.static_origin,
        allow_headers=list(ALLOW_HEADERS),
        expose_headers=list(EXPOSE_HEADERS),
        max_age=MAX_AGE_SECONDS,
    )

ModelT = TypeVar("ModelT", bound=BaseModel)
View = TypeVar("View", bound=Callable[..., Any])


def _error(error: AppError) -> Response:
    headers: dict[str, str | list[str]] = {"Content-Type": "application/json"}
    if isinstance(error, TooManyRequests):
        headers["Retry-After"] = str(error.retry_after)
    return Response(body=error.to_body(), status_code=error.status, headers=headers)


def _request() -> Request:
    """Return the request being handled (Chalice sets it before it calls a route's view)."""
    request = app.current_request
    if request is None:
        raise RuntimeError("no request is being handled")
    return request


def handles_errors(view: View) -> View:
    """Turn FinQ's domain errors raised by a view into JSON error responses."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except AppError as error:
            if error.status >= 500:
                app.log.error("%s on %s: %s", error.code, _request().path, error)
            return _error(error)
        except Exception as exc:  # noqa: BLE001 - every failure answers in FinQ's error shape
            failure = as_app_error(exc)
            app.log.exception("%s on %s", failure.code, _request().path)
            return _error(failure)

    return wrapper  # type: ignore[return-value]


def _snake(name: str) -> str:
    if name == "InternalServerError":
        return "internal_error"  # one name for a 500, as errors.AppError says
    name = re.sub(r"Error$", "", name) or name
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


@app.middleware("all")
def observe(event: Any, get_response: Callable[[Any], Any]) -> Any:
    """Run every invocation with its request id on each log line (and traced) in aws mode."""
    with observability.invocation(observability.lambda_context(event)):
        return get_response(event)


@app.middleware("http")
def cors_headers(event: Any, get_response: Callable[[Any], Response]) -> Response:
    """Give every response, errors included, the CORS headers for the request's Origin."""
    response = get_response(event)
    response.headers.update(CORS.response_headers(event.headers.get("origin")))
    return response


@app.middleware("http")
def uniform_errors(event: Any, get_response: Callable[[Any], Response]) -> Response:
    """Rewrite Chalice's own error bodies (405, 415, 500) into FinQ's error shape."""
    response = get_response(event)
    body = response.body
    if response.status_code >= 400 and isinstance(body, dict) and "Code" in body:
        response.body = {
            "error": {"code": _snake(str(body["Code"])), "message": str(body.get("Message", ""))}
        }
    return response


def _services() -> providers.Container:
    return providers.container()


def _body(model: type[ModelT]) -> ModelT:
    request = _request()
    data = parse_json(request.raw_body, request.headers, get_settings().max_body_bytes)
    return validate(model, data)


def _caller() -> Identity:
    return _services().token_verifier.verify(bearer_token(_request().headers))


def _optional_profile() -> dict[str, Any] | None:
    """The caller's profile on a public route: None without a token; a bad token is a 401."""
    headers = _request().headers
    if not (headers.get("authorization") or headers.get("Authorization")):
        return None
    return _services().accounts.profile(_caller())


def _query(model: type[ModelT]) -> ModelT:
    return validate(model, parse_query(_request().query_params), "the query string")


def _plcy_no(value: str) -> str:
    if not _PLCY_NO.match(value):
        raise InvalidInput("plcyNo must be 1-40 letters, digits, '-' or '_'")
    return value


def _document_id(value: str) -> int:
    if not value.isdigit() or len(value) > 18:
        raise InvalidInput("documentId must be a positive integer")
    return int(value)


def _notification_id(value: str) -> int:
    if not value.isdigit() or len(value) > 18:
        raise InvalidInput("notification_id must be a positive integer")
    return int(value)


_PLCY_NO = PLCY_NO  # one definition, in chalicelib.policies.filters
_IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_.:-]{1,128}$")


def _api_tenant() -> str:
    """The tenant of the request's ``x-api-key``, after counting it against the rate limits."""
    return _api_tenant_record()[0]


def _api_tenant_record() -> tuple[str, dict[str, Any] | None]:
    """The API key's tenant id and the tenant record the rate check read (None: not found)."""
    request = _request()
    source_ip = (request.context.get("identity") or {}).get("sourceIp") or "unknown"
    return _services().desk_limits.admit(request.headers.get("x-api-key"), source_ip)


def _idempotency_key() -> str | None:
    value = _request().headers.get("idempotency-key")
    if value is not None and not _IDEMPOTENCY_KEY.match(value):
        raise InvalidInput("Idempotency-Key must be 1-128 letters, digits or . _ : -")
    return value


def _staff() -> tuple[Identity, str]:
    """The calling staff member and their tenant (from Cognito groups)."""
    from chalicelib.services.desk.tenants import staff_tenant

    caller = _caller()
    return caller, staff_tenant(caller.groups)


def _tenant_admin() -> tuple[Identity, str]:
    """The calling tenant admin and their tenant (403 for anyone else)."""
    from chalicelib.services.desk.team import admin_tenant

    caller = _caller()
    return caller, admin_tenant(caller.groups)


def _platform_admin() -> Identity:
    caller = _caller()
    if "platform-admins" not in caller.groups:
        raise Forbidden("only platform admins may do this")
    return caller


@app.route("/api/health", methods=["GET"])
@documented(
    "Each dependency's state (503 names the one down)",
    responses={200: HealthReport, 503: HealthReport},
)
@handles_errors
def health() -> Response:
    """Report each dependency's state: 200 when all are up, 503 naming the one that is not."""
    report = _services().health.check()
    return Response(body=report, status_code=200 if report["status"] == "ok" else 503)


@app.route("/api/auth/signup", methods=["POST"])
@documented("Create an account", body=SignUpRequest, responses={201: SignUpResult})
@handles_errors
def sign_up() -> Response:
    """Create an account (confirmed at once in local mode)."""
    body = _body(SignUpRequest)
    return Response(body=_services().accounts.sign_up(body.email, body.password), status_code=201)


@app.route("/api/auth/confirm", methods=["POST"])
@documented(
    "Confirm an account with the mailed code",
    body=ConfirmRequest,
    responses={200: Confirmation},
)
@handles_errors
def confirm_sign_up() -> dict[str, Any]:
    """Confirm an account with the code Cognito mailed."""
    body = _body(ConfirmRequest)
    return _services().accounts.confirm(body.email, body.code)


@app.route("/api/auth/login", methods=["POST"])
@documented("Exchange email and password for tokens", body=LogInRequest, responses={200: Tokens})
@handles_errors
def log_in() -> dict[str, Any]:
    """Exchange email and password for tokens; send ``id_token`` as the bearer token."""
    body = _body(LogInRequest)
    return _services().accounts.log_in(body.email, body.password)


@app.route("/api/auth/first-password", methods=["POST"])
@documented(
    "Set an invited login's own password (from the mailed temporary one); returns tokens",
    body=FirstPasswordRequest,
    responses={200: Tokens},
)
@handles_errors
def set_first_password() -> dict[str, Any]:
    """Replace an invitation's temporary password with the person's own, and log them in."""
    body = _body(FirstPasswordRequest)
    return _services().accounts.set_first_password(
        body.email, body.temporary_password, body.new_password
    )


@app.route("/api/auth/refresh", methods=["POST"])
@documented("Exchange a refresh token for new tokens", body=RefreshRequest, responses={200: Tokens})
@handles_errors
def refresh_tokens() -> dict[str, Any]:
    """Exchange a refresh token for new ID and access tokens."""
    body = _body(RefreshRequest)
    return _services().accounts.refresh(body.refresh_token)


@app.route("/api/me", methods=["GET"], authorizer=LOGIN_REQUIRED)
@documented("The caller's identity and profile", auth="bearer", responses={200: Profile})
@handles_errors
def get_me() -> dict[str, Any]:
    """Return the caller's identity and profile."""
    return _services().accounts.me(_caller())


@app.route("/api/me", methods=["PUT"], authorizer=LOGIN_REQUIRED)
@documented(
    "Replace the caller's profile",
    auth="bearer",
    body=ProfileUpdate,
    responses={200: Profile},
)
@handles_errors
def update_me() -> dict[str, Any]:
    """Replace the caller's profile (codes checked against the Ontong code lists)."""
    caller, body = _caller(), _body(ProfileUpdate)
    return _services().accounts.update_profile(caller, body.model_dump())


@app.route("/api/me", methods=["DELETE"], authorizer=LOGIN_REQUIRED)
@documented("Delete the caller's data and login", auth="bearer", responses={204: None})
@handles_errors
def delete_me() -> Response:
    """Delete the caller's profile, bookmarks, progress, chats and login."""
    _services().accounts.delete_account(_caller())
    return Response(body="", status_code=204)


@app.route("/api/policies", methods=["GET"])
@documented(
    "List or search policies",
    auth="optional",
    query=PolicyListQuery,
    responses={200: PolicyPage},
)
@handles_errors
def list_policies() -> dict[str, Any]:
    """List or search policies with filters; logged-in callers also get eligibility."""
    query = _query(PolicyListQuery)
    return _services().discovery.list_policies(query, _optional_profile())


@app.route("/api/policies/recommendations", methods=["GET"], authorizer=LOGIN_REQUIRED)
@documented(
    "Open policies for the caller's profile",
    auth="bearer",
    query=LanguageQuery,
    responses={200: RecommendationList},
)
@handles_errors
def recommend_policies() -> dict[str, Any]:
    """Recommend open policies for the caller's profile, eligible ones first."""
    profile = _services().accounts.profile(_caller())
    lang = _query(LanguageQuery).lang
    return {"items": _services().discovery.recommendations(profile, language=lang)}


@app.route("/api/policies/{plcyNo}", methods=["GET"])
@documented(
    "One policy with documents (and verdict when logged in)",
    auth="optional",
    query=LanguageQuery,
    responses={200: PolicyDetail},
)
@handles_errors
def get_policy(plcyNo: str) -> dict[str, Any]:  # noqa: N803 - the route's Ontong name
    """Return a policy with its documents (and the caller's verdict when logged in)."""
    number, lang = _plcy_no(plcyNo), _query(LanguageQuery).lang
    documents = _services().policies.documents(number)
    return _services().discovery.detail(number, documents, _optional_profile(), lang)


@app.route("/api/policies/{plcyNo}/eligibility", methods=["GET"], authorizer=LOGIN_REQUIRED)
@documented(
    "The caller's verdict per criterion",
    auth="bearer",
    query=LanguageQuery,
    responses={200: Eligibility},
)
@handles_errors
def policy_eligibility(plcyNo: str) -> dict[str, Any]:  # noqa: N803
    """Judge the caller against each of the policy's criteria, with evidence."""
    profile = _services().accounts.profile(_caller())
    lang = _query(LanguageQuery).lang
    return _services().discovery.eligibility(_plcy_no(plcyNo), profile, lang)


@app.route("/api/user-policies", methods=["GET"], authorizer=LOGIN_REQUIRED)
@documented("The caller's saved policies", auth="bearer", responses={200: BookmarkList})
@handles_errors
def list_bookmarks() -> dict[str, Any]:
    """List the caller's saved policies with their status and document progress."""
    return {"items": _services().bookmarks.list(_caller().sub)}


@app.route("/api/user-policies", methods=["POST"], authorizer=LOGIN_REQUIRED)
@documented("Save a policy", auth="bearer", body=BookmarkCreate, responses={201: SavedBookmark})
@handles_errors
def add_bookmark() -> Response:
    """Save a policy for the caller."""
    caller, body = _caller(), _body(BookmarkCreate)
    _services().accounts.profile(caller)  # the user row must exist before the bookmark
    saved = _services().bookmarks.add(caller.sub, body.plcyNo, body.status)
    return Response(body=saved, status_code=201)


@app.route("/api/user-policies/{plcyNo}", methods=["PATCH"], authorizer=LOGIN_REQUIRED)
@documented(
    "Change a saved policy's status",
    auth="bearer",
    body=BookmarkUpdate,
    responses={200: SavedBookmark},
)
@handles_errors
def update_bookmark(plcyNo: str) -> dict[str, Any]:  # noqa: N803
    """Change the status of a saved policy."""
    caller, body = _caller(), _body(BookmarkUpdate)
    return _services().bookmarks.update(caller.sub, _plcy_no(plcyNo), body.status)


@app.route("/api/user-policies/{plcyNo}", methods=["DELETE"], authorizer=LOGIN_REQUIRED)
@documented("Remove a saved policy", auth="bearer", responses={204: None})
@handles_errors
def delete_bookmark(plcyNo: str) -> Response:  # noqa: N803
    """Remove a saved policy and its document progress."""
    _services().bookmarks.remove(_caller().sub, _plcy_no(plcyNo))
    return Response(body="", status_code=204)


@app.route("/api/user-policies/{plcyNo}/documents", methods=["GET"], authorizer=LOGIN_REQUIRED)
@documented("A saved policy's document checklist", auth="bearer", responses={200: Checklist})
@handles_errors
def document_checklist(plcyNo: str) -> dict[str, Any]:  # noqa: N803
    """Return the required-documents checklist of a saved policy with progress."""
    return _services().bookmarks.checklist(_caller().sub, _plcy_no(plcyNo))


@app.route(
    "/api/user-policies/{plcyNo}/documents/{documentId}", methods=["PUT"], authorizer=LOGIN_REQUIRED
)
@documented(
    "Set progress on one document",
    auth="bearer",
    body=DocumentProgressUpdate,
    responses={200: Checklist},
)
@handles_errors
def update_document(plcyNo: str, documentId: str) -> dict[str, Any]:  # noqa: N803
    """Set the caller's progress on one required document."""
    caller, body = _caller(), _body(DocumentProgressUpdate)
    number, document = _plcy_no(plcyNo), _document_id(documentId)
    return _services().bookmarks.set_document(caller.sub, number, document, body.status)


@app.route("/api/notifications", methods=["GET"], authorizer=LOGIN_REQUIRED)
@documented(
    "The caller's notifications about saved policies, newest first",
    auth="bearer",
    query=NotificationListQuery,
    responses={200: NotificationPage},
)
@handles_errors
def list_notifications() -> dict[str, Any]:
    """Page through changes to the caller's saved policies, with the unread count."""
    caller, query = _caller(), _query(NotificationListQuery)
    return _services().notifications.list(caller.sub, query.limit, query.next, query.lang)


@app.route("/api/notifications/read", methods=["POST"], authorizer=LOGIN_REQUIRED)
@documented("Mark every notification read", auth="bearer", responses={200: NotificationsRead})
@handles_errors
def read_all_notifications() -> dict[str, Any]:
    """Mark all of the caller's notifications read."""
    return _services().notifications.mark_all_read(_caller().sub)


@app.route("/api/notifications/{notification_id}/read", methods=["POST"], authorizer=LOGIN_REQUIRED)
@documented("Mark one notification read", auth="bearer", responses={200: NotificationsRead})
@handles_errors
def read_notification(notification_id: str) -> dict[str, Any]:
    """Mark one of the caller's notifications read (404 when it is not theirs)."""
    caller = _caller()
    return _services().notifications.mark_read(caller.sub, _notification_id(notification_id))


@app.route("/api/chats", methods=["POST"], authorizer=LOGIN_REQUIRED)
@documented("Start an advisor chat", auth="bearer", body=ChatCreate, responses={201: Chat})
@handles_errors
def create_chat() -> Response:
    """Start an advisor chat."""
    caller, body = _caller(), _body(ChatCreate)
    _services().accounts.profile(caller)  # the user row must exist before the chat
    return Response(body=_services().chats.create(caller.sub, body.title), status_code=201)


@app.route("/api/chats", methods=["GET"], authorizer=LOGIN_REQUIRED)
@documented("The caller's chats", auth="bearer", responses={200: ChatList})
@handles_errors
def list_chats() -> dict[str, Any]:
    """List the caller's chats, most recent first."""
    return {"items": _services().chats.list(_caller().sub)}


@app.route("/api/chats/{chat_id}/messages", methods=["GET"], authorizer=LOGIN_REQUIRED)
@documented(
    "A page of a chat's messages",
    auth="bearer",
    query=MessageListQuery,
    responses={200: MessagePage},
)
@handles_errors
def list_messages(chat_id: str) -> dict[str, Any]:
    """Page through a chat's messages (``before`` = the ``next`` of the previous page)."""
    caller, query = _caller(), _query(MessageListQuery)
    return _services().chats.messages(caller.sub, chat_id, query.before, query.limit)


@app.route("/api/chats/{chat_id}/messages", methods=["POST"], authorizer=LOGIN_REQUIRED)
@documented(
    "Ask the advisor; the answer with citations",
    auth="bearer",
    body=MessageCreate,
    responses={201: ChatMessage},
)
@handles_errors
def send_message(chat_id: str) -> Response:
    """Ask the advisor; returns the answer with its citations."""
    caller, body = _caller(), _body(MessageCreate)
    profile = _services().accounts.profile(caller)
    answer = _services().chats.send(caller.sub, profile, chat_id, body.text)
    return Response(body=answer, status_code=201)


@app.route("/api/chats/{chat_id}", methods=["DELETE"], authorizer=LOGIN_REQUIRED)
@documented("Delete a chat", auth="bearer", responses={204: None})
@handles_errors
def delete_chat(chat_id: str) -> Response:
    """Delete a chat with its messages."""
    services = _services()
    services.chats.delete(_caller().sub, chat_id, services.checkpointer.delete_thread)
    return Response(body="", status_code=204)


@app.route("/api/tenants", methods=["POST"], authorizer=LOGIN_REQUIRED)
@documented(
    "Create a desk tenant (platform admins)",
    auth="bearer",
    body=TenantCreate,
    responses={201: Tenant},
)
@handles_errors
def create_tenant() -> Response:
    """Create a tenant of the inquiry desk (platform admins)."""
    _platform_admin()
    body = _body(TenantCreate)
    return Response(body=_services().desk_tenants.create_tenant(body.model_dump()), status_code=201)


@app.route("/api/tenants/{tenant_id}", methods=["GET"], authorizer=LOGIN_REQUIRED)
@documented("A tenant", auth="bearer", responses={200: Tenant})
@handles_errors
def get_tenant(tenant_id: str) -> dict[str, Any]:
    """Return a tenant (platform admins, the tenant's staff)."""
    _services().desk_tenants.authorize(tenant_id, _caller().groups)
    return _services().desk_tenants.tenant(tenant_id)


@app.route("/api/tenants/{tenant_id}", methods=["PATCH"], authorizer=LOGIN_REQUIRED)
@documented("Edit a tenant", auth="bearer", body=TenantUpdate, responses={200: Tenant})
@handles_errors
def update_tenant(tenant_id: str) -> dict[str, Any]:
    """Edit a tenant's context, FAQ, tier or staff email (platform or staff admins)."""
    caller, body = _caller(), _body(TenantUpdate)
    _services().desk_tenants.authorize(tenant_id, caller.groups, admin_only=True)
    return _services().desk_tenants.update_tenant(tenant_id, body.model_dump(exclude_none=True))


@app.route("/api/tenants/{tenant_id}/api-keys", methods=["POST"], authorizer=LOGIN_REQUIRED)
@documented("Create an API key (shown once)", auth="bearer", responses={201: ApiKey})
@handles_errors
def create_api_key(tenant_id: str) -> Response:
    """Create an API key; the key is shown in this response only."""
    _services().desk_tenants.authorize(tenant_id, _caller().groups, admin_only=True)
    return Response(body=_services().desk_tenants.create_key(tenant_id), status_code=201)


@app.route(
    "/api/tenants/{tenant_id}/api-keys/{key_id}", methods=["DELETE"], authorizer=LOGIN_REQUIRED
)
@documented("Revoke an API key", auth="bearer", responses={204: None})
@handles_errors
def revoke_api_key(tenant_id: str, key_id: str) -> Response:
    """Revoke an API key."""
    _services().desk_tenants.authorize(tenant_id, _caller().groups, admin_only=True)
    _services().desk_tenants.revoke_key(tenant_id, key_id)
    return Response(body="", status_code=204)


@app.route("/api/inquiries", methods=["POST"])
@documented(
    "Submit an inquiry (x-api-key; Idempotency-Key)",
    auth="api_key",
    body=InquiryCreate,
    responses={201: Inquiry},
)
@handles_errors
def submit_inquiry() -> Response:
    """Submit a customer inquiry: stored as pending and answered by the desk's worker."""
    (tenant_id, tenant), body = _api_tenant_record(), _body(InquiryCreate)
    desk = _services().desk_inquiries
    result = desk.submit(tenant_id, body.model_dump(), _idempotency_key(), stored_tenant=tenant)
    return Response(body=result, status_code=201)


@app.route("/api/inquiries/{inquiry_id}", methods=["GET"])
@documented("An inquiry's status, answers and ETA", auth="api_key", responses={200: Inquiry})
@handles_errors
def get_inquiry(inquiry_id: str) -> dict[str, Any]:
    """Return an inquiry's status, answers so far and estimated response time."""
    return _services().desk_inquiries.get(_api_tenant(), inquiry_id)


@app.route("/api/inquiries/{inquiry_id}/escalate", methods=["POST"])
@documented("Hand an inquiry to humans", auth="api_key", responses={200: Inquiry})
@handles_errors
def escalate_inquiry(inquiry_id: str) -> dict[str, Any]:
    """Ask for a human: the tenant's staff get an email and a notification."""
    return _services().desk_inquiries.escalate(_api_tenant(), inquiry_id)


@app.route("/api/inquiries/{inquiry_id}/feedback", methods=["POST"])
@documented("Customer satisfaction", auth="api_key", body=Feedback, responses={200: Inquiry})
@handles_errors
def inquiry_feedback(inquiry_id: str) -> dict[str, Any]:
    """Record the customer's satisfaction (1-5) and comment."""
    tenant_id, body = _api_tenant(), _body(Feedback)
    inquiries = _services().desk_inquiries
    return inquiries.feedback(tenant_id, inquiry_id, body.satisfaction, body.comment)


@app.route("/api/inquiries/{inquiry_id}/messages", methods=["POST"])
@documented(
    "A new customer message (reopens)",
    auth="api_key",
    body=InquiryMessage,
    responses={200: Inquiry},
)
@handles_errors
def inquiry_message(inquiry_id: str) -> dict[str, Any]:
    """Add a customer message; a resolved inquiry is reopened."""
    tenant_id, body = _api_tenant(), _body(InquiryMessage)
    return _services().desk_inquiries.customer_message(tenant_id, inquiry_id, body.content)


@app.route("/api/inquiries/{inquiry_id}/attachments", methods=["POST"])
@documented(
    "A presigned upload for an attachment",
    auth="api_key",
    body=AttachmentRequest,
    responses={201: UploadTicket},
)
@handles_errors
def request_attachment_upload(inquiry_id: str) -> Response:
    """Get a presigned S3 upload for an attachment (images or PDF, at most 5 MB)."""
    tenant_id, body = _api_tenant(), _body(AttachmentRequest)
    upload = _services().desk_attachments.request_upload(
        tenant_id, inquiry_id, body.filename, body.content_type, body.size
    )
    return Response(body=upload, status_code=201)


@app.route("/api/admin/inquiries", methods=["GET"], authorizer=LOGIN_REQUIRED)
@documented(
    "Staff: the tenant's inquiries",
    auth="bearer",
    query=AdminInquiryQuery,
    responses={200: StaffInquiryPage},
)
@handles_errors
def admin_inquiries() -> dict[str, Any]:
    """Staff: the tenant's inquiries by status and priority, newest first."""
    (_, tenant_id), query = _staff(), _query(AdminInquiryQuery)
    return _services().desk_staff.admin_list(
        tenant_id, query.status, query.priority, query.limit, query.next
    )


@app.route("/api/admin/inquiries/{inquiry_id}", methods=["GET"], authorizer=LOGIN_REQUIRED)
@documented(
    "Staff: one inquiry with drafts and replies",
    auth="bearer",
    responses={200: StaffInquiryDetail},
)
@handles_errors
def admin_inquiry(inquiry_id: str) -> dict[str, Any]:
    """Staff: one inquiry with the AI drafts and replies."""
    _, tenant_id = _staff()
    return _services().desk_staff.admin_get(tenant_id, inquiry_id)


@app.route("/api/admin/inquiries/{inquiry_id}/reply", methods=["POST"], authorizer=LOGIN_REQUIRED)
@documented(
    "Staff: answer and resolve",
    auth="bearer",
    body=StaffReply,
    responses={200: StaffInquiryDetail},
)
@handles_errors
def admin_reply(inquiry_id: str) -> dict[str, Any]:
    """Staff: answer the customer (emailed); the inquiry is resolved."""
    (caller, tenant_id), body = _staff(), _body(StaffReply)
    return _services().desk_staff.reply(tenant_id, inquiry_id, caller.email, body.content)


@app.route("/api/admin/staff", methods=["GET"], authorizer=LOGIN_REQUIRED)
@documented("Tenant admins: the tenant's staff", auth="bearer", responses={200: StaffList})
@handles_errors
def list_staff() -> dict[str, Any]:
    """Tenant admins: the tenant's staff logins."""
    _, tenant_id = _tenant_admin()
    return {"items": _services().desk_team.staff(tenant_id)}


@app.route("/api/admin/staff", methods=["POST"], authorizer=LOGIN_REQUIRED)
@documented(
    "Tenant admins: invite staff (idempotent)",
    auth="bearer",
    body=StaffCreate,
    responses={201: StaffMember, 200: StaffMember},
)
@handles_errors
def add_staff() -> Response:
    """Tenant admins: invite a person (login + invitation mail) or re-add them as staff."""
    (caller, tenant_id), body = _tenant_admin(), _body(StaffCreate)
    member, created = _services().desk_team.add(tenant_id, body.email, caller.email)
    return Response(body=dict(member), status_code=201 if created else 200)


@app.route("/api/admin/staff/{username}", methods=["DELETE"], authorizer=LOGIN_REQUIRED)
@documented("Tenant admins: remove staff (disabled)", auth="bearer", responses={204: None})
@handles_errors
def remove_staff(username: str) -> Response:
    """Tenant admins: take a person out of the staff and disable their login."""
    caller, tenant_id = _tenant_admin()
    # API Gateway decodes path parameters and `chalice local` does not: %40 works with both.
    _services().desk_team.remove(tenant_id, unquote(username), caller.username)
    return Response(body="", status_code=204)


@app.route("/api/admin/metrics", methods=["GET"], authorizer=LOGIN_REQUIRED)
@documented(
    "Staff: desk metrics over a date range",
    auth="bearer",
    query=MetricsQuery,
    responses={200: Metrics},
)
@handles_errors
def admin_metrics() -> dict[str, Any]:
    """Staff: escalation and AI resolution rates, response time, tokens, cost, quality, CSAT."""
    (_, tenant_id), query = _staff(), _query(MetricsQuery)
    since = query.since.isoformat() if query.since else None
    until = query.until.isoformat() + "T23:59:59.999" if query.until else None
    return _services().desk_metrics.metrics(tenant_id, since, until)


@app.route("/api/openapi.json", methods=["GET"])
@documented("This document", responses={200: OpenApiDocument})
@handles_errors
def openapi_document() -> dict[str, Any]:
    """Return the OpenAPI 3.1 description of every route."""
    from chalicelib.openapi import build_document

    return build_document(app.routes)


def _preflight(**_: str) -> Response:
    """Answer a browser's CORS preflight for the requested path (several allowed origins)."""
    request = _request()
    methods = list(app.routes[request.context["resourcePath"]])
    headers = CORS.preflight_headers(request.headers.get("origin"), methods)
    return Response(body="", status_code=200, headers=dict(headers))


def _answer_preflights() -> None:
    """Route ``OPTIONS`` of every path to `_preflight` when several origins are allowed."""
    if CORS.echoes:
        for path in list(app.routes):
            app.route(path, methods=["OPTIONS"])(_preflight)


_answer_preflights()


@app.on_sqs_message(queue=decorator_settings().policy_events_queue, batch_size=1)
def on_policy_file_uploaded(event: Any) -> None:
    """Ingest policy files S3 reported (through SQS) under the policy bucket's ``policies/``."""
    sync, should_stop = _services().policy_sync, stop_before_timeout(event.context)
    handle_uploads(
        (record.to_dict() for record in event),
        lambda upload: sync.uploaded(upload.key, should_stop=should_stop),
        get_settings().file_event_max_receives,
        "policy file",
    )


@app.on_sqs_message(queue=decorator_settings().attachment_events_queue, batch_size=1)
def on_attachment_uploaded(event: Any) -> None:
    """Read uploaded attachments' text (S3 -> SQS) and join each to its inquiry."""
    attachments = _services().desk_attachments
    handle_uploads(
        (record.to_dict() for record in event),
        lambda upload: attachments.attachment_uploaded(upload.key, upload.size),
        get_settings().file_event_max_receives,
        "attachment",
    )


@app.on_sqs_message(queue=decorator_settings().desk_queue, batch_size=1)
def process_inquiry(event: Any) -> None:
    """Run a submitted inquiry's steps; a failure leaves the message for SQS to redeliver."""
    for record in event:
        message = record.to_dict()
        receives = int(message.get("attributes", {}).get("ApproximateReceiveCount", "1"))
        _services().desk_pipeline.deliver(message["body"], receives)


@app.on_sqs_message(queue=decorator_settings().desk_dead_letter_queue, batch_size=1)
def on_inquiry_dead_letter(event: Any) -> None:
    """Hand an inquiry whose messages kept failing to a human ("AI unavailable")."""
    for record in event:
        app.log.warning("desk dead letter: %s", record.body)
        _services().desk_pipeline.deliver(record.body, dead_letter=True)


@app.schedule(Rate(5, unit=Rate.MINUTES))
def requeue_pending_inquiries(event: Any) -> None:
    """Queue again inquiries stored but not decided in time (a lost enqueue, a lost message)."""
    settings = get_settings()
    _services().desk_inquiries.requeue_stale(settings.desk_requeue_after_seconds)


@app.schedule(Rate(decorator_settings().sync_schedule_hours, unit=Rate.HOURS))
def run_nightly_sync(event: Any) -> None:
    """Re-sync every policy: from the Ontong API when a key is configured, else from S3."""
    _services().policy_sync.nightly(should_stop=stop_before_timeout(event.context))


@app.schedule(Cron(0, 0, "*", "*", "?", "*"))
def send_deadline_reminders(event: Any) -> None:
    """Mail users whose saved policies close in 7, 3 or 1 days (09:00 KST daily)."""
    _services().reminders.send_due()


@app.schedule(Rate(12, unit=Rate.HOURS))
def check_policy_news(event: Any) -> None:
    """Record web news saying a saved policy changed, as unconfirmed (off without news search)."""
    _services().policy_news.check()


@app.on_ws_connect()
def ws_connect(event: Any) -> Response:
    """Admit a WebSocket client whose ``?token=`` is a valid ID token; refuse others."""
    token = (event.to_dict().get("queryStringParameters") or {}).get("token")
    admitted = _services().chat_socket.connect(event.connection_id, token)
    return Response(body="", status_code=200 if admitted else 401)


@app.on_ws_message()
def ws_message(event: Any) -> None:
    """Run a ``sendMessage`` turn, streaming token, citations and done frames back."""
    endpoint = f"https://{event.domain_name}/{event.stage}"
    _services().chat_socket.message(event.connection_id, event.body, endpoint)


@app.on_ws_disconnect()
def ws_disconnect(event: Any) -> None:
    """Forget a WebSocket connection."""
    _services().chat_socket.disconnect(event.connection_id)


@app.lambda_function(name="chat_worker")
def chat_worker(event: dict[str, Any], context: Any) -> None:
    """Run a WebSocket turn handed off by ``ws_message`` (beyond API Gateway's 29 s)."""
    _services().chat_socket.run_turn(event)


@app.lambda_function(name="run_migrations")
def run_migrations(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Apply pending database migrations (the stack invokes this on every deploy)."""
    summary = _services().schema.apply()
    app.log.info("migrations: %s", summary)
    return summary


@app.lambda_function(name="continue_policy_sync")
def continue_policy_sync(event: dict[str, Any], context: Any) -> None:
    """Resume an ingestion run that stopped at a checkpoint before Lambda's time limit."""
    _services().policy_sync.resume(event, should_stop=stop_before_timeout(context))
