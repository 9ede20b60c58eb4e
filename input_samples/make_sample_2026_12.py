"""Generate the second sample month, December 2026 (``input_samples/2026-12``).

    python input_samples/make_sample_2026_12.py [--out DIR]
    python input_samples/make_sample_2026_12.py --expected     # print the worked figures

November (``make_sample.py``) shows the department's forms and the ways people type
values.  December shows the *shapes* of issue 8: tables in sections with their own
小计/合计 and a 总计, a 合计 row standing first under the header, two-row headers
(a merged group cell over its sub-headers), aliases in tables other than the one
INPUTS.md lists them under, two tables stacked on one sheet, merged data cells
(工程编号/工程名称/工期总天数 over a crew, 班组 over its members), a hidden data row,
percent-formatted numbers, and a day-count attendance table instead of the day grid.
What each file exercises is in ``input_samples/README.md``.

Same roster as November (imported from ``make_sample``), as it stands at the end of
December: 1033 高振鹏 left on 2026-11-20 and is gone; 1036 廖志明 joined on 2026-12-01
on probation.  Everything is fixed data (no randomness), with fixed document
properties and fixed zip timestamps, so two runs write identical bytes.

``--expected`` works the month out from the same data with :mod:`decimal`, following
SCHEME.md (not kfbonus.schemes.kf13.compute): per project 计件工资总额, 总分, pools and 未分配, per
worker the amount of each award type, and prints them with the literal for
``tests/expected_2026_12.py``.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_sample as nov  # the roster and the styling helpers
from make_sample import (
    CENTER,
    COMPANY,
    DAILY_RATE,
    DEPT,
    MONEY_FMT,
    RIGHT,
    T1,
    T2,
    T3,
    T4,
    T5,
    Worker,
    _box,
    _date_cell,
    _font,
    _header,
    _merge_text,
    _signature,
    _title,
    _widths,
)

MONTH = "2026-12"
YEAR, MON = 2026, 12
FIRST, LAST = date(2026, 12, 1), date(2026, 12, 31)      # assessment date 考核实施日 = LAST
FIXED_TIME = datetime(2026, 12, 31, 17, 30, 0)
SUNDAYS = tuple(d for d in range(1, 32) if date(YEAR, MON, d).weekday() == 6)   # 6 13 20 27
DUE_DAYS = 31 - len(SUNDAYS)                                                    # 27

# ---------------------------------------------------------------- the roster in December

NEW_HIRE = Worker(1036, "廖志明", "男", T5, "电工", "试用", date(2026, 12, 1), date(2027, 3, 1), "电工",
                  note="12月1日入职，试用期三个月")
ROSTER = (*(w for w in nov.ROSTER if w.leave is None or w.leave >= FIRST), NEW_HIRE)
WORKER = {w.wid: w for w in ROSTER}
TEAMS = (T1, T2, T3, T4, T5)


def kind_in_december(w: Worker) -> str:
    """用工类型 as the roster says it at the end of December (试用 past 转正 → 正式)."""
    if w.kind == "试用" and w.regular is not None and w.regular <= LAST:
        return "正式"
    return w.kind


# ---------------------------------------------------------------- attendance (day counts)

# (工号) → (事假, 病假, 旷工, 连续缺勤) in December; everyone else works all 27 due days.
ABSENCES: dict[int, tuple[int, int, int, int]] = {
    1003: (0, 1, 0, 1),   # 病 12-09
    1012: (1, 0, 0, 1),   # 事 12-17
    1017: (2, 0, 0, 2),   # 事 12-10, 12-11
    1024: (0, 3, 0, 3),   # 病 12-01…12-03, back from the sick leave that began 10-29
    1025: (0, 0, 1, 1),   # 旷 12-08
}
ATTENDANCE_NOTES = {1003: "9日病假", 1012: "17日事假", 1017: "10日、11日事假", 1024: "病假至12月3日",
                    1025: "8日旷工", 1036: "12月1日入职"}


def attendance(wid: int) -> tuple[int, int, int, int, int, int]:
    """(应出勤, 实出勤, 事假, 病假, 旷工, 连续缺勤)."""
    leave, sick, awol, run = ABSENCES.get(wid, (0, 0, 0, 0))
    return DUE_DAYS, DUE_DAYS - leave - sick - awol, leave, sick, awol, run


# ---------------------------------------------------------------- projects


@dataclass(frozen=True)
class Proj:
    nn: int
    name: str
    team: str
    crew: tuple[tuple[int, int, object], ...]     # (工号, 个人工期天数, 个人百分比 as typed; None = blank)
    key: str = "否"
    collective: Decimal | None = None             # typed as a number in a percent-formatted cell
    collective_fmt: str = "0%"
    individual: Decimal | None = None

    @property
    def pid(self) -> str:
        return f"GC-2612-{self.nn:02d}"


P = Proj
PROJECTS: tuple[Proj, ...] = (
    P(1, "佛山市顺德区某商住楼太阳能热水工程", T1,
      ((1001, 14, 1.05), (1002, 14, 1), (1003, 12, 1), (1004, 13, 1), (1005, 12, 1), (1006, 14, 1),
       (1007, 10, 0.9)),
      key="是", collective=Decimal("0.15"), individual=Decimal("0.04")),
    P(2, "江门市某酒店空气能热泵热水工程", T4,
      ((1022, 12, None), (1023, 11, None), (1024, 10, None), (1025, 12, None), (1026, 9, None),
       (1027, 11, None), (1028, 12, None)),
      collective=Decimal("0.125"), collective_fmt="0.0%"),
    P(3, "中山市某工厂员工宿舍集热工程", T5,
      ((1029, 15, None), (1030, 14, None), (1031, 15, None), (1032, 12, None), (1034, 13, None),
       (1035, 14, None), (1036, 10, None)),
      collective=Decimal("0.18")),
    P(4, "佛山市南海区某学校热水系统改造工程", T2,
      ((1008, 16, "110%"), (1009, 16, "100%"), (1010, 15, "95%"), (1011, 14, "100%"), (1012, 15, "100%"),
       (1013, 12, "90%"), (1014, 16, "100%")),
      collective=Decimal("0.20")),
    P(5, "肇庆市某小区阳台壁挂太阳能安装工程", T3,
      ((1015, 12, None), (1016, 10, None), (1017, 10, None), (1018, 12, None), (1019, 9, None),
       (1020, 10, None), (1021, 12, None)),
      collective=Decimal("0.10")),
    P(6, "某工业园宿舍热水系统维修工程", T1,
      ((1003, 6, None), (1006, 5, None), (1007, 6, None))),
)
PROJECT = {p.pid: p for p in PROJECTS}

# Piece counts never give round wages: a fixed odd amount per line on top of days × rate.
_ODD = (37.5, -12.4, 58.3, 21.9, -30.2, 44.6, 9.8, -5.5, 16.7, 63.1, -22.8, 31.4)


def wage(nn: int, i: int, wid: int, days: int) -> Decimal:
    rate = Decimal(DAILY_RATE[WORKER[wid].position])
    return (rate * days + Decimal(str(_ODD[(nn * 5 + i) % len(_ODD)]))).quantize(Decimal("0.01"))


LINES: dict[str, list[tuple[int, int, Decimal, object]]] = {
    p.pid: [(wid, days, wage(p.nn, i, wid, days), pct) for i, (wid, days, pct) in enumerate(p.crew)]
    for p in PROJECTS
}
HIDDEN_LINE = ("GC-2612-01", 1005)          # the line hidden in Excel (read, with a warning)

# (检查人, 安全, 质量, 沟通和配合, 规章制度) per project; several rows → mean
SCORES: dict[str, tuple[tuple[str, int, int, int, int], ...]] = {
    "GC-2612-01": (("质安员 何工", 93, 94, 92, 95),),
    "GC-2612-02": (("质安员 何工", 92, 90, 88, 94), ("甲方复检", 90, 92, 90, 92)),
    "GC-2612-03": (("质安员 何工", 72, 90, 88, 86),),      # the 12-14 safety incident shows here
    "GC-2612-04": (("质安员 何工", 95, 93, 94, 96),),
    "GC-2612-05": (("质安员 何工", 88, 91, 90, 89),),
}

# 个人激励申报 on GC-2612-01, no 申报金额 → equal split among those who qualify
NOMINEES = ((1001, "优秀", "电工，班组长，客户表扬"), (1002, "优秀", "电工，控制柜接线一次通过"),
            (1004, "优秀", "屋面管路敷设质量好"), (1006, "优秀", "管道工，保温施工质量好"),
            (1007, "良好", "新员工，工作积极"))

# 带薪培训: (工号, 培训类型, 内容, day, 天数 as typed)
TRAINING = (
    (1036, "带薪培训", "新员工三级安全教育", 2, 3),
    (1013, "技能考证", "焊工证初次取证（中山市安监站）", 16, 2),
    (1026, "带薪培训", "高处作业安全培训", 18, "1.5"),
    (1022, "带薪培训", "热泵机组调试培训", 22, 2),
    (1035, "技能考证", "焊工证复审", 23, 1),
)

# 其他奖惩 in two sections, each closed by its own 小计, then a 总计; 金额 None = standard amount
REWARDS = (
    (1015, "优秀个人奖", None, "12月客户表扬信3封，班组零投诉"),
    (1030, "创新奖", 300, "焊口打磨工装改进，节省工时"),
    (1022, "目标达成奖", 1000, "安装四组完成12月产值目标"),
)
DEDUCTIONS = (
    (1028, "扣款", -200, "12月8日安全检查未戴安全帽，按制度扣款"),
    (1025, "扣款", -100, "12月8日无故旷工1天"),
)

INCIDENTS = ((date(2026, 12, 14), "安全事故", "GC-2612-03", 1032,
              "施工现场临时用电电缆被割破漏电跳闸，无人员受伤", "已停工整改，班组安全教育"),)


# ---------------------------------------------------------------- writing helpers


def _new_workbook() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "客户服务部核算员"
    wb.properties.lastModifiedBy = "客户服务部核算员"
    return wb


def _save(wb: Workbook, path: Path) -> None:
    """make_sample._save with December's fixed timestamps (identical bytes on every run)."""
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    for ws in wb.worksheets:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" with now()
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>" + FIXED_TIME.isoformat().encode() + rb"Z\g<2>", data)
            dst.writestr(fixed, data)
    path.write_bytes(out.getvalue())


def _merge_down(ws: Worksheet, r1: int, r2: int, col: int, value: object, fmt: str | None = None) -> None:
    """A value typed once and merged down over rows r1…r2 (a crew's 工程编号, a team's 班组)."""
    cell = ws.cell(r1, col, value)
    cell.alignment = CENTER
    if fmt:
        cell.number_format = fmt
    if r2 > r1:
        ws.merge_cells(start_row=r1, start_column=col, end_row=r2, end_column=col)


def _two_row_header(ws: Worksheet, row: int, spec: Sequence[object]) -> int:
    """Header over rows ``row`` and ``row + 1``: a str is merged down over both rows, a
    ``(group, [sub, …])`` is a merged group cell over its sub-headers.  Returns the column count."""
    col = 1
    for item in spec:
        if isinstance(item, str):
            for r in (row, row + 1):
                ws.cell(r, col).border = nov.BORDER
                ws.cell(r, col).fill = nov.HEAD_FILL
            cell = ws.cell(row, col, item)
            cell.font, cell.alignment = _font(11, True), CENTER
            ws.merge_cells(start_row=row, start_column=col, end_row=row + 1, end_column=col)
            col += 1
        else:
            group, subs = item
            cell = ws.cell(row, col, group)
            cell.font, cell.alignment = _font(11, True), CENTER
            for k, sub in enumerate(subs):
                for r in (row, row + 1):
                    ws.cell(r, col + k).border = nov.BORDER
                    ws.cell(r, col + k).fill = nov.HEAD_FILL
                s = ws.cell(row + 1, col + k, sub)
                s.font, s.alignment = _font(11, True), CENTER
            ws.merge_cells(start_row=row, start_column=col, end_row=row, end_column=col + len(subs) - 1)
            col += len(subs)
    ws.row_dimensions[row].height = 22
    ws.row_dimensions[row + 1].height = 30
    return col - 1


def _total_row(ws: Worksheet, row: int, label: str, label_cols: int, values: dict[int, object]) -> None:
    _merge_text(ws, row, 1, label_cols, label, CENTER, True)
    for col, v in values.items():
        cell = ws.cell(row, col, v)
        cell.font = _font(11, True)
        cell.alignment = RIGHT if isinstance(v, float) else CENTER
        if isinstance(v, float):
            cell.number_format = MONEY_FMT


# ---------------------------------------------------------------- workbooks


def write_roster(folder: Path) -> None:
    """人员名册.xlsx › 花名册: 施工组 (班组) merged down over each team's members."""
    wb = _new_workbook()
    ws = wb.create_sheet("花名册")
    headers = ["序号", "工号", "姓名", "性别", "施工组", "岗位", "用工性质", "入厂日期", "试用期满日期",
               "特种作业", "离职日期", "备注"]
    n = len(headers)
    _title(ws, 1, f"{COMPANY}{DEPT}施工人员花名册", n)
    _merge_text(ws, 2, 1, n, "更新日期：2026年12月31日", RIGHT)
    _header(ws, 3, headers)
    row = 3
    for team in TEAMS:
        members = [w for w in ROSTER if w.team == team]
        _merge_down(ws, row + 1, row + len(members), 5, team)
        for w in members:
            row += 1
            ws.cell(row, 1, row - 3).alignment = CENTER
            ws.cell(row, 2, w.wid).alignment = CENTER
            for c, v in ((3, w.name), (4, w.sex), (6, w.position), (7, kind_in_december(w))):
                ws.cell(row, c, v).alignment = CENTER
            if w.hire_text:
                ws.cell(row, 8, w.hire_text).alignment = CENTER
                ws.cell(row, 8).number_format = "@"
            else:
                _date_cell(ws, row, 8, w.hire, "yyyy-mm-dd")
            if w.regular is not None and w.kind in ("正式", "试用"):
                _date_cell(ws, row, 9, w.regular, "yyyy-mm-dd")
            ws.cell(row, 10, w.skills or None)
            note = {1013: "12月15日转正", 1019: "12月1日转正", 1024: "病假至12月3日"}.get(w.wid, w.note)
            ws.cell(row, 12, note or None)
    _box(ws, 4, row, n)
    _widths(ws, (6, 8, 9, 6, 12, 10, 10, 12, 13, 18, 12, 22))
    ws.freeze_panes = "D4"
    _save(wb, folder / "人员名册.xlsx")


def write_settlement(folder: Path) -> None:
    """计件工资结算单（2026年12月）.xlsx › 结算汇总: all projects on one sheet, a two-row header
    (工期 over 个人工期天数 / 工期总天数), 工程编号 / 工程名称 / 工期总天数 merged down over each
    crew, a 小计 after each project, a grand 合计, one line hidden."""
    wb = _new_workbook()
    ws = wb.create_sheet("结算汇总")
    spec = ["序号", "工程编号", "工程名称", "工号", "姓名", "岗位", ("工期", ["个人工期天数", "工期总天数"]),
            "计件工资（元）", "个人百分比", "备注"]
    _title(ws, 1, "2026年12月工程计件工资结算汇总表", 11)
    _merge_text(ws, 2, 1, 4, "结算月份：2026-12")
    _merge_text(ws, 2, 5, 11, "单位：元", RIGHT)
    n = _two_row_header(ws, 3, spec)
    row, seq = 4, 0
    all_days, all_wage = 0, Decimal(0)
    for p in PROJECTS:
        lines = LINES[p.pid]
        first = row + 1
        days = sum(d for _, d, _, _ in lines)
        _merge_down(ws, first, first + len(lines) - 1, 2, p.pid)
        _merge_down(ws, first, first + len(lines) - 1, 3, p.name)
        _merge_down(ws, first, first + len(lines) - 1, 8, days)
        for wid, d, amount, pct in lines:
            row += 1
            seq += 1
            w = WORKER[wid]
            ws.cell(row, 1, seq).alignment = CENTER
            ws.cell(row, 4, wid).alignment = CENTER
            ws.cell(row, 5, w.name).alignment = CENTER
            ws.cell(row, 6, w.position).alignment = CENTER
            ws.cell(row, 7, d).alignment = CENTER
            c = ws.cell(row, 9, float(amount))
            c.number_format, c.alignment = MONEY_FMT, RIGHT
            if pct is not None:
                c = ws.cell(row, 10, pct)
                c.alignment = CENTER
                c.number_format = "@" if isinstance(pct, str) else "0%"
            if (p.pid, wid) == HIDDEN_LINE:
                ws.row_dimensions[row].hidden = True
                ws.cell(row, 11, "待核")
        row += 1
        subtotal = sum((a for _, _, a, _ in lines), Decimal(0))
        _total_row(ws, row, "小计", 6, {7: days, 9: float(subtotal)})
        all_days += days
        all_wage += subtotal
    row += 1
    _total_row(ws, row, "合计", 6, {7: all_days, 9: float(all_wage)})
    _box(ws, 5, row, n)
    _signature(ws, row + 2, n)
    _widths(ws, (6, 13, 34, 8, 9, 9, 10, 10, 14, 10, 8))
    ws.freeze_panes = "A5"
    _save(wb, folder / "计件工资结算单（2026年12月）.xlsx")


def write_approval(folder: Path) -> None:
    """工程激励审批（2026年12月）.xlsx: 激励申报 (项目编号, ratios in percent-formatted cells),
    工程评分 (two-row header 检查得分 over the four scores; 工程号), 个人激励申报 (工程号)."""
    wb = _new_workbook()
    ws = wb.create_sheet("激励申报")
    headers = ["序号", "项目编号", "工程名称", "施工班组", "重点工程", "集体奖比例", "个人奖比例", "申报人",
               "备注"]
    n = len(headers)
    _title(ws, 1, "2026年12月单项工程激励申报审批表", n)
    _header(ws, 2, headers)
    row = 2
    for p in PROJECTS:
        if p.collective is None and p.individual is None:
            continue
        row += 1
        ws.cell(row, 1, row - 2).alignment = CENTER
        ws.cell(row, 2, p.pid)
        ws.cell(row, 3, p.name)
        ws.cell(row, 4, p.team).alignment = CENTER
        ws.cell(row, 5, p.key).alignment = CENTER
        c = ws.cell(row, 6, float(p.collective))
        c.number_format, c.alignment = p.collective_fmt, CENTER
        if p.individual is not None:
            c = ws.cell(row, 7, float(p.individual))
            c.number_format, c.alignment = "0%", CENTER
        ws.cell(row, 8, "工程主管 梁工").alignment = CENTER
        ws.cell(row, 9, "重点工程，申报个人激励" if p.individual is not None else None)
    _box(ws, 3, row, n)
    _signature(ws, row + 2, n, "制表：              审核（部门经理）：              批准（事业部总经理）：")
    _widths(ws, (6, 13, 36, 11, 10, 12, 12, 14, 24))

    ws = wb.create_sheet("工程评分")
    spec = ["序号", "工程号", "工程名称", "检查日期", "检查人",
            ("检查得分", ["安全得分", "质量得分", "沟通和配合得分", "规章制度得分"]), "总分"]
    _title(ws, 1, "2026年12月工程现场检查评分汇总", 10)
    n = _two_row_header(ws, 2, spec)
    row = 3
    for pid, rows in SCORES.items():
        first = row + 1
        _merge_down(ws, first, first + len(rows) - 1, 2, pid)
        _merge_down(ws, first, first + len(rows) - 1, 3, PROJECT[pid].name)
        for k, (who, *scores) in enumerate(rows):
            row += 1
            ws.cell(row, 1, row - 3).alignment = CENTER
            _date_cell(ws, row, 4, date(YEAR, MON, 21 + 2 * PROJECT[pid].nn + 3 * k), "yyyy-mm-dd")
            ws.cell(row, 5, who).alignment = CENTER
            for c, v in enumerate(scores, 6):
                ws.cell(row, c, v).alignment = CENTER
            c = ws.cell(row, 10, float(sum(Decimal(v) for v in scores) / 4))
            c.number_format, c.alignment = "0.00", CENTER
    _box(ws, 4, row, n)
    _signature(ws, row + 2, n, "制表：              审核：")
    _widths(ws, (6, 13, 34, 12, 13, 10, 10, 14, 13, 8))

    ws = wb.create_sheet("个人激励申报")
    headers = ["序号", "工程号", "工号", "姓名", "岗位", "评定结果", "申报金额", "申报理由"]
    n = len(headers)
    _title(ws, 1, "2026年12月单项工程个人激励申报表", n)
    _header(ws, 2, headers)
    row = 2
    for wid, rating, reason in NOMINEES:
        row += 1
        w = WORKER[wid]
        ws.cell(row, 1, row - 2).alignment = CENTER
        ws.cell(row, 2, "GC-2612-01")
        ws.cell(row, 3, wid).alignment = CENTER
        ws.cell(row, 4, w.name).alignment = CENTER
        ws.cell(row, 5, w.position).alignment = CENTER
        ws.cell(row, 6, rating).alignment = CENTER
        ws.cell(row, 8, reason)
    _box(ws, 3, row, n)
    _signature(ws, row + 2, n, "制表：              审核：")
    _widths(ws, (6, 13, 8, 9, 10, 10, 12, 30))
    _save(wb, folder / "工程激励审批（2026年12月）.xlsx")


def write_attendance(folder: Path) -> None:
    """2026年12月考勤表.xlsx › 12月考勤: day counts (员工编号, 出勤天数), 班组 merged over members."""
    wb = _new_workbook()
    ws = wb.create_sheet("12月考勤")
    headers = ["员工编号", "姓名", "班组", "应出勤天数", "出勤天数", "事假天数", "病假天数", "旷工天数",
               "连续缺勤天数", "备注"]
    n = len(headers)
    _title(ws, 1, f"{DEPT}施工人员2026年12月考勤表", n)
    _merge_text(ws, 2, 1, 4, "月份：2026年12月")
    _merge_text(ws, 2, 5, n, f"应出勤天数＝当月天数扣除周日（{len(SUNDAYS)}天）", RIGHT)
    _header(ws, 3, headers, 30)
    row = 3
    for team in TEAMS:
        members = [w for w in ROSTER if w.team == team]
        _merge_down(ws, row + 1, row + len(members), 3, team)
        for w in members:
            row += 1
            ws.cell(row, 1, w.wid).alignment = CENTER
            ws.cell(row, 2, w.name).alignment = CENTER
            for c, v in enumerate(attendance(w.wid), 4):
                ws.cell(row, c, v).alignment = CENTER
            ws.cell(row, 10, ATTENDANCE_NOTES.get(w.wid))
    _box(ws, 4, row, n)
    _signature(ws, row + 2, n, "制表：              审核：")
    _widths(ws, (9, 9, 12, 11, 10, 9, 9, 9, 12, 16))
    ws.freeze_panes = "D4"
    _save(wb, folder / "2026年12月考勤表.xlsx")


def write_rewards(folder: Path) -> None:
    """月度奖惩及培训（2026年12月）.xlsx: 培训及奖惩 holds 带薪培训 (合计 first) and, under a
    blank row and a title line, 其他奖惩 in two sections with 小计 and a 总计; 事故投诉."""
    wb = _new_workbook()
    ws = wb.create_sheet("培训及奖惩")
    headers = ["序号", "员工编号", "姓名", "培训类型", "培训内容", "日期", "培训天数"]
    n = len(headers)
    _title(ws, 1, "2026年12月带薪培训登记表", n, 14)
    _header(ws, 2, headers, 22)
    total_days = sum(Decimal(str(t[4])) for t in TRAINING)
    _total_row(ws, 3, "合计", 6, {7: float(total_days)})
    row = 3
    for i, (wid, kind, what, day, days) in enumerate(TRAINING, 1):
        row += 1
        ws.cell(row, 1, i).alignment = CENTER
        ws.cell(row, 2, wid).alignment = CENTER
        ws.cell(row, 3, WORKER[wid].name).alignment = CENTER
        ws.cell(row, 4, kind).alignment = CENTER
        ws.cell(row, 5, what)
        _date_cell(ws, row, 6, date(YEAR, MON, day), "yyyy-mm-dd")
        ws.cell(row, 7, days).alignment = CENTER
    _box(ws, 3, row, n)

    row += 2                                         # one blank row, then the next table
    headers = ["序号", "员工编号", "姓名", "类别", "金额", "说明"]
    _title(ws, row, "2026年12月其他奖惩明细", n, 14)
    row += 1
    _header(ws, row, headers, 22)
    first = row + 1
    seq = 0
    for section, label in ((REWARDS, "小计"), (DEDUCTIONS, "小　计")):
        for wid, cat, amount, note in section:
            row += 1
            seq += 1
            ws.cell(row, 1, seq).alignment = CENTER
            ws.cell(row, 2, wid).alignment = CENTER
            ws.cell(row, 3, WORKER[wid].name).alignment = CENTER
            ws.cell(row, 4, cat).alignment = CENTER
            if amount is not None:
                ws.cell(row, 5, amount).number_format = MONEY_FMT
            ws.cell(row, 6, note)
        row += 1
        typed = sum(a for _, _, a, _ in section if a is not None)     # as Excel's SUM sees it
        _total_row(ws, row, label, 4, {5: float(typed)})
    row += 1
    typed = sum(a for _, _, a, _ in (*REWARDS, *DEDUCTIONS) if a is not None)
    _total_row(ws, row, "总计", 4, {5: float(typed)})
    _box(ws, first, row, len(headers))
    _signature(ws, row + 2, n)
    _widths(ws, (6, 10, 9, 11, 34, 12, 40))

    ws = wb.create_sheet("事故投诉")
    headers = ["日期", "类型", "工程号", "员工编号", "说明", "处理结果"]
    _title(ws, 1, "2026年12月安全事故及质量投诉登记", len(headers), 14)
    _header(ws, 2, headers, 22)
    row = 2
    for d, kind, pid, wid, note, result in INCIDENTS:
        row += 1
        _date_cell(ws, row, 1, d, "yyyy-mm-dd")
        ws.cell(row, 2, kind).alignment = CENTER
        ws.cell(row, 3, pid)
        ws.cell(row, 4, wid).alignment = CENTER
        ws.cell(row, 5, note)
        ws.cell(row, 6, result)
    _box(ws, 3, row, len(headers))
    _widths(ws, (12, 10, 13, 10, 44, 22))
    _save(wb, folder / "月度奖惩及培训（2026年12月）.xlsx")


def make_december(folder: Path | str) -> list[Path]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    write_roster(folder)
    write_settlement(folder)
    write_approval(folder)
    write_attendance(folder)
    write_rewards(folder)
    return sorted(folder.glob("*.xlsx"))


# ---------------------------------------------------------------- the figures, worked out

CENT = Decimal("0.01")


def r2(x: Decimal) -> Decimal:
    return x.quantize(CENT, ROUND_HALF_UP)


def largest_remainder(exact: dict[int, Decimal], target: Decimal) -> dict[int, Decimal]:
    """Floor each part to the fen; the missing fen go to the largest remainders, ties by 工号."""
    floors = {k: v.quantize(CENT, ROUND_DOWN) for k, v in exact.items()}
    missing = int((target - sum(floors.values())) / CENT)
    order = sorted(exact, key=lambda k: (-(exact[k] - floors[k]), k))
    for k in order[:missing]:
        floors[k] += CENT
    return floors


def _pct(typed: object) -> Decimal:
    if typed is None:
        return Decimal(1)
    if isinstance(typed, str):
        return Decimal(typed.rstrip("%")) / 100
    return Decimal(str(typed))           # a number in a 0% cell is Excel's fraction


def _years(hire: date, on: date) -> int:
    return on.year - hire.year - ((on.month, on.day) < (hire.month, hire.day))


def excluded(wid: int) -> str | None:
    w = WORKER[wid]
    kind = kind_in_december(w)
    if kind in ("外包", "临时"):
        return kind
    if kind == "试用" or (w.regular is not None and w.regular > LAST):
        return "试用期"
    if attendance(wid)[5] >= 30:
        return "连续缺勤"
    if w.leave is not None and w.leave < LAST:
        return "离职"
    return None


SKILLS = ("电工", "焊工", "管道工")
TIERS = ((8, Decimal(150)), (5, Decimal(120)), (3, Decimal(80)), (2, Decimal(50)), (1, Decimal(30)))
STANDARD = {"优秀个人奖": Decimal(500), "创新奖": Decimal(300), "目标达成奖": Decimal(1000)}
AWARDS = ("individual", "collective", "training", "seniority", "adjustment")


def expected() -> dict:
    pay: dict[int, dict[str, Decimal]] = {w.wid: {a: Decimal("0.00") for a in AWARDS} for w in ROSTER}
    projects, unpaid = {}, []

    for p in PROJECTS:
        lines = LINES[p.pid]
        total = sum((a for _, _, a, _ in lines), Decimal(0))
        days = sum(d for _, d, _, _ in lines)
        info = {"wage_total": total, "days": days}
        if p.collective is not None:
            rows = SCORES[p.pid]
            means = [sum(Decimal(r[i]) for r in rows) / len(rows) for i in range(1, 5)]
            score = sum(means) / 4
            pool = r2(score / 100 * total * p.collective)
            exact = {wid: pool / days * d * _pct(pct) for wid, d, _, pct in lines}
            target = r2(sum(exact.values()))
            shares = largest_remainder(exact, target)
            for wid, s in shares.items():
                if excluded(wid):
                    unpaid.append((wid, p.pid, "collective", s, excluded(wid)))
                else:
                    pay[wid]["collective"] += s
            info.update(score=score, k=p.collective, pool=pool, exact_sum=sum(exact.values()),
                        unallocated=pool - target, shares=shares)
        if p.individual is not None:
            ipool = r2(p.individual * total)
            on_project = {wid for wid, _, _, _ in lines}
            ok = []
            for wid, rating, _ in NOMINEES:
                w = WORKER[wid]
                skill = any(s in w.skills for s in SKILLS) and excluded(wid) is None
                if rating == "优秀" and wid in on_project and not excluded(wid) and (
                        skill or _years(w.hire, LAST) >= 3):
                    ok.append(wid)
            split = largest_remainder({wid: ipool / len(ok) for wid in ok}, ipool)
            for wid, s in split.items():
                pay[wid]["individual"] += min(s, Decimal(500))      # cap 500 (never reached here)
            info.update(individual_rate=p.individual, individual_pool=ipool, individual=split)
        projects[p.pid] = info

    for wid, _, _, _, days in TRAINING:
        amount = r2(Decimal(str(days)) * 60)
        if excluded(wid):
            unpaid.append((wid, "", "training", amount, excluded(wid)))
        else:
            pay[wid]["training"] += amount

    for w in ROSTER:
        due, present, _, _, awol, _ = attendance(w.wid)
        years = _years(w.hire, LAST)
        tier = next((t for y, t in TIERS if years >= y), Decimal(0))
        if excluded(w.wid) or awol > 0 or tier == 0:
            continue
        pay[w.wid]["seniority"] = r2(min(tier, tier * present / due))

    for wid, cat, amount, _ in (*REWARDS, *DEDUCTIONS):
        value = STANDARD[cat] if amount is None else Decimal(amount)
        if cat == "扣款":
            value = -abs(value)
        pay[wid]["adjustment"] += r2(value)

    workers = {}
    for wid, lines in pay.items():
        if any(lines.values()):
            workers[str(wid)] = {**{a: str(v) for a, v in lines.items()}, "total": str(sum(lines.values()))}
    totals = {a: str(sum(pay[w][a] for w in pay)) for a in AWARDS}
    totals["total"] = str(sum(Decimal(v) for v in totals.values()))
    return {"projects": projects, "workers": workers, "totals": totals, "unpaid": unpaid}


def print_expected() -> None:
    e = expected()
    for pid, info in e["projects"].items():
        print(pid, {k: (str(v) if not isinstance(v, dict) else {a: str(b) for a, b in v.items()})
                    for k, v in info.items()})
    print("unpaid", [(w, p, a, str(s), why) for w, p, a, s, why in e["unpaid"]])
    print("TOTALS =", e["totals"])
    print("WORKERS = {")
    for wid, v in e["workers"].items():
        print(f"    {wid!r}: {v!r},")
    print("}")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="生成示例月份 2026-12（kfbonus input_samples）")
    ap.add_argument("--out", default=None, help="输出文件夹（默认 input_samples/2026-12）")
    ap.add_argument("--expected", action="store_true", help="打印按方案手算的预期金额")
    args = ap.parse_args(argv)
    if args.expected:
        print_expected()
        return 0
    out = Path(args.out) if args.out else Path(__file__).resolve().parent / MONTH
    for path in make_december(out):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
