"""Test fixtures: one real local stack per test session (embedded PostgreSQL, Milvus Lite's
server, moto's server), reached over the same code paths as production.
"""

from __future__ import annotations

import os

# Local mode and dummy AWS credentials before anything imports app or boto3, so an accidental
# call to real AWS fails fast instead of touching an account.
os.environ["FINQ_MODE"] = "local"
os.environ["FINQ_STAGE"] = (
    "local"  # as .chalice config's local stage, which the test client applies
)
os.environ["AWS_ACCESS_KEY_ID"] = "testing"
os.environ["AWS_SECRET_ACCESS_KEY"] = "testing"  # noqa: S105 - moto's dummy
os.environ["AWS_DEFAULT_REGION"] = "ap-northeast-2"
os.environ.pop("AWS_PROFILE", None)
os.environ.pop("AWS_SESSION_TOKEN", None)

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from chalice.test import Client  # noqa: E402

from chalicelib import providers  # noqa: E402
from chalicelib.settings import Settings, get_settings  # noqa: E402
from devstack.bootstrap import bootstrap  # noqa: E402
from devstack.services import LocalServices, free_port  # noqa: E402

_STACK_ENV: dict[str, str] = {}


@pytest.fixture(scope="session")
def local_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """Start the local parts once for the session, in a temporary FINQ_HOME on free ports."""
    home = tmp_path_factory.mktemp("finq-home")
    _STACK_ENV.update(
        FINQ_HOME=str(home),
        FINQ_AWS_PORT=str(free_port()),
        FINQ_MILVUS_PORT=str(free_port()),
        FINQ_PORT=str(free_port()),
        FINQ_WS_PORT=str(free_port()),
        FINQ_WS_CALLBACK_PORT=str(free_port()),
    )
    os.environ.update(_STACK_ENV)
    providers.reset()
    settings = get_settings()
    services = LocalServices(settings)
    services.start()
    try:
        bootstrap(settings, providers.container())
        yield settings
    finally:
        providers.reset()
        services.stop()


@pytest.fixture(autouse=True)
def _fresh_caches(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Give each test fresh settings and providers, with the stack's environment restored."""
    for key, value in _STACK_ENV.items():
        monkeypatch.setenv(key, value)
    providers.reset()
    yield
    providers.reset()


_TABLES = (
    "messages, chats, document_progress, user_policies, required_documents,"
    " youth_policies, users, ingestion_runs, reminders_sent, graph_checkpoints, graph_blobs,"
    " graph_writes, policy_changes, notifications"
)


@pytest.fixture
def stack(local_stack: Settings) -> Iterator[providers.Container]:
    """The providers container on the running stack; PostgreSQL rows are wiped afterwards."""
    container = providers.container()
    yield container
    providers.container().database.execute(f"TRUNCATE {_TABLES} RESTART IDENTITY CASCADE")


@pytest.fixture
def client(stack: providers.Container) -> Iterator[Client]:
    """Chalice's test client over app.py, run from the project root (where .chalice is)."""
    os.chdir(Path(__file__).resolve().parent.parent)
    from app import app

    with Client(app, stage_name="local") as test_client:
        yield test_client


@pytest.fixture
def policy_stack(stack: providers.Container) -> Iterator[providers.Container]:
    """The stack with no policies anywhere: Milvus collection, bucket and event queue emptied."""

    def empty() -> None:
        # A test may reset the providers (closing their clients): use the current container's.
        providers.container().policy_index.drop()
        bucket = stack.policy_bucket
        for key in list(bucket.keys("")):
            bucket.delete(key)
        sqs = stack.aws_client("sqs")
        queue = str(stack.settings.policy_events_queue_name)
        url = sqs.get_queue_url(QueueName=queue)["QueueUrl"]
        # PurgeQueue is allowed once a minute (moto enforces it too): delete one by one.
        while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages"):
            for message in messages:
                sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])

    empty()
    yield stack
    empty()


@pytest.fixture
def ws_gateway(stack: providers.Container) -> Iterator[str]:
    """The local WebSocket gateway over app.py's handlers; yields its ws:// URL."""
    from app import ws_connect, ws_disconnect, ws_message
    from devstack.ws_gateway import LocalWebSocketGateway

    settings = stack.settings
    gateway = LocalWebSocketGateway(
        {"connect": ws_connect, "message": ws_message, "disconnect": ws_disconnect},
        host=settings.host,
        port=settings.ws_port,
        callback_port=settings.ws_callback_port,
    )
    gateway.start()
    yield f"ws://{settings.host}:{settings.ws_port}"
    gateway.stop()
