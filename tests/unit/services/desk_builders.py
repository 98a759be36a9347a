"""Shared builders for the desk's service unit tests: services over the in-memory fakes."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from chalicelib.services.desk.inquiries import InquiryService
from chalicelib.services.desk.notices import DeskNotices
from chalicelib.services.desk.pipeline import InquiryPipeline
from chalicelib.services.desk.staff import StaffDesk
from chalicelib.services.desk.tenants import TenantService
from tests.fakes.desk import (
    InMemoryDeskRepository,
    RecordingMailer,
    RecordingMetrics,
    RecordingNotifier,
    RecordingQueue,
    ScriptedAnalyzer,
    ScriptedDrafter,
)

TOPIC = "arn:aws:sns:ap-northeast-2:123456789012:escalations"
FAQ = [{"question": "환불은 어떻게 받나요?", "answer": "FAQ answer"}]


@dataclass
class Desk:
    """The desk's services over fakes, with the fakes at hand."""

    repo: InMemoryDeskRepository = field(default_factory=InMemoryDeskRepository)
    analyzer: ScriptedAnalyzer = field(default_factory=ScriptedAnalyzer)
    drafter: ScriptedDrafter = field(default_factory=ScriptedDrafter)
    mailer: RecordingMailer = field(default_factory=RecordingMailer)
    notifier: RecordingNotifier = field(default_factory=RecordingNotifier)
    queue: RecordingQueue = field(default_factory=RecordingQueue)
    metrics: RecordingMetrics = field(default_factory=RecordingMetrics)
    groups: list[str] = field(default_factory=list)
    max_receives: int = 3

    def __post_init__(self) -> None:
        self.tenants = TenantService(self.repo, self.groups.append)
        notices = DeskNotices(self.mailer, self.notifier)
        self.inquiries = InquiryService(self.repo, self.tenants, self.queue, notices, self.metrics)
        self.pipeline = InquiryPipeline(
            self.repo,
            self.tenants,
            (self.analyzer, self.drafter),
            notices,
            confidence_threshold=0.6,
            max_receives=self.max_receives,
            metrics=self.metrics,
        )
        self.staff = StaffDesk(self.repo, self.tenants, notices)

    def work(self, receives: int = 1) -> list[str | None]:
        """Deliver every queued message to the worker once; return the statuses it left."""
        return [self.pipeline.deliver(json.dumps(m), receives) for m in self.queue.take()]

    def view(self, tenant_id: str, inquiry_id: str) -> dict[str, Any]:
        return self.inquiries.get(tenant_id, inquiry_id)

    def tenant(self, tier: str = "basic") -> str:
        data = {"name": "Acme", "tier": tier, "staff_email": "staff@acme.test", "faq": FAQ}
        return str(self.tenants.create_tenant({**data, "sns_topic_arn": TOPIC})["tenant_id"])

    def submit(self, tenant_id: str, **fields: Any) -> dict[str, Any]:
        """Submit an inquiry and let the worker process it; return the customer's view."""
        accepted = self.accept(tenant_id, **fields)
        self.work()
        return self.view(tenant_id, accepted["inquiry_id"])

    def accept(self, tenant_id: str, key: str | None = None, **fields: Any) -> dict[str, Any]:
        """Submit an inquiry only (the worker has not run); return the submission's answer."""
        body = {"customer_email": "c@example.com", "category": "general", "title": "환불 문의"}
        return self.inquiries.submit(tenant_id, {**body, "content": "환불은?", **fields}, key)
