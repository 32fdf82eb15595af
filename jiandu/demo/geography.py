"""Fictitious prefecture-level cities, their counties, townships, villages and public units.

Codes: province prefix 34 with prefecture codes 3499, 3498, … (not assigned in GB/T 2260), counties
xx02/xx03 (districts), xx21–xx23 (counties) and xx81 (county-level city), as GB/T 2260 numbers them. The
contract's region type is six digits, so townships and villages carry their county's code. Scale 1 is one
city with six counties; scale 10 is ten such cities.
"""

from __future__ import annotations

import math

from jiandu.demo.world import Unit, World

CITY_NAMES = (
    "青源",
    "澜平",
    "桐溪",
    "岚州",
    "禾丰",
    "临澄",
    "泓江",
    "景屏",
    "芦川",
    "枫陵",
    "沅宁",
    "锦阳",
    "嘉岭",
    "茂川",
    "清渠",
    "安澜",
    "苍梧",
    "鹤溪",
    "丰泽",
    "云岫",
)
COUNTY_STEMS = (
    "西山",
    "南溪",
    "北岭",
    "安平",
    "石桥",
    "金川",
    "双河",
    "龙湾",
    "白沙",
    "清水",
    "望湖",
    "凤台",
    "梅岭",
    "松阳",
    "柳塘",
    "永丰",
    "长宁",
    "青石",
    "桃源",
    "河口",
    "三江",
    "马场",
    "新桥",
    "东坪",
)
TOWN_STEMS = (
    "城关",
    "新集",
    "三河",
    "柏树",
    "高桥",
    "石岗",
    "黄土",
    "杨柳",
    "花园",
    "龙山",
    "东岭",
    "大湾",
    "平田",
    "新店",
    "白鹤",
    "桂花",
    "朱家",
    "庙前",
    "长岗",
    "沙坪",
    "太平",
    "兴隆",
    "九龙",
    "观音",
)
VILLAGE_STEMS = (
    "王庄",
    "李湾",
    "张塘",
    "东风",
    "红星",
    "新华",
    "前进",
    "和平",
    "联合",
    "光明",
    "胜利",
    "团结",
    "油坊",
    "石门",
    "枣林",
    "竹园",
    "大井",
    "双塘",
    "陈岗",
    "刘圩",
    "周冲",
    "下湾",
    "后山",
    "塘坊",
)

# (full name suffix, short suffix used by petitioners, kind, sector, child institutions)
BUREAUS = (
    ("发展和改革委员会", "发改委", "发改", ()),
    ("教育局", "教育局", "教育", (("第一中学", "一中"), ("实验小学", "实验小学"))),
    ("公安局", "公安局", "政法", ()),
    ("民政局", "民政局", "民政", ()),
    ("财政局", "财政局", "财政", (("国库集中收付中心", "国库中心"),)),
    ("人力资源和社会保障局", "人社局", "人社", ()),
    ("自然资源和规划局", "自然资源局", "国土", (("不动产登记中心", "不动产中心"),)),
    ("住房和城乡建设局", "住建局", "住建", (("建设工程质量安全监督站", "质监站"),)),
    ("交通运输局", "交通局", "交通", (("农村公路管理所", "公路所"),)),
    ("水利局", "水利局", "水利", (("水利工程建设管理站", "水利站"),)),
    ("农业农村局", "农业农村局", "农业", ()),
    (
        "卫生健康委员会",
        "卫健委",
        "医疗卫生",
        (("人民医院", "人民医院"), ("中医院", "中医院"), ("疾病预防控制中心", "疾控中心")),
    ),
    ("市场监督管理局", "市场监管局", "市场监管", ()),
    ("审计局", "审计局", "审计", ()),
    ("生态环境分局", "环保局", "环保", ()),
    ("城市管理局", "城管局", "住建", ()),
    ("文化旅游体育局", "文旅局", "文旅", ()),
)
SOES = (
    ("城市建设投资有限公司", "城投公司", "住建"),
    ("交通建设投资有限公司", "交投公司", "交通"),
    ("水务投资有限公司", "水投公司", "水利"),
)


def build_geography(world: World) -> None:
    """Create the cities and every public unit; scale < 1 keeps one city with fewer counties."""
    n_cities = max(1, math.ceil(world.scale - 1e-9)) if world.scale >= 1 else 1
    n_counties = 6 if world.scale >= 1 else max(1, round(6 * world.scale))
    for ci in range(n_cities):
        prefix = f"34{99 - ci:02d}"
        stems = world.rng.sample(COUNTY_STEMS, 4)
        counties = [(f"{prefix}02", "城中区", "区"), (f"{prefix}03", "湖滨区", "区")]
        counties += [(f"{prefix}{21 + i}", f"{stems[i]}县", "县") for i in range(3)]
        counties += [(f"{prefix}81", f"{stems[3]}市", "市")]
        counties = counties[:n_counties]
        city = {
            "name": f"{CITY_NAMES[ci]}市",
            "code": f"{prefix}00",
            "county_codes": [c[0] for c in counties],
        }
        world.cities.append(city)
        _city_units(world, city, counties)


def _unit(
    world: World,
    *,
    name: str,
    short: str,
    parent: Unit | None,
    region: str,
    kind: str,
    level: str,
    sector: str | None,
    county: str,
) -> Unit:
    authority, category = {
        "党政机关": ("1", "1"),
        "事业单位": ("1", "2"),
        "国有企业": ("9", "1"),
        "乡镇街道": ("1", "1"),
        "村社区": ("5", "4"),
    }[kind]
    unit = Unit(
        code=world.ids.uscc(authority, category, region),
        name=name,
        short=short,
        parent_code=parent.code if parent else None,
        region_code=region,
        kind=kind,
        level=level,
        sector=sector,
        county=county,
    )
    world.units.append(unit)
    world.unit_by_code[unit.code] = unit
    return unit


def _city_units(world: World, city: dict, counties: list[tuple[str, str, str]]) -> None:
    cname, ccode = city["name"], city["code"]
    committee = _unit(
        world,
        name=f"中共{cname}委员会",
        short="市委",
        parent=None,
        region=ccode,
        kind="党政机关",
        level="市",
        sector="综合",
        county=cname,
    )
    gov = _unit(
        world,
        name=f"{cname}人民政府",
        short="市政府",
        parent=None,
        region=ccode,
        kind="党政机关",
        level="市",
        sector="综合",
        county=cname,
    )
    del committee
    _departments(world, gov, cname, "市", ccode, cname)
    for code, cty, suffix in counties:
        _county_units(world, gov, code, cty, suffix)


def _departments(world: World, gov: Unit, place: str, short_prefix: str, region: str, county: str) -> None:
    level = "市" if short_prefix == "市" else "县"
    for full, short, sector, children in BUREAUS:
        bureau = _unit(
            world,
            name=f"{place}{full}",
            short=f"{short_prefix}{short}",
            parent=gov,
            region=region,
            kind="党政机关",
            level=level,
            sector=sector,
            county=county,
        )
        for cfull, cshort in children:
            _unit(
                world,
                name=f"{place}{cfull}",
                short=f"{short_prefix}{cshort}",
                parent=bureau,
                region=region,
                kind="事业单位",
                level=level,
                sector=sector,
                county=county,
            )
    for full, short, sector in SOES:
        _unit(
            world,
            name=f"{place}{full}",
            short=f"{short_prefix}{short}",
            parent=gov,
            region=region,
            kind="国有企业",
            level=level,
            sector=sector,
            county=county,
        )


def _county_units(world: World, city_gov: Unit, code: str, cty: str, suffix: str) -> None:
    _unit(
        world,
        name=f"中共{cty}委员会",
        short=f"{suffix}委",
        parent=None,
        region=code,
        kind="党政机关",
        level="县",
        sector="综合",
        county=cty,
    )
    gov = _unit(
        world,
        name=f"{cty}人民政府",
        short=f"{suffix}政府",
        parent=city_gov,
        region=code,
        kind="党政机关",
        level="县",
        sector="综合",
        county=cty,
    )
    _departments(world, gov, cty, suffix, code, cty)
    health = next(u for u in world.units if u.name == f"{cty}卫生健康委员会")
    towns = world.rng.sample(TOWN_STEMS, 7)
    for i, stem in enumerate(towns):
        kind_word = "街道办事处" if suffix == "区" and i < 3 else ("镇人民政府" if i < 5 else "乡人民政府")
        town = _unit(
            world,
            name=f"{cty}{stem}{kind_word}",
            short=f"{stem}{kind_word[0]}",
            parent=gov,
            region=code,
            kind="乡镇街道",
            level="乡",
            sector="综合",
            county=cty,
        )
        _unit(
            world,
            name=f"{cty}{stem}{'街道社区卫生服务中心' if kind_word[0] == '街' else kind_word[0] + '卫生院'}",
            short=f"{stem}卫生院",
            parent=health,
            region=code,
            kind="事业单位",
            level="乡",
            sector="医疗卫生",
            county=cty,
        )
        for vstem in world.rng.sample(VILLAGE_STEMS, 3):
            word = "社区居民委员会" if kind_word[0] == "街" else "村民委员会"
            _unit(
                world,
                name=f"{cty}{stem}{kind_word[:-4] if kind_word[0] != '街' else '街道'}{vstem}{word}",
                short=f"{vstem}{word[:2] if word[0] == '社' else '村'}",
                parent=town,
                region=code,
                kind="村社区",
                level="村",
                sector="农业",
                county=cty,
            )
