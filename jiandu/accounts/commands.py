"""`jiandu users …`: account administration from the console.

The second-factor commands of the group (`totp-reset`, `totp-issue`) belong to the security area, which adds
them to this group from its AppConfig.ready (jiandu/security/commands.py): accounts is below security.
"""

from __future__ import annotations

import click

from jiandu.accounts.models import User
from jiandu.accounts.services import (
    IdentityLinkError,
    user_deactivate,
    user_identity_link,
    user_office_set,
    user_sessions_end,
)


@click.group("users")
def users() -> None:
    """用户管理：停用账户、结束会话、重置双因素认证、关联本人身份（回避核查）。"""


def user_named(username: str) -> User:
    """The account called `username`, or a ClickException naming it."""
    user = User.objects.filter(username=username).first()
    if user is None:
        raise click.ClickException(f"用户 {username} 不存在")
    return user


@users.command("deactivate")
@click.argument("username")
def users_deactivate(username: str) -> None:
    """停用账户并立即结束其全部会话。"""
    user_deactivate(user=user_named(username), by=None)
    click.echo(f"已停用 {username}，其全部会话已结束。")


@users.command("sessions-end")
@click.argument("username")
def users_sessions_end(username: str) -> None:
    """结束该用户在所有设备上的会话。"""
    user_sessions_end(user=user_named(username), by=None)
    click.echo(f"已结束 {username} 的全部会话。")


@users.command("office")
@click.argument("username")
@click.argument("office", type=click.Choice(["petition", "none"]))
def users_office(username: str, office: str) -> None:
    """设置用户的内设机构：petition（信访室，可申请查看举报人信息）或 none（无）。"""
    value = "" if office == "none" else office
    user_office_set(user=user_named(username), office=value, by=None)
    click.echo(f"已将 {username} 的内设机构设为：{User.Office(value).label}")


@users.command("set-id")
@click.argument("username")
def users_set_id(username: str) -> None:
    """关联用户本人的身份证号（用于回避核查）。身份证号从提示输入或标准输入读取，不写在命令行上。"""
    user = user_named(username)
    # Read from a prompt (hidden) or stdin, never argv: argv lands in shell history and the process list.
    id_number = click.prompt("身份证号", hide_input=True, err=True)
    try:
        user_identity_link(user=user, id_number=id_number, by=None)
    except IdentityLinkError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"已为 {username} 关联身份信息（仅保存摘要与密文）。")
