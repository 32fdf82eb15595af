"""`jiandu bench-load`: the bounded load run (docs/benchmarks.md, "Load").

1. The scale-1 demo city on PostgreSQL (template database, loaded once; city.py), copied fresh for the run.
2. `jiandu serve` in production settings on 127.0.0.1 (the only address it accepts), task consumer included.
3. N users sign in through the login and TOTP pages and browse (dashboard, alert list, alerts, official and
   unit portraits) with think time: first a quiet phase (the baseline), then the busy phase, in which a clerk
   uploads a 1,000,000-row payments delivery (bench-import's generator), `jiandu scan` runs every rule, and
   the task consumer is killed with -9 while it imports. Recovery must mark the delivery failed with its
   reason, with none of its rows stored; the clerk retries it from the delivery page, and it must then be
   stored whole. The run ends when the delivery and the scan are over (after --min-busy-seconds), or at
   --max-seconds, whichever is first; nothing keeps running after it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import click

from jiandu.ops.loadbench.city import city_template_ensure, production_env, run_database_create
from jiandu.ops.procs import child_pid

# --kill-phase: the delivery phases (sources.Delivery.Phase) in which the consumer may be killed.
KILL_PHASES = {"any": ("reading", "staging", "writing"), "reading": ("reading",), "writing": ("writing",)}
DEFAULT_TEMPLATE = "postgres://postgres@127.0.0.1:5432/jiandu_loadcity"


def _sql(url: str, query: str, *args: Any) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(url) as con:
        return list(con.execute(query, args).fetchall())


def delivery_state(url: str, pk: int) -> dict[str, Any]:
    [row] = _sql(
        url,
        "SELECT status, phase, message, accepted, updated, unchanged, rejected, processed_rows, "
        "(SELECT count(*) FROM registry_payments p WHERE p.delivery_id = d.id) "
        "FROM sources_delivery d WHERE id = %s",
        pk,
    )
    keys = (
        "status",
        "phase",
        "message",
        "accepted",
        "updated",
        "unchanged",
        "rejected",
        "processed",
        "rows_stored",
    )
    return dict(zip(keys, row, strict=True))


class Run:
    """State of one load run, shared by the monitor and the users."""

    def __init__(self, *, url: str, env: dict[str, str], base: str, serve: subprocess.Popen[bytes]) -> None:
        self.url, self.env, self.base, self.serve = url, env, base, serve
        self.events: list[tuple[float, str]] = []
        self.t0 = time.monotonic()
        self.health: list[int] = []

    def note(self, text: str) -> None:
        at = time.monotonic() - self.t0
        self.events.append((round(at, 1), text))
        click.echo(f"  [{at:6.1f}s] {text}")


async def _health(run: Run, client: Any, stop: asyncio.Event) -> None:
    while not stop.is_set():
        try:
            run.health.append((await client.get(run.base + "/healthz", timeout=10)).status_code)
        except Exception:  # noqa: BLE001 - an unanswered probe is a failed probe
            run.health.append(0)
        try:
            await asyncio.wait_for(stop.wait(), timeout=2)
        except TimeoutError:
            pass


async def _delivery_story(
    run: Run, clerk: Any, csv_path: Path, kill_after: float, kill_phases: tuple[str, ...], deadline: float
) -> dict[str, Any]:
    """Upload, kill the consumer while it imports, wait for recovery, retry from the page, wait for the end."""
    story: dict[str, Any] = {"attempts": []}
    token = await clerk.form_token("/deliveries/upload/")
    began = time.perf_counter()
    response = await clerk.request(
        "POST",
        "/deliveries/upload/",
        data={"csrfmiddlewaretoken": token, "table": "payments"},
        files={"file": (csv_path.name, csv_path.read_bytes(), "text/csv")},
        timeout=300,
    )
    story["upload_s"] = round(time.perf_counter() - began, 1)
    if response.status_code != 302:
        raise click.ClickException(f"上传失败：{response.status_code}")
    first = int(response.headers["location"].rstrip("/").rsplit("/", 1)[1])
    run.note(f"delivery #{first} uploaded in {story['upload_s']} s ({csv_path.stat().st_size / 1e6:.0f} MB)")
    current = first
    killed = False
    running_since: float | None = None
    while time.monotonic() < deadline:
        state = await asyncio.to_thread(delivery_state, run.url, current)
        if state["status"] == "running" and running_since is None:
            running_since = time.monotonic()
            run.note(f"delivery #{current} importing")
        due = running_since is not None and time.monotonic() - running_since >= kill_after
        if not killed and due and state["phase"] in kill_phases:
            consumer = child_pid(run.serve.pid, "run_huey")
            if consumer is not None:
                os.kill(consumer, signal.SIGKILL)
                killed = True
                story["killed_in_phase"] = state["phase"]
                story["killed_pid"] = consumer
                run.note(f"kill -9 task consumer (pid {consumer}) during phase '{state['phase']}'")
                asyncio.get_running_loop().create_task(_restart_watch(run, consumer, story))
        if state["status"] in ("done", "failed"):
            story["attempts"].append({"delivery": current, **state})
            run.note(
                f"delivery #{current}: {state['status']} {state['message'][:80]!r}, rows stored {state['rows_stored']:,}"
            )
            if state["status"] == "failed" and len(story["attempts"]) == 1:
                token = await clerk.form_token(f"/deliveries/{current}/")
                retried = await clerk.request(
                    "POST", f"/deliveries/{current}/retry/", data={"csrfmiddlewaretoken": token}
                )
                again = int(retried.headers.get("location", "/0/").rstrip("/").rsplit("/", 1)[1])
                if retried.status_code != 302 or again == current:  # refused: back to the same delivery
                    story["retry_refused"] = retried.status_code
                    return story
                current = again
                running_since = None
                run.note(f"retried from the delivery page as #{current}")
                continue
            return story
        await asyncio.sleep(1)
    story["unfinished"] = {"delivery": current, **(await asyncio.to_thread(delivery_state, run.url, current))}
    return story


async def _restart_watch(run: Run, old: int, story: dict[str, Any]) -> None:
    began = time.monotonic()
    while time.monotonic() - began < 120:
        new = child_pid(run.serve.pid, "run_huey")
        if new not in (None, old):
            story["consumer_restart_s"] = round(time.monotonic() - began, 1)
            run.note(
                f"task consumer restarted by jiandu serve (pid {new}) after {story['consumer_restart_s']} s"
            )
            return
        await asyncio.sleep(0.2)


async def _scan(run: Run, deadline: float) -> dict[str, Any]:
    began = time.monotonic()
    run.note("jiandu scan (every rule) started")
    scan = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "jiandu", "scan", env=run.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        _, err = await asyncio.wait_for(scan.communicate(), timeout=max(1.0, deadline - time.monotonic()))
    except TimeoutError:
        scan.kill()
        await scan.wait()
        return {"exit": None, "seconds": round(time.monotonic() - began, 1), "error": "cut at --max-seconds"}
    run.note(f"jiandu scan finished: exit {scan.returncode}")
    tail = err.decode(errors="replace").strip().splitlines()[-1:] if scan.returncode else []
    return {
        "exit": scan.returncode,
        "seconds": round(time.monotonic() - began, 1),
        "error": " ".join(tail)[:200],
    }


async def _load(run: Run, plan: dict[str, Any], csv_path: Path, opts: dict[str, Any]) -> dict[str, Any]:
    import httpx

    from jiandu.ops.loadbench.client import Sample, Session, browse

    limits = httpx.Limits(max_connections=opts["users"] + 8, max_keepalive_connections=opts["users"] + 8)
    timeout = httpx.Timeout(60.0, connect=10.0)
    async with httpx.AsyncClient(
        base_url=run.base, limits=limits, timeout=timeout, follow_redirects=False
    ) as http:
        origin = "https://" + run.base.split("://", 1)[1]
        sessions = [Session(http, origin) for _ in plan["users"]]
        gate = asyncio.Semaphore(4)
        sign_in_ms: list[float] = []

        async def sign_in(session: Session, account: dict[str, str]) -> None:
            async with gate:
                began = time.perf_counter()
                await session.sign_in(account["username"], account["password"], account["totp"])
                sign_in_ms.append((time.perf_counter() - began) * 1000)

        await asyncio.gather(*(sign_in(s, a) for s, a in zip(sessions, plan["users"], strict=True)))
        run.note(f"{len(sessions)} users signed in (login + TOTP pages)")
        clerk = Session(http, origin)
        await clerk.sign_in(plan["clerk"]["username"], plan["clerk"]["password"], plan["clerk"]["totp"])

        phase, stop = ["quiet"], asyncio.Event()
        samples: list[Sample] = []
        rng = random.Random(opts["seed"])
        think = (opts["think_min"], opts["think_max"])
        users = [
            asyncio.create_task(
                browse(s, plan["targets"], random.Random(rng.random()), phase, samples, stop, think)
            )
            for s in sessions
        ]
        health_stop = asyncio.Event()
        health = asyncio.create_task(_health(run, http, health_stop))
        quiet_began = time.monotonic()
        await asyncio.sleep(opts["quiet_seconds"])
        phase[0] = "busy"
        busy_began = time.monotonic()
        run.note("busy phase: upload, scan and kill begin")
        deadline = busy_began + opts["max_seconds"]
        story_task = asyncio.create_task(
            _delivery_story(
                run, clerk, csv_path, opts["kill_after"], KILL_PHASES[opts["kill_phase"]], deadline
            )
        )
        scan_task = asyncio.create_task(_scan(run, deadline))
        story, scan = await asyncio.gather(story_task, scan_task)
        remaining = opts["min_busy_seconds"] - (time.monotonic() - busy_began)
        if remaining > 0 and time.monotonic() + remaining < deadline:
            await asyncio.sleep(remaining)
        stop.set()
        await asyncio.gather(*users)
        busy_seconds = time.monotonic() - busy_began
        health_stop.set()
        await health
    return {
        "samples": samples,
        "phases": {"quiet": busy_began - quiet_began, "busy": busy_seconds},
        "sign_in_ms": sign_in_ms,
        "story": story,
        "scan": scan,
    }


@click.command("bench-load")
@click.option(
    "--postgres-url",
    default=DEFAULT_TEMPLATE,
    show_default=True,
    help="载入演示城市的模板库（首次运行时建立）",
)
@click.option("--workdir", default="data/bench-load", show_default=True, type=click.Path(path_type=Path))
@click.option(
    "--users", default=50, show_default=True, type=click.IntRange(1, 200), help="同时在线的已登录用户"
)
@click.option("--rows", default=1_000_000, show_default=True, type=click.IntRange(1000, 5_000_000))
@click.option("--port", default=8377, show_default=True, help="jiandu serve 在 127.0.0.1 上的端口")
@click.option(
    "--workers", default=None, type=click.IntRange(min=1), help="网页工作进程数（默认 2×CPU核数+1）"
)
@click.option("--quiet-seconds", default=60.0, show_default=True, help="基线阶段：只有浏览")
@click.option("--min-busy-seconds", default=60.0, show_default=True)
@click.option("--max-seconds", default=900.0, show_default=True, help="繁忙阶段的上限（到时即停）")
@click.option("--kill-after", default=5.0, show_default=True, help="导入开始后多少秒 kill -9 任务队列进程")
@click.option(
    "--kill-phase",
    type=click.Choice(sorted(KILL_PHASES)),
    default="any",
    show_default=True,
    help="在导入的哪个阶段 kill -9（writing：写入登记库的那一次提交进行中）",
)
@click.option("--think-min", default=5.0, show_default=True, help="两次打开页面之间的思考时间下限（秒）")
@click.option(
    "--think-max", default=15.0, show_default=True, help="上限；1–3 秒即压力测试（超出本机处理能力）"
)
@click.option("--seed", default=1, show_default=True)
@click.option("--rebuild-city", is_flag=True, help="重新载入模板库中的演示城市")
@click.option("--phase", type=click.Choice(["run", "accounts"]), default="run", hidden=True)
def bench_load(workdir: Path, postgres_url: str, phase: str, rebuild_city: bool, **opts: Any) -> None:
    """负载基准：N 个已登录用户浏览预警、画像和驾驶舱，同时导入 100 万行报送并运行全量扫描，其间 kill -9 任务队列。"""
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request would bury the report
    if phase == "accounts":
        from jiandu.ops.loadbench.accounts import accounts_and_targets

        click.echo(json.dumps(accounts_and_targets(opts["users"], opts["seed"])))
        return
    if not postgres_url.startswith("postgres"):
        raise click.ClickException("负载基准只在 PostgreSQL 上运行")
    workdir = workdir.resolve()
    city_template_ensure(postgres_url, workdir, rebuild=rebuild_city)
    run_url = postgres_url + "_run"
    run_database_create(postgres_url, run_url)
    data = workdir / "run"
    subprocess.run(["rm", "-rf", str(data)], check=True)
    env = production_env(workdir, run_url, data)
    env.update(JIANDU_BIND=f"127.0.0.1:{opts['port']}", JIANDU_TRUSTED_PROXIES="1")
    if opts["workers"]:
        env["JIANDU_WEB_WORKERS"] = str(opts["workers"])
    made = subprocess.run(
        [sys.executable, "-m", "jiandu", "bench-load", "--phase", "accounts", "--users", str(opts["users"])],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if made.returncode != 0:
        raise click.ClickException(f"创建测试账户失败：{made.stderr[-1500:]}")
    plan = json.loads(made.stdout.strip().splitlines()[-1])
    from jiandu.analytics.intake.bench import payments_csv

    with tempfile.TemporaryDirectory(prefix="jiandu-load-") as tmp:
        csv_path = Path(tmp) / "国库集中支付.csv"
        csv_path.write_text(payments_csv(opts["rows"]), encoding="utf-8")
        load_before = os.getloadavg()
        log = (data / "serve.log").open("wb")
        serve = subprocess.Popen(
            [sys.executable, "-m", "jiandu", "serve", "--stop-timeout", "30"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        run = Run(url=run_url, env=env, base=f"http://127.0.0.1:{opts['port']}", serve=serve)
        try:
            _await_healthy(run, 180)
            run.note(f"jiandu serve up (production settings, {run_url.rsplit('/', 1)[1]})")
            result = asyncio.run(_load(run, plan, csv_path, opts))
        finally:
            serve.send_signal(signal.SIGTERM)
            try:
                serve.wait(60)
            except subprocess.TimeoutExpired:
                serve.kill()
            log.close()
        load_after = os.getloadavg()
    stuck = _sql(run_url, "SELECT count(*) FROM sources_delivery WHERE status IN ('pending', 'running')")[0][
        0
    ]
    _report(run, result, plan, opts, load_before, load_after, stuck, workdir)


def _await_healthy(run: Run, seconds: float) -> None:
    import httpx

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if run.serve.poll() is not None:
            raise click.ClickException("jiandu serve 启动失败，见 serve.log")
        try:
            if httpx.get(run.base + "/healthz", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise click.ClickException("jiandu serve 未在时限内通过健康检查")


def _report(
    run: Run,
    result: dict[str, Any],
    plan: dict[str, Any],
    opts: dict[str, Any],
    load_before: tuple[float, float, float],
    load_after: tuple[float, float, float],
    stuck: int,
    workdir: Path,
) -> None:
    from jiandu.ops.loadbench.report import failures, page_table, percentile, table_lines

    rows = page_table(result["samples"], result["phases"])
    story, scan = result["story"], result["scan"]
    click.echo("")
    click.echo(
        f"users {opts['users']}, think {opts['think_min']}–{opts['think_max']} s, city {plan['city']}, "
        f"quiet {result['phases']['quiet']:.0f} s, busy {result['phases']['busy']:.0f} s"
    )
    click.echo(
        f"sign-in (login + TOTP) p50 {percentile(result['sign_in_ms'], 0.5):.0f} ms, "
        f"p95 {percentile(result['sign_in_ms'], 0.95):.0f} ms"
    )
    for line in table_lines(rows):
        click.echo(line)
    click.echo(f"failures: {failures(result['samples']) or 'none'}")
    health = run.health
    click.echo(
        f"/healthz probes: {len(health)}, 200: {health.count(200)}, 503: {health.count(503)}, other: "
        f"{len(health) - health.count(200) - health.count(503)}"
    )
    for attempt in story.get("attempts", []):
        click.echo(
            f"delivery #{attempt['delivery']}: {attempt['status']}, phase {attempt['phase'] or '-'}, accepted "
            f"{attempt['accepted']:,}, rejected {attempt['rejected']:,}, rows stored {attempt['rows_stored']:,}; "
            f"{attempt['message'][:120]}"
        )
    if "unfinished" in story:
        click.echo(f"delivery unfinished at --max-seconds: {story['unfinished']}")
    if "killed_pid" in story:
        click.echo(
            f"consumer killed in phase {story['killed_in_phase']}, restarted after "
            f"{story.get('consumer_restart_s', '-')} s; deliveries left pending/running: {stuck}"
        )
    else:
        click.echo(
            f"consumer not killed: the delivery finished within --kill-after; pending/running: {stuck}"
        )
    click.echo(f"scan: exit {scan['exit']}, {scan['seconds']} s {scan['error']}")
    click.echo(
        f"load average before {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}, "
        f"after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}"
    )
    out = workdir / f"result-{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.write_text(
        json.dumps(
            {
                "pages": rows,
                "failures": failures(result["samples"]),
                "story": story,
                "scan": scan,
                "events": run.events,
                "health": run.health,
                "load_before": load_before,
                "load_after": load_after,
                "stuck": stuck,
                "sign_in_ms": result["sign_in_ms"],
                "options": opts,
            },
            ensure_ascii=False,
            indent=1,
            default=str,
        )
    )
    click.echo(f"result: {out}")
