"""Folding of names and identifiers so that departments' spellings of one person or company compare equal.

Why each fold exists:
- NFKC turns full-width letters, digits and brackets (Ａ, １, （）) into their half-width forms: exports from
  office software mix both.
- OpenCC t2s folds traditional characters to simplified: some registers (and people from Hong Kong, Macao,
  Taiwan) keep traditional forms, so 陳國華 and 陈国华 are one name.
- Pinyin without tones catches homophones and input-method typos (王炜 / 王伟): Chinese names are typed by sound.
- ID numbers: a 15-digit legacy number is the same person as its 18-digit form (GB 11643 adds the century and
  a check char), so every identifier is compared in its 18-char form.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from opencc import OpenCC
from pypinyin import lazy_pinyin

from jiandu.analytics.idcolumns import is_id_hash
from jiandu.analytics.identifiers import id_birth_date, id_problem, id_upgrade_15, uscc_problem

_T2S = OpenCC("t2s")
# Separators inside names: spaces of every width, the middle dots of transliterated names (·•‧・), hyphens.
_NAME_NOISE = re.compile(r"[\s·•‧・\-_.．]+")
_CJK = re.compile(r"[\u3400-\u9fff]")
# What follows a surname when a petition names someone as "王局长", "王某", "李副书记", "张总".
_TITLE_AFTER_SURNAME = re.compile(
    r"^(?:某某?|副?[局镇乡县市区科所院校站队部处村组厅社行庭委]?长|副?(?:书记|主任|主席|经理|总|总经理|董事长|会计|干部))$"
)

COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 端木 南宫 独孤 西门 申屠".split()
)


@lru_cache(maxsize=200_000)
def fold_text(value: str | None) -> str | None:
    """NFKC + traditional→simplified + trimmed; None for empty."""
    if value is None:
        return None
    text = "".join(_simplified(c) for c in unicodedata.normalize("NFKC", str(value))).strip()
    return text or None


@lru_cache(maxsize=50_000)
def _simplified(char: str) -> str:
    """Character-level t2s (cached): names and unit names are compared, not prose, and both sides alike."""
    return _T2S.convert(char) if ord(char) > 0x2E80 else char


@lru_cache(maxsize=200_000)
def fold_name(value: str | None) -> str | None:
    """A person's name in comparable form: folded, without inner spaces or dots, Latin letters lower-cased."""
    text = fold_text(value)
    if text is None:
        return None
    text = _NAME_NOISE.sub("", text).lower()
    return text or None


@lru_cache(maxsize=200_000)
def name_pinyin(value: str | None) -> str | None:
    """Toneless pinyin of a folded name, syllables joined by spaces (homophones compare equal)."""
    name = fold_name(value)
    if name is None:
        return None
    # Character by character (cached): names are not phrases, and both sides are converted alike.
    return " ".join(_char_pinyin(part) for part in _CJK_OR_RUN.findall(name))


_CJK_OR_RUN = re.compile(r"[\u3400-\u9fff]|[^\u3400-\u9fff]+")


@lru_cache(maxsize=50_000)
def _char_pinyin(part: str) -> str:
    return lazy_pinyin(part)[0] if _CJK.match(part) else part


def surname(name: str | None) -> str | None:
    """The surname of a folded Chinese name (compound surnames such as 欧阳 are kept whole)."""
    if not name or not _CJK.match(name):
        return None
    if name[:2] in COMPOUND_SURNAMES and len(name) > 2:
        return name[:2]
    return name[0]


def surname_only(text: str | None) -> str | None:
    """The surname when a text names a person only by surname ("王局长", "王某", "老王"), else None."""
    name = fold_name(text)
    if name is None or not _CJK.match(name):
        return None
    if len(name) == 2 and name[0] in "老小":
        return name[1]
    family = surname(name)
    if family is None:
        return None
    rest = name[len(family) :]
    return family if rest and _TITLE_AFTER_SURNAME.match(rest) else None


def looks_like_person_name(text: str | None) -> bool:
    """2–4 CJK characters (or a transliterated name with a middle dot) read as a natural person's name."""
    name = fold_name(text)
    if name is None:
        return False
    if all(_CJK.match(c) for c in name):
        return 2 <= len(name) <= 4 and not is_company_name(name)
    raw = fold_text(text) or ""
    return "·" in raw and len(name) <= 12


@lru_cache(maxsize=200_000)
def normalise_id_number(value: str | None) -> str | None:
    """A resident ID in its valid 18-char form (15-digit legacy numbers upgraded), or None when invalid."""
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip().replace(" ", "").upper()
    if len(text) == 15 and text.isdigit():
        upgraded = id_upgrade_15(text)
        return upgraded if id_birth_date(upgraded) is not None else None
    if len(text) == 18 and id_problem(text) is None:
        return text
    return None


@lru_cache(maxsize=200_000)
def normalise_uscc(value: str | None) -> str | None:
    """A unified social credit code in its valid form, or None when invalid."""
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip().replace(" ", "").upper()
    return text if uscc_problem(text) is None else None


def classify_identifier(value: str | None) -> tuple[str, str] | None:
    """('person', id_number) or ('company', uscc) for a free-text identifier column, None when neither.

    Text columns such as company_roles.holder_id or payments.payee_code hold either kind. A resident ID is
    tried first: its check digit and embedded birth date make an accidental match very unlikely. From the
    registry such a column arrives as the ID's keyed hash (64 hex digits), which names a person too.
    """
    if is_id_hash(value):
        return ("person", str(value))
    person = normalise_id_number(value)
    if person is not None:
        return ("person", person)
    company = normalise_uscc(value)
    if company is not None:
        return ("company", company)
    return None


def id_gender(id_number: str) -> str:
    """男 for an odd 17th digit, 女 for even (GB 11643)."""
    return "男" if int(id_number[16]) % 2 == 1 else "女"


def stable_hash(*parts: str) -> str:
    """A short stable hash for entities known by no identifier ("P:~…", "C:~…")."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:16]


# --- companies -----------------------------------------------------------------------------------

# Company-form suffixes (GB/T and SAMR naming practice): removed so that 某某建设有限公司 and
# 某某建设有限责任公司 / 某某建设公司 compare equal. Longest first.
COMPANY_FORMS = (
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "集团公司",
    "股份公司",
    "分公司",
    "公司",
    "合伙企业(有限合伙)",
    "合伙企业(普通合伙)",
    "有限合伙",
    "普通合伙",
    "合伙企业",
    "个人独资企业",
    "专业合作社",
    "合作社",
    "工作室",
    "经营部",
    "商行",
    "门市部",
    "厂",
    "店",
)
_COMPANY_HINTS = (
    "公司",
    "企业",
    "合作社",
    "厂",
    "店",
    "商行",
    "经营部",
    "工作室",
    "中心",
    "事务所",
    "集团",
    "门市",
)
_BRACKETED = re.compile(r"\(([^()]*)\)")


def is_company_name(text: str | None) -> bool:
    """A name that reads as an organisation (a company form or an organisation word in it)."""
    folded = fold_text(text) or ""
    return any(h in folded for h in _COMPANY_HINTS)


@lru_cache(maxsize=200_000)
def normalise_company_name(value: str | None) -> str | None:
    """Comparable company name: folded, brackets unified, bracketed region/branch kept, company form removed.

    "某某（北京）建设有限公司", "某某(北京)建设有限责任公司" and "某某（北京）建设公司" all give "某某(北京)建设".
    """
    text = fold_text(value)
    if text is None:
        return None
    text = re.sub(r"\s+", "", text).replace("【", "(").replace("】", ")").replace("[", "(").replace("]", ")")
    changed = True
    while changed:
        changed = False
        for form in COMPANY_FORMS:
            if text.endswith(form) and len(text) > len(form) + 1:
                text = text[: -len(form)]
                changed = True
                break
        if text.endswith(")") and _BRACKETED.search(text) and text.rfind("(") > 0:
            # A trailing bracket is a form note such as "(有限合伙)": drop it, keep inner brackets.
            inner = text[text.rfind("(") + 1 : -1]
            if inner in {f.strip("()") for f in COMPANY_FORMS} or inner.endswith("合伙"):
                text = text[: text.rfind("(")]
                changed = True
    return text.lower() or None
