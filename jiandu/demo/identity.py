"""Fictitious people and legal entities: names, resident IDs and credit codes that look real.

Every identifier is built from a counter plus the seeded generator, so it is unique within one city and
carries a valid check character (GB 11643 / GB 32100 via `jiandu.analytics.identifiers`). Names are drawn
from a curated list of common characters, all encodable in GBK, so the GBK deliveries never fail to encode
and petition writers' homophone slips (明 → 鸣) stay plausible.
"""

from __future__ import annotations

import datetime as dt
import random

from jiandu.analytics.identifiers import USCC_ALPHABET, id_check_char, uscc_check_char

SURNAMES = (
    "王王王李李李张张张刘刘陈陈杨杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
    "于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎"
    "贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
MALE_CHARS = "伟明军强磊涛斌勇杰峰建国华平志宏波辉刚鹏飞超亮林浩然宇俊文博海东新兵庆春永良德成瑞"
FEMALE_CHARS = "丽静敏艳娟霞芳婷雪燕红玲琳慧梅兰萍英云莉颖洁琴丹凤佳晶倩秀美月蓉淑玉珍"
# Same reading, different character: the slips petitioners make when they write a name from hearing it.
HOMOPHONES = {
    "伟": "玮",
    "明": "鸣",
    "军": "君",
    "强": "蔷",
    "磊": "垒",
    "涛": "韬",
    "斌": "彬",
    "勇": "永",
    "杰": "洁",
    "峰": "锋",
    "建": "健",
    "国": "帼",
    "华": "桦",
    "平": "萍",
    "志": "智",
    "宏": "红",
    "波": "博",
    "辉": "晖",
    "刚": "钢",
    "鹏": "朋",
    "飞": "菲",
    "超": "朝",
    "亮": "靓",
    "林": "琳",
    "浩": "昊",
    "宇": "雨",
    "俊": "骏",
    "文": "雯",
    "博": "波",
    "海": "亥",
    "东": "冬",
    "新": "欣",
    "兵": "冰",
    "庆": "青",
    "春": "纯",
    "永": "勇",
    "良": "梁",
    "德": "得",
    "成": "诚",
    "瑞": "锐",
    "丽": "莉",
    "静": "婧",
    "敏": "民",
    "艳": "燕",
    "娟": "鹃",
    "霞": "侠",
    "芳": "方",
    "婷": "庭",
    "雪": "学",
    "燕": "艳",
    "红": "虹",
    "玲": "琳",
    "琳": "林",
    "慧": "惠",
    "梅": "玫",
    "兰": "岚",
    "萍": "平",
    "英": "莹",
    "云": "芸",
    "莉": "丽",
    "颖": "英",
    "洁": "杰",
    "琴": "勤",
    "丹": "单",
    "凤": "峰",
    "佳": "家",
    "晶": "静",
    "倩": "茜",
    "秀": "绣",
    "美": "梅",
    "月": "悦",
    "蓉": "荣",
    "淑": "书",
    "玉": "钰",
    "珍": "真",
    "然": "燃",
}
MOBILE_PREFIXES = (
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "158",
    "159",
    "177",
    "180",
    "181",
    "182",
    "183",
    "186",
    "187",
    "188",
    "189",
    "199",
)


class IdentityFactory:
    """Hands out unique names, ID numbers, credit codes and phone numbers for one city."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._ids: set[str] = set()
        self._usccs: set[str] = set()
        self._phones: set[str] = set()
        self._seq = 0

    def person_name(self, gender: str, surname: str | None = None) -> str:
        rng = self.rng
        chars = MALE_CHARS if gender == "男" else FEMALE_CHARS
        given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.72 else "")
        return (surname or rng.choice(SURNAMES)) + given

    def id_number(self, region: str, birth: dt.date, gender: str) -> str:
        rng = self.rng
        while True:
            seq = rng.randrange(0, 999)
            if (seq % 2 == 1) != (gender == "男"):
                seq = (seq + 1) % 1000
            first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
            value = first17 + id_check_char(first17)
            if value not in self._ids:
                self._ids.add(value)
                return value

    def mobile(self) -> str:
        while True:
            value = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if value not in self._phones:
                self._phones.add(value)
                return value

    def landline(self, area: str = "0599") -> str:
        while True:
            value = f"{area}-{self.rng.randrange(2_000_000, 8_999_999)}"
            if value not in self._phones:
                self._phones.add(value)
                return value

    def uscc(self, authority: str, category: str, region: str) -> str:
        """GB 32100 code: authority + category + region + 9-char organisation code (GB 11714) + check."""
        rng = self.rng
        while True:
            self._seq += 1
            body = "".join(rng.choice(USCC_ALPHABET[:10] if i < 2 else USCC_ALPHABET) for i in range(8))
            org = body + _org_check(body)
            first17 = f"{authority}{category}{region}{org}"
            value = first17 + uscc_check_char(first17)
            if value not in self._usccs:
                self._usccs.add(value)
                return value


_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _org_check(body: str) -> str:
    """GB 11714 organisation-code check char (X for 10, 0 for 11)."""
    total = sum(int(c, 36) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    c9 = 11 - total % 11
    return "X" if c9 == 10 else "0" if c9 == 11 else str(c9)


def homophone_slip(name: str, rng: random.Random) -> str:
    """The name as a petitioner might mishear it: one given-name character replaced by a homophone."""
    positions = [i for i in range(1, len(name)) if name[i] in HOMOPHONES]
    if not positions:
        return name
    i = rng.choice(positions)
    return name[:i] + HOMOPHONES[name[i]] + name[i + 1 :]


def legacy_id(id_number: str) -> str | None:
    """The 15-digit form of an 18-char ID born in the 1900s (issued before 1999), else None."""
    if id_number[6:8] != "19":
        return None
    return id_number[:6] + id_number[8:17]
