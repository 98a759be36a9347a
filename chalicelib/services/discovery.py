"""Policy discovery: list and search policies, show one, judge eligibility, recommend.

Owns ranking (meaning from the policy index with the filters inside the search, plus keyword
matching so an exact policy name ranks first), cursor pagination, and the list/detail shapes.
Depends on ports only: the index and the discovery queries turn a ``PolicyFilter`` into their
own query language.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from chalicelib import codes
from chalicelib.clock import today_kst
from chalicelib.errors import InvalidInput, NotFound
from chalicelib.models import PolicyListQuery
from chalicelib.policies.filters import PLCY_NO, PolicyFilter
from chalicelib.policies.glossary import expand_query, is_english, korean_terms
from chalicelib.ports import DiscoveryQueries, PolicyIndex
from chalicelib.services.eligibility import NOT_ELIGIBLE, criterion_label, evaluate

# Candidates taken from the vector search for one query; pages are cut from this ranked list.
SEARCH_DEPTH = 100
# Keyword boosts on top of cosine similarity (0..1): an exact name always wins.
EXACT_NAME_BOOST, NAME_BOOST, KEYWORD_BOOST = 2.0, 0.3, 0.15
# Cursor offsets index the ranked candidates, of which there are at most SEARCH_DEPTH.
_MAX_OFFSET = 10 * SEARCH_DEPTH
Row = dict[str, Any]
Item = tuple[dict[str, Any], Row]


# Words that say nothing about which policy is meant (every policy is for youth, "support").
_GENERIC = {
    "청년",
    "지원",
    "정책",
    "사업",
    "받을",
    "있어",
    "있나요",
    "알려줘",
    "수",
    "youth",
    "support",
    "policy",
    "program",
}
_PARTICLE = re.compile(
    r"(은|는|이|가|을|를|에서|에게|에|의|도|만|으로|로|랑|이랑|하고|와|과|인데|는데|이야|야)$"
)
TERM_BOOST, TERM_BOOST_CAP = 0.015, 0.045
# Advisor tie-breakers (a verdict, an interest) and the relevance band within which a policy
# "fits" the need: inside it, open and upcoming policies rank above closed ones.
ELIGIBLE_BONUS, INTEREST_BONUS, FIT_MARGIN = 0.005, 0.004, 0.05
_ALL_MATCH = ("every coded condition matches your profile", "코드화된 조건이 모두 프로필과 맞아요")
_WINDOW_TIER = {"open": 0, "always": 0, "upcoming": 0, "unknown": 1, "closed": 2}


def query_terms(text: str) -> set[str]:
    """Content words of a query (particles stripped, generic words dropped).

    An English query also brings the Korean terms its words stand for (the catalogue is Korean).
    """
    words = re.findall(r"[가-힣]+|[a-zA-Z]{3,}", text.lower())
    stripped = {_PARTICLE.sub("", w) if len(w) > 2 else w for w in words}
    if is_english(text):
        stripped |= {term.lower() for term in korean_terms(text)}
    # Place names are filters already (region), not what the policy is about.
    return {w for w in stripped if len(w) >= 2 and w not in _GENERIC and not _is_place(w)}


@functools.lru_cache(maxsize=4096)
def _is_place(word: str) -> bool:
    names = {n for name in codes.provinces().values() for n in (name, name[:2])}
    names |= {part for name in codes.districts().values() for part in name.split()}
    return word in names or any(
        word == n[: len(word)] and len(word) >= 2 and n.endswith(("시", "도"))
        for n in names
        if len(n) > len(word)
    )


def lexical_boost(terms: set[str], row: dict[str, Any]) -> float:
    """A small boost per query word found in the policy's name or keywords (capped).

    Meaning alone scores related policies within ~0.02 of each other; the words a person
    typed ("월세") separate the policy they asked about from its neighbours.
    """
    if not terms:
        return 0.0
    haystack = (row["name"] + " " + " ".join(row.get("keywords") or [])).lower()
    return min(TERM_BOOST * sum(1 for term in terms if term in haystack), TERM_BOOST_CAP)


def application_state(row: dict[str, Any], today: date) -> str:
    """Return open | upcoming | closed | always | unknown for a policy today."""
    status = row["apply_status"]
    if status in ("always", "closed", "unknown"):
        return status
    windows = [
        (date.fromisoformat(w["start"]), date.fromisoformat(w["end"]))
        for w in row["apply_windows"] or []
    ]
    if any(start <= today <= end for start, end in windows):
        return "open"
    if any(start > today for start, _ in windows):
        return "upcoming"
    return "closed"


def region_label(row: dict[str, Any]) -> str:
    """A short human label of where a policy applies."""
    if row["nationwide"]:
        return "전국"
    provinces = codes.provinces()
    wide = [provinces.get(c, c) for c in row["province_wide"] or []]
    rest = [c for c in row["district_codes"] or [] if c[:2] not in (row["province_wide"] or [])]
    labels = wide + [codes.district_label(c) if c in codes.districts() else c for c in rest]
    if not labels:
        return "지역 정보 없음"
    return ", ".join(labels[:3]) + (f" 외 {len(labels) - 3}곳" if len(labels) > 3 else "")


def summary(row: dict[str, Any], today: date, **extra: Any) -> dict[str, Any]:
    """Shape a policy row for a list."""
    state = application_state(row, today)
    end = row["apply_end"]
    return {
        "plcyNo": row["plcy_no"],
        "name": row["name"],
        "categories": list(row["categories"] or []),
        "summary": (row["description"] or "")[:160],
        "support": (row["support_content"] or "")[:160],
        "min_age": row["min_age"],
        "max_age": row["max_age"],
        "region": region_label(row),
        "apply_status": state,
        "apply_start": row["apply_start"].isoformat() if row["apply_start"] else None,
        "apply_end": end.isoformat() if end else None,
        "days_left": (end - today).days if end and state in ("open", "upcoming") else None,
        "apply_url": row["apply_url"],
        **extra,
    }


def _fingerprint(query: PolicyListQuery) -> str:
    data = query.model_dump(exclude={"next", "limit"}, mode="json")
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:12]


def encode_cursor(payload: dict[str, Any], key: bytes) -> str:
    """Encode a pagination cursor: opaque to clients and signed, so an edited one is refused."""
    body = base64.urlsafe_b64encode(json.dumps(payload, default=str).encode()).decode().rstrip("=")
    return f"{body}.{_signature(body, key)}"


def decode_cursor(value: str, fingerprint: str, key: bytes) -> dict[str, Any]:
    """Decode a cursor this service signed for the same query, or raise a 400."""
    body, _, signature = value.rpartition(".")
    if not body or not hmac.compare_digest(signature, _signature(body, key)):
        raise InvalidInput("the next cursor is malformed or was altered", code="invalid_cursor")
    try:
        payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput("the next cursor is malformed", code="invalid_cursor") from exc
    if not isinstance(payload, dict) or payload.get("f") != fingerprint:
        raise InvalidInput("the next cursor belongs to another query", code="invalid_cursor")
    return payload


def _signature(body: str, key: bytes) -> str:
    digest = hmac.new(key, body.encode(), hashlib.sha256).digest()[:18]
    return base64.urlsafe_b64encode(digest).decode()


def _offset(cursor: dict[str, Any] | None) -> int:
    """The ranked-list offset a cursor resumes at (signed, and still checked: never a 500)."""
    offset = cursor.get("o", 0) if cursor else 0
    if type(offset) is not int or not 0 <= offset <= _MAX_OFFSET:
        raise InvalidInput("the next cursor is malformed", code="invalid_cursor")
    return offset


def _keyset(cursor: dict[str, Any] | None, sort: str) -> list[str] | None:
    """The (sort key, plcyNo) a sorted page resumes after, checked like any input."""
    after = cursor.get("k") if cursor else None
    if after is None:
        return None
    parse = datetime.fromisoformat if sort == "newest" else date.fromisoformat
    try:
        if not (isinstance(after, list) and len(after) == 2 and isinstance(after[1], str)):
            raise ValueError("not a [key, plcyNo] pair")
        parse(after[0])
    except (TypeError, ValueError) as exc:
        raise InvalidInput("the next cursor is malformed", code="invalid_cursor") from exc
    if not PLCY_NO.match(after[1]):
        raise InvalidInput("the next cursor is malformed", code="invalid_cursor")
    return after


class DiscoveryService:
    """List, search, show and judge policies."""

    def __init__(
        self,
        queries: DiscoveryQueries,
        index: PolicyIndex,
        embed_query: Callable[[str], list[float]],
        today: Callable[[], date] = today_kst,
        *,
        cursor_key: bytes,
    ) -> None:
        """Compose from the queries, the index, the query embedder and the cursor-signing key."""
        self._cursor_key = cursor_key
        self._queries = queries
        self._index = index
        self._embed = functools.lru_cache(maxsize=512)(lambda text: tuple(embed_query(text)))
        self._today = today

    def list_policies(
        self, query: PolicyListQuery, profile: dict[str, Any] | None
    ) -> dict[str, Any]:
        """Return one page of policies for ``query`` (with eligibility when logged in)."""
        today = self._today()
        filters = query.policy_filter()
        fingerprint = _fingerprint(query)
        cursor = decode_cursor(query.next, fingerprint, self._cursor_key) if query.next else None
        if query.q and query.sort == "relevance":
            items, next_cursor = self._search_page(query, query.q, filters, today, cursor)
        elif query.q:
            items, next_cursor = self._search_sorted_page(query, query.q, filters, today, cursor)
        else:
            items, next_cursor = self._sorted_page(query, filters, today, cursor)
        if profile is not None:
            for item, row in items:
                item["eligibility"] = evaluate(row, profile, today)["overall"]
        return {"items": [item for item, _ in items], "next": next_cursor}

    def _search_sorted_page(
        self,
        query: PolicyListQuery,
        text: str,
        filters: PolicyFilter,
        today: date,
        cursor: dict[str, Any] | None,
    ) -> tuple[list[Item], str | None]:
        """A page of a q search with an explicit sort: meaning selects, the sort orders."""
        sort = "newest" if query.sort == "relevance" else query.sort
        _, rows = self._ranked(text, filters, today)
        ordered = sorted(rows.values(), key=_sort_key(sort))
        offset = _offset(cursor)
        page = ordered[offset : offset + query.limit]
        more = offset + query.limit < len(ordered)
        return [(summary(r, today), r) for r in page], self._offset_cursor(
            query, offset + query.limit, more
        )

    def _sorted_page(
        self,
        query: PolicyListQuery,
        filters: PolicyFilter,
        today: date,
        cursor: dict[str, Any] | None,
    ) -> tuple[list[Item], str | None]:
        """A keyset-paginated page of a sorted list (no text)."""
        sort = "newest" if query.sort == "relevance" else query.sort
        after = _keyset(cursor, sort)
        rows = self._queries.page(filters, today, sort, after, query.limit + 1)
        more = len(rows) > query.limit
        rows = rows[: query.limit]
        next_cursor = None
        if more:
            last = rows[-1]
            key = last["source_modified_at"] if sort == "newest" else last["apply_end"]
            default = "1970-01-01T00:00:00+00:00" if sort == "newest" else "9999-12-31"
            next_cursor = encode_cursor(
                {
                    "k": [key.isoformat() if key else default, last["plcy_no"]],
                    "f": _fingerprint(query),
                },
                self._cursor_key,
            )
        return [(summary(r, today), r) for r in rows], next_cursor

    def _search_page(
        self,
        query: PolicyListQuery,
        text: str,
        filters: PolicyFilter,
        today: date,
        cursor: dict[str, Any] | None,
    ) -> tuple[list[Item], str | None]:
        """A page of a q search in relevance order (the rows come with the ranking)."""
        ranked, rows = self._ranked(text, filters, today)
        offset = _offset(cursor)
        window = ranked[offset : offset + query.limit]
        items = [(summary(rows[n], today, score=round(s, 4)), rows[n]) for n, s in window]
        more = offset + query.limit < len(ranked)
        return items, self._offset_cursor(query, offset + query.limit, more)

    def _offset_cursor(self, query: PolicyListQuery, offset: int, more: bool) -> str | None:
        if not more:
            return None
        return encode_cursor({"o": offset, "f": _fingerprint(query)}, self._cursor_key)

    def _ranked(
        self, text: str, filters: PolicyFilter, today: date
    ) -> tuple[list[tuple[str, float]], dict[str, Row]]:
        """Rank by meaning (filtered inside the index) plus keyword boosts.

        Returns:
            The ranked ``(plcy_no, score)`` pairs and every ranked policy's row, read once in
            PostgreSQL (which also checks exact windows, the keyword filter and withdrawals).
        """
        ranked, rows, _ = self._ranking(text, filters, today)
        return ranked, rows

    def _ranking(
        self, text: str, filters: PolicyFilter, today: date
    ) -> tuple[list[tuple[str, float]], dict[str, Row], set[str]]:
        """``_ranked`` plus the policies the text names (exact name, or a name containing it)."""
        vector = list(self._embed(expand_query(text)))
        scores = dict(self._index.search(vector, filters, today=today, limit=SEARCH_DEPTH))
        named = set()
        for row in self._queries.name_matches(text, filters, today):
            boost = EXACT_NAME_BOOST if row["exact"] else KEYWORD_BOOST
            scores[row["plcy_no"]] = scores.get(row["plcy_no"], 0.0) + boost
            if row["exact"]:
                named.add(row["plcy_no"])
        valid = self._queries.among(list(scores), filters, today)
        # A name containing the query ranks up; checked on the candidates only (no table scan).
        needle = text.strip().lower()
        terms = query_terms(text)
        for number, row in valid.items():
            if needle and needle in row["name"].lower() and needle != row["name"].lower():
                scores[number] += NAME_BOOST
                named.add(number)
            scores[number] += lexical_boost(terms, row)
        ranked = sorted(
            ((n, s) for n, s in scores.items() if n in valid), key=lambda item: (-item[1], item[0])
        )
        return ranked, valid, named & set(valid)

    def detail(
        self,
        plcy_no: str,
        documents: list[dict[str, Any]],
        profile: dict[str, Any] | None,
        language: str = "en",
    ) -> dict[str, Any]:
        """Return the full policy, its documents, and the caller's verdict when logged in."""
        row = self._require(plcy_no)
        today = self._today()
        result = summary(row, today)
        result.update(
            description=row["description"],
            support_content=row["support_content"],
            keywords=list(row["keywords"] or []),
            subcategories=list(row["subcategories"] or []),
            apply_method=row["apply_method"],
            screening_method=row["screening_method"],
            reference_url=row["reference_url"],
            institution=row["institution"],
            apply_windows=list(row["apply_windows"] or []),
            conditions=_conditions(row),
            documents=[
                {"documentId": d["id"], "position": d["position"], "name": d["name"]}
                for d in documents
            ],
        )
        if profile is not None:
            verdict = evaluate(row, profile, today, language)
            result["eligibility"] = verdict["overall"]
            result["eligibility_detail"] = {"plcyNo": plcy_no, **verdict}
        return result

    def eligibility(
        self, plcy_no: str, profile: dict[str, Any], language: str = "en"
    ) -> dict[str, Any]:
        """Return the verdict per criterion for the caller, reasons in ``language``."""
        row = self._require(plcy_no)
        return {"plcyNo": plcy_no, **evaluate(row, profile, self._today(), language)}

    def recommendations(
        self, profile: dict[str, Any], limit: int = 20, language: str = "en"
    ) -> list[dict[str, Any]]:
        """Open policies for the profile: eligible first, then those matching its interests.

        Within each, the soonest deadline first. Each carries why, in ``language``: the
        interests it matches and every criterion still to check.
        """
        today = self._today()
        filters = PolicyFilter(age=_profile_age(profile, today), region=profile.get("region_code"))
        picked = []
        for row in self._queries.candidates_for(filters, today, limit=400):
            verdict = evaluate(row, profile, today, language)
            if verdict["overall"] == NOT_ELIGIBLE:
                continue
            interest = matched_interests(profile, row)
            rank = (0 if verdict["overall"] == "eligible" else 1, 0 if interest else 1)
            picked.append((rank, row["apply_end"] or date.max, row["plcy_no"], row, verdict))
        picked.sort(key=lambda item: item[:3])
        return [
            {
                "policy": summary(row, today, eligibility=verdict["overall"]),
                "overall": verdict["overall"],
                "reasons": _reasons(verdict, matched_interests(profile, row), language),
                "interests": matched_interests(profile, row),
            }
            for *_, row, verdict in picked[:limit]
        ]

    def find_for(self, text: str, profile: dict[str, Any], limit: int = 5) -> list[dict[str, Any]]:
        """Policies for the advisor: by meaning, filtered by the profile inside the search.

        Not-eligible policies are dropped. Among the policies that fit the need (within
        ``FIT_MARGIN`` of the best), open, always-open and upcoming ones rank above closed ones
        (a closed one may still appear, below); a policy the text names keeps its place.
        Eligible ones and those matching the profile's interests win ties. Each result
        carries its verdict and the row's fields the answer needs.
        """
        today = self._today()
        filters = PolicyFilter(
            age=_profile_age(profile, today) or profile.get("age"),
            region=profile.get("region_code"),
        )
        ranked, rows, named = self._ranking(text, filters, today)
        found = []
        for number, score in ranked[: limit * 6]:
            row = rows[number]
            verdict = evaluate(row, profile, today)
            if verdict["overall"] == NOT_ELIGIBLE:
                continue
            # Tie-breakers only: relevance decides (a bigger bonus let fully eligible but
            # unrelated policies outrank the one asked about).
            bonus = (ELIGIBLE_BONUS if verdict["overall"] == "eligible" else 0.0) + (
                INTEREST_BONUS if matched_interests(profile, row) else 0.0
            )
            found.append((score + bonus, row, verdict))
        best = max((score for score, _, _ in found), default=0.0)
        found.sort(key=lambda item: (_window_tier(item, best, today, named), -item[0]))
        return [
            {
                **summary(row, today, score=round(score, 4)),
                "verdict": verdict,
                "apply_method": row["apply_method"],
            }
            for score, row, verdict in found[:limit]
        ]

    def exists(self, plcy_no: str) -> dict[str, Any]:
        """Return the searchable policy row or raise NotFound."""
        return self._require(plcy_no)

    def _require(self, plcy_no: str) -> dict[str, Any]:
        row = self._queries.detail(plcy_no)
        if row is None:
            raise NotFound(f"policy {plcy_no} does not exist")
        return row


def _sort_key(sort: str) -> Callable[[dict[str, Any]], Any]:
    if sort == "deadline":
        return lambda r: (r["apply_end"] or date.max, r["plcy_no"])
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    return lambda r: (-(r["source_modified_at"] or epoch).timestamp(), r["plcy_no"])


def _profile_age(profile: dict[str, Any], today: date) -> int | None:
    from chalicelib.services.eligibility import age_on

    birth = profile.get("birth_date")
    return age_on(birth, today) if birth else None


def _conditions(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "job": [codes.JOB_CODES.get(c, c) for c in row["job_codes"] or []] or ["제한없음"],
        "school": [codes.SCHOOL_CODES.get(c, c) for c in row["school_codes"] or []] or ["제한없음"],
        "marital": codes.MARITAL_CODES.get(row["marital_code"], "제한없음")
        if row["marital_code"]
        else "제한없음",
        "special": [codes.SPECIAL_CODES.get(c, c) for c in row["special_codes"] or []],
        "income": {
            "condition": codes.EARN_CONDITION_CODES.get(row["earn_condition_code"] or "", "무관"),
            "min": row["earn_min"],
            "max": row["earn_max"],
            "text": row["earn_etc"],
        },
        "additional": row["additional_conditions"],
        "participant_target": row["participant_target"],
    }


def matched_interests(profile: dict[str, Any], row: dict[str, Any]) -> list[str]:
    """The profile's interests a policy matches (category, subcategory or keyword)."""
    fields = [*(row["categories"] or []), *(row["subcategories"] or []), *(row["keywords"] or [])]
    words = {f.replace(" ", "") for f in fields}
    return [
        interest
        for interest in profile.get("interests") or []
        if any(interest.replace(" ", "") in word for word in words)
    ]


def _reasons(verdict: dict[str, Any], interests: list[str], language: str) -> list[str]:
    """Why a policy is recommended: the interests it matches, then what is left to check."""
    ko = language == "ko"
    to_check = [
        f"{criterion_label(c['criterion'], language)}: {c['reason']}"
        for c in verdict["criteria"]
        if c["verdict"] != "eligible"
    ]
    if not to_check:
        to_check = [_ALL_MATCH[1] if ko else _ALL_MATCH[0]]
    if not interests:
        return to_check
    listed = ", ".join(interests)
    return [
        f"관심 분야({listed})에 맞아요" if ko else f"matches your interests: {listed}",
        *to_check,
    ]


def _window_tier(
    item: tuple[float, dict[str, Any], dict[str, Any]], best: float, today: date, named: set[str]
) -> int:
    """0 for open/upcoming (or named) policies that fit, 1 unknown, 2 closed, 3 a weak fit."""
    score, row, _ = item
    if row["plcy_no"] in named:
        return 0
    if score < best - FIT_MARGIN:
        return 3
    return _WINDOW_TIER[application_state(row, today)]
