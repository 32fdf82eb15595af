from builders import make_id

from jiandu.analytics.resolution.normalise import (
    classify_identifier,
    fold_name,
    name_pinyin,
    normalise_company_name,
    normalise_id_number,
    surname_only,
)
from jiandu.analytics.resolution.units import match_units


def test_a_15_digit_id_equals_its_18_digit_form():
    full = make_id("110105", "19491231", 2)
    legacy = full[:6] + full[8:17]
    assert len(legacy) == 15
    assert normalise_id_number(legacy) == full
    assert normalise_id_number(full.lower()) == full
    assert normalise_id_number("１１０１０５" + full[6:]) == full  # full-width digits


def test_invalid_ids_are_not_identifiers():
    full = make_id("110105", "19491231", 2)
    broken = full[:17] + ("0" if full[17] != "0" else "1")
    assert normalise_id_number(broken) is None
    assert classify_identifier(broken) is None
    assert classify_identifier(full) == ("person", full)


def test_names_fold_traditional_width_and_spaces():
    assert fold_name("陳 國華") == fold_name("陈国华") == "陈国华"
    assert fold_name("阿依古丽·买买提") == "阿依古丽买买提"
    assert name_pinyin("王炜") == name_pinyin("王伟") == "wang wei"


def test_surname_only_forms():
    assert [surname_only(t) for t in ("王局长", "王某", "老王", "欧阳主任", "李副书记", "王建国")] == [
        "王",
        "王",
        "王",
        "欧阳",
        "李",
        None,
    ]


def test_company_names_lose_forms_and_bracket_widths():
    same = {
        normalise_company_name("某某（北京）建设有限公司"),
        normalise_company_name("某某(北京)建设有限责任公司"),
        normalise_company_name("某某（北京）建設公司"),
        normalise_company_name(" 某某（北京）建设有限公司 "),
    }
    assert same == {"某某(北京)建设"}
    assert normalise_company_name("某某投资合伙企业（有限合伙）") == "某某投资"
    assert normalise_company_name("某某建设有限公司") != normalise_company_name("某某建材有限公司")


REGISTER = [
    ("A", "清河县住房和城乡建设局", "县", "1"),
    ("B", "清河市住房和城乡建设局", "市", "1"),
    ("C", "清河县卫生健康委员会", "县", "1"),
    ("D", "清河县交通运输局", "县", "1"),
    ("E", "清河县自然资源局", "县", "1"),
    ("F", "清河县市场监督管理局", "县", "1"),
    ("G", "城关镇人民政府", "乡", "1"),
    ("H", "河口镇人民政府", "乡", "1"),
    ("J", "清河县发展和改革委员会", "县", "1"),
]


def test_unit_abbreviations_resolve_to_the_register():
    def codes(text):
        return [m.unit_code for m in match_units(text, REGISTER)]

    assert codes("县住建局") == ["A"]
    assert codes("市住建局") == ["B"]
    assert codes("县卫健委") == ["C"]
    assert codes("交通局") == ["D"]
    assert codes("国土局") == ["E"]  # renamed body
    assert codes("市场监管局") == ["F"]  # 市 of 市场 is not a level
    assert codes("县发改委") == ["J"]
    assert codes("城关镇政府") == ["G"]
    assert sorted(codes("镇政府")) == ["G", "H"]  # ambiguous: both
    assert codes("县教育局") == []
