"""`jiandu bench-pages`: server time of portrait and unit pages on the loaded city (p50/p95, queries).

Each page is rendered through Django's test client (the whole view, templates and queries, no network) as
a supervisor of the city's commission (of the province's when the demo spans several cities, scale > 1), for
a sample of the officials and units that user may open. The baseline, measured in the same run, is the
plain home page. Goal (issue 8): p95 under 300 ms on the scale-1 city, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import random
import statistics
import time
from typing import Any

import click
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from jiandu.accounts.models import Organisation, User
from jiandu.accounts.roles import Role
from jiandu.registry.selectors import demo_cities, demo_province, demo_regions, visible_rows


def _timed(client: Client, url: str) -> tuple[float, int]:
    reset_queries()
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise click.ClickException(f"{url} 返回 {response.status_code}")
    return elapsed, len(connection.queries)


def _summary(label: str, samples: list[tuple[float, int]]) -> str:
    times = sorted(t for t, _ in samples)
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    queries = max(q for _, q in samples)
    return f"{label:<22} n={len(times):>4}  p50={statistics.median(times):7.1f} ms  p95={p95:7.1f} ms  max queries={queries}"


def _bench_user(region: str) -> Any:
    """The benchmark's supervisor: of the province's commission when the demo spans several cities, else
    of the city's."""
    kind = (
        Organisation.Kind.PROVINCE_COMMISSION
        if region.endswith("0000")
        else Organisation.Kind.CITY_COMMISSION
    )
    org, _ = Organisation.objects.update_or_create(
        name="基准测试（纪委监委）", defaults={"kind": kind, "region_code": region}
    )
    user, _ = User.objects.get_or_create(username="bench-pages")
    user.role, user.organisation, user.jurisdiction, user.is_active = Role.SUPERVISOR, org, region, True
    user.save()
    return user


@click.command("bench-pages")
@click.option("--samples", default=100, show_default=True, help="每类页面抽样数")
@click.option("--seed", default=1, show_default=True)
def bench_pages(samples: int, seed: int) -> None:
    """基准测试：干部画像、单位画像页面的服务端耗时（p50/p95）与查询次数。"""
    user = _bench_user(demo_province(demo_cities()) or demo_regions()[0])
    rng = random.Random(seed)
    # Only what the benchmark's user may open: a page it is refused would measure the 404, not the page.
    official_ids = list(visible_rows(user, "officials").order_by("pk").values_list("pk", flat=True))
    unit_ids = list(visible_rows(user, "units").order_by("pk").values_list("pk", flat=True))
    if not official_ids:
        raise click.ClickException("登记数据为空：请先运行 jiandu demo-load")
    client = Client()
    client.force_login(user)
    with override_settings(DEBUG=True, ALLOWED_HOSTS=["testserver"]):
        client.get(reverse("home"))  # warm caches (contract, templates)
        baseline = [_timed(client, reverse("home")) for _ in range(min(samples, 30))]
        portraits = [
            _timed(client, reverse("official_portrait", args=[pk]))
            for pk in rng.sample(official_ids, min(samples, len(official_ids)))
        ]
        unit_pages = [
            _timed(client, reverse("unit_portrait", args=[pk]))
            for pk in rng.sample(unit_ids, min(samples, len(unit_ids)))
        ]
    click.echo(
        f"database: {connection.vendor}, user jurisdiction {user.jurisdiction}, "
        f"officials {len(official_ids):,}, units {len(unit_ids):,}"
    )
    click.echo(_summary("baseline home page", baseline))
    click.echo(_summary("official portrait", portraits))
    click.echo(_summary("unit portrait", unit_pages))
    click.echo("goal: p95 < 300 ms")
