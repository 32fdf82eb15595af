"""`jiandu serve`: the production web server (gunicorn) with the task consumer, static files collected."""

from __future__ import annotations

import os
import signal
import sys

import click

GUNICORN = [sys.executable, "-m", "gunicorn", "-c", "python:jiandu.ops.gunicorn_conf"]
CONSUMER = [sys.executable, "-m", "jiandu", "run_huey"]


@click.command("serve")
@click.option(
    "--bind",
    default=None,
    help="监听地址（默认 JIANDU_BIND 或 127.0.0.1:8000；生产环境置于 HTTPS 反向代理之后）",
)
@click.option(
    "--workers", type=click.IntRange(min=1), default=None, help="网页工作进程数（默认 2×CPU核数+1）"
)
@click.option("--threads", type=click.IntRange(min=1), default=None, help="每个工作进程的线程数（默认 1）")
@click.option("--no-consumer", is_flag=True, help="只运行网页服务（任务队列由单独的 systemd 单元运行）")
@click.option("--no-collectstatic", is_flag=True, help="启动前不收集静态文件")
@click.option("--stop-timeout", default=60.0, show_default=True, help="停止时等待子进程退出的秒数")
def serve(
    bind: str | None,
    workers: int | None,
    threads: int | None,
    no_consumer: bool,
    no_collectstatic: bool,
    stop_timeout: float,
) -> None:
    """生产环境服务：gunicorn 网页服务 + 任务队列（进程退出自动重启），SIGHUP 平滑重启。"""
    from django.core.management import call_command

    from jiandu.ops.supervisor import Child, Supervisor

    env = dict(os.environ)
    for name, value in (
        ("JIANDU_BIND", bind),
        ("JIANDU_WEB_WORKERS", workers),
        ("JIANDU_WEB_THREADS", threads),
    ):
        if value is not None:
            env[name] = str(value)
    if not no_collectstatic:
        call_command("collectstatic", interactive=False, verbosity=0)
    if no_consumer:
        # gunicorn takes this process's place: under systemd its arbiter is the main PID that gets HUP/TERM.
        os.execve(sys.executable, GUNICORN, env)
    web = Child("网页服务", GUNICORN, signal.SIGTERM)
    consumer = Child("任务队列", CONSUMER, signal.SIGINT)
    sys.exit(Supervisor(web, consumer, env, stop_timeout=stop_timeout).run())
