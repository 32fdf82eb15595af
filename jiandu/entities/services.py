"""Run entity resolution over the registry and store what it decided.

The engine keeps its state (links, scored candidates, trained model) in a DuckDB file beside the database
(settings.JIANDU_RESOLUTION_STATE), so a run after an import compares only the rows that deliveries added or
changed since the previous run. The file is derived data: deleting it just makes the next run a full one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from django.conf import settings
from django.db import transaction
from django.db.models import Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from jiandu.analytics.resolution.engine import ResolveResult, ResolveSettings, resolve
from jiandu.entities.models import EntityLink, Judgement, JudgementEvent, ResolveRun, ReviewItem
from jiandu.registry.bridge import registry_to_duckdb
from jiandu.registry.models import REGISTRY
from jiandu.sources.models import Delivery

ProgressFn = Callable[[str, int, int], None]


def state_path() -> Path:
    return Path(getattr(settings, "JIANDU_RESOLUTION_STATE", settings.DATA_DIR / "resolution.duckdb"))


def _changed_since(run: ResolveRun | None) -> dict[str, list[int]] | None:
    """Registry rows added or updated by deliveries after the previous run (None = resolve everything)."""
    if run is None or not state_path().exists():
        return None
    changed: dict[str, list[int]] = {}
    for name, model in REGISTRY.items():
        manager: Any = model.objects
        ids = list(
            manager.filter(
                Q(delivery_id__gt=run.last_delivery_id) | Q(updated_at__gte=run.started_at)
            ).values_list("id", flat=True)
        )
        if ids:
            changed[name] = ids
    return changed


def _write_judgements(con: duckdb.DuckDBPyConnection) -> None:
    rows = list(Judgement.objects.values_list("left_key", "right_key", "verdict"))
    con.execute("CREATE OR REPLACE TABLE judgements (left_key VARCHAR, right_key VARCHAR, verdict VARCHAR)")
    if rows:
        con.executemany("INSERT INTO judgements VALUES (?, ?, ?)", rows)


def _scopes(keys: list[str]) -> dict[str, str]:
    """scope_region of the registry record behind each mention key "table:rid:field"."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for key in keys:
        parts = key.split(":")
        if len(parts) == 3 and parts[0] in REGISTRY and parts[1].isdigit():
            wanted[parts[0]].add(int(parts[1]))
    scopes: dict[str, str] = {}
    for table, rids in wanted.items():
        manager: Any = REGISTRY[table].objects
        ordered = sorted(rids)
        for start in range(0, len(ordered), 900):
            for rid, scope in manager.filter(id__in=ordered[start : start + 900]).values_list(
                "id", "scope_region"
            ):
                scopes[f"{table}:{rid}"] = scope
    return {key: scopes.get(":".join(key.split(":")[:2]), "") for key in keys}


def _official_scopes(keys: list[str]) -> dict[str, str]:
    """scope_region of the official behind each "P:<id hash>" key: an unplaced mention (a petition naming
    someone by title only) is reviewed by the county that holds the candidate."""
    ids = sorted({k[2:] for k in keys if k.startswith("P:") and not k.startswith("P:~")})
    manager: Any = REGISTRY["officials"].objects
    found = (
        dict(manager.filter(id_number_hash__in=ids).values_list("id_number_hash", "scope_region"))
        if ids
        else {}
    )
    return {f"P:{i}": scope for i, scope in found.items()}


def petitions_place() -> int:
    """Give petitions without a jurisdiction the one of the official they are linked to (set-based)."""
    petitions: Any = REGISTRY["petitions"].objects
    officials: Any = REGISTRY["officials"].objects
    linked = EntityLink.objects.filter(
        source_table="petitions", record_id=OuterRef("pk"), status=EntityLink.Status.LINKED
    ).exclude(id_number="")
    scope = officials.filter(id_number_hash=Subquery(linked.values("id_number")[:1])).values("scope_region")[
        :1
    ]
    return int(
        petitions.filter(Q(scope_region="") | Q(scope_region__isnull=True)).update(
            scope_region=Coalesce(Subquery(scope), Value(""))
        )
    )


@transaction.atomic
def _store(con: duckdb.DuckDBPyConnection, result: ResolveResult) -> None:
    EntityLink.objects.all().delete()
    rows = con.execute(
        "SELECT source_table, _rid, field, entity_id, id_number, uscc, method, score, status FROM entity_links"
    ).fetchall()
    EntityLink.objects.bulk_create(
        (
            EntityLink(
                source_table=t,
                record_id=rid,
                field=f,
                entity_id=e,
                id_number=i or "",
                uscc=u or "",
                method=m,
                score=s,
                status=st,
            )
            for t, rid, f, e, i, u, m, s, st in rows
        ),
        batch_size=2000,
    )
    ReviewItem.objects.filter(open=True).delete()
    decided = set(Judgement.objects.exclude(verdict="unsure").values_list("left_key", "right_key"))
    pending = [p for p in result.review if (p.left_key, p.right_key) not in decided]
    scopes = _scopes([p.left_key for p in pending])
    candidate_scopes = _official_scopes([p.right_key for p in pending])
    ReviewItem.objects.bulk_create(
        [
            ReviewItem(
                kind=p.kind,
                left_key=p.left_key,
                right_key=p.right_key,
                score=p.score,
                match_weight=p.match_weight,
                contributions=p.contributions,
                scope_region=scopes.get(p.left_key) or candidate_scopes.get(p.right_key, ""),
            )
            for p in pending
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )


def resolve_run(*, full: bool = False, progress: ProgressFn | None = None) -> ResolveRun:
    """Resolve what changed since the last run (or everything) and store links and the review queue."""
    previous = None if full else ResolveRun.objects.exclude(finished_at=None).first()
    changed = None if full else _changed_since(previous)
    path = state_path()
    if changed is None and path.exists():
        path.unlink()
    run = ResolveRun.objects.create(
        incremental=changed is not None,
        last_delivery_id=Delivery.objects.aggregate(m=Max("id"))["m"] or 0,
        changed={k: len(v) for k, v in (changed or {}).items()},
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    try:
        registry_to_duckdb(con)
        _write_judgements(con)
        result = resolve(
            con,
            changed=changed,
            judgements="judgements",
            progress=progress,
            settings=ResolveSettings(vocabulary=settings.JIANDU_PETITION_VOCABULARY),
        )
        _store(con, result)
        petitions_place()
    finally:
        con.close()
    run.stats = {k: v for k, v in result.stats.items() if k != "timings"} | {
        "seconds": {k: round(v, 2) for k, v in result.stats.get("timings", {}).items()}
    }
    run.finished_at = timezone.now()
    run.save(update_fields=["stats", "finished_at"])
    return run


@transaction.atomic
def judgement_record(*, user: Any, item: ReviewItem, verdict: str, note: str = "") -> Judgement | None:
    """Store a supervisor's verdict on a pair ("" withdraws it); respected by every later run."""
    current = Judgement.objects.filter(left_key=item.left_key, right_key=item.right_key).first()
    previous = current.verdict if current else ""
    JudgementEvent.objects.create(
        left_key=item.left_key,
        right_key=item.right_key,
        verdict=verdict,
        previous=previous,
        by=user,
        note=note,
    )
    if not verdict:
        if current:
            current.delete()
        item.open = True
        item.save(update_fields=["open"])
        return None
    judgement, _ = Judgement.objects.update_or_create(
        left_key=item.left_key, right_key=item.right_key, defaults={"verdict": verdict, "by": user}
    )
    item.open = verdict == Judgement.Verdict.UNSURE
    item.save(update_fields=["open"])
    return judgement


def entity_links_to_duckdb(con: duckdb.DuckDBPyConnection) -> None:
    """Contribute the `entity_links` interface table to a rule scan."""
    rows = list(
        EntityLink.objects.values_list(
            "source_table",
            "record_id",
            "field",
            "entity_id",
            "id_number",
            "uscc",
            "method",
            "score",
            "status",
        )
    )
    con.execute("DELETE FROM entity_links")
    if not rows:
        return
    names = ["source_table", "_rid", "field", "entity_id", "id_number", "uscc", "method", "score", "status"]
    columns = list(zip(*rows, strict=True))
    arrow = pa.table(
        {
            name: pa.array([None if v == "" else v for v in values])
            for name, values in zip(names, columns, strict=True)
        }
    )
    con.register("_links", arrow)
    try:
        con.execute("INSERT INTO entity_links SELECT * FROM _links")
    finally:
        con.unregister("_links")
