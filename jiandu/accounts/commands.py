"""`jiandu demo-accounts`: the demo city's organisations and one account per role, printed on the console."""

from __future__ import annotations

import click

from jiandu.accounts.models import Organisation, User
from jiandu.accounts.roles import Role

DEMO_PASSWORD = "Jiandu-demo-2026"


def demo_account_plan(
    city_region: str, county_regions: list[str]
) -> list[tuple[str, str, str, str, str, str]]:
    """(username, full name, role, organisation name, organisation kind/region, office) rows for the demo."""
    county = county_regions[0] if county_regions else city_region
    other = county_regions[1] if len(county_regions) > 1 else county
    K = Organisation.Kind
    return [
        ("admin", "系统管理员", Role.ADMIN, "市纪委监委", f"{K.CITY_COMMISSION}:{city_region}", ""),
        ("leader", "委领导", Role.LEADER, "市纪委监委", f"{K.CITY_COMMISSION}:{city_region}", ""),
        (
            "supervisor",
            "第一监督检查室",
            Role.SUPERVISOR,
            "市纪委监委",
            f"{K.CITY_COMMISSION}:{city_region}",
            "",
        ),
        ("clerk", "数据管理员", Role.CLERK, "市纪委监委", f"{K.CITY_COMMISSION}:{city_region}", ""),
        ("auditor", "审计查阅", Role.AUDITOR, "市纪委监委", f"{K.CITY_COMMISSION}:{city_region}", ""),
        (
            "county",
            "县纪委监委监督室",
            Role.SUPERVISOR,
            f"县纪委监委（{county}）",
            f"{K.COUNTY_COMMISSION}:{county}",
            "",
        ),
        (
            "county_leader",
            "县纪委监委领导",
            Role.LEADER,
            f"县纪委监委（{county}）",
            f"{K.COUNTY_COMMISSION}:{county}",
            "",
        ),
        (
            "county2",
            "县纪委监委监督室",
            Role.SUPERVISOR,
            f"县纪委监委（{other}）",
            f"{K.COUNTY_COMMISSION}:{other}",
            "",
        ),
        ("audit_bureau", "审计局报送员", Role.CLERK, "市审计局", f"{K.AUDIT_BUREAU}:{city_region}", ""),
        (
            "petition",
            "信访室",
            Role.SUPERVISOR,
            "市纪委监委",
            f"{K.CITY_COMMISSION}:{city_region}",
            User.Office.PETITION,
        ),
    ]


@click.command("demo-accounts")
@click.option("--city", "city_region", default=None, help="城市行政区划代码（默认取登记数据中的市级单位）")
@click.option("--totp", "with_totp", is_flag=True, help="同时为每个账户绑定双因素认证并打印密钥")
def demo_accounts(city_region: str | None, with_totp: bool) -> None:
    """创建演示账户（每个角色一个）并打印用户名和密码。"""
    from jiandu.accounts.services import organisation_ensure, user_ensure
    from jiandu.registry.selectors import demo_regions
    from jiandu.security.totp import totp_device_issue

    found_city, counties = demo_regions()
    city = city_region or found_city
    for username, full_name, role, org_name, org_spec, office in demo_account_plan(city, counties):
        kind, region = org_spec.split(":")
        org = organisation_ensure(name=org_name, kind=kind, region_code=region)
        user = user_ensure(
            username=username,
            password=DEMO_PASSWORD,
            role=role,
            organisation=org,
            full_name=full_name,
            office=office,
        )
        line = f"  {username:<14} {Role(role).label:<8} {org_name:<20} 密码: {DEMO_PASSWORD}"
        if with_totp:
            line += f"  TOTP密钥: {totp_device_issue(user)}"
        click.echo(line)


@click.group("users")
def users() -> None:
    """用户管理：停用账户、结束会话、重置双因素认证、关联本人身份（回避核查）。"""


def _user(username: str) -> User:

    user = User.objects.filter(username=username).first()
    if user is None:
        raise click.ClickException(f"用户 {username} 不存在")
    return user


@users.command("deactivate")
@click.argument("username")
def users_deactivate(username: str) -> None:
    """停用账户并立即结束其全部会话。"""
    from jiandu.accounts.services import user_deactivate

    user_deactivate(user=_user(username), by=None)
    click.echo(f"已停用 {username}，其全部会话已结束。")


@users.command("sessions-end")
@click.argument("username")
def users_sessions_end(username: str) -> None:
    """结束该用户在所有设备上的会话。"""
    from jiandu.accounts.services import user_sessions_end

    user_sessions_end(user=_user(username), by=None)
    click.echo(f"已结束 {username} 的全部会话。")


@users.command("office")
@click.argument("username")
@click.argument("office", type=click.Choice(["petition", "none"]))
def users_office(username: str, office: str) -> None:
    """设置用户的内设机构：petition（信访室，可申请查看举报人信息）或 none（无）。"""
    from jiandu.accounts.services import user_office_set

    value = "" if office == "none" else office
    user_office_set(user=_user(username), office=value, by=None)
    click.echo(f"已将 {username} 的内设机构设为：{User.Office(value).label}")


@users.command("totp-reset")
@click.argument("username")
def users_totp_reset(username: str) -> None:
    """删除该用户的双因素认证设备（遗失手机时），下次登录须重新绑定；同时结束其会话。"""
    from jiandu.accounts.services import user_sessions_end
    from jiandu.security.totp import totp_device_remove

    user = _user(username)
    totp_device_remove(user)
    user_sessions_end(user=user, by=None)
    click.echo(f"已重置 {username} 的双因素认证并结束其会话。")


@users.command("totp-issue")
@click.argument("username")
def users_totp_issue(username: str) -> None:
    """为用户生成并绑定双因素认证密钥（线下交付，避免首次登录时由持有密码者自行绑定）。"""
    from jiandu.accounts.services import user_sessions_end
    from jiandu.security.totp import totp_device_issue

    user = _user(username)
    secret = totp_device_issue(user)
    user_sessions_end(user=user, by=None)
    click.echo(f"{username} 的 TOTP 密钥（请线下交付本人，勿通过网络传送）：{secret}")


@users.command("set-id")
@click.argument("username")
def users_set_id(username: str) -> None:
    """关联用户本人的身份证号（用于回避核查）。身份证号从提示输入或标准输入读取，不写在命令行上。"""
    from jiandu.accounts.services import IdentityLinkError, user_identity_link

    user = _user(username)
    # Read from a prompt (hidden) or stdin, never argv: argv lands in shell history and the process list.
    id_number = click.prompt("身份证号", hide_input=True, err=True)
    try:
        user_identity_link(user=user, id_number=id_number, by=None)
    except IdentityLinkError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"已为 {username} 关联身份信息（仅保存摘要与密文）。")
