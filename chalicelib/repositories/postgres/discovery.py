"""PostgreSQL reads behind policy discovery: filtered, sorted, keyset-paginated lists.

Owns the filter SQL. Every filter is a fixed SQL fragment with named parameters; user input
never becomes SQL text. Status is computed against ``today`` (KST) at query time.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from chalicelib.policies.filters import PolicyFilter
from chalicelib.repositories.postgres.database import Database, Row

LIST_COLUMNS = (
    "plcy_no, name, categories, description, support_content, min_age, max_age, nationwide,"
    " province_codes, province_wide, district_codes, apply_status, apply_start, apply_end,"
    " apply_windows, apply_url, source_modified_at, job_codes, school_codes, marital_code,"
    " special_codes, earn_condition_code, earn_min, earn_max, earn_etc, additional_conditions,"
    " participant_target, apply_method, keywords, subcategories"
)
DETAIL_COLUMNS = (
    LIST_COLUMNS + ", screening_method, reference_url,"
    " institution, documents_text, major_codes, status"
)
# A window containing today; policies list every window in apply_windows.
_IN_WINDOW = (
    "EXISTS (SELECT 1 FROM jsonb_array_elements(apply_windows) w"
    " WHERE (w->>'start')::date <= :today AND (w->>'end')::date >= :today)"
)
_STATUS = {
    "always": "apply_status = 'always'",
    "open": f"(apply_status = 'always' OR (apply_status = 'window' AND {_IN_WINDOW}))",
    "upcoming": f"(apply_status = 'window' AND apply_start > :today AND NOT {_IN_WINDOW})",
    "closed": "(apply_status = 'closed' OR (apply_status = 'window' AND apply_end < :today))",
}
_SORTS = {
    # sort -> (ORDER BY, keyset comparison, key columns)
    "newest": (
        "COALESCE(source_modified_at, 'epoch') DESC, plcy_no DESC",
        "(COALESCE(source_modified_at, 'epoch'), plcy_no) < (CAST(:k0 AS timestamptz), :k1)",
    ),
    "deadline": (
        "COALESCE(apply_end, DATE '9999-12-31') ASC, plcy_no ASC",
        "(COALESCE(apply_end, DATE '9999-12-31'), plcy_no) > (CAST(:k0 AS date), :k1)",
    ),
}


def _filter_sql(filters: PolicyFilter, today: date) -> tuple[list[str], dict[str, Any]]:
    """Return WHERE fragments and their parameters for ``filters``."""
    where = ["status = 'active'"]
    params: dict[str, Any] = {"today": today}
    if filters.age is not None:
        where.append(
            "(min_age IS NULL OR min_age <= :age) AND (max_age IS NULL OR max_age >= :age)"
        )
        params["age"] = filters.age
    if filters.region is not None:
        if len(filters.region) == 2:
            where.append("(nationwide OR :province = ANY(province_codes))")
        else:
            where.append(
                "(nationwide OR :district = ANY(district_codes) OR :province = ANY(province_wide))"
            )
            params["district"] = filters.region
        params["province"] = filters.region[:2]
    if filters.category is not None:
        where.append(":category = ANY(categories)")
        params["category"] = filters.category
    if filters.status is not None:
        where.append(_STATUS[filters.status])
    if filters.deadline_before is not None:
        where.append("apply_status = 'window' AND apply_end <= :deadline_before")
        params["deadline_before"] = filters.deadline_before
    if filters.keyword is not None:
        # strpos, not LIKE: no wildcard characters in user input to escape.
        where.append(
            "strpos(lower(name || ' ' || array_to_string(keywords, ' ') || ' ' || description),"
            " lower(:keyword)) > 0"
        )
        params["keyword"] = filters.keyword
    return where, params


class PostgresDiscoveryQueries:
    """Read-only policy queries for the discovery API (implements ``ports.DiscoveryQueries``)."""

    def __init__(self, db: Database) -> None:
        """Use the shared database connection."""
        self._db = db

    def page(
        self, filters: PolicyFilter, today: date, sort: str, after: list[Any] | None, limit: int
    ) -> list[Row]:
        """Return up to ``limit`` policies after the keyset ``after`` in ``sort`` order."""
        where, params = _filter_sql(filters, today)
        order, keyset = _SORTS[sort]
        if after is not None:
            where.append(keyset)
            params.update(k0=after[0], k1=after[1])
        params["limit"] = limit
        return self._db.fetch(
            f"SELECT {LIST_COLUMNS} FROM youth_policies WHERE {' AND '.join(where)}"
            f" ORDER BY {order} LIMIT :limit",
            **params,
        )

    def among(self, numbers: list[str], filters: PolicyFilter, today: date) -> dict[str, Row]:
        """Return those of ``numbers`` that pass ``filters``, keyed by plcy_no."""
        where, params = _filter_sql(filters, today)
        where.append("plcy_no = ANY(CAST(:numbers AS text[]))")
        rows = self._db.fetch(
            f"SELECT {LIST_COLUMNS} FROM youth_policies WHERE {' AND '.join(where)}",
            numbers=numbers,
            **params,
        )
        return {row["plcy_no"]: row for row in rows}

    def name_matches(
        self, text: str, filters: PolicyFilter, today: date, limit: int = 50
    ) -> list[Row]:
        """Policies named exactly ``text`` or carrying it as a keyword (both index lookups)."""
        where, params = _filter_sql(filters, today)
        where.append("(lower(name) = lower(:text) OR keywords @> ARRAY[CAST(:text AS text)])")
        return self._db.fetch(
            f"SELECT plcy_no, lower(name) = lower(:text) AS exact"
            f" FROM youth_policies WHERE {' AND '.join(where)} LIMIT :limit",
            text=text.strip(),
            limit=limit,
            **params,
        )

    def detail(self, plcy_no: str) -> Row | None:
        """Return one searchable policy (active), or None."""
        return self._db.fetch_one(
            f"SELECT {DETAIL_COLUMNS} FROM youth_policies WHERE plcy_no = :p AND status = 'active'",
            p=plcy_no,
        )

    def candidates_for(self, filters: PolicyFilter, today: date, limit: int) -> list[Row]:
        """Open or always-open policies passing ``filters``, soonest deadline first."""
        where, params = _filter_sql(filters, today)
        where.append(_STATUS["open"])
        return self._db.fetch(
            f"SELECT {LIST_COLUMNS} FROM youth_policies WHERE {' AND '.join(where)}"
            " ORDER BY COALESCE(apply_end, DATE '9999-12-31'), plcy_no LIMIT :limit",
            limit=limit,
            **params,
        )

    def catalogue(self) -> list[Row]:
        """Every searchable policy's number, name, keywords and how to apply (name lookup)."""
        return self._db.fetch(
            "SELECT plcy_no, name, keywords, apply_method FROM youth_policies"
            " WHERE status = 'active' ORDER BY plcy_no"
        )

    def catalogue_version(self) -> str:
        """Count and latest change of every policy (withdrawals change the count)."""
        row = self._db.fetch_one(
            "SELECT count(*) FILTER (WHERE status = 'active') AS n, max(updated_at) AS at"
            " FROM youth_policies"
        )
        return f"{row['n']}:{row['at']}" if row else "0:None"
