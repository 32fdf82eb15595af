"""`jiandu demo-accounts`: the demo city's organisations and one account per role, printed on the console.

An interface-floor command: it reads the unit register (registry), creates accounts (accounts) and can bind a
second factor (security), so it sits above all three rather than inside one of them.
"""

from __future__ import annotations

import click

from jiandu.accounts.models import Organisation, User
from jiandu.accounts.roles import Role
from jiandu.accounts.services import organisation_ensure, user_ensure
from jiandu.registry.selectors import demo_cities, demo_province, demo_regions
from jiandu.security.totp import totp_device_issue

DEMO_PASSWORD = "Jiandu-demo-2026"


def demo_account_plan(
    city_region: str, county_regions: list[str], province_region: str | None = None
) -> list[tuple[str, str, str, str, str, str]]:
    """(username, full name, role, organisation name, organisation kind/region, office) rows for the demo.

    With several cities (scale > 1) a provincial commission account sees all of them (`province_region`)."""
    county = county_regions[0] if county_regions else city_region
    other = county_regions[1] if len(county_regions) > 1 else county
    K = Organisation.Kind
    province: list[tuple[str, str, str, str, str, str]] = (
        [
            (
                "province",
                "省纪委监委监督检查室",
                Role.SUPERVISOR,
                "省纪委监委",
                f"{K.PROVINCE_COMMISSION}:{province_region}",
                "",
            )
        ]
        if province_region
        else []
    )
    return province + [
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
    found_city, counties = demo_regions()
    city = city_region or found_city
    province = demo_province(demo_cities())
    for username, full_name, role, org_name, org_spec, office in demo_account_plan(city, counties, province):
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
