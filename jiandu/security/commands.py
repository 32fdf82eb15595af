"""`jiandu users totp-reset|totp-issue`: the second-factor commands of the account group.

They live with the TOTP mechanism; SecurityConfig.ready adds them to `jiandu users` (jiandu/accounts/commands.py),
which cannot import security (accounts is below it).
"""

from __future__ import annotations

import click

from jiandu.accounts.commands import user_named, users
from jiandu.accounts.services import user_sessions_end
from jiandu.security.totp import totp_device_issue, totp_device_remove


@click.command("totp-reset")
@click.argument("username")
def users_totp_reset(username: str) -> None:
    """删除该用户的双因素认证设备（遗失手机时），下次登录须重新绑定；同时结束其会话。"""
    user = user_named(username)
    totp_device_remove(user)
    user_sessions_end(user=user, by=None)
    click.echo(f"已重置 {username} 的双因素认证并结束其会话。")


@click.command("totp-issue")
@click.argument("username")
def users_totp_issue(username: str) -> None:
    """为用户生成并绑定双因素认证密钥（线下交付，避免首次登录时由持有密码者自行绑定）。"""
    user = user_named(username)
    secret = totp_device_issue(user)
    user_sessions_end(user=user, by=None)
    click.echo(f"{username} 的 TOTP 密钥（请线下交付本人，勿通过网络传送）：{secret}")


def users_group_extend() -> None:
    users.add_command(users_totp_reset)
    users.add_command(users_totp_issue)
