"""FinQ's time zone: one definition of Korea Standard Time (no clock reads here)."""

from __future__ import annotations

from datetime import timedelta, timezone

KST = timezone(timedelta(hours=9))
