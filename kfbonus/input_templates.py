"""Blank input workbooks (填表模板): ``python run_month.py --template DIR [YYYY-MM]``.

One workbook per table of INPUTS.md (:data:`kfbonus.schema.TABLES`), named after it
(``人员名册.xlsx`` …), each with:

- the table's sheet: the canonical headers in row 1 (required ones marked with a leading
  ``*``, which the reader ignores), columns formatted for what they hold (工号 and
  工程编号 as text, so 0012 stays 0012; dates; money ``#,##0.00``), and drop-down lists
  (data validation) where the values are fixed: 用工类型, 考评结果, 是/否, 其他奖惩 类别
  (the rules file's standard amounts and deduction categories), 培训类型, 事故投诉 类型;
- a 填表说明 sheet saying what each column holds, which are required, the allowed
  values, and one or two example rows.  The instructions are in a text box, not in
  cells, so the reader sees an empty sheet: the templates read back with no problem
  and the examples can never be taken for data.

With a month (``2026-11``) a day-grid attendance workbook ``考勤_按日打卡.xlsx`` is
written too (工号, 姓名, one column per day of that month, marks √/休/事/病/伤/旷 from a
drop-down list); without one it is left out, since its number of days says the month.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path

import xlsxwriter

from kfbonus.schema import Field, Kind, Table
from kfbonus.settings import load_settings

__all__ = ["ATTENDANCE_MARKS", "GRID_FILE", "run_template", "template_files", "write_templates"]

ROWS = 1000                                  # rows formatted and validated below the header
ATTENDANCE_MARKS = ("√", "休", "事", "病", "伤", "旷")
EMPLOYMENT_TYPES = ("正式", "试用", "外包", "临时")
RATINGS = ("优秀", "良好", "合格", "不合格")
YES_NO = ("是", "否")
TRAINING_TYPES = ("带薪培训", "技能考证")
INCIDENT_TYPES = ("安全事故", "质量投诉")
GRID_FILE = "考勤_按日打卡.xlsx"
FONT = "Microsoft YaHei"

_PURPOSE = {
    "roster": "本部门施工安装人员的名单，每人一行。工号在所有表中必须一致。",
    "settlement": "本月结算的每个工程、每个人一行：工期天数和计件工资。集体奖、个人奖都按它计算。",
    "application": "本月申报激励的工程，每个工程一行。"
                   "个人激励比例只用于重点工程（3%–5%），集体激励比例 10%–20%。",
    "scores": "申报集体奖的工程的评分，每个工程一行，各项 0–100 分。",
    "nomination": "重点工程的个人奖提名，每人每个工程一行。"
                  "申报金额要么全部填写，要么全部空着（平均分配）。",
    "attendance": "本月考勤，每人一行（按天数填写）。"
                  "也可以改用「考勤_按日打卡.xlsx」按日填写，两者只用其一。",
    "training": "本月带薪培训，每人每次一行，按培训天数发放补贴。",
    "adjustment": "本月其他奖励和扣款，每人每项一行。"
                  "金额空着时按类别的标准金额；扣款一律按负数计算，填正数即可。",
    "incident": "年终评议用：全年的安全事故和质量投诉，每起一行。",
}
_KIND_NOTE = {
    Kind.ID: "按文本填写，如 1001",
    Kind.TEXT: "文字",
    Kind.NUMBER: "数字",
    Kind.MONEY: "金额，最多两位小数",
    Kind.RATIO: "百分比，如 15%",
    Kind.PERCENT: "百分比，如 110%；空着按 100%",
    Kind.DATE: "日期，如 2026-11-03",
    Kind.BOOL: "是 / 否",
    Kind.SKILLS: "可填多个，用顿号分开，如 电工、焊工",
    Kind.DISCOUNT: "折扣，如 0.85、85%、8.5折",
}
_EXAMPLES: dict[str, list[dict[str, str]]] = {
    "roster": [{"worker_id": "1001", "name": "陈国栋", "hire_date": "2012-03-05", "employment_type": "正式",
                "position": "施工组长", "team": "安装一组", "skills": "电工"},
               {"worker_id": "1020", "name": "张小明", "hire_date": "2026-09-01",
                "regular_date": "2026-12-01", "employment_type": "试用", "position": "施工员",
                "team": "安装二组"}],
    "settlement": [{"project_id": "GC-2611-01", "worker_id": "1001", "days": "14", "piece_wage": "3,520.00",
                    "name": "陈国栋", "project_name": "顺德某酒店太阳能热水工程", "percent": "110%"}],
    "application": [{"project_id": "GC-2611-01", "key_project": "是", "collective_ratio": "15%",
                     "individual_ratio": "5%"},
                    {"project_id": "GC-2611-02", "key_project": "否", "collective_ratio": "12%"}],
    "scores": [{"project_id": "GC-2611-01", "safety": "95", "quality": "92", "cooperation": "90",
                "discipline": "94"}],
    "nomination": [{"project_id": "GC-2611-01", "worker_id": "1001", "rating": "优秀",
                    "declared_amount": "200.00", "name": "陈国栋"}],
    "attendance": [{"worker_id": "1001", "due_days": "25", "present_days": "24", "absent_days": "0",
                    "longest_absence": "1", "name": "陈国栋"}],
    "training": [{"worker_id": "1001", "days": "2", "training_type": "带薪培训", "date": "2026-11-12",
                  "name": "陈国栋"}],
    "adjustment": [{"worker_id": "1001", "category": "优秀个人奖", "amount": "", "note": "客户表扬信 2 封",
                    "name": "陈国栋"},
                   {"worker_id": "1005", "category": "扣款", "amount": "200.00", "note": "高处作业未系安全带",
                    "name": "刘海涛"}],
    "incident": [{"date": "2026-03-18", "incident_type": "质量投诉", "project_id": "GC-2603-02",
                  "note": "水箱漏水，客户投诉"}],
}


def _choices(table: Table, f: Field, categories: Sequence[str]) -> Sequence[str] | None:
    """The drop-down list of a column, or None for free input."""
    if f.kind is Kind.BOOL:
        return YES_NO
    return {("roster", "employment_type"): EMPLOYMENT_TYPES,
            ("nomination", "rating"): RATINGS,
            ("training", "training_type"): TRAINING_TYPES,
            ("adjustment", "category"): tuple(categories) or None,
            ("incident", "incident_type"): INCIDENT_TYPES}.get((table.kind, f.name))


def _file_name(table: Table) -> str:
    return f"{table.title}.xlsx"


def template_files(period: str | None = None) -> list[str]:
    """The file names :func:`write_templates` writes, in order."""
    return [_file_name(t) for t in _tables()] + ([GRID_FILE] if period else [])


def _tables() -> tuple[Table, ...]:
    """Every registered scheme's tables, the shared ones first."""
    from kfbonus.schemes import all_tables

    return all_tables()


def write_templates(folder: Path, categories: Sequence[str] = (), period: str | None = None,
                    standard_amounts: Mapping[str, object] | None = None) -> list[Path]:
    """Write the blank workbooks into ``folder`` (created when missing); returns their paths.

    ``categories`` are the 其他奖惩 类别 of the rules in force (standard amounts, then
    deduction categories), ``standard_amounts`` their amounts for the instructions.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in _tables():
        path = folder / _file_name(table)
        _write_table(path, table, categories, standard_amounts or {})
        written.append(path)
    if period:
        path = folder / GRID_FILE
        _write_grid(path, period)
        written.append(path)
    return written


def _workbook(path: Path, title: str) -> xlsxwriter.Workbook:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False,
                                         "strings_to_urls": False})
    # fixed properties: the same templates give the same bytes
    wb.set_properties({"title": title, "author": "kfbonus", "company": load_settings().company,
                       "created": dt.datetime(2026, 1, 1)})
    return wb


def _formats(wb) -> dict[str, object]:
    base = {"font_name": FONT, "font_size": 10.5}
    return {
        "head": wb.add_format({**base, "bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center",
                               "valign": "vcenter", "text_wrap": True}),
        Kind.ID: wb.add_format({**base, "num_format": "@"}),
        Kind.TEXT: wb.add_format({**base, "num_format": "@"}),
        Kind.SKILLS: wb.add_format({**base, "num_format": "@"}),
        Kind.DATE: wb.add_format({**base, "num_format": "yyyy-mm-dd"}),
        Kind.MONEY: wb.add_format({**base, "num_format": "#,##0.00"}),
        Kind.NUMBER: wb.add_format({**base, "num_format": "General"}),
        Kind.RATIO: wb.add_format({**base, "num_format": "0%"}),
        Kind.PERCENT: wb.add_format({**base, "num_format": "0%"}),
        Kind.BOOL: wb.add_format({**base, "align": "center"}),
    }


def _header(f: Field) -> str:
    return f"*{f.header}" if f.required else f.header


def _width(f: Field) -> int:
    return max(10, 2 * len(f.header) + 4) if f.kind is not Kind.TEXT else max(14, 2 * len(f.header) + 4)


def _write_table(path: Path, table: Table, categories: Sequence[str], standard: Mapping[str, object]) -> None:
    wb = _workbook(path, f"{table.title}（填表模板）")
    fmt = _formats(wb)
    ws = wb.add_worksheet(table.title)
    for c, f in enumerate(table.fields):
        ws.write_string(0, c, _header(f), fmt["head"])
        ws.set_column(c, c, _width(f), fmt.get(f.kind, fmt[Kind.NUMBER]))
        choices = _choices(table, f, categories)
        if choices:
            ws.data_validation(1, c, ROWS, c, {
                "validate": "list", "source": list(choices), "ignore_blank": True,
                "input_title": f.header[:32], "input_message": "请从下拉列表中选择"[:255],
                "error_title": "不在可选范围内",
                "error_message": f"{f.header}只能填：{'、'.join(choices)}"[:255],
                "error_type": "warning"})
        elif f.kind is Kind.DATE:
            ws.data_validation(1, c, ROWS, c, {
                "validate": "date", "criteria": "between", "minimum": dt.date(1950, 1, 1),
                "maximum": dt.date(2100, 12, 31), "ignore_blank": True, "error_type": "warning",
                "error_title": "日期", "error_message": "请填写日期，如 2026-11-03"})
    ws.set_row(0, 30)
    ws.freeze_panes(1, 0)
    ws.activate()
    _instructions(wb, table, categories, standard)
    wb.close()


def _write_grid(path: Path, period: str) -> None:
    year, month = int(period[:4]), int(period[5:7])
    days = calendar.monthrange(year, month)[1]
    wb = _workbook(path, "考勤（按日打卡，填表模板）")
    fmt = _formats(wb)
    ws = wb.add_worksheet("考勤")
    heads = ["*工号", "姓名", *(str(d) for d in range(1, days + 1))]
    for c, h in enumerate(heads):
        ws.write_string(0, c, h, fmt["head"])
    ws.set_column(0, 0, 10, fmt[Kind.ID])
    ws.set_column(1, 1, 10, fmt[Kind.TEXT])
    ws.set_column(2, days + 1, 3.6, fmt[Kind.BOOL])
    ws.data_validation(1, 2, ROWS, days + 1, {
        "validate": "list", "source": list(ATTENDANCE_MARKS), "ignore_blank": True, "error_type": "warning",
        "error_title": "考勤标记",
        "error_message": "只能填：√ 出勤、休 休息、事 事假、病 病假、伤 工伤、旷 旷工"})
    ws.freeze_panes(1, 2)
    ws.activate()
    text = "\n".join([
        "考勤（按日打卡）填表说明",
        "",
        f"本表是 {year}年{month}月 的考勤，每人一行，每天一格（共 {days} 天）。",
        "与「考勤.xlsx」（按天数填写）两者只用其一，不用的那个请从文件夹中删掉。",
        "",
        "标记：√ 出勤　休 休息日　事 事假　病 病假　伤 工伤　旷 旷工（可从下拉列表选择）",
        "应出勤天数 = 除「休」和空格以外的天数；实出勤天数 = 标「√」的天数；",
        "旷工天数 = 标「旷」的天数；连续缺勤 = 最长连续没有「√」的天数。",
        "",
        "示例：1001　陈国栋　√ √ √ 休 √ √ 病 …",
        "",
        "带 * 的列必须填写。不要在表中间插入标题或合计行。",
    ])
    _textbox_sheet(wb, text)
    wb.close()


def _instructions(wb, table: Table, categories: Sequence[str], standard: Mapping[str, object]) -> None:
    lines = [f"{table.title} 填表说明", "", _PURPOSE.get(table.kind, ""), "",
             "各列（带 * 的必须填写；表头文字请不要改动）："]
    for f in table.fields:
        note = _KIND_NOTE.get(f.kind, "金额；扣款也可填本月计件工资的百分比，如 5%")
        choices = _choices(table, f, categories)
        if choices:
            note = f"从下拉列表选择：{'、'.join(choices)}"
        alias = f"（也可写作：{'、'.join(f.aliases)}）" if f.aliases else ""
        lines.append(f"  {'*' if f.required else '　'}{f.header}：{note}{alias}")
    if table.kind == "adjustment" and standard:
        lines += ["", "奖励类别的标准金额（金额空着时按此发放）：",
                  "  " + "、".join(f"{k} {v}" for k, v in standard.items())]
    examples = _EXAMPLES.get(table.kind, [])
    if examples:
        lines += ["", "示例（仅供参考，请不要抄进表里）："]
        for ex in examples:
            lines.append("  " + "　".join(f"{f.header} {ex[f.name]}" for f in table.fields if ex.get(f.name)))
    lines += ["", "注意：",
              "  · 一行一条记录，不要合并单元格，不要在数据中间插入空行以外的说明文字。",
              "  · 工号列已设为文本格式，0012 这样的工号会原样保留。",
              "  · 本文件可以和其他工作簿一起放进当月文件夹；文件名、工作表名可以改，表头不要改。"]
    _textbox_sheet(wb, "\n".join(lines))


def _textbox_sheet(wb, text: str) -> None:
    """The 填表说明 sheet: the text in a text box, no cell written (the reader sees it empty)."""
    ws = wb.add_worksheet("填表说明")
    height = 22 * (text.count("\n") + 3)
    ws.insert_textbox(1, 1, text, {
        "width": 720, "height": height,
        "font": {"name": FONT, "size": 11},
        "align": {"vertical": "top"},
        "fill": {"color": "#FFFDE7"}, "line": {"color": "#BDBDBD"}})
    ws.hide_gridlines(2)
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)


def run_template(folder: Path, period: str | None, rules: Path | None) -> int:
    """``--template DIR``: write the templates, say where; the 类别 list from the rules in
    force at the end of ``period`` (today without one).  Returns the exit code."""
    from kfbonus.pipeline import rules_apply
    from kfbonus.rules import RulesError, load_rules
    from kfbonus.schemes import all_schemes

    if period is not None and len(period) != 7:
        period = None   # a year: no day grid
    if period:
        year, month = int(period[:4]), int(period[5:7])
        on = dt.date(year, month, calendar.monthrange(year, month)[1])
    else:
        on = dt.date.today()
    standard: dict[str, object] = {}
    deductions: list[str] = []
    schemes = all_schemes()
    for s in schemes:   # 其他奖惩 is everyone's: the categories of every scheme's rules in force
        path = rules if rules is not None and rules_apply(rules, s, schemes) else None
        try:
            params = load_rules(path, s.rule_spec, s.rules_dir).in_force(on)
        except RulesError as exc:
            print(f"规则文件错误：{exc}", flush=True)
            return 2
        for name, amount in dict(params.get("adjustment.standard_amounts") or {}).items():
            standard.setdefault(name, amount)
        deductions += [c for c in params.get("adjustment.deduction_categories") or () if c not in deductions]
    existing = [name for name in template_files(period) if (Path(folder) / name).exists()]
    if existing:   # never overwrite a workbook the accountant may have filled in
        print(f"文件夹「{folder}」中已有 {'、'.join(existing)}，模板未写出；请换一个空文件夹。", flush=True)
        return 2
    try:
        written = write_templates(folder, [*standard, *deductions], period, standard)
    except OSError as exc:
        print(f"无法写入模板文件夹「{folder}」：{exc.strerror or exc}", flush=True)
        return 2
    print(f"已在 {folder} 写出 {len(written)} 个空白工作簿（填表模板）：", flush=True)
    for path in written:
        print(f"  {path.name}", flush=True)
    print("每个工作簿的「填表说明」工作表写明了各列的填法和示例。", flush=True)
    return 0
