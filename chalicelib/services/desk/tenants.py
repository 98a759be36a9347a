"""Tenants of the inquiry desk, their API keys, and who may act for a tenant.

Owns tenant records (FAQ entries get ids), API keys (stored as SHA-256 hashes, shown once) and
the Cognito groups of a tenant's staff. Storage is a DeskTenantRepository port.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from collections.abc import Callable
from typing import Any

from chalicelib.errors import Forbidden, InvalidInput, NotFound
from chalicelib.ports import DeskRecord, DeskTenantRepository
from chalicelib.services.desk.records import now

PLATFORM_ADMINS = "platform-admins"
# A tenant that names no categories gets these; the weight (0-30) adds to an inquiry's priority.
DEFAULT_CATEGORIES: tuple[dict[str, Any], ...] = (
    {"name": "general", "weight": 0},
    {"name": "account", "weight": 10},
    {"name": "billing", "weight": 15},
    {"name": "technical", "weight": 10},
    {"name": "outage", "weight": 20},
    {"name": "security", "weight": 20},
)
# The advisor chat's hand-off files inquiries under this name at any tenant.
HANDOFF_CATEGORY = "advisor_handoff"


def hash_key(api_key: str) -> str:
    """Return the stored form of an API key (SHA-256; keys are random, so no salt is needed)."""
    return hashlib.sha256(api_key.encode("utf-8")).hexdigest()


# A key names its tenant (fq_<tenant id>.<secret>) so that its check and the tenant's read can
# run at once (services/desk/limits.py); the name is a hint, the stored hash decides.
_NAMING_KEY = re.compile(r"^fq_([A-Za-z0-9-]{1,64})\.[A-Za-z0-9_-]{32,}$")


def new_api_key(tenant_id: str) -> str:
    """A new random API key (256 bits), naming its tenant when the id is key-safe."""
    secret = secrets.token_urlsafe(32)
    key = f"fq_{tenant_id}.{secret}"
    return key if _NAMING_KEY.match(key) else f"fq_{secret}"


def tenant_named_by(api_key: str) -> str | None:
    """The tenant a key says it belongs to (unverified), or None for a key that names none."""
    named = _NAMING_KEY.match(api_key)
    return named.group(1) if named else None


def tenant_groups(tenant_id: str) -> tuple[str, str]:
    """Return the Cognito groups of a tenant's staff and staff admins."""
    return f"tenant-{tenant_id}-staff", f"tenant-{tenant_id}-admin"


def staff_tenant(groups: tuple[str, ...]) -> str:
    """Return the tenant a staff caller works for (from their Cognito groups), or 403."""
    tenants = {
        g[len("tenant-") : -len("-staff")]
        for g in groups
        if g.startswith("tenant-") and g.endswith("-staff")
    }
    tenants |= {
        g[len("tenant-") : -len("-admin")]
        for g in groups
        if g.startswith("tenant-") and g.endswith("-admin")
    }
    if len(tenants) != 1:
        raise Forbidden("this account is not the staff of exactly one tenant")
    return tenants.pop()


# The seed's field names (stored and returned) and the names FinQ used before, accepted as input
# and returned beside them for one release so current clients keep working.
LEGACY_NAMES = {"subscription_tier": "tier", "faq_data": "faq"}


def _seed_names(data: dict[str, Any]) -> dict[str, Any]:
    """Return input under the seed's names; a legacy name fills in, the seed's name wins.

    Every schema-valid body is accepted, so both names sent is a rule (seed's wins), not a 400.
    """
    result = {k: v for k, v in data.items() if k not in LEGACY_NAMES.values()}
    for name, legacy in LEGACY_NAMES.items():
        new, old = data.get(name), data.get(legacy)
        result[name] = new if new is not None else old
    return result


def with_aliases(tenant: DeskRecord) -> DeskRecord:
    """Return a stored tenant under the seed's names and the legacy ones.

    Tenants stored before the rename carry only the legacy names; they read the same.
    """
    found = dict(tenant)
    for name, legacy in LEGACY_NAMES.items():
        value = found.get(name, found.get(legacy))
        found[name] = found[legacy] = value
    found["subscription_tier"] = found["tier"] = found["subscription_tier"] or "basic"
    found["faq_data"] = found["faq"] = found["faq_data"] or []
    return found


def _with_ids(faq: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"id": uuid.uuid4().hex[:8], **entry} for entry in faq]


def _categories(categories: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """Return a tenant's categories as stored: names unique, each with its weight."""
    if not categories:
        return [dict(c) for c in DEFAULT_CATEGORIES]
    names = [c["name"] for c in categories]
    if len(set(names)) != len(names) or HANDOFF_CATEGORY in names:
        raise InvalidInput(
            "category names must be unique and not reserved", code="invalid_categories"
        )
    return [{"name": c["name"], "weight": int(c.get("weight", 0))} for c in categories]


def classify(tenant: DeskRecord, category: str | None, text: str) -> tuple[str, int]:
    """Return the inquiry's category of this tenant and its weight; 400 for an unknown one.

    No category given: the first of the tenant's categories named in the text, else the
    tenant's first category (its default).
    """
    known = {c["name"]: int(c["weight"]) for c in tenant.get("categories") or DEFAULT_CATEGORIES}
    if category == HANDOFF_CATEGORY:
        return category, 0
    if category is None:
        lowered = text.lower()
        category = next((n for n in known if n.lower() in lowered), next(iter(known)))
    if category not in known:
        raise InvalidInput(
            f"unknown category; this desk's categories are: {', '.join(known)}",
            code="unknown_category",
        )
    return category, known[category]


def category_weight(tenant: DeskRecord, category: str) -> int:
    """Return the weight of one of the tenant's categories (0 when it no longer has it)."""
    for item in tenant.get("categories") or DEFAULT_CATEGORIES:
        if item["name"] == category:
            return int(item["weight"])
    return 0


class TenantService:
    """Tenants, keys and access checks."""

    def __init__(
        self, repo: DeskTenantRepository, create_group: Callable[[str], None] | None = None
    ) -> None:
        """Use ``repo`` for storage; ``create_group`` creates an identity-provider group."""
        self._repo = repo
        self._create_group = create_group

    def create_tenant(self, data: dict[str, Any]) -> DeskRecord:
        """Create a tenant; FAQ entries get ids and the staff groups are created."""
        data = _seed_names(data)
        tenant = {
            "tenant_id": data.get("tenant_id") or uuid.uuid4().hex[:12],
            "name": data["name"],
            "domain_context": data.get("domain_context") or "",
            "faq_data": _with_ids(data.get("faq_data") or []),
            "subscription_tier": data.get("subscription_tier") or "basic",
            "categories": _categories(data.get("categories")),
            "staff_email": data["staff_email"],
            "sns_topic_arn": data.get("sns_topic_arn"),
            "created_at": now(),
        }
        self._repo.put_tenant(tenant)
        if self._create_group is not None:
            for group in tenant_groups(tenant["tenant_id"]):
                self._create_group(group)
        return with_aliases(tenant)

    def update_tenant(self, tenant_id: str, fields: dict[str, Any]) -> DeskRecord:
        """Replace some tenant fields (an FAQ replaces the whole FAQ)."""
        self.tenant(tenant_id)
        changes = {k: v for k, v in _seed_names(fields).items() if v is not None}
        if "faq_data" in changes:
            changes["faq_data"] = _with_ids(changes["faq_data"])
        if "categories" in changes:
            changes["categories"] = _categories(changes["categories"])
        if changes:
            self._repo.update_tenant(tenant_id, changes)
        return self.tenant(tenant_id)

    def exists(self, tenant_id: str) -> bool:
        """Tell whether a tenant exists."""
        return self._repo.tenant(tenant_id) is not None

    def tenant(self, tenant_id: str) -> DeskRecord:
        """Return a tenant, or raise NotFound."""
        tenant = self._repo.tenant(tenant_id)
        if tenant is None:
            raise NotFound("no such tenant")
        return self.view(tenant)

    def view(self, stored: DeskRecord) -> DeskRecord:
        """Return a stored tenant record as the services see it (aliases, categories)."""
        return with_aliases({**stored, "categories": _categories(stored.get("categories"))})

    def create_key(self, tenant_id: str) -> dict[str, Any]:
        """Make an API key for a tenant; the key itself is returned this once only."""
        self.tenant(tenant_id)
        api_key = new_api_key(tenant_id)
        key_id = uuid.uuid4().hex[:12]
        created = now()
        self._repo.put_key(tenant_id, key_id, hash_key(api_key), created)
        return {"key_id": key_id, "api_key": api_key, "created_at": created}

    def revoke_key(self, tenant_id: str, key_id: str) -> None:
        """Revoke a tenant's key, or raise NotFound."""
        if not self._repo.delete_key(tenant_id, key_id):
            raise NotFound("no such key")

    def authorize(self, tenant_id: str, groups: tuple[str, ...], admin_only: bool = False) -> None:
        """Allow platform admins, and the tenant's staff admins (or staff unless admin_only)."""
        staff, admin = tenant_groups(tenant_id)
        if PLATFORM_ADMINS in groups or admin in groups or (not admin_only and staff in groups):
            return
        raise NotFound("no such tenant")  # do not reveal other tenants
