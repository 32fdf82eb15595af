"""Oversight records of the background city: petitions, audit and inspection findings, discipline,
talks, multi-party evaluations, and the large-transaction reports of the general population.

Petitions are written the way petitioners write: the unit as an abbreviation (县住建局), a title taken
from the post (局长), often no ID number, sometimes only "王局长", sometimes a misheard character; some
background petitions in other common forms and colloquial titles (wording.py).
"""

from __future__ import annotations

import datetime as dt

from jiandu.demo.families import add_bank
from jiandu.demo.identity import homophone_slip
from jiandu.demo.wording import colloquial_mention
from jiandu.demo.world import AS_OF, Person, Row, Unit, World, yuan

CATEGORY_WEIGHTS = (
    ("廉洁纪律", 35),
    ("工作纪律", 25),
    ("群众纪律", 15),
    ("组织纪律", 5),
    ("生活纪律", 5),
    ("违法犯罪", 5),
    ("政治纪律", 2),
    ("其他", 8),
)
COMPLAINTS = {
    "廉洁纪律": (
        "在{x}中收受施工方好处费",
        "违规插手{x}，让亲属承接工程",
        "利用职务便利为亲属企业在{x}中谋利",
        "逢年过节收受下属单位购物卡",
    ),
    "工作纪律": ("对{x}推诿扯皮、长期不办", "在{x}验收中把关不严", "对群众反映的{x}问题置之不理"),
    "群众纪律": ("在{x}中优亲厚友", "克扣{x}补偿款", "在低保评定中优亲厚友"),
    "组织纪律": ("在干部选拔中搞小圈子", "不如实报告个人有关事项"),
    "生活纪律": ("生活作风不检点", "经常出入高档娱乐场所"),
    "违法犯罪": ("涉嫌挪用{x}资金", "涉嫌参与赌博"),
    "政治纪律": ("对抗组织审查",),
    "其他": ("工作作风粗暴", "违规使用公车"),
}
PROJECTS = (
    "老旧小区改造项目",
    "农村道路硬化工程",
    "河道整治工程",
    "学校食堂承包",
    "医院设备采购",
    "征地拆迁",
    "扶贫项目",
    "危房改造",
)
AUDIT_CATEGORIES = (
    "违规发放津补贴",
    "超预算支出",
    "未按规定政府采购",
    "工程结算不实",
    "资产管理不规范",
    "专项资金挪用",
    "往来款长期未清理",
    "公务接待超标准",
    "违规出借资金",
    "合同管理不规范",
    "收入未及时上缴",
    "项目未批先建",
    "虚列支出",
    "固定资产账实不符",
    "会计核算不规范",
    "违规举债",
    "预算编制不完整",
    "票据管理混乱",
    "政府采购化整为零",
    "招投标程序不规范",
)


def title_word(title: str) -> str:
    """The post a petitioner names: "党组书记、局长" → "局长"."""
    return title.split("、")[-1]


def subject_mention(world: World, person: Person, unit: Unit, title: str, style: str) -> tuple[str, str, str]:
    """(subject_name, subject_unit, subject_title) as written on the petition."""
    rng = world.rng
    word = title_word(title)
    unit_text = unit.short if rng.random() < 0.75 else unit.name
    if style == "title_only":
        return person.name[0] + word.replace("副", ""), unit_text, word
    if style == "homophone":
        return homophone_slip(person.name, rng), unit_text, word
    return person.name, unit_text, word


def add_petition(
    world: World,
    received: dt.date,
    category: str,
    name: str,
    unit_text: str | None,
    title: str | None,
    *,
    subject: Person | None,
    with_id: bool,
    named: bool | None = None,
    status: str | None = None,
    channel: str | None = None,
    protected: bool = False,
) -> Row:
    rng = world.rng
    seq = [world.serial("petition", 7)]
    complaint = rng.choice(COMPLAINTS[category]).format(x=rng.choice(PROJECTS))
    who = (
        f"{unit_text or ''}{title or ''}{name}" if title and title not in name else f"{unit_text or ''}{name}"
    )
    summary = rng.choice(
        (
            "反映{w}{c}。",
            "来信人反映：{w}{c}，请求调查处理。",
            "群众举报{w}{c}，并附有相关照片。",
            "实名举报{w}{c}，要求严肃查处。",
        )
    ).format(w=who, c=complaint)
    if named is None:
        named = rng.random() < 0.4
    if status is None:
        age = (AS_OF - received).days
        status = (
            "已办结"
            if age > 75 and rng.random() < 0.985
            else rng.choice(("待办", "办理中"))
            if age <= 75
            else "办理中"
        )
    row: Row = {
        "petition_no": f"XF{received:%Y%m%d}{seq[0]:07d}",
        "received": received,
        "channel": channel or rng.choice(("来信", "来访", "网络", "网络", "电话", "上级交办")),
        "named": named,
        "subject_name": name,
        "subject_id": subject.id_number if subject and with_id else None,
        "subject_unit": unit_text,
        "subject_title": title,
        "category": category,
        "summary": summary,
        "status": status,
        "_protected": protected,
        "_petition_link": subject.id_number if subject else None,
    }
    if subject is not None:
        row["_persons"] = {"subject_name": subject.id_number}
    return world.add("petitions", row)


def build_petitions(world: World) -> None:
    rng = world.rng
    held = [
        r
        for r in world.rows["positions"]
        if r["is_team_member"] and not world.unit_by_code[r["unit_code"]].quiet
    ]
    count = max(30, round(1500 * world.scale))
    start = dt.date(2018, 7, 1)
    categories = [c for c, _ in CATEGORY_WEIGHTS]
    weights = [w for _, w in CATEGORY_WEIGHTS]
    for _ in range(count):
        received = start + dt.timedelta(days=rng.randrange((AS_OF - start).days))
        category = rng.choices(categories, weights)[0]
        cands = [
            p
            for p in rng.sample(held, min(40, len(held)))
            if p["start_date"] <= received and (p["end_date"] is None or p["end_date"] >= received)
        ]
        if not cands or rng.random() < 0.1:
            stranger = world.new_person()
            add_petition(
                world,
                received,
                category,
                stranger.name,
                rng.choice(world.units).short,
                None,
                subject=None,
                with_id=False,
            )
            continue
        pos = cands[0]
        person, unit = world.persons[pos["id_number"]], world.unit_by_code[pos["unit_code"]]
        style = rng.choices(("full", "title_only", "homophone"), (80, 12, 8))[0]
        name, unit_text, title = subject_mention(world, person, unit, pos["title"], style)
        wanted: str | None = title if rng.random() < 0.8 else None
        if style != "title_only":
            name, unit_text, wanted = colloquial_mention(world, person, unit, pos, name, unit_text, wanted)
        add_petition(
            world,
            received,
            category,
            name,
            unit_text,
            wanted,
            subject=person,
            with_id=rng.random() < 0.08,
        )


def build_findings(world: World) -> None:
    rng = world.rng

    for unit in world.units:
        if unit.quiet or unit.kind == "村社区" or rng.random() < 0.3:
            continue
        categories = rng.sample(AUDIT_CATEGORIES, 8)
        found = dt.date(2017, 1, 1) + dt.timedelta(days=rng.randrange(0, 3000))

        audit_type = rng.choice(("预算执行审计", "经济责任审计", "专项审计"))
        for k in range(rng.randint(2, 4)):
            add_finding(
                world,
                "audit_findings",
                unit,
                f"SJ{found.year}-{world.serial('audit_batch', 4):04d}",
                audit_type,
                categories[k],
                found,
                leader=None,
                k=k + 1,
            )
        if rng.random() < 0.6:
            found = dt.date(2019, 3, 1) + dt.timedelta(days=rng.randrange(0, 2400))
            round_name = f"{unit.county}委第{rng.randint(1, 12)}轮巡察"
            for k in range(rng.randint(2, 4)):
                add_finding(
                    world,
                    "inspection_findings",
                    unit,
                    round_name,
                    None,
                    categories[4 + k % 4],
                    found,
                    leader=None,
                    k=k + 1,
                )


def add_finding(
    world: World,
    table: str,
    unit: Unit,
    batch: str,
    audit_type: str | None,
    category: str,
    found: dt.date,
    *,
    leader: str | None,
    k: int,
    due: dt.date | None = None,
    status: str | None = None,
    fixed: dt.date | None = None,
    referred: bool | None = None,
    protected: bool = False,
    number: str | None = None,
) -> Row:
    rng = world.rng
    seq = [world.serial("finding", 7)]
    due = due or found + dt.timedelta(days=rng.choice((60, 90, 180)))
    if status is None:
        if due < AS_OF and rng.random() < 0.94:
            status, fixed = "已整改", due - dt.timedelta(days=rng.randrange(0, 50))
        elif due < AS_OF:
            status = rng.choice(("整改中", "已整改"))
            fixed = due + dt.timedelta(days=rng.randrange(5, 60)) if status == "已整改" else None
        else:
            status = rng.choice(("未整改", "整改中"))
    if fixed is not None and fixed > AS_OF:
        fixed = AS_OF
    description = f"{unit.name}{category}问题"
    prefix = "SJWT" if table == "audit_findings" else "XCWT"
    row: Row = {
        "finding_no": number or f"{prefix}{found.year}{seq[0]:07d}",
        "unit_code": unit.code,
        "description": description,
        "category": category,
        "found": found,
        "due": due,
        "status": status,
        "fixed": fixed,
        "_protected": protected,
    }
    if table == "audit_findings":
        row.update(
            audit_no=batch,
            audit_type=audit_type,
            leader_id=leader,
            amount=yuan(rng.randrange(1, 500) * 1000),
            referred=referred if referred is not None else (rng.random() < 0.01),
        )
        if leader:
            row["_persons"] = {"leader_id": leader}
    else:
        row.update(round=batch, person_ids=[leader] if leader else None)
        if leader:
            row["_persons"] = {"person_ids": leader}
    return world.add(table, row)


def build_conduct(world: World) -> None:
    """Discipline (never overlapping a later promotion), pre-appointment talks, evaluations."""
    rng = world.rng
    by_person: dict[str, list[Row]] = {}
    for row in world.rows["positions"]:
        by_person.setdefault(row["id_number"], []).append(row)
    for pid, rows in by_person.items():
        for row in rows:
            if row["is_team_member"] and row["start_date"] >= dt.date(2016, 7, 1):
                add_talk(
                    world,
                    pid,
                    row["start_date"] - dt.timedelta(days=rng.randrange(0, 5)),
                    "任前谈话",
                    "任前廉政谈话",
                )
        if rng.random() < 0.06:
            decided = dt.date(2017, 1, 1) + dt.timedelta(days=rng.randrange(0, 3300))
            months = rng.choice((0, 0, 6, 12, 18))
            until = decided + dt.timedelta(days=30 * months) if months else None
            starts = [r["start_date"] for r in rows]
            if until and any(decided <= s < until for s in starts):
                continue
            form, measure = (
                ("第一种形态", "谈话提醒")
                if not months
                else ("第二种形态", {6: "政务警告", 12: "警告", 18: "严重警告"}[months])
            )
            add_discipline(world, pid, decided, form, measure, until)
            if form == "第一种形态":
                add_talk(world, pid, decided, "谈话提醒", "工作中存在苗头性问题")
        team_years = {
            y
            for r in rows
            if r["is_team_member"]
            for y in (2023, 2024, 2025)
            if r["start_date"] <= dt.date(y, 12, 31)
            and (r["end_date"] is None or r["end_date"] >= dt.date(y, 12, 31))
        }
        for year in sorted(team_years):
            base = rng.randint(82, 94)
            for rater in ("纪委监委", "组织部", "干部群众", "家属"):
                add_evaluation(world, pid, year, rater, min(100, base + rng.randint(-6, 6)))


def add_discipline(
    world: World,
    pid: str,
    decided: dt.date,
    form: str,
    measure: str,
    until: dt.date | None,
    *,
    protected: bool = False,
) -> Row:
    seq = [world.serial("discipline", 7)]
    return world.add(
        "discipline_records",
        {
            "record_no": f"AJ{decided.year}{seq[0]:07d}",
            "id_number": pid,
            "decided": decided,
            "form": form,
            "measure": measure,
            "reason": world.rng.choice(("违反工作纪律", "违反廉洁纪律", "违反中央八项规定精神")),
            "effect_until": until,
            "_persons": {"id_number": pid},
            "_protected": protected,
        },
    )


def add_talk(world: World, pid: str, held: dt.date, kind: str, reason: str) -> Row:
    seq = [world.serial("talk", 7)]
    return world.add(
        "talks",
        {
            "talk_no": f"TH{held.year}{seq[0]:07d}",
            "id_number": pid,
            "held": held,
            "kind": kind,
            "by": world.rng.choice(("纪委书记", "组织部长", "派驻纪检组长")),
            "reason": reason,
            "_persons": {"id_number": pid},
        },
    )


def add_evaluation(
    world: World, pid: str, year: int, rater: str, integrity: int, *, protected: bool = False
) -> Row:
    rng = world.rng
    return world.add(
        "evaluations",
        {
            "id_number": pid,
            "year": year,
            "rater": rater,
            "integrity": integrity,
            "duty": rng.randint(75, 98),
            "conduct": rng.randint(75, 98),
            "family_ethos": rng.randint(75, 98),
            "_persons": {"id_number": pid},
            "_protected": protected,
        },
    )


def build_public_transactions(world: World) -> None:
    """Large-transaction reports between ordinary people and companies (the bulk of the bank delivery)."""
    rng = world.rng
    reps = [c for c in world.companies if not c.related]
    for _ in range(max(50, round(10000 * world.scale))):
        company = rng.choice(reps)
        day = dt.date(2017, 1, 1) + dt.timedelta(days=rng.randrange(0, (AS_OF - dt.date(2017, 1, 1)).days))
        if rng.random() < 0.3:
            add_bank(
                world,
                company.legal_rep,
                day,
                yuan(rng.randrange(50, 150) * 1000),
                rng.choice("收付"),
                "现金",
                None,
            )
        else:
            add_bank(
                world,
                company.legal_rep,
                day,
                yuan(rng.randrange(200, 2000) * 1000),
                rng.choice("收付"),
                "转账",
                rng.choice(reps),
            )
