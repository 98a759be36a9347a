"""Korean time: the zone policy deadlines, budgets and reminders are set in, and today there.

One definition for every module; nothing here reads settings or does I/O.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

KST = timezone(timedelta(hours=9))


def today_kst() -> date:
    """Return today in Korea, where policy deadlines are set."""
    return datetime.now(KST).date()
