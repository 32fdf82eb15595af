"""The `jiandu` command: the platform's own sub-commands, and Django's management commands through it.

`jiandu import …`, `jiandu scan …` are click commands registered below; anything else (`jiandu migrate`,
`jiandu createsuperuser`, `jiandu runserver`) is handed to Django, so one tool serves operators and scripts.
"""

from __future__ import annotations

import os
import sys

import click

COMMANDS: dict[str, str] = {
    # name: "module:attribute" of a click command; imported lazily so `jiandu --help` stays fast.
    "audit": "jiandu.audit.commands:audit",
    "demo-accounts": "jiandu.demo_accounts:demo_accounts",
    "demo-load": "jiandu.demo_load:demo_load",
    "demo-data": "jiandu.demo.command:demo_data",
    "resolve": "jiandu.entities.commands:resolve_command",
    "resolve-bench": "jiandu.resolution_commands:resolve_bench",
    "resolve-eval": "jiandu.resolution_commands:resolve_eval",
    "scan": "jiandu.alerts.commands:scan",
    "evaluate": "jiandu.alerts.commands:evaluate_command",
    "bench-scan": "jiandu.alerts.commands:bench_scan",
    "bench-pages": "jiandu.portraits.bench:bench_pages",
    "alerts": "jiandu.alerts.commands:alerts",
    "clearance": "jiandu.reports.commands:clearance",
    "ocds": "jiandu.ocds.command:ocds",
    "import": "jiandu.sources.commands:import_command",
    "jobs": "jiandu.jobs.commands:jobs",
    "api-token": "jiandu.sources.commands:api_token_command",
    "bench-import": "jiandu.sources.bench:bench_import",
    "leads": "jiandu.leads.commands:leads",
    "users": "jiandu.accounts.commands:users",
    "serve": "jiandu.ops.serve:serve",
    "bench-load": "jiandu.ops.loadbench.command:bench_load",
}


def _load(spec: str) -> click.Command:
    module_name, attr = spec.split(":")
    module = __import__(module_name, fromlist=[attr])
    command: click.Command = getattr(module, attr)
    return command


class JianduGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        spec = COMMANDS.get(cmd_name)
        return _load(spec) if spec else None


@click.group(
    cls=JianduGroup, help="监督信息平台命令行。未列出的子命令交给 Django 管理命令（如 migrate、runserver）。"
)
def cli() -> None:
    """Root group; Django is set up before any sub-command runs."""


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiandu.settings")
    import django

    django.setup()


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in COMMANDS:
        setup_django()
        from tqdm.contrib.logging import logging_redirect_tqdm

        # Progress bars (drawn on stderr, only when it is a terminal: `disable=None`) and log lines share the
        # screen: log records go through tqdm.write, which lifts the bars, writes the line and redraws them,
        # so a log line never lands inside a bar. The console handler's formatter and filters (identifier
        # redaction) are kept.
        with logging_redirect_tqdm():
            cli.main(args=args, prog_name="jiandu")
        return
    if not args or args[0] in ("-h", "--help"):
        setup_django()
        cli.main(args=["--help"], prog_name="jiandu", standalone_mode=False)
        click.echo("\nDjango 管理命令（jiandu help 查看全部）：migrate, createsuperuser, runserver, check, …")
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiandu.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["jiandu", *args])


if __name__ == "__main__":
    main()
