"""The accepted forms of every contract type: patterns and Chinese reasons, shared by both normalisers.

The vectorised normaliser (polars, `expressions.py`) and the scalar reference (`scalar.py`) must agree
cell for cell, so the regular expressions and the clerk-facing reasons live here once. Patterns use
`[0-9]` rather than `\\d` because Python's and Rust's `\\d` both match every script's digits, which neither
integer parser would then accept.
"""

from __future__ import annotations

# --- cleaning -------------------------------------------------------------------------------------------
# Space-like characters that exports leave around values (NBSP from web tables, U+3000 from Chinese IMEs).
SPACE_LIKE = "[\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
ZERO_WIDTH = "[\u200b\u200c\u200d\u2060\ufeff]"
STRIP_CHARS = " \t\r\n\x0b\x0c"
# Markers clerks type for "nothing" in a typed (non-text) column; "至今" is the usual open end of a post.
EMPTY_MARKERS = ("-", "—", "/", "无", "至今", "null", "none", "n/a")

# --- id_number / uscc / region --------------------------------------------------------------------------
# An 18-digit number typed into a spreadsheet cell as a number comes back in scientific notation.
SCIENTIFIC = r"^[0-9](?:\.[0-9]+)?[eE][+]?[0-9]+$"
ID_18 = r"^[0-9]{17}[0-9X]$"
ID_15 = r"^[0-9]{15}$"
USCC_18 = r"^[0-9A-HJ-NPQRTUWXY]{18}$"
REGION = r"^[0-9]{6}$"

# --- date -----------------------------------------------------------------------------------------------
# YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD (month and day may be one digit; the two separators must agree),
# YYYY年M月D日 (the 日 may be omitted); a time of day after the date (exports of datetime cells) is dropped.
DATE_SEPARATED = (
    r"^([0-9]{4})([-/.年])([0-9]{1,2})([-/.月])([0-9]{1,2})(日?)"
    r"(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?$"
)
DATE_COMPACT = r"^([0-9]{4})([0-9]{2})([0-9]{2})$"
# Excel serial day numbers (the fraction is a time of day and is dropped). Excel's own range is
# 1 (1900-01-01) … 2958465 (9999-12-31). Serial 60 is Excel's phantom 1900-02-29 (the Lotus leap-year bug):
# refused; serials 1–59 are shifted by one day so that 1 = 1900-01-01 as Excel shows it.
DATE_SERIAL = r"^([0-9]{1,7})(?:\.[0-9]+)?$"
SERIAL_MIN = 1
SERIAL_MAX = 2958465
SERIAL_PHANTOM = 60
# A bare number between these is almost surely a year typed into a date column, not a 1905 serial date.
SERIAL_YEARLIKE = (1900, 2100)
EXCEL_EPOCH_DAYS = -25569  # 1899-12-30 as days since 1970-01-01 (serial 61 and later)

# --- money ----------------------------------------------------------------------------------------------
# Optional sign, optional ¥ (full-width ￥ becomes ¥ under NFKC), digits with or without thousands commas,
# optional fraction, optional unit 元 / 万 / 万元 (万 multiplies by 10,000). Rounded half-up to fen.
MONEY = r"^([-−]?)¥?[ ]*([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.([0-9]*))?[ ]*(万元|万|元)?$"
MONEY_MAX_INTEGER_DIGITS = 16  # DECIMAL(18, 2)

# --- int / bool / list ----------------------------------------------------------------------------------
INT = r"^([-−]?)([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.0*)?$"
BOOL_TRUE = ("是", "y", "yes", "1", "true")
BOOL_FALSE = ("否", "n", "no", "0", "false")
LIST_SEPARATORS = r"[;、,]"  # after NFKC, ； and ， have become ; and ,
ID_LOWER_X = r"^([0-9]{17})x$"

# --- reasons (Chinese, shown to the clerk) ----------------------------------------------------------------
REQUIRED = "必填项为空"
ID_SCIENTIFIC = "身份证号被存成了数字（科学计数法），末几位已丢失；请把该列设为文本格式后重新导出"
ID_CHARS = "身份证号含有非法字符"
ID_BIRTH = "身份证号中的出生日期不存在"
ID_CHECK = "身份证号校验位错误"
USCC_SCIENTIFIC = "统一社会信用代码被存成了数字（科学计数法）；请把该列设为文本格式后重新导出"
USCC_CHARS = "统一社会信用代码含有非法字符（不得含I、O、Z、S、V）"
USCC_CHECK = "统一社会信用代码校验位错误"
REGION_FORM = "行政区划代码应为6位数字"
DATE_FORM = "日期格式无法识别，应为YYYY-MM-DD（也可YYYY/MM/DD、YYYYMMDD、YYYY年M月D日、YYYY.MM.DD）"
DATE_MISSING = "日期不存在"
DATE_YEARLIKE = "日期只有年份，应为完整日期（YYYY-MM-DD）"
DATE_SERIAL_RANGE = f"Excel日期序号超出范围（应在{SERIAL_MIN}–{SERIAL_MAX}之间）"
DATE_SERIAL_PHANTOM = "Excel日期序号60对应不存在的1900年2月29日"
MONEY_FORM = "金额格式无法识别，应为数字（如1234.50、1,234.50、12.5万）"
MONEY_RANGE = "金额超出范围（整数部分最多16位）"
INT_FORM = "应为整数"
INT_RANGE = "整数超出范围"
BOOL_FORM = "应为是/否（也可用Y/N、1/0、true/false）"


def id_length_reason(length: int) -> str:
    return f"身份证号应为18位（或15位旧号），实际为{length}位"


def uscc_length_reason(length: int) -> str:
    return f"统一社会信用代码应为18位，实际为{length}位"


def enum_reason(values: tuple[str, ...]) -> str:
    return "取值不在允许范围内，应为：" + "、".join(values)
