"""Tenant, key, access and rate-limit rules with in-memory fakes."""

from __future__ import annotations

import pytest

from chalicelib.errors import Forbidden, InvalidInput, NotFound, TooManyRequests, Unauthenticated
from chalicelib.services.desk.limits import RateLimiter
from chalicelib.services.desk.tenants import (
    hash_key,
    new_api_key,
    staff_tenant,
    tenant_named_by,
)
from tests.unit.services.desk_builders import Desk


def test_a_new_tenant_gets_faq_ids_and_its_staff_groups():
    desk = Desk()
    tenant = desk.tenants.create_tenant(
        {"name": "A", "staff_email": "s@a.test", "faq": [{"question": "q", "answer": "a"}]}
    )
    assert tenant["faq"][0]["id"] and tenant["tier"] == "basic"
    tid = tenant["tenant_id"]
    assert desk.groups == [f"tenant-{tid}-staff", f"tenant-{tid}-admin"]
    assert desk.tenants.exists(tid) and not desk.tenants.exists("nope")


def test_a_key_is_stored_hashed_and_works_until_revoked():
    desk = Desk()
    tenant = desk.tenant()
    limiter = RateLimiter(desk.repo, ip_limit=100)
    key = desk.tenants.create_key(tenant)
    assert key["api_key"] not in desk.repo.keys
    assert limiter.admit(key["api_key"], "10.0.0.1")[0] == tenant
    desk.tenants.revoke_key(tenant, key["key_id"])
    with pytest.raises(Unauthenticated):
        limiter.admit(key["api_key"], "10.0.0.1")
    with pytest.raises(NotFound):
        desk.tenants.revoke_key(tenant, key["key_id"])


def test_a_key_names_its_tenant_but_only_the_stored_hash_decides():
    desk = Desk()
    mine, other = desk.tenant(), desk.tenant()
    limiter = RateLimiter(desk.repo, ip_limit=100)
    key = desk.tenants.create_key(mine)["api_key"]
    prefix, secret = key.split(".", 1)
    assert prefix == f"fq_{mine}" and len(secret) >= 43  # 32 random bytes
    assert tenant_named_by(key) == mine
    tenant_id, record = limiter.admit(key, "10.0.0.1")
    assert tenant_id == mine and record is not None and record["tenant_id"] == mine
    # The same secret under another tenant's name, an edited secret, no key: all unknown.
    for forged in (f"fq_{other}.{secret}", key[:-1] + ("A" if key[-1] != "A" else "B"), "", None):
        with pytest.raises(Unauthenticated) as refused:
            limiter.admit(forged, "10.0.0.1")
        assert refused.value.code == "invalid_api_key"


def test_a_key_of_the_old_form_naming_no_tenant_still_works():
    desk = Desk()
    tenant = desk.tenant()
    limiter = RateLimiter(desk.repo, ip_limit=100)
    old_key = "fq_" + "k" * 43
    assert tenant_named_by(old_key) is None
    desk.repo.put_key(tenant, "old", hash_key(old_key), "2026-01-01T00:00:00Z")
    assert limiter.admit(old_key, "10.0.0.1")[0] == tenant
    # A tenant id a key cannot carry (here a dot) gets a key that names no tenant.
    assert tenant_named_by(new_api_key("a.b")) is None and new_api_key("a.b").startswith("fq_")


def test_only_admins_of_the_tenant_may_administer_it():
    desk = Desk()
    desk.tenants.authorize("t1", ("tenant-t1-staff",))
    desk.tenants.authorize("t1", ("platform-admins",), admin_only=True)
    with pytest.raises(NotFound):
        desk.tenants.authorize("t1", ("tenant-t1-staff",), admin_only=True)
    with pytest.raises(NotFound):
        desk.tenants.authorize("t1", ("tenant-t2-admin",))
    assert staff_tenant(("tenant-t1-staff", "tenant-t1-admin")) == "t1"
    with pytest.raises(Forbidden):
        staff_tenant(("tenant-t1-staff", "tenant-t2-staff"))


def test_rate_limits_count_per_key_by_tier_and_per_address_in_hourly_windows():
    desk = Desk()
    tenant = desk.tenant(tier="pro")
    clock = [7200.0 + 600]
    limiter = RateLimiter(desk.repo, key_limits={"pro": 2}, ip_limit=2, clock=lambda: clock[0])
    limiter.check_rate(tenant, "key-a", "10.0.0.1")
    limiter.check_rate(tenant, "key-a", "10.0.0.1")
    with pytest.raises(TooManyRequests) as over:
        limiter.check_rate(tenant, "key-a", "10.0.0.1")
    assert over.value.retry_after == 3000
    # The refused call still counted for the address: key-b is its fourth request.
    with pytest.raises(TooManyRequests, match="address"):
        limiter.check_rate(tenant, "key-b", "10.0.0.1")
    clock[0] += 3600  # the next window starts afresh
    limiter.check_rate(tenant, "key-a", "10.0.0.1")


def test_a_tenant_names_its_own_categories_in_any_language_with_weights():
    desk = Desk()
    tenant = desk.tenants.create_tenant(
        {
            "name": "한빛",
            "staff_email": "s@h.test",
            "categories": [{"name": "일반문의", "weight": 0}, {"name": "기술문의", "weight": 20}],
        }
    )
    view = desk.submit(tenant["tenant_id"], category="기술문의")
    stored = desk.repo.inquiry(tenant["tenant_id"], view["inquiry_id"])
    assert stored["category"] == "기술문의" and "category_weight" not in stored
    assert stored["priority_score"] == 5 + 20  # neutral sentiment + the category's weight


def test_an_unknown_category_is_refused_before_anything_is_stored():
    desk = Desk()
    tenant = desk.tenant()
    with pytest.raises(InvalidInput) as refused:
        desk.submit(tenant, category="gossip")
    assert refused.value.code == "unknown_category" and desk.analyzer.texts == []
    assert desk.repo.open_count(tenant) == 0


def test_without_categories_a_tenant_gets_the_default_set_and_its_first_is_the_default():
    desk = Desk()
    tenant = desk.tenant()
    assert [c["name"] for c in desk.tenants.tenant(tenant)["categories"]][:3] == [
        "general", "account", "billing"
    ]  # fmt: skip
    view = desk.submit(tenant, category=None)
    assert desk.repo.inquiry(tenant, view["inquiry_id"])["category"] == "general"


def test_duplicate_category_names_are_refused():
    with pytest.raises(InvalidInput):
        Desk().tenants.create_tenant(
            {"name": "x", "staff_email": "s@x.test", "categories": [{"name": "a"}, {"name": "a"}]}
        )


def test_a_tenant_is_stored_under_the_seeds_names_and_read_under_both():
    desk = Desk()
    faq = [{"question": "환불은?", "answer": "7일 안에"}]
    created = desk.tenants.create_tenant(
        {"name": "A", "staff_email": "s@a.test", "faq_data": faq, "subscription_tier": "pro"}
    )
    stored = desk.repo.tenants[created["tenant_id"]]
    assert stored["subscription_tier"] == "pro" and "tier" not in stored
    assert stored["faq_data"][0]["question"] == "환불은?" and "faq" not in stored
    read = desk.tenants.tenant(created["tenant_id"])
    assert read["tier"] == read["subscription_tier"] == "pro"
    assert read["faq"] == read["faq_data"] == stored["faq_data"]


def test_the_old_names_are_accepted_for_one_release_and_the_seeds_name_wins():
    desk = Desk()
    tenant = desk.tenants.create_tenant({"name": "A", "staff_email": "s@a.test", "tier": "pro"})
    assert desk.repo.tenants[tenant["tenant_id"]]["subscription_tier"] == "pro"
    updated = desk.tenants.update_tenant(tenant["tenant_id"], {"tier": "enterprise"})
    assert updated["subscription_tier"] == "enterprise"
    desk.tenants.update_tenant(tenant["tenant_id"], {"tier": "basic", "subscription_tier": "pro"})
    assert desk.tenants.tenant(tenant["tenant_id"])["subscription_tier"] == "pro"


def test_a_tenant_stored_before_the_rename_reads_under_the_seeds_names():
    desk = Desk()
    faq = [{"id": "f1", "question": "q?", "answer": "a"}]
    legacy = {"name": "Old", "staff_email": "s@o.test", "tier": "pro", "faq": faq}
    desk.repo.put_tenant({"tenant_id": "old", **legacy, "created_at": "2025-01-01T00:00:00"})
    read = desk.tenants.tenant("old")
    assert (read["subscription_tier"], read["faq_data"]) == ("pro", faq)
    updated = desk.tenants.update_tenant("old", {"faq_data": [{"question": "new?", "answer": "b"}]})
    assert [e["question"] for e in updated["faq"]] == ["new?"]


def test_duplicate_or_reserved_category_names_are_refused():
    desk = Desk()
    for categories in (
        [{"name": "기술문의", "weight": 10}, {"name": "기술문의", "weight": 20}],
        [{"name": "advisor_handoff", "weight": 0}],
    ):
        with pytest.raises(InvalidInput) as refused:
            desk.tenants.create_tenant(
                {"name": "A", "staff_email": "s@a.test", "categories": categories}
            )
        assert refused.value.code == "invalid_categories"
