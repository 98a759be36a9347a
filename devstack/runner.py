"""The local runner behind ``make run`` and ``make services``.

Owns the order of start-up (parts, bootstrap, demo data, servers), the banner that says what is
served where, and shutdown of everything it started. The REST API it serves is ``chalice local``
itself, run as a child process: the runner is a convenience over it, not another server.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import secrets
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from chalicelib import providers
from chalicelib.errors import Conflict
from chalicelib.services.policy_sync import STALE_RUN_SECONDS
from chalicelib.settings import PROJECT_ROOT, Settings, get_settings
from devstack.bootstrap import bootstrap, seed_sample_policies
from devstack.events import QueuePoller
from devstack.services import LocalServices, port_open

_log = logging.getLogger(__name__)  # not "finq": Chalice sets that one to ERROR

DEMO_USER_EMAIL = "demo@finq.local"


def ensure_demo_credentials(settings: Settings, container: Any) -> dict[str, Any]:
    """Create the demo accounts once; store and return them (``.finq/demo-credentials.json``)."""
    path = settings.home / "demo-credentials.json"
    credentials: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {}
    user = credentials.get("user") or {
        "email": DEMO_USER_EMAIL,
        "password": "Demo-" + secrets.token_urlsafe(9) + "1a",
    }
    try:
        container.accounts.sign_up(user["email"], user["password"])
    except Conflict:
        pass  # created by an earlier run (moto's state is persisted)
    credentials["user"] = user
    credentials.update(_ensure_demo_tenant(container, credentials))
    path.write_text(json.dumps(credentials, indent=2, ensure_ascii=False) + "\n")
    path.chmod(0o600)
    return credentials


DEMO_FAQ = [
    {
        "question": "비밀번호를 잊어버렸어요. 어떻게 재설정하나요?",
        "answer": "로그인 화면의 '비밀번호 찾기'를 누르고 가입한 이메일을 입력하시면 재설정 링크를 보내 드립니다. 링크는 30분 동안 유효합니다.",
    },
    {
        "question": "환불은 어떻게 받나요?",
        "answer": "결제 후 7일 이내에는 '내 정보 > 결제 내역'에서 환불을 신청하실 수 있고, 영업일 기준 3일 안에 처리됩니다.",
    },
    {
        "question": "영수증이나 세금계산서를 받을 수 있나요?",
        "answer": "'내 정보 > 결제 내역'에서 각 결제의 영수증을 PDF로 내려받으실 수 있습니다. 세금계산서는 사업자 정보를 등록하면 매월 자동 발행됩니다.",
    },
    {
        "question": "How do I change my email address?",
        "answer": "Go to Settings > Account > Email, enter the new address and confirm it with the code we send you.",
    },
]


def _ensure_demo_tenant(container: Any, credentials: dict[str, Any]) -> dict[str, Any]:
    """Create, once, a demo tenant with a sample FAQ, its API key, staff, and admin users."""
    desk = container.desk_tenants
    tenant_id = credentials.get("tenant_id")
    if tenant_id is None or not desk.exists(tenant_id):
        topic = container.aws_client("sns").create_topic(Name="finq-local-escalations")["TopicArn"]
        tenant = desk.create_tenant(
            {
                "name": "FinQ 데모 쇼핑몰",
                "domain_context": "온라인 쇼핑몰 고객센터: 주문, 결제, 환불, 계정 문의",
                "faq": DEMO_FAQ,
                "tier": "pro",
                "staff_email": "staff@finq.local",
                "sns_topic_arn": topic,
            }
        )
        tenant_id = tenant["tenant_id"]
        credentials["api_key"] = desk.create_key(tenant_id)["api_key"]
    operator_staff = f"tenant-{container.settings.operator_tenant_id}-staff"
    # The operator tenant's staff read the advisor chat's requests for a human.
    container.identity_provider.ensure_group(operator_staff)
    accounts = {
        "staff": ("staff@finq.local", f"tenant-{tenant_id}-staff"),
        "admin": ("admin@finq.local", "platform-admins"),
        # The demo tenant's admin manages its staff (/api/admin/staff; platform admins cannot).
        "desk_admin": ("desk-admin@finq.local", f"tenant-{tenant_id}-admin"),
        "operator_staff": ("operator-staff@finq.local", operator_staff),
    }
    result: dict[str, Any] = {"tenant_id": tenant_id, "api_key": credentials.get("api_key")}
    for role, (email, group) in accounts.items():
        login = credentials.get(role) or {
            "email": email,
            "password": "Demo-" + secrets.token_urlsafe(9) + "1a",
        }
        try:
            container.accounts.sign_up(login["email"], login["password"])
        except Conflict:
            pass
        container.identity_provider.add_to_group(login["email"], group)
        result[role] = login
    return result


def _banner(settings: Settings, credentials: dict[str, Any], serving_api: bool) -> str:
    lines = ["", "FinQ local mode is up:"]
    if serving_api:
        lines.append(f"  REST API          http://{settings.host}:{settings.port}/api/health")
        lines.append(
            f"  WebSocket API     ws://{settings.host}:{settings.ws_port}/?token=<id_token>"
            f"  (@connections on :{settings.ws_callback_port})"
        )
    else:
        lines.append(
            "  REST API          not started here: run `chalice local --stage local` "
            f"(serves http://{settings.host}:{settings.port})"
        )
    lines += [
        f"  AWS endpoint      {settings.aws_endpoint_url}  (aws --endpoint-url ...)",
        f"  Milvus            {settings.milvus_uri}",
        f"  PostgreSQL        {settings.pg_data_dir} (database finq, unix socket)",
        f"  Data              {settings.home}",
        f"  Demo user         {credentials['user']['email']} / {credentials['user']['password']}",
        f"  Demo desk tenant  {credentials['tenant_id']}  x-api-key: {credentials['api_key']}",
        f"  Desk staff        {credentials['staff']['email']} / {credentials['staff']['password']}",
        f"  Platform admin    {credentials['admin']['email']} / {credentials['admin']['password']}",
        f"  Desk admin        {credentials['desk_admin']['email']} / "
        f"{credentials['desk_admin']['password']}  (POST /api/admin/staff invites staff)",
        f"  Advisor hand-offs {credentials['operator_staff']['email']} / "
        f"{credentials['operator_staff']['password']}  (GET /api/admin/inquiries)",
        f"  Credentials file  {settings.home / 'demo-credentials.json'}",
        "  Policy data       loading: search and chat find policies once a line below says",
        "                    'FinQ data ready' (/api/health reports the index meanwhile)",
        "Press Ctrl-C to stop everything.",
        "",
    ]
    return "\n".join(lines)


def _chalice_local(settings: Settings) -> subprocess.Popen[bytes]:
    chalice = Path(sys.executable).with_name("chalice")
    argv = [
        str(chalice),
        "local",
        "--stage",
        "local",
        "--host",
        settings.host,
        "--port",
        str(settings.port),
        "--no-autoreload",
    ]
    from devstack.services import _die_with_parent

    return subprocess.Popen(argv, cwd=PROJECT_ROOT, preexec_fn=_die_with_parent)  # noqa: S603


def _start_event_poller(container: Any, resources: dict[str, str]) -> QueuePoller:
    # The same handlers Lambda's SQS triggers call; app is imported here, not at module level,
    # because only the runner process delivers events.
    from app import (
        on_attachment_uploaded,
        on_inquiry_dead_letter,
        on_policy_file_uploaded,
        process_inquiry,
        requeue_pending_inquiries,
    )
    from devstack.events import scheduled_event

    sqs = container.aws_client("sqs")
    # Uploads (S3 -> SQS), the desk's worker and its dead letters, as Lambda's SQS event
    # sources call them.
    poller = QueuePoller(sqs, resources["policy_queue_url"], on_policy_file_uploaded)
    poller.sqs_trigger(resources["attachment_queue_url"], on_attachment_uploaded)
    poller.sqs_trigger(resources["desk_queue_url"], process_inquiry)
    poller.sqs_trigger(resources["desk_dead_letter_queue_url"], on_inquiry_dead_letter)
    # At start, queue again what an earlier run stored but never decided (AWS: every 5 min).
    settings = container.settings
    rule = f"finq-{settings.stage}-requeue_pending_inquiries"
    requeue_pending_inquiries(scheduled_event(rule, settings.region), None)
    poller.start()
    return poller


def _start_ws_gateway(settings: Settings) -> Any:
    # The WebSocket API: the same ws_* handlers Lambda runs, behind a local gateway.
    from app import ws_connect, ws_disconnect, ws_message
    from devstack.ws_gateway import LocalWebSocketGateway

    gateway = LocalWebSocketGateway(
        {"connect": ws_connect, "message": ws_message, "disconnect": ws_disconnect},
        host=settings.host,
        port=settings.ws_port,
        callback_port=settings.ws_callback_port,
        region=settings.region,
    )
    gateway.start()
    return gateway


class _Readiness(threading.Thread):
    """Repair what an earlier run left behind, then say when the policy data is searchable.

    Ready means: no policy file event waiting or in flight, no ingestion running, and the
    index finds every active approved policy in PostgreSQL.
    """

    def __init__(
        self,
        container: Any,
        queue_url: str,
        stop: threading.Event,
        start_events: Callable[[], None],
    ) -> None:
        super().__init__(name="readiness", daemon=True)
        self._container = container
        self._queue_url = queue_url
        self._stop = stop
        self._start_events = start_events

    def run(self) -> None:
        sync = self._container.policy_sync
        try:
            report = sync.recover(STALE_RUN_SECONDS, check_local_pids=True)
            if report["abandoned_runs"] or report["reindexed_chunks"]:
                _log.info(
                    "repaired after the last stop: %d abandoned runs redone, %d chunks re-indexed",
                    len(report["abandoned_runs"]),
                    report["reindexed_chunks"],
                )
        except Exception:  # noqa: BLE001 - readiness keeps watching; health shows the lag
            _log.exception("could not repair the policy index at start")
        # Events are delivered only after the repair, so the two never index the same policy.
        if self._stop.is_set():
            return
        self._start_events()
        while not self._stop.wait(1.0):
            try:
                status = sync.index_status()
                if self._queue_empty() and status["searchable"] >= status["expected"]:
                    _log.info(
                        "FinQ data ready: %d of %d policies searchable",
                        status["searchable"],
                        status["expected"],
                    )
                    return
            except Exception as exc:  # noqa: BLE001 - a part may still be starting
                _log.debug("readiness check failed: %s", exc)

    def _queue_empty(self) -> bool:
        attributes = self._container.sqs.get_queue_attributes(
            QueueUrl=self._queue_url,
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        )["Attributes"]
        return all(int(value) == 0 for value in attributes.values())


def sync_now() -> int:
    """Run the scheduled policy re-sync once, through the schedule's own handler."""
    from app import run_nightly_sync
    from devstack.events import scheduled_event

    settings = get_settings()
    rule = f"finq-{settings.stage}-run_nightly_sync"
    run_nightly_sync(scheduled_event(rule, settings.region), None)
    return 0


def run(serve_api: bool) -> int:
    """Start the local parts (and, if asked, the REST API) until Ctrl-C; return an exit code."""
    settings = get_settings()
    if settings.mode != "local":
        _log.error("the local runner needs FINQ_MODE=local (it is %s)", settings.mode)
        return 2
    if serve_api:
        for name, port in (
            ("FINQ_PORT", settings.port),
            ("FINQ_WS_PORT", settings.ws_port),
            ("FINQ_WS_CALLBACK_PORT", settings.ws_callback_port),
        ):
            if port_open(settings.host, port):
                _log.error("port %d is in use; set %s to another port", port, name)
                return 2
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    services = LocalServices(settings)
    api: subprocess.Popen[bytes] | None = None
    pollers: list[QueuePoller] = []
    gateway: Any = None
    try:
        services.start()
        container = providers.container()
        resources = bootstrap(settings, container)
        credentials = ensure_demo_credentials(settings, container)
        gateway = _start_ws_gateway(settings) if serve_api else None
        seeded = seed_sample_policies(container.policy_bucket, PROJECT_ROOT / "data" / "policies")
        if serve_api:
            api = _chalice_local(settings)
        print(_banner(settings, credentials, serve_api), flush=True)  # noqa: T201 - the banner
        if seeded:
            _log.info("loading sample policies in the background: %s", ", ".join(seeded))
        readiness = _Readiness(
            container,
            resources["policy_queue_url"],
            stop,
            lambda: pollers.append(_start_event_poller(container, resources)),
        )
        readiness.start()
        rounds = 0
        while not stop.wait(0.5):
            if api is not None and api.poll() is not None:
                _log.error("chalice local exited with code %s", api.returncode)
                return api.returncode or 1
            rounds += 1
            if rounds % 6 == 0:  # every 3 s: a part that died comes back on its own
                services.revive()
        return 0
    finally:
        for poller in pollers:
            poller.stop()
        if gateway is not None:
            gateway.stop()
        if api is not None and api.poll() is None:
            api.terminate()
            api.wait(timeout=10)
        providers.reset()
        services.stop()
        _log.info("stopped every local part")


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m devstack``."""
    parser = argparse.ArgumentParser(prog="python -m devstack", description=__doc__)
    parser.add_argument(
        "command",
        choices=["run", "services", "sync"],
        help="run: parts + REST API; services: parts only, for `chalice local`; "
        "sync: run the scheduled policy re-sync now (the parts must be running)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=os.environ.get("FINQ_LOG_LEVEL", "INFO"), format="%(asctime)s %(name)s %(message)s"
    )
    if args.command == "sync":
        return sync_now()
    return run(serve_api=args.command == "run")
