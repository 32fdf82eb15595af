"""The petition vocabulary, per entry class: unit abbreviations with and without the place in front, old
names of merged bodies, title synonyms, principal words (一把手 → the principal of the positions data), and
ambiguity (two units of one region sharing a form never link on the unit alone)."""

import datetime as dt

import pytest
from builders import empty_db, insert, make_id, make_unit_code

from jiandu.analytics.resolution.petitions import compare_title, decide, petition_candidates, read_subject
from jiandu.analytics.resolution.units import AMBIGUOUS_QUALITY, UnitIndex
from jiandu.analytics.resolution.vocabulary import VocabularyError, load_vocabulary

BODIES = {
    "ZJ": "住房和城乡建设局",
    "FG": "发展和改革委员会",
    "RS": "人力资源和社会保障局",
    "SJ": "市场监督管理局",
    "ZG": "自然资源和规划局",
    "WJ": "卫生健康委员会",
    "JY": "教育局",
    "CZ": "财政局",
    "GA": "公安局",
    "HB": "生态环境局",
    "NY": "农业农村局",
    "JT": "交通运输局",
    "SL": "水利局",
    "WL": "文化广电旅游体育局",
    "TY": "退役军人事务局",
    "YJ": "应急管理局",
    "YB": "医疗保障局",
    "SP": "行政审批服务局",
    "CG": "城市管理综合执法局",
}
# county units are "清河县<body>" (code = key), city units "白沙市<body>" (code = key + "-市")
REGISTER = [(k, f"清河县{b}", "县", "349921") for k, b in BODIES.items()] + [
    (k + "-市", f"白沙市{b}", "市", "349900") for k, b in BODIES.items()
]

STANDARD = [  # (abbreviation, body key): the real forms people write
    ("住建局", "ZJ"),
    ("发改委", "FG"),
    ("人社局", "RS"),
    ("市监局", "SJ"),
    ("市场监管局", "SJ"),
    ("自规局", "ZG"),
    ("自然资源局", "ZG"),
    ("卫健委", "WJ"),
    ("卫健局", "WJ"),
    ("教育局", "JY"),
    ("财政局", "CZ"),
    ("公安局", "GA"),
    ("生态环境局", "HB"),
    ("环保局", "HB"),
    ("农业局", "NY"),
    ("交通局", "JT"),
    ("水利局", "SL"),
    ("文旅局", "WL"),
    ("文广旅体局", "WL"),
    ("退役军人局", "TY"),
    ("应急局", "YJ"),
    ("医保局", "YB"),
    ("审批局", "SP"),
    ("城管局", "CG"),
]
OLD_NAMES = [("国土局", "ZG"), ("工商局", "SJ"), ("卫计委", "WJ"), ("安监局", "YJ"), ("人事局", "RS")]


def matches(index, text):
    return {(m.unit_code, m.quality) for m in index.match(text)}


@pytest.fixture(scope="module")
def index():
    return UnitIndex(REGISTER)


@pytest.mark.parametrize(("short", "key"), STANDARD + OLD_NAMES)
def test_abbreviation_without_place_means_every_such_body_with_full_confidence(index, short, key):
    assert matches(index, short) == {(key, 1.0), (key + "-市", 1.0)}


@pytest.mark.parametrize(("short", "key"), STANDARD + OLD_NAMES)
def test_abbreviation_with_place_words_means_that_level_and_place(index, short, key):
    county = {(key, 1.0)}
    assert matches(index, "县" + short) == county
    assert matches(index, "清河县" + short) == county
    assert matches(index, "清河" + short) == county
    assert matches(index, "白沙市" + short) == {(key + "-市", 1.0)}
    assert matches(index, " 清河县 " + short) == county  # spaces are not words


def test_full_names_match_as_before(index):
    assert matches(index, "清河县住房和城乡建设局") == {("ZJ", 1.0)}
    assert matches(index, "县住房和城乡建设局") == {("ZJ", 1.0)}


def test_unknown_forms_fall_back_to_weaker_subsequence_matches(index):
    found = index.match("县住城局")  # not a form anyone writes, but a subsequence of the full name
    assert [m.unit_code for m in found] == ["ZJ"]
    assert found[0].quality < 1.0 and found[0].how == "abbreviation"


def test_two_units_of_one_region_sharing_a_form_are_ambiguous():
    register = [
        ("A", "清河县城市管理局", "县", "349921"),
        ("B", "清河县城市管理综合执法局", "县", "349921"),
        ("C", "长宁县城市管理局", "县", "349922"),
    ]
    index = UnitIndex(register)
    assert matches(index, "县城管局") == {("A", AMBIGUOUS_QUALITY), ("B", AMBIGUOUS_QUALITY), ("C", 1.0)}
    assert matches(index, "清河县城管局") == {("A", AMBIGUOUS_QUALITY), ("B", AMBIGUOUS_QUALITY)}
    assert matches(index, "清河县城市管理局") == {("A", 1.0)}  # the full name is never ambiguous
    assert matches(index, "长宁县城管局") == {("C", 1.0)}


def test_places_stand_for_their_government_and_villages_for_their_committee():
    register = [
        ("G", "清河县人民政府", "县", "349921"),
        ("T", "清河县东岭镇人民政府", "乡", "349921"),
        ("V", "清河县东岭镇下湾村民委员会", "村", "349921"),
        ("P", "中共清河县委员会", "县", "349921"),
        ("H", "清河县东岭镇卫生院", "乡", "349921"),
        ("S", "清河县第一中学", "县", "349921"),
    ]
    index = UnitIndex(register)
    assert matches(index, "东岭镇") == {("T", 1.0)}
    assert matches(index, "东岭镇政府") == {("T", 1.0)}
    assert matches(index, "县政府") == {("G", 1.0)}
    assert matches(index, "下湾村") == {("V", 1.0)}
    assert matches(index, "下湾村委会") == {("V", 1.0)}
    assert matches(index, "县委") == {("P", 1.0)}
    assert matches(index, "中共清河县委") == {("P", 1.0)}
    assert matches(index, "东岭卫生院") == {("H", 1.0)}
    assert matches(index, "县一中") == {("S", 1.0)}
    assert all(q < 1.0 for _, q in matches(index, "政府"))  # a government needs its place


@pytest.mark.parametrize(
    ("said", "position", "level"),
    [
        ("书记", "党委书记", "exact"),
        ("书记", "党组书记、局长", "exact"),
        ("书记", "纪委书记", "contains"),
        ("支书", "党支部书记、主任", "exact"),
        ("村长", "党支部书记、主任", "exact"),
        ("老总", "党委书记、董事长", "exact"),
        ("局长", "党组书记、局长", "exact"),
        ("局长", "副局长", "deputy"),
        ("县长", "常务副县长", "deputy"),
        ("副局长", "党组书记、局长", "different"),
        ("院长", "副局长", "different"),
    ],
)
def test_title_synonyms(said, position, level):
    assert compare_title(said, position) == level


def test_a_post_named_without_a_person_is_not_a_deputy():
    assert compare_title("局长", "副局长", addressed=False) == "different"


@pytest.mark.parametrize("word", ["一把手", "主要负责人", "正职", "头儿", "主要领导"])
def test_principal_words_follow_the_positions_flag(word):
    assert compare_title(word, "党组书记、局长", principal=True) == "principal"
    assert compare_title(word, "副局长", principal=False) == "different"
    # the flag decides, not the title's wording: a 局长 not flagged principal is not the 一把手
    assert compare_title(word, "局长", principal=False) == "different"


def test_subjects_as_written():
    assert read_subject("王局长") == read_subject("王局长")
    cases = {
        "王局长": (None, "王", "局长"),
        "张县委书记": (None, "张", "县委书记"),
        "李村支书": (None, "李", "村支书"),
        "王建国局长": ("王建国", None, "局长"),
        "一把手": (None, None, "一把手"),
        "主要负责人": (None, None, "主要负责人"),
        "王某": (None, "王", None),
        "老王": (None, "王", None),
        "欧阳主任": (None, "欧阳", "主任"),
        "王建国": ("王建国", None, None),
        "李延长": ("李延长", None, None),  # a given name ending in 长 is not a title
    }
    for text, (full, family, title) in cases.items():
        got = read_subject(text)
        assert (got.full, got.family, got.title) == (full, family, title), text


# ---- petitions end to end: the colloquial forms link with the points the full forms get -------------

WANG, ZHAO, SUN, LI, ZHOU = (make_id("349921", f"1970010{i}", 10 + i) for i in range(1, 6))
ZJ, TOWN, CG1, CG2 = (make_unit_code(n) for n in (1, 2, 3, 4))
ON = dt.date(2024, 5, 1)


@pytest.fixture(scope="module")
def con():
    con = empty_db()
    insert(
        con,
        "units",
        [
            {"unit_code": ZJ, "name": "清河县住房和城乡建设局", "region_code": "349921", "level": "县"},
            {"unit_code": TOWN, "name": "清河县东岭镇人民政府", "region_code": "349921", "level": "乡"},
            {"unit_code": CG1, "name": "清河县城市管理局", "region_code": "349921", "level": "县"},
            {"unit_code": CG2, "name": "清河县城市管理综合执法局", "region_code": "349921", "level": "县"},
        ],
    )
    insert(
        con,
        "officials",
        [
            {"id_number": WANG, "name": "王建国"},
            {"id_number": ZHAO, "name": "赵志刚"},
            {"id_number": SUN, "name": "孙立"},
            {"id_number": LI, "name": "李明"},
            {"id_number": ZHOU, "name": "周强"},
        ],
    )
    start = dt.date(2020, 1, 1)
    insert(
        con,
        "positions",
        [
            {
                "id_number": WANG,
                "unit_code": ZJ,
                "title": "党组书记、局长",
                "is_principal": True,
                "start_date": start,
            },
            {
                "id_number": ZHAO,
                "unit_code": ZJ,
                "title": "副局长",
                "is_principal": False,
                "start_date": start,
            },
            {
                "id_number": SUN,
                "unit_code": TOWN,
                "title": "党委书记",
                "is_principal": True,
                "start_date": start,
            },
            {
                "id_number": LI,
                "unit_code": CG1,
                "title": "党组书记、局长",
                "is_principal": True,
                "start_date": start,
            },
            {
                "id_number": ZHOU,
                "unit_code": CG2,
                "title": "党组书记、局长",
                "is_principal": True,
                "start_date": start,
            },
        ],
    )
    return con


def link(con, name, unit, title=None):
    rid = 1 + con.execute("SELECT count(*) FROM petitions").fetchall()[0][0]
    cands = petition_candidates(con, [(rid, name, unit, title, ON)])[f"petitions:{rid}:subject_id"]
    best, status = decide(cands)
    return (best.id_number if best else None), status, (best.points if best else None)


@pytest.mark.parametrize("unit", ["住建局", "县住建局", "清河县住建局", "清河住建局", "建设局"])
def test_abbreviated_unit_links_with_the_points_of_the_full_name(con, unit):
    full = link(con, "王局长", "清河县住房和城乡建设局")
    assert full[:2] == (WANG, "linked")
    assert link(con, "王局长", unit) == full


def test_colloquial_titles_link_like_the_full_title(con):
    assert link(con, "孙书记", "东岭镇")[:2] == (SUN, "linked")
    assert link(con, "孙书记", "东岭镇")[2] == link(con, "孙党委书记", "东岭镇")[2]
    assert link(con, "赵局长", "县住建局")[:2] == (ZHAO, "linked")  # a deputy addressed as 局长


@pytest.mark.parametrize("word", ["一把手", "主要负责人", "正职", "头儿"])
def test_principal_words_link_the_units_principal(con, word):
    assert link(con, word, "县住建局")[:2] == (WANG, "linked")  # no name at all
    assert link(con, "王建国", "县住建局", word)[:2] == (WANG, "linked")
    assert link(con, "赵志刚", "县住建局", word)[1] != "linked"  # a deputy is not the 一把手


def test_a_form_two_units_of_one_region_share_does_not_link_on_the_unit_alone(con):
    # 县城管局: the 城市管理局 or the 城市管理综合执法局 — the post alone cannot say which 一把手
    assert link(con, "一把手", "县城管局")[1] == "proposed"
    assert link(con, "一把手", "清河县城市管理局")[:2] == (LI, "linked")
    # a name singles the official out among both units, with less confidence than an unambiguous unit
    li = link(con, "李明", "县城管局")
    assert li[:2] == (LI, "linked")
    assert li[2] < link(con, "李明", "清河县城市管理局")[2]


def test_an_administrators_file_adds_and_removes_forms(tmp_path):
    extra = tmp_path / "vocabulary.yaml"
    extra.write_text("units:\n  住房和城乡建设局: [城建局]\n  城市管理局: []\n", encoding="utf-8")
    vocab = load_vocabulary(extra)
    index = UnitIndex(
        [("A", "清河县住房和城乡建设局", "县", "1"), ("B", "清河县城市管理局", "县", "1")], vocab
    )
    assert matches(index, "县城建局") == {("A", 1.0)}
    assert matches(index, "县住建局") == set() or all(q < 1.0 for _, q in matches(index, "县住建局"))
    assert all(q < 1.0 for _, q in matches(index, "县城管局"))  # the entry was removed
    assert vocab.fingerprint != load_vocabulary().fingerprint


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("units: [a, b]\n", "units"),
        ("units:\n  住房和城乡建设局: {short: [住建局], place: true}\n", "未知选项"),
        ("units:\n  村民委员会: {short: [村], named: true}\n", "{name}"),
        ("titles:\n  synonyms:\n    书记: 党委书记\n", "书记"),
        ("units: [\n", "YAML"),
    ],
)
def test_a_bad_file_is_refused_in_chinese_naming_file_and_entry(tmp_path, text, says):
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(VocabularyError) as err:
        load_vocabulary(bad)
    assert says in str(err.value) and str(bad) in str(err.value)


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(VocabularyError, match="不存在"):
        load_vocabulary(tmp_path / "none.yaml")


def test_a_changed_vocabulary_relinks_every_petition_on_the_next_run(tmp_path):
    from city import build_city

    from jiandu.analytics.resolution.engine import ResolveSettings, resolve

    city = build_city(background=50)
    petitions = city.execute("SELECT count(*) FROM petitions WHERE subject_id IS NULL").fetchall()[0][0]
    assert resolve(city).stats["petitions_compared"] == petitions
    assert resolve(city, changed={}).stats["petitions_compared"] == 0
    extra = tmp_path / "vocabulary.yaml"
    extra.write_text("units:\n  住房和城乡建设局: [住建局, 城建局]\n", encoding="utf-8")
    changed = resolve(city, changed={}, settings=ResolveSettings(vocabulary=str(extra)))
    assert changed.stats["petitions_compared"] == petitions
    assert (
        resolve(city, changed={}, settings=ResolveSettings(vocabulary=str(extra))).stats["petitions_compared"]
        == 0
    )
