"""How petitioners also name units and posts: other common abbreviations of a body, with or without the place
in front (市监局, 清河县人社局, 自规局), and colloquial titles (一把手, 主要负责人, 书记 for a party secretary, 村长),
sometimes with no name at all ("一把手" in the name field).

The choices come from a random stream of their own, so adding them left the rest of the city unchanged.
"""

from __future__ import annotations

import random

from jiandu.demo.world import Person, Row, Unit, World

# Other standard short forms people use for a body (written here for the generator, independently of the
# resolution vocabulary that reads them): the first form of BUREAUS is the usual one, these are the others.
OTHER_SHORT_FORMS = {
    "发展和改革委员会": ("发改委", "发改局"),
    "人力资源和社会保障局": ("人社局", "人保局", "劳动局"),
    "自然资源和规划局": ("自规局", "国土局", "规划局", "自然资源局"),
    "住房和城乡建设局": ("住建局", "建设局"),
    "交通运输局": ("交通局",),
    "农业农村局": ("农业局", "农委"),
    "卫生健康委员会": ("卫健委", "卫健局", "卫生局"),
    "市场监督管理局": ("市监局", "市场监管局", "工商局"),
    "生态环境分局": ("环保局", "生态环境局"),
    "城市管理局": ("城管局",),
    "文化旅游体育局": ("文旅局", "文体局"),
    "财政局": ("财政局",),
    "公安局": ("公安局",),
    "教育局": ("教育局",),
    "水利局": ("水利局", "水务局"),
    "审计局": ("审计局",),
    "民政局": ("民政局",),
}
PRINCIPAL_WORDS = ("一把手", "主要负责人", "正职", "头儿", "主要领导")
COLLOQUIAL_UNIT_RATE = 0.3
COLLOQUIAL_TITLE_RATE = 0.2
NO_NAME_RATE = 0.25  # of colloquial titles for a principal: the name field holds the title only


def _wording(world: World) -> random.Random:
    """A stream of its own for colloquial wording, so the rest of the city stays as it was."""
    if "_wording_rng" not in world.__dict__:
        world.__dict__["_wording_rng"] = random.Random(f"petition-wording:{world.seed}:{world.scale}")
    rng: random.Random = world.__dict__["_wording_rng"]
    return rng


def _place_of(unit: Unit) -> tuple[str, str] | None:
    """(place, body) of a county- or city-level department: 清河县住房和城乡建设局 → (清河县, 住房和城乡建设局)."""
    for body in OTHER_SHORT_FORMS:
        if unit.name.endswith(body) and unit.name.startswith(unit.county):
            return unit.county, body
    return None


def colloquial_mention(
    world: World, person: Person, unit: Unit, position: Row, name: str, unit_text: str, title: str | None
) -> tuple[str, str, str | None]:
    """Some petitions name the unit by another common form and the post by a colloquial word."""
    rng = _wording(world)
    placed = _place_of(unit)
    if placed is not None and rng.random() < COLLOQUIAL_UNIT_RATE:
        place, body = placed
        short = rng.choice(OTHER_SHORT_FORMS[body])
        level = place[-1]
        unit_text = rng.choice((short, level + short, place + short, place[:-1] + short))
    if rng.random() >= COLLOQUIAL_TITLE_RATE:
        return name, unit_text, title
    if not position["is_principal"]:
        return name, unit_text, title
    parts = position["title"].split("、")
    secretary = any(p.endswith("书记") and "纪委" not in p for p in parts)
    if unit.kind == "村社区" and rng.random() < 0.6:
        # A village's party secretary who also heads the committee (一肩挑) is 村支书 or 村长 to the villagers
        # (书记 or 主任 in an urban community).
        village = unit.name.endswith("村民委员会")
        if secretary and rng.random() < 0.5:
            word = "村支书" if village else "书记"
        else:
            word = "村长" if village else "主任"
        return person.name[0] + word, unit_text, word
    if secretary and rng.random() < 0.3:
        return person.name[0] + "书记", unit_text, "书记"
    word = rng.choice(PRINCIPAL_WORDS)
    if rng.random() < NO_NAME_RATE:
        return word, unit_text, None
    return name, unit_text, word
