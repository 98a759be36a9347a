"""The daily token ledger in PostgreSQL: reservations are atomic across separate connections.

Each thread uses its own connection, as separate Lambda containers do, so the guarded UPDATE's
row lock (not the process's connection lock) is what keeps them from overrunning the budget.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from chalicelib import providers
from chalicelib.clock import KST
from chalicelib.repositories.postgres.chats import PostgresChatRepository

DAY = datetime.now(KST).date()
MIDNIGHT = datetime.now(KST).replace(hour=0, minute=0, second=0, microsecond=0)


def _user(stack, sub: str) -> PostgresChatRepository:
    stack.users.ensure(sub, f"{sub}@example.com")
    return PostgresChatRepository(stack.database)


def test_reservations_on_separate_connections_never_overrun_the_budget(stack):
    _user(stack, "ledger-user")
    budget, turn, workers = 1_000, 100, 8
    start = threading.Barrier(workers)

    def spend_until_refused() -> int:
        own = providers.Container(stack.settings)  # its own PostgreSQL connection
        chats = PostgresChatRepository(own.database)
        granted = 0
        try:
            start.wait()
            for _ in range(50):
                state = chats.reserve_tokens("ledger-user", DAY, MIDNIGHT, turn, budget, 120)
                if not state["granted"]:
                    if state["used"] >= budget:
                        return granted
                    time.sleep(0.005)  # others' turns hold the rest: wait for them to settle
                    continue
                granted += 1
                time.sleep(0.002)  # the turn runs
                chats.settle_tokens("ledger-user", DAY, held=turn, spent=turn)
            return granted
        finally:
            own.database.close()

    with ThreadPoolExecutor(workers) as pool:
        granted = sum(pool.map(lambda _: spend_until_refused(), range(workers)))

    ledger = stack.database.fetch_one(
        "SELECT used, reserved FROM token_budgets WHERE user_sub = 'ledger-user'"
    )
    assert granted == budget // turn
    assert ledger == {"used": budget, "reserved": 0}


def test_a_hold_that_was_never_settled_stops_counting_after_its_deadline(stack):
    chats = _user(stack, "stale-user")
    assert chats.reserve_tokens("stale-user", DAY, MIDNIGHT, 100, 100, 0)["granted"]
    # The first turn died without settling; its hold expired at once (hold of 0 seconds).
    assert chats.reserve_tokens("stale-user", DAY, MIDNIGHT, 100, 100, 120)["granted"]
    refused = chats.reserve_tokens("stale-user", DAY, MIDNIGHT, 100, 100, 120)
    assert refused == {"used": 0, "reserved": 100, "granted": False}


def test_the_ledger_starts_from_the_days_stored_messages(stack):
    chats = _user(stack, "early-user")
    chat = chats.create("early-user", "before the ledger")
    chats.add_message(str(chat["id"]), "assistant", "answer", input_tokens=60, output_tokens=40)
    refused = chats.reserve_tokens("early-user", DAY, MIDNIGHT, 10, 100, 120)
    assert refused == {"used": 100, "reserved": 0, "granted": False}
