"""Protocols for FinQ's swappable capabilities; providers.py picks the implementation.

Owns the method names and shapes every backend shares. No implementations here.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NotRequired, Protocol, TypedDict

from chalicelib.policies.filters import PolicyChunk, PolicyFilter

if TYPE_CHECKING:
    from chalicelib.agent.turns import Turn
    from chalicelib.policies.normalize import Policy


class Embedder(Protocol):
    """Turns texts into normalized vectors of a fixed dimension."""

    model_id: str
    dimension: int

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """Embed passages to be searched (one vector per text, same order)."""
        ...

    def embed_query(self, text: str) -> list[float]:
        """Embed a search query."""
        ...


# --- Accounts, profiles, bookmarks, documents -------------------------------------------------

Record = dict[str, Any]
"""A stored aggregate as a mapping of its field names (snake_case) to values."""


class IdentityProvider(Protocol):
    """The account operations FinQ needs from its identity provider (Cognito)."""

    def sign_up(self, email: str, password: str) -> dict[str, Any]:
        """Register a login; return ``{"sub", "email", "confirmed"}``."""
        ...

    def confirm(self, email: str, code: str) -> None:
        """Confirm a sign-up with the mailed code."""
        ...

    def log_in(self, email: str, password: str) -> dict[str, Any]:
        """Return ``{"id_token", "access_token", "refresh_token", "expires_in"}``."""
        ...

    def refresh(self, refresh_token: str) -> dict[str, Any]:
        """Return fresh ID and access tokens."""
        ...

    def sign_out_everywhere(self, username: str) -> None:
        """Revoke every refresh token of a login."""
        ...

    def delete_user(self, username: str) -> None:
        """Delete a login (a login that is already gone is not an error)."""
        ...

    def set_first_password(
        self, email: str, temporary_password: str, new_password: str
    ) -> dict[str, Any]:
        """Sign in an invited login with its temporary password, set its own; return tokens."""
        ...


class UserRepository(Protocol):
    """FinQ users and their profiles, keyed by the identity provider's subject."""

    def ensure(self, sub: str, email: str) -> Record | None:
        """Return the user, creating it on first sight; None for a deleted account."""
        ...

    def get(self, sub: str) -> Record | None:
        """Return the user, or None."""
        ...

    def update_profile(self, sub: str, profile: dict[str, Any]) -> Record:
        """Replace the profile fields of an existing user and return the user."""
        ...

    def is_deleted(self, sub: str) -> bool:
        """Whether the subject belongs to a deleted account."""
        ...

    def delete(self, sub: str) -> bool:
        """Delete the user and all they own, leaving a tombstone; True if a user went."""
        ...


class BookmarkRepository(Protocol):
    """A user's saved policies, document progress and sent reminders; always per user."""

    def list_for_user(self, user_sub: str) -> list[Record]:
        """Return the user's bookmarks with their policy fields and ``total``/``done`` counts."""
        ...

    def get(self, user_sub: str, plcy_no: str) -> Record | None:
        """Return one bookmark, or None."""
        ...

    def add(self, user_sub: str, plcy_no: str, status: str) -> bool:
        """Save a policy; False when it was already saved."""
        ...

    def set_status(self, user_sub: str, plcy_no: str, status: str) -> bool:
        """Change a bookmark's status; False when there is no such bookmark."""
        ...

    def remove(self, user_sub: str, plcy_no: str) -> bool:
        """Delete a bookmark and its document progress; False when there was none."""
        ...

    def checklist(self, user_sub: str, plcy_no: str) -> list[Record]:
        """Return the policy's documents with this user's progress on each."""
        ...

    def set_progress(self, user_sub: str, plcy_no: str, document_id: int, status: str) -> bool:
        """Record progress on one document; False when the document is not the policy's."""
        ...

    def due_reminders(self, today: str, thresholds: tuple[int, ...]) -> list[Record]:
        """Return saved, not yet applied policies closing in exactly one of ``thresholds`` days."""
        ...

    def record_reminder(self, user_sub: str, plcy_no: str, threshold: int, apply_end: str) -> bool:
        """Record a reminder before it is sent; False when it was already recorded."""
        ...

    def forget_reminder(self, user_sub: str, plcy_no: str, threshold: int, apply_end: str) -> None:
        """Forget a recorded reminder whose mail could not be sent (so a re-run retries it)."""
        ...


class Ocr(Protocol):
    """Reads the text of an uploaded attachment."""

    def extract_text(self, bucket: str, key: str) -> str:
        """Return the text of the object (empty when it holds none)."""
        ...


class Invoker(Protocol):
    """Starts another of FinQ's functions without waiting for it."""

    def invoke_async(self, payload: dict[str, Any]) -> None:
        """Hand ``payload`` to the function; return once it is accepted."""
        ...


# --- Policies: the policy index, the policy repository, discovery queries, the blob store ---

PolicyRow = dict[str, Any]


class PolicyIndex(Protocol):
    """The vector index of policy chunks: filtered meaning search."""

    backend: str
    """A short name of the backend, used to label the time spent in it."""

    def ensure(self) -> bool:
        """Create (or rebuild) and load the index; True when it was (re)created empty."""
        ...

    def exists(self) -> bool:
        """Return True when the index exists, without creating it."""
        ...

    def drop(self) -> None:
        """Delete the index and everything in it (a missing index is fine)."""
        ...

    def upsert(self, chunks: Sequence[PolicyChunk]) -> None:
        """Insert or replace chunks by ``chunk_id``."""
        ...

    def delete_policies(self, plcy_nos: Iterable[str]) -> None:
        """Remove every chunk of the given policies."""
        ...

    def flush(self) -> None:
        """Make what was written durable and fast to search."""
        ...

    def count(self) -> int:
        """Return the number of chunks stored."""
        ...

    def searchable_policies(self) -> int:
        """Return how many approved policies a search can find."""
        ...

    def indexed_policies(self) -> set[str]:
        """Return the plcy_no of every policy with at least one chunk."""
        ...

    def search(
        self, vector: list[float], filters: PolicyFilter, *, today: date, limit: int
    ) -> list[tuple[str, float]]:
        """Return ``(plcy_no, score)`` of approved policies passing ``filters``, best first."""
        ...


class PolicyRepository(Protocol):
    """Stored policies, their required documents and the ingestion-run ledger."""

    def hashes(self, plcy_nos: Sequence[str]) -> dict[str, PolicyRow]:
        """Return ``{plcy_no: {content_hash, indexed_hash, status}}`` for known policies."""
        ...

    def upsert(self, policies: Sequence[Policy]) -> None:
        """Insert or update policies and their documents, atomically per call."""
        ...

    def snapshots(self, plcy_nos: Sequence[str]) -> dict[str, PolicyRow]:
        """Return ``{plcy_no: {raw, status, content_hash, updated_at}}`` of stored versions."""
        ...

    def mark_indexed(self, hashes: dict[str, str | None]) -> None:
        """Record which content hash of each policy the index holds (None: not indexed)."""
        ...

    def mark_seen(self, plcy_nos: Iterable[str], sync_id: int) -> None:
        """Record that full sync ``sync_id`` listed these policies."""
        ...

    def withdraw_unseen(self, sync_id: int) -> list[str]:
        """Withdraw every policy full sync ``sync_id`` did not list; return those withdrawn."""
        ...

    def unseen(self, sync_id: int) -> list[PolicyRow]:
        """Policies ``withdraw_unseen`` would withdraw (plcy_no, status, hash, updated_at)."""
        ...

    def drifted(self, limit: int) -> list[PolicyRow]:
        """Policies whose index state disagrees with the store (plcy_no, raw, status)."""
        ...

    def reset_index_marks(self) -> None:
        """Forget what the index holds: every active policy is re-indexed."""
        ...

    def forget_unindexed(self, indexed: set[str]) -> int:
        """Clear the index mark of policies the index does not hold; return how many."""
        ...

    def index_expectation(self) -> int:
        """Return how many policies should be searchable (active and approved)."""
        ...

    def documents(self, plcy_no: str) -> list[PolicyRow]:
        """Return a policy's required documents in order (id, position, name)."""
        ...

    def start_run(self, source: str, full_sync: bool) -> int:
        """Open an ingestion run and return its id."""
        ...

    def finish_run(self, run_id: int, report: dict[str, Any]) -> None:
        """Store a run's outcome."""
        ...

    def heartbeat(self, run_id: int) -> None:
        """Note that a run is still working."""
        ...

    def running_runs(self) -> list[PolicyRow]:
        """Runs still marked running: id, source, full_sync, owner, silent_seconds."""
        ...

    def abandon_runs(self, run_ids: list[int]) -> list[PolicyRow]:
        """Mark runs whose process died as abandoned; return those changed."""
        ...

    def run(self, run_id: int) -> PolicyRow | None:
        """Return one ingestion run."""
        ...


class DiscoveryQueries(Protocol):
    """Read-only, filtered policy queries behind the discovery API."""

    def page(
        self, filters: PolicyFilter, today: date, sort: str, after: list[Any] | None, limit: int
    ) -> list[PolicyRow]:
        """Return up to ``limit`` policies after the keyset ``after`` in ``sort`` order."""
        ...

    def among(self, numbers: list[str], filters: PolicyFilter, today: date) -> dict[str, PolicyRow]:
        """Return those of ``numbers`` that pass ``filters``, keyed by plcy_no."""
        ...

    def name_matches(
        self, text: str, filters: PolicyFilter, today: date, limit: int = 50
    ) -> list[PolicyRow]:
        """Policies named exactly ``text`` (``exact``) or carrying it as a keyword."""
        ...

    def detail(self, plcy_no: str) -> PolicyRow | None:
        """Return one searchable policy, or None."""
        ...

    def candidates_for(self, filters: PolicyFilter, today: date, limit: int) -> list[PolicyRow]:
        """Open or always-open policies passing ``filters``, soonest deadline first."""
        ...

    def catalogue(self) -> list[PolicyRow]:
        """Every searchable policy's ``plcy_no``, ``name``, ``keywords`` and ``apply_method``."""
        ...

    def catalogue_version(self) -> str:
        """A value that changes whenever a searchable policy is added, changed or withdrawn."""
        ...


class BlobStore(Protocol):
    """A bucket of named objects (S3)."""

    name: str

    def read(self, key: str) -> bytes:
        """Return an object's bytes (NotFound when missing)."""
        ...

    def write(self, key: str, body: bytes, content_type: str = "application/json") -> None:
        """Store an object."""
        ...

    def etag(self, key: str) -> str | None:
        """Return an object's ETag (the MD5 of a single-part body), or None when it is missing."""
        ...

    def delete(self, key: str) -> None:
        """Remove an object (missing is fine)."""
        ...

    def keys(self, prefix: str) -> Iterator[str]:
        """Yield every key under ``prefix`` in lexicographic order."""
        ...


# ---------------------------------------------------------------------------------------------
# Advisor chat: the chat model, chat storage, WebSocket frames and connections.
# ---------------------------------------------------------------------------------------------

Row = Record
"""A stored chat or message (the same mapping of field names to values as ``Record``)."""


class AnswerPlan(TypedDict):
    """What the advisor answers this turn, decided above the provider (JSON-safe, checkpointed).

    ``kind``: policy, comparison, recommendation, not_found, clarify, crisis, decline, human,
    about or small_talk. ``lead`` is written by the graph before the model's text (the crisis
    lines: they come first whatever the model does). ``sections`` is the grounded answer in
    order (``{"kind", "title", "lines"}``) and ``text`` its rendering after the lead;
    ``policies`` the policies the answer is about, with verdicts and exclusions labelled;
    ``related`` policies suggested after the answer; ``facts`` what the person stated;
    ``citations`` exactly the policies the answer is about.
    """

    kind: str
    language: str
    asks: list[str]
    message: str
    lead: str
    text: str
    sections: list[dict[str, Any]]
    policies: list[dict[str, Any]]
    related: list[dict[str, Any]]
    facts: dict[str, Any]
    citations: list[dict[str, Any]]


class ChatModel(Protocol):
    """The advisor's language model: it may refine a turn's reading and writes the answer.

    Turn understanding, the conversation's focus, verdicts and the answer plan are decided
    above this port (the same for every provider). Every call takes a caller-provided ``usage``
    dict and adds to it (never replaces it) the tokens the call consumed: ``input_tokens`` and
    ``output_tokens``, each created on first use. A call that consumed nothing may leave the
    dict untouched; ``stream_answer`` adds its counts as the stream is consumed (so read
    ``usage`` after draining it).
    """

    model_id: str

    def understand(self, turn: Turn, usage: dict[str, int]) -> Turn:
        """Return ``turn`` (the rule-based reading of one message), refined or as it is."""
        ...

    def stream_answer(self, plan: AnswerPlan, usage: dict[str, int]) -> Iterator[str]:
        """Stream the answer's text pieces for ``plan`` (after its ``lead``, never repeating it)."""
        ...


@dataclass(frozen=True)
class NewsItem:
    """One web news result: shown apart from the policies, never evidence about them."""

    title: str
    url: str
    source: str  # the publisher's domain, e.g. "news.example.co.kr"
    published: date | None
    snippet: str


class NewsSearch(Protocol):
    """Recent web news (Tavily in both modes when a key is set; off without one).

    ``search`` never raises: a timeout, an error answer or an unreachable service is logged
    and gives ``[]``, as does a search while ``enabled`` is False.
    """

    enabled: bool

    def search(
        self, query: str, *, max_results: int = 3, days: int | None = None
    ) -> builtins.list[NewsItem]:
        """Return up to ``max_results`` news items for ``query`` from the last ``days`` days."""
        ...


class ChatRepository(Protocol):
    """Chats, their messages and each user's daily token ledger; always scoped by owner."""

    def create(self, user_sub: str, title: str) -> Row:
        """Create a chat; return ``id``, ``title``, ``handoff``, ``created_at``, ``updated_at``."""
        ...

    def list(self, user_sub: str, limit: int = 100) -> builtins.list[Row]:
        """Return the user's chats, most recently active first."""
        ...

    def get(self, user_sub: str, chat_id: str) -> Row | None:
        """Return one chat of the user's, or None (also for another user's chat)."""
        ...

    def delete(self, user_sub: str, chat_id: str) -> bool:
        """Delete a chat and its messages; False when it is not the user's."""
        ...

    def add_message(self, chat_id: str, role: str, content: str, **fields: Any) -> Row:
        """Append a message and touch the chat.

        ``fields``: ``citations``, ``news`` (web news shown apart), ``model``,
        ``input_tokens``, ``output_tokens``, ``latency_ms``, ``error`` (all optional). Returns
        the stored row.
        """
        ...

    def messages(self, chat_id: str, before: int | None, limit: int) -> builtins.list[Row]:
        """Return a page of messages, newest first, older than message id ``before``."""
        ...

    def reserve_tokens(
        self, user_sub: str, day: date, since: datetime, tokens: int, budget: int, hold: int
    ) -> Row:
        """Hold ``tokens`` of the day while used + live holds < ``budget``, atomically.

        Returns ``used``, ``reserved`` and ``granted``; the day's ledger starts from the tokens
        of messages stored since ``since``; a hold stops counting ``hold`` seconds later.
        """
        ...

    def budget_state(self, user_sub: str, day: date, since: datetime) -> Row:
        """Return the day's ``used`` and live ``reserved`` tokens (``granted`` False)."""
        ...

    def settle_tokens(self, user_sub: str, day: date, held: int, spent: int) -> None:
        """Replace a turn's hold of ``held`` tokens by what it spent (0 releases it)."""
        ...

    def set_handoff(self, chat_id: str, handoff: dict[str, Any]) -> None:
        """Record that the user asked for a human (and where the request went)."""
        ...


class FrameSender(Protocol):
    """Sends JSON frames to WebSocket clients; raises errors.ConnectionGone for a gone one."""

    def send(self, connection_id: str, frame: dict[str, Any]) -> None:
        """Send one frame (an oversized message's content is dropped, not the frame)."""
        ...


class ConnectionStore(Protocol):
    """Which verified user each open WebSocket connection belongs to."""

    def put(self, connection_id: str, user_sub: str) -> None:
        """Record a verified connection."""
        ...

    def user_of(self, connection_id: str) -> str | None:
        """Return the user of a live connection, or None."""
        ...

    def mark_gone(self, connection_id: str) -> None:
        """Note a disconnect; keep the mapping briefly for a message still in flight."""
        ...

    def delete(self, connection_id: str) -> None:
        """Forget a connection (idempotent)."""
        ...


# --- AI inquiry desk -------------------------------------------------------------------------
# Tenants, inquiries and their entries travel as plain records (``DeskRecord``): the stored
# fields of the item without any table key attribute; the DynamoDB adapter owns the keys.

DeskRecord = dict[str, Any]


class TextAnalysis(TypedDict):
    """What an Analyzer finds in a text (sentiment in Comprehend's labels)."""

    language: str
    sentiment: str
    scores: dict[str, float]


class DraftAnswer(TypedDict):
    """A Drafter's answer to an inquiry, its confidence (0-1), FAQ source and token usage.

    ``answers_question``: the drafter's judgement that an FAQ entry answers THIS question (not
    merely its topic); ``entry_index``: that entry's position in the tenant's FAQ; ``match``:
    how the confidence was reached (the offline drafter's parts), for staff and the evaluation.
    """

    answer: str
    confidence: float
    source: str | None
    usage: dict[str, int]
    answers_question: NotRequired[bool]
    entry_index: NotRequired[int | None]
    match: NotRequired[dict[str, Any]]


class DeskTenantRepository(Protocol):
    """Tenants of the desk and their API keys (stored as hashes only)."""

    def put_tenant(self, tenant: DeskRecord) -> None:
        """Create a tenant; Conflict when its id exists."""
        ...

    def update_tenant(self, tenant_id: str, fields: DeskRecord) -> None:
        """Replace some fields of an existing tenant."""
        ...

    def tenant(self, tenant_id: str) -> DeskRecord | None:
        """Return a tenant, or None."""
        ...

    def tenant_with_queue(self, tenant_id: str) -> DeskRecord | None:
        """Return a tenant with ``open_inquiries`` (its open-queue count) in one read, or None."""
        ...

    def put_key(self, tenant_id: str, key_id: str, key_hash: str, created_at: str) -> None:
        """Store an API key's hash for a tenant."""
        ...

    def tenant_of_key(self, key_hash: str) -> str | None:
        """Return the tenant an API key hash belongs to, or None."""
        ...

    def delete_key(self, tenant_id: str, key_id: str) -> bool:
        """Revoke a tenant's key; False when the tenant has no such key."""
        ...


class InquiryRepository(Protocol):
    """Inquiries, their entries (AI responses, messages, replies, attachments), the open queue."""

    def put_inquiry(self, inquiry: DeskRecord, idempotency: str | None) -> DeskRecord:
        """Store a new inquiry; a repeated idempotency key returns the first, ``replayed``."""
        ...

    def inquiry(self, tenant_id: str, inquiry_id: str) -> DeskRecord | None:
        """Return an inquiry of this tenant, or None (also for another tenant's)."""
        ...

    def update_inquiry(self, inquiry_id: str, expected_status: str, fields: DeskRecord) -> None:
        """Update an inquiry whose status is still ``expected_status``; Conflict otherwise."""
        ...

    def add_entry(self, inquiry_id: str, kind: str, entry: DeskRecord) -> None:
        """Append an entry (``AI_RESPONSE``, ``MESSAGE``, ``REPLY``) to an inquiry."""
        ...

    def put_attachment(self, inquiry_id: str, attachment: DeskRecord) -> None:
        """Store or replace an attachment record (keyed by its ``entry_id``)."""
        ...

    def attachment(self, inquiry_id: str, attachment_id: str) -> DeskRecord | None:
        """Return one attachment record, or None."""
        ...

    def entries(self, inquiry_id: str) -> list[DeskRecord]:
        """Return an inquiry's entries and attachments, oldest first."""
        ...

    def page(
        self,
        tenant_id: str,
        limit: int,
        cursor: str | None,
        since: str | None = None,
        until: str | None = None,
    ) -> tuple[list[DeskRecord], str | None]:
        """Return a page of a tenant's inquiries, newest first, and the next page's cursor."""
        ...

    def list_inquiries(
        self,
        tenant_id: str,
        status: str | None,
        priority: str | None,
        limit: int,
        cursor: str | None,
    ) -> tuple[list[DeskRecord], str | None]:
        """Return a page of the staff list (newest first, filtered) and the next cursor."""
        ...

    def open_count(self, tenant_id: str) -> int:
        """Return how many of a tenant's inquiries wait for a human."""
        ...

    def adjust_open(self, tenant_id: str, delta: int) -> None:
        """Move the tenant's open-queue counter by ``delta``."""
        ...

    def claim_step(self, inquiry_id: str, step: str) -> bool:
        """Claim a once-only step of an inquiry (a notice); False when it was claimed before."""
        ...

    def release_step(self, inquiry_id: str, step: str) -> None:
        """Give a claim back (its effect failed, so a retry may run it)."""
        ...

    def undecided(self, before: str, limit: int) -> list[DeskRecord]:
        """Return open inquiries created before ``before`` that no worker has decided yet."""
        ...


class RateCounter(Protocol):
    """Hit counters of rate-limit windows."""

    def count_hit(self, scope: str, window_start: int, ttl: int) -> int:
        """Add one hit to ``scope``'s window; return the new count."""
        ...


class DeskRepository(DeskTenantRepository, InquiryRepository, RateCounter, Protocol):
    """Everything the desk stores (one table in AWS)."""


class Drafter(Protocol):
    """Drafts an inquiry's answer from the tenant's FAQ and context."""

    model_id: str

    def draft(self, inquiry: DeskRecord, tenant: DeskRecord) -> DraftAnswer:
        """Return a draft answer with its confidence."""
        ...


class Analyzer(Protocol):
    """Finds a text's language and sentiment."""

    def analyze(self, text: str) -> TextAnalysis:
        """Return the language and sentiment of ``text``."""
        ...


class Mailer(Protocol):
    """Sends plain-text mail."""

    def send(self, to: str, subject: str, body: str) -> str:
        """Send one message; return its id."""
        ...


class Notifier(Protocol):
    """Publishes JSON notifications to a topic."""

    def publish(self, topic_arn: str, subject: str, message: dict[str, Any]) -> str:
        """Publish one notification; return its id."""
        ...


# --- Desk pipeline: the work queue between submission and the worker ---------------------------


class WorkQueue(Protocol):
    """A queue of JSON messages for a worker (SQS); delivery is at least once."""

    def send(self, message: dict[str, Any]) -> None:
        """Enqueue one message; return once the queue has accepted it."""
        ...


# --- Desk: a tenant's staff logins and the desk's custom metrics (issue 12) --------------------


class StaffMember(TypedDict):
    """A login as a tenant admin sees it: never a password, token or other attribute."""

    username: str
    email: str
    enabled: bool
    status: str
    created_at: str | None


class Invitation(TypedDict):
    """Who invites a person to which tenant's desk (what an invitation mail can tell them)."""

    tenant_id: str
    tenant_name: str
    invited_by: str


class InvitationSender(Protocol):
    """Delivers a new login's invitation with its temporary password (never stored or logged)."""

    def send(self, email: str, temporary_password: str, invitation: Invitation) -> None:
        """Tell ``email`` how to sign in for the first time; raise when it cannot be delivered."""
        ...


class StaffDirectory(Protocol):
    """The identity provider's logins and groups, as tenant admins manage their staff."""

    def member(self, username: str) -> StaffMember | None:
        """Return a login, or None when there is none."""
        ...

    def invite(self, email: str, invitation: Invitation) -> StaffMember:
        """Create a login for ``email`` and have it invited (mailed); Conflict when it exists.

        No login is left behind when the invitation cannot be delivered.
        """
        ...

    def reinvite(self, username: str, invitation: Invitation) -> StaffMember:
        """Invite again a login that has not set its password: a new temporary password, mailed.

        The earlier temporary password stops working. Only for FORCE_CHANGE_PASSWORD logins.
        """
        ...

    def groups_of(self, username: str) -> builtins.list[str]:
        """Return the groups a login is in."""
        ...

    def add_to_group(self, username: str, group: str) -> None:
        """Put a login in a group (a member already in it stays)."""
        ...

    def remove_from_group(self, username: str, group: str) -> None:
        """Take a login out of a group (one not in it is fine)."""
        ...

    def set_enabled(self, username: str, enabled: bool) -> None:
        """Enable or disable a login (a disabled login cannot sign in)."""
        ...

    def members(self, group: str) -> builtins.list[StaffMember]:
        """Return every login in a group, by email."""
        ...


class Metrics(Protocol):
    """Custom metrics of the desk (CloudWatch in AWS, via the log in its embedded format)."""

    def emit(
        self,
        namespace: str,
        dimensions: dict[str, str],
        values: dict[str, tuple[float, str]],
        properties: dict[str, Any] | None = None,
    ) -> None:
        """Record ``values`` (name -> (value, unit)) under ``dimensions`` at once."""
        ...


# --- Alerts for saved policies (issue 14) ------------------------------------------------------


class NotificationRepository(Protocol):
    """Policy changes and the notifications of the people who saved those policies."""

    def record_change(self, change: Record) -> int | None:
        """Store a change and notify every saver of its policy, atomically.

        ``change``: plcy_no, source, changes, dedupe_key, run_id, url. Returns the change's
        id, or None when a change with the same ``(plcy_no, dedupe_key)`` was already stored
        (nothing new is made).
        """
        ...

    def page(self, user_sub: str, before_id: int | None, limit: int) -> builtins.list[Record]:
        """Return up to ``limit`` of a user's notifications below ``before_id``, newest first."""
        ...

    def unread_count(self, user_sub: str) -> int:
        """Return how many of a user's notifications are unread."""
        ...

    def language(self, user_sub: str) -> str:
        """Return the language a user reads FinQ in (``ko`` when unknown)."""
        ...

    def mark_read(self, user_sub: str, notification_id: int) -> bool:
        """Mark one of the user's notifications read; False when it is not theirs."""
        ...

    def mark_all_read(self, user_sub: str) -> int:
        """Mark every notification of the user read; return how many changed."""
        ...

    def claim_mail(self, limit: int) -> builtins.list[Record]:
        """Move up to ``limit`` notifications from pending to sending and return them.

        Each comes with the user's email and language, the policy's name and the change.
        """
        ...

    def finish_mail(self, notification_ids: builtins.list[int], status: str) -> None:
        """Settle claimed notifications: ``sent``, ``skipped`` or ``retry``.

        ``retry`` makes them pending again, or failed after the third attempt.
        """
        ...

    def saved_policies(self) -> builtins.list[Record]:
        """Return plcy_no and name of every active policy someone saved."""
        ...
