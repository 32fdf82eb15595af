"""Blank delivery templates (XLSX) per contract table: Chinese headers, and a sheet explaining each column.

Generated from the contract on request, so a template can never disagree with what the importer accepts.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from jiandu.analytics.contract import Column, Table

TYPE_LABELS = {
    "id_number": "身份证号",
    "uscc": "统一社会信用代码",
    "region": "行政区划代码",
    "date": "日期",
    "money": "金额（元）",
    "int": "整数",
    "bool": "是/否",
    "text": "文本",
    "enum": "选项",
    "list": "列表",
}

ACCEPTED_FORMS = {
    "id_number": "18位，末位校验码（x 视为 X）；有效的15位旧号自动转为18位",
    "uscc": "18位，末位校验码（GB 32100）",
    "region": "6位数字",
    "date": "YYYY-MM-DD，也接受 YYYY/MM/DD、YYYYMMDD、YYYY年M月D日、YYYY.MM.DD、Excel 日期",
    "money": "保留两位小数；接受 1,234.50、全角数字、12.5万 / 12.5万元",
    "int": "整数",
    "bool": "是/否、Y/N、1/0、true/false",
    "text": "任意文本，首尾空格自动去除",
    "enum": "只能填写下列可选值之一",
    "list": "多个值用 ; ； 、 或 , 分隔",
}


def _explain(table: Table, column: Column) -> list[str]:
    # Names are quoted (「」) so that no cell of this sheet reads as a column header: the importer skips a
    # sheet without headers, and a filled-in template can be delivered as it is.
    return [
        f"「{column.zh}」",
        f"「{column.key}」",
        f"{TYPE_LABELS[column.type]}（{column.type}）",
        "是" if column.required else "否",
        "是" if column.key in table.key else "否",
        ACCEPTED_FORMS[column.type],
        "、".join(column.values),
        "、".join(f"「{a}」" for a in column.aliases),
    ]


def blank_template(table: Table) -> bytes:
    """The XLSX bytes of the blank template for `table`."""
    book = Workbook()
    data = book.active
    data.title = table.zh[:31]
    data.append([c.zh for c in table.columns])
    for cell in data[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(table.columns, start=1):
        data.column_dimensions[data.cell(row=1, column=index).column_letter].width = max(
            12, len(column.zh) * 2 + 4
        )
    guide = book.create_sheet("填写说明")
    guide.append(
        ["列名", "英文键", "数据类型", "是否必填", "是否主键", "可接受的写法", "可选值", "也可使用的列名"]
    )
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for column in table.columns:
        guide.append(_explain(table, column))
    guide.append([])
    guide.append(
        [
            f"主键（{'、'.join(table.column(k).zh for k in table.key)}）相同的行再次报送时更新原记录，原值留存历史版本。"
        ]
    )
    guide.append(["校验不通过的行不入库，错误报告列出原因；改正后可将错误报告或原文件再次报送。"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
