"""Generate a realistic month folder of the department's workbooks (INPUTS.md).

    python input_samples/make_sample.py [--month 2026-11] [--out DIR] [--seed N]

The default regenerates exactly ``input_samples/2026-11``: the workbooks the
客户服务部 accountant of 广东五星太阳能 would drop for November 2026, written to
the INPUTS.md contract (not to the reader's code).  What each file exercises is
in ``input_samples/README.md``.

:func:`make_month` takes the month as a parameter, so a test can build a whole
year in the same shape: the same roster (same hire dates; workers appear from
their hire month and disappear after they leave), projects ``GC-YYMM-NN`` dated
inside the month, attendance grids for that month and optional incidents.  The
template month (2026-11) uses the crews' planned days exactly; other months
jitter days and wages with ``random.Random(seed, month)``.

Everything is deterministic: fixed data, a seeded RNG, fixed document
properties and fixed zip timestamps, so two runs give identical bytes.
"""

from __future__ import annotations

import argparse
import calendar
import io
import random
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

TEMPLATE_MONTH = "2026-11"
DEFAULT_SEED = 2611
FIXED_TIME = datetime(2026, 11, 30, 17, 30, 0)
COMPANY = "广东五星太阳能有限公司"
DEPT = "客户服务部"

# ---------------------------------------------------------------- the roster


@dataclass(frozen=True)
class Worker:
    wid: int
    name: str
    sex: str
    team: str
    position: str
    kind: str                  # 用工类型: 正式/试用/外包/临时
    hire: date
    regular: date | None       # 转正日期
    skills: str = ""           # as typed, several separated by 、，/
    leave: date | None = None  # 离职日期
    hire_text: str = ""        # the hire date typed as text instead of a real date
    note: str = ""


W = Worker
T1, T2, T3, T4, T5 = "安装一组", "安装二组", "安装三组", "安装四组", "管道焊接组"

ROSTER: tuple[Worker, ...] = (
    # 安装一组
    W(1001, "陈国栋", "男", T1, "施工组长", "正式", date(2012, 3, 5), None, "电工、焊工"),
    W(1002, "李建华", "男", T1, "电工", "正式", date(2016, 7, 1), None, "电工"),
    W(1003, "张伟明", "男", T1, "施工员", "正式", date(2021, 4, 12), date(2021, 7, 12)),
    W(1004, "黄志强", "男", T1, "施工员", "正式", date(2023, 11, 30), date(2024, 2, 29)),
    W(1005, "刘海涛", "男", T1, "焊工", "正式", date(2025, 6, 16), date(2025, 9, 16), "焊工"),
    W(1006, "吴晓东", "男", T1, "管道工", "正式", date(2019, 3, 5), None, "管道工", hire_text="2019/3/5"),
    W(1007, "周文斌", "男", T1, "施工员", "正式", date(2026, 3, 2), date(2026, 6, 2)),
    # 安装二组
    W(1008, "郑家豪", "男", T2, "施工组长", "正式", date(2014, 5, 20), None, "电工"),
    W(1009, "何振宇", "男", T2, "焊工", "正式", date(2018, 7, 1), None, "焊工，高处作业",
      hire_text="2018年7月1日"),
    W(1010, "罗小军", "男", T2, "施工员", "正式", date(2023, 12, 1), date(2024, 3, 1)),
    W(1011, "梁志勇", "男", T2, "管道工", "正式", date(2022, 9, 10), date(2022, 12, 10), "管道工，电工"),
    W(1012, "谢宏伟", "男", T2, "施工员", "正式", date(2024, 8, 19), date(2024, 11, 19)),
    W(1013, "韩东升", "男", T2, "焊工", "试用", date(2026, 9, 15), date(2026, 12, 15), "焊工"),
    W(1014, "唐立军", "男", T2, "施工员", "正式", date(2020, 10, 8), None, hire_text="2020.10.8"),
    # 安装三组
    W(1015, "冯志刚", "男", T3, "施工组长", "正式", date(2010, 8, 1), None, "电工、管道工"),
    W(1016, "曹俊杰", "男", T3, "电工", "正式", date(2017, 4, 18), None, "电工/高处作业"),
    W(1017, "邓伟", "男", T3, "施工员", "正式", date(2025, 2, 10), date(2025, 5, 10)),
    W(1018, "许文杰", "男", T3, "施工员", "正式", date(2023, 5, 8), date(2023, 8, 8)),
    W(1019, "彭家乐", "男", T3, "电工", "正式", date(2026, 6, 1), date(2026, 12, 1), "电工",
      note="转正审批中"),
    W(1020, "苏建明", "男", T3, "管道工", "正式", date(2019, 9, 23), None, "管道工"),
    W(1021, "蒋春生", "男", T3, "施工员", "外包", date(2024, 3, 1), None, note="劳务公司派遣"),
    # 安装四组
    W(1022, "潘志远", "男", T4, "施工组长", "正式", date(2013, 10, 15), None, "焊工"),
    W(1023, "杜国强", "男", T4, "焊工", "正式", date(2022, 1, 10), date(2022, 4, 10), "焊工"),
    W(1024, "袁明辉", "男", T4, "电工", "正式", date(2015, 6, 8), None, "电工", note="10月29日起病假"),
    W(1025, "钟永华", "男", T4, "施工员", "正式", date(2024, 4, 22), date(2024, 7, 22)),
    W(1026, "汪磊", "男", T4, "施工员", "正式", date(2026, 5, 18), date(2026, 8, 18)),
    W(1027, "田志军", "男", T4, "施工员", "临时", date(2026, 10, 20), None, note="临时工"),
    W(1028, "孙浩然", "男", T4, "管道工", "正式", date(2021, 11, 1), date(2022, 2, 1), "管道工"),
    # 管道焊接组
    W(1029, "马俊峰", "男", T5, "施工组长", "正式", date(2011, 4, 1), None, "焊工、管道工"),
    W(1030, "朱志华", "男", T5, "焊工", "正式", date(2020, 3, 16), None, "焊工"),
    W(1031, "胡家伟", "男", T5, "管道工", "正式", date(2018, 12, 3), None, "管道工"),
    W(1032, "林建新", "男", T5, "施工员", "正式", date(2024, 11, 11), date(2025, 2, 11)),
    W(1033, "高振鹏", "男", T5, "电工", "正式", date(2017, 8, 28), None, "电工", leave=date(2026, 11, 20),
      note="个人原因离职"),
    W(1034, "欧阳俊", "男", T5, "施工员", "正式", date(2025, 9, 1), date(2025, 12, 1)),
    W(1035, "钱卫东", "男", T5, "焊工", "正式", date(2023, 2, 14), date(2023, 5, 14), "焊工"),
)
WORKER = {w.wid: w for w in ROSTER}

DAILY_RATE = {"施工组长": 330, "电工": 300, "焊工": 300, "管道工": 285, "施工员": 240}

# ---------------------------------------------------------------- the projects


@dataclass(frozen=True)
class ProjectSpec:
    """One project slot of the monthly template (nn = the NN of GC-YYMM-NN)."""

    nn: int
    name: str
    short: str                                  # for the sheet name
    team: str
    members: tuple[tuple[int, int, object], ...]  # (工号, planned days, 个人百分比 as typed)
    form: bool                                  # form-style sheet (True) or flat list
    money_style: str                            # how 计件工资 is typed, see _money_cell
    key: object = None                          # 重点工程 as typed
    individual: object = None                   # 个人激励比例 as typed (key projects only)
    collective: object = None                   # 集体激励比例 as typed
    percent_format: bool = False                # numbers in the 个人百分比 cells shown with 0%
    ratio_format: bool = False                  # collective ratio cell shown with 0%
    nominees: tuple[tuple[int, str, object], ...] = ()  # (工号, 考评结果, 申报金额 as typed)
    window: tuple[int, int] = (1, 28)           # 开工/完工 day of the template month


P = ProjectSpec
PROJECTS: tuple[ProjectSpec, ...] = (
    P(1, "佛山市顺德区某酒店太阳能热水工程", "顺德酒店", T1,
      ((1001, 14, "110%"), (1002, 14, "105%"), (1003, 12, "100%"), (1004, 13, "95%"),
       (1005, 12, "100%"), (1006, 14, "100%"), (1007, 10, "85%")),
      True, "number", key="是", individual="5%", collective="15%",
      nominees=((1001, "优秀", "¥200.00"), (1002, "优秀", 300), (1005, "优秀", "380")), window=(2, 17)),
    P(2, "江门市某医院空气能热水改造工程", "江门医院", T4,
      ((1022, 12, 1.1), (1023, 12, 1), (1024, 11, 1), (1025, 11, 1), (1026, 10, 0.8), (1028, 12, 1)),
      True, "comma_text", key="否", collective=0.12, window=(2, 16)),
    P(3, "中山市某学校宿舍空气能+太阳能热水系统", "中山学校宿舍", T2,
      ((1008, 16, None), (1009, 16, None), (1010, 15, None), (1011, 14, None), (1012, 15, None),
       (1013, 12, None), (1014, 16, None)),
      True, "yen_text", key="√", individual=0.04, collective=18,
      nominees=((1008, "优秀", None), (1009, "优秀", None), (1014, "优秀", None),
                (1010, "优秀", None), (1012, "良好", None)), window=(2, 20)),
    P(4, "佛山市南海区某小区阳台壁挂太阳能安装工程", "南海小区阳台", T3,
      ((1015, 12, 100), (1016, 10, 100), (1017, 10, 90), (1018, 12, 100), (1019, 9, 100),
       (1020, 10, 90), (1021, 12, 100)),
      True, "fullwidth", key="×", collective="10%", window=(2, 14)),
    P(5, "东莞市某工厂员工宿舍集热工程", "东莞工厂宿舍", T5,
      ((1029, 15, 1.05), (1030, 14, 1), (1031, 15, 1), (1032, 12, 0.95), (1033, 8, 1),
       (1034, 13, 0.95), (1035, 14, 1), (1004, 9, 1), (1005, 10, 1)),
      True, "plain_text", key="是", individual=3, collective="20%", percent_format=True,
      nominees=((1005, "优秀", None), (1004, "优秀", None), (1030, "优秀", None)), window=(9, 30)),
    P(6, "佛山市禅城区某酒店式公寓热泵热水工程", "禅城公寓", T4,
      ((1022, 10, "110%"), (1023, 9, 100), (1025, 10, 1), (1026, 8, "95%"), (1027, 11, "90%"),
       (1028, 9, "100%")),
      True, "spaced_text", key="否", collective=0.16, ratio_format=True, window=(17, 30)),
    P(7, "广州市番禺区某养老院太阳能热水工程", "番禺养老院", T2,
      ((1008, 8, "105%"), (1009, 7, None), (1011, 8, None), (1012, 8, None), (1014, 6, None),
       (1010, 6, "90%")),
      False, "mixed", key="否", collective=12, window=(21, 30)),
    P(8, "肇庆市某中学学生公寓热泵热水工程", "肇庆中学公寓", T3,
      ((1015, 8, 100), (1016, 12, 100), (1018, 10, 100), (1019, 11, 100), (1020, 9, 100)),
      False, "mixed", key="√", individual="3.5%", collective="12.5%",
      nominees=((1016, "优秀", None), (1018, "优秀", None), (1019, "优秀", None)), window=(16, 30)),
    P(9, "某工业园食堂热水系统维修工程", "工业园食堂", T5,
      ((1029, 6, None), (1030, 7, None), (1031, 6, None), (1032, 7, None), (1034, 5, None),
       (1035, 6, None)),
      False, "mixed", window=(2, 10)),
    P(10, "清远市某别墅区太阳能热水器安装工程", "清远别墅", T1,
      ((1001, 6, None), (1002, 5, None), (1003, 6, None), (1006, 7, None), (1007, 8, None)),
      False, "mixed", window=(18, 28)),
)

# Scores per project slot: (检查人, 安全, 质量, 沟通和配合, 规章制度); several rows → mean.
SCORES: dict[int, tuple[tuple[str, object, object, object, object], ...]] = {
    1: (("质安员 何工", 95, 92, 90, 94),),
    2: (("质安员 何工", 92, 88, 90, 86), ("客户质检 复检", 96, 93, 91, 92)),
    3: (("质安员 何工", 90, 94, 92, 90),),
    4: (("质安员 何工", 88, 90, "86", 92),),
    5: (("质安员 何工", 94, 95, 90, 96), ("甲方质检员", 92, 91, 94, 90)),   # its own form sheet
    6: (("质安员 何工", 93, 90, 95, "91.5"),),
    7: (("质安员 何工", 91, 82, 88, 90),),
    8: (("质安员 何工", 96, 94, 93, 95),),
}
FORM_SCORE_SLOT = 5

# Attendance marks typed on given dates: (工号, first day, last day, mark).  Dates, not
# months, so the same events show in whichever month folder covers them.
MARK_EVENTS: tuple[tuple[int, date, date, str], ...] = (
    (1024, date(2026, 10, 29), date(2026, 12, 3), "病"),   # five weeks of sick leave
    (1028, date(2026, 11, 11), date(2026, 11, 11), "旷"),
    (1003, date(2026, 11, 16), date(2026, 11, 17), "事"),
    (1012, date(2026, 11, 9), date(2026, 11, 9), "事"),
    (1020, date(2026, 11, 23), date(2026, 11, 25), "事"),
    (1017, date(2026, 11, 5), date(2026, 11, 6), "病"),
    (1026, date(2026, 11, 19), date(2026, 11, 21), "伤"),
    (1032, date(2026, 11, 27), date(2026, 11, 27), "事"),
)

# 带薪培训 rows for the template month: (工号, 培训类型, 内容, day of month, 天数 as typed)
TRAINING = (
    (1005, "技能考证", "焊工证复审（佛山市安监站）", 12, 2),
    (1023, "带薪培训", "热泵机组调试培训", 18, "1.5"),
    (1034, "带薪培训", "高处作业安全培训", 18, 2),
    (1013, "带薪培训", "新员工三级安全教育", 4, 3),
)

# 其他奖惩 rows: (工号, 类别, 金额 as typed or None for the standard amount, 说明)
ADJUSTMENTS = (
    (1001, "优秀个人奖", None, "11月客户表扬信2封，班组零投诉"),
    (1011, "创新奖", 300, "集热器支架快装卡扣改进，节省工时"),
    (1029, "目标达成奖", None, "管道焊接组完成11月产值目标"),
    (1020, "扣款", 200, "11月19日安全检查高处作业未系安全带，按制度扣款"),
)

DEFAULT_INCIDENTS: dict[str, list[dict]] = {
    "2026-11": [{"date": date(2026, 11, 24), "type": "质量投诉", "project": 7, "worker": None,
                 "note": "客户反映3号楼水箱保温层破损渗水，已安排返修"}],
}

WEEKDAYS = "一二三四五六日"

# ---------------------------------------------------------------- month plan


@dataclass
class Line:
    wid: int
    days: int
    wage: Decimal
    percent: object


@dataclass
class Project:
    spec: ProjectSpec
    pid: str
    start: date
    end: date
    lines: list[Line] = field(default_factory=list)

    @property
    def total_days(self) -> int:
        return sum(x.days for x in self.lines)

    @property
    def total_wage(self) -> Decimal:
        return sum((x.wage for x in self.lines), Decimal(0))


def _month_bounds(month: str) -> tuple[int, int, date, date]:
    year, mon = (int(p) for p in month.split("-"))
    last = calendar.monthrange(year, mon)[1]
    return year, mon, date(year, mon, 1), date(year, mon, last)


def _employed(w: Worker, first: date, last: date) -> bool:
    return w.hire <= last and (w.leave is None or w.leave >= first)


def _percent_value(p: object) -> Decimal:
    """The 个人百分比 as a fraction, read the way INPUTS.md says."""
    if p is None or p == "":
        return Decimal(1)
    if isinstance(p, str):
        return Decimal(p.rstrip("%")) / 100
    v = Decimal(str(p))
    return v if v <= 5 else v / 100


def marks_for(w: Worker, month: str, rng: random.Random | None = None,
              extra: dict[tuple[int, date], str] | None = None) -> list[str]:
    """One mark per day of the month: √, 休 (Sundays), an event mark, or blank when not employed."""
    year, mon, _, last = _month_bounds(month)
    out = []
    for day in range(1, last.day + 1):
        d = date(year, mon, day)
        if d < w.hire or (w.leave is not None and d > w.leave):
            out.append("")
            continue
        mark = "休" if d.weekday() == 6 else "√"
        for wid, a, b, m in MARK_EVENTS:
            # a long leave is marked on every calendar day, Sundays included; a short one on workdays
            if wid == w.wid and a <= d <= b and (mark != "休" or (b - a).days >= 14):
                mark = m
        if extra and (w.wid, d) in extra and mark == "√":
            mark = extra[(w.wid, d)]
        out.append(mark)
    return out


def plan_month(month: str, seed: int) -> tuple[list[Project], dict[tuple[int, date], str]]:
    """The month's projects and lines (and, outside the template month, random 事 days)."""
    rng = random.Random(f"{seed}-{month}")
    year, mon, first, last = _month_bounds(month)
    exact = month == TEMPLATE_MONTH
    extra: dict[tuple[int, date], str] = {}
    if not any(first <= a <= last or first <= b <= last for _, a, b, _ in MARK_EVENTS):
        for w in rng.sample([w for w in ROSTER if _employed(w, first, last)], 3):
            d = date(year, mon, rng.randint(2, last.day - 2))
            if d.weekday() != 6:
                extra[(w.wid, d)] = "事"
    budget = {w.wid: marks_for(w, month, extra=extra).count("√") for w in ROSTER if _employed(w, first, last)}
    projects = []
    for spec in PROJECTS:
        factor = Decimal(100 if exact else rng.randint(90, 112)) / 100
        p = Project(spec, f"GC-{year % 100:02d}{mon:02d}-{spec.nn:02d}", first, first)
        for wid, days, pct in spec.members:
            w = WORKER[wid]
            available = budget.get(wid, 0)       # days present and not yet booked on a project
            if available < 5:  # not hired yet, gone, on long leave, or fully booked this month
                continue
            if not exact:
                days = max(3, days + rng.randint(-2, 2))
            days = min(days, available - 1, 25)
            budget[wid] -= days
            rate = Decimal(DAILY_RATE[w.position]) * factor
            jitter = Decimal(rng.randint(-400, 600)) / 10   # piece counts never give round wages
            wage = (rate * days + jitter).quantize(Decimal("0.01"), ROUND_HALF_UP)
            p.lines.append(Line(wid, days, wage, pct))
        if not p.lines:
            continue
        # the crew leader's plan may not hand out more than the pool (SCHEME §2): fall back to 100%
        if sum(x.days * (_percent_value(x.percent) - 1) for x in p.lines) > 0:
            for x in p.lines:
                if _percent_value(x.percent) > 1:
                    x.percent = "100%"
        if exact:
            p.start, p.end = date(year, mon, spec.window[0]), date(year, mon, spec.window[1])
        else:
            longest = max(x.days for x in p.lines)
            p.start = date(year, mon, rng.randint(1, max(1, last.day - longest - 4)))
            p.end = min(last, p.start + timedelta(days=longest + 2 + spec.nn % 3))
        projects.append(p)
    return projects, extra


# ---------------------------------------------------------------- styling helpers

FONT = "宋体"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="D9E1F2")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center")
RIGHT = Alignment(horizontal="right", vertical="center")
MONEY_FMT = "#,##0.00"


def _font(size: float = 11, bold: bool = False) -> Font:
    return Font(name=FONT, size=size, bold=bold)


def _title(ws: Worksheet, row: int, text: str, ncols: int, size: float = 16) -> None:
    ws.cell(row, 1, text).font = _font(size, True)
    ws.cell(row, 1).alignment = CENTER
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
    ws.row_dimensions[row].height = 30


def _merge_text(ws: Worksheet, row: int, c1: int, c2: int, text: object, align: Alignment = LEFT,
                bold: bool = False) -> None:
    cell = ws.cell(row, c1, text)
    cell.font = _font(11, bold)
    cell.alignment = align
    if c2 > c1:
        ws.merge_cells(start_row=row, start_column=c1, end_row=row, end_column=c2)


def _header(ws: Worksheet, row: int, headers: Sequence[str], height: float = 30) -> None:
    for c, h in enumerate(headers, 1):
        cell = ws.cell(row, c, h)
        cell.font = _font(11, True)
        cell.alignment = CENTER
        cell.fill = HEAD_FILL
        cell.border = BORDER
    ws.row_dimensions[row].height = height


def _box(ws: Worksheet, r1: int, r2: int, ncols: int) -> None:
    for r in range(r1, r2 + 1):
        for c in range(1, ncols + 1):
            cell = ws.cell(r, c)
            cell.border = BORDER
            if cell.font is None or cell.font.name != FONT:
                cell.font = _font()


def _widths(ws: Worksheet, widths: Sequence[float]) -> None:
    for i, wdt in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = wdt


def _date_cell(ws: Worksheet, row: int, col: int, d: date, fmt: str = "yyyy-mm-dd") -> None:
    cell = ws.cell(row, col, d)
    cell.number_format = fmt
    cell.alignment = CENTER


FULLWIDTH = str.maketrans("0123456789.,", "０１２３４５６７８９．，")


def _money_cell(ws: Worksheet, row: int, col: int, amount: Decimal, style: str, i: int) -> None:
    """Write 计件工资 the way the sheet's typist does (INPUTS.md, Cell values as people type them)."""
    if style == "mixed":
        style = ("number", "comma_text", "plain_text", "number", "yen_text", "fullwidth")[i % 6]
    if style == "comma_text" and i % 2:
        style = "number"
    if style == "number":
        value: object = float(amount)
    elif style == "comma_text":
        value = f"{amount:,.2f}"
    elif style == "yen_text":
        value = f"¥{amount:,.2f}"
    elif style == "fullwidth":
        value = f"{amount:.2f}".translate(FULLWIDTH)
    elif style == "plain_text":
        value = f"{amount.normalize():f}" if amount == amount.to_integral() else f"{amount:.2f}"
    elif style == "spaced_text":
        value = f" {amount:.2f} "
    else:
        raise ValueError(style)
    cell = ws.cell(row, col, value)
    cell.number_format = MONEY_FMT if isinstance(value, float) else "@"
    cell.alignment = RIGHT


def _percent_cell(ws: Worksheet, row: int, col: int, pct: object, percent_format: bool) -> None:
    if pct is None:
        return
    cell = ws.cell(row, col, pct)
    cell.alignment = CENTER
    if isinstance(pct, str):
        cell.number_format = "@"
    elif percent_format:
        cell.number_format = "0%"


SIGNATURES = "制表：          审核：          核准："


def _signature(ws: Worksheet, row: int, ncols: int, text: str = SIGNATURES) -> None:
    _merge_text(ws, row, 1, ncols, text)
    ws.row_dimensions[row].height = 24


def _cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _cn_month(month: str) -> str:
    year, mon = month.split("-")
    return f"{year}年{int(mon)}月"


# ---------------------------------------------------------------- workbooks


def _new_workbook() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "客户服务部核算员"
    wb.properties.lastModifiedBy = "客户服务部核算员"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    return wb


def _save(wb: Workbook, path: Path) -> None:
    """Save with fixed zip timestamps so the bytes do not change between runs."""
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    for ws in wb.worksheets:  # print one page wide, as the department prints its forms
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
            fixed = zipfile.ZipInfo(info.filename, date_time=(2026, 11, 30, 17, 30, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" with now()
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>" + FIXED_TIME.isoformat().encode() + rb"Z\g<2>", data)
            dst.writestr(fixed, data)
    path.write_bytes(out.getvalue())


def roster_for(month: str) -> list[Worker]:
    """The roster as it stands at the end of ``month``: hired by then, not gone before it began."""
    _, _, first, last = _month_bounds(month)
    return [w for w in ROSTER if _employed(w, first, last)]


def write_roster(folder: Path, month: str) -> None:
    last = _month_bounds(month)[3]
    wb = _new_workbook()
    ws = wb.create_sheet("花名册")
    headers = ["序号", "员工编号", "姓名", "性别", "班组", "岗位", "用工类型", "进厂日期", "转正日期",
               "特殊技能", "离职日期", "备注"]
    n = len(headers)
    _title(ws, 1, f"{COMPANY}{DEPT}施工人员花名册", n)
    _merge_text(ws, 2, 1, n, f"制表日期：{_cn_date(last)}", RIGHT)
    _header(ws, 3, headers)
    date_fmts = ("yyyy-mm-dd", "yyyy/m/d", 'yyyy"年"m"月"d"日"')
    row = 3
    for i, w in enumerate(roster_for(month), 1):
        row += 1
        kind = w.kind
        if kind == "试用" and w.regular is not None and w.regular <= last:
            kind = "正式"
        ws.cell(row, 1, i).alignment = CENTER
        ws.cell(row, 2, w.wid).alignment = CENTER
        for c, v in ((3, w.name), (4, w.sex), (5, w.team), (6, w.position), (7, kind)):
            ws.cell(row, c, v).alignment = CENTER
        if w.hire_text:
            ws.cell(row, 8, w.hire_text).alignment = CENTER
            ws.cell(row, 8).number_format = "@"
        else:
            _date_cell(ws, row, 8, w.hire, date_fmts[i % 3])
        if w.regular is not None and w.kind in ("正式", "试用"):
            _date_cell(ws, row, 9, w.regular, "yyyy-mm-dd")
        ws.cell(row, 10, w.skills or None)
        if w.leave is not None and w.leave <= last:
            _date_cell(ws, row, 11, w.leave, "yyyy-mm-dd")
        note = w.note
        if w.leave is not None and w.leave > last:
            note = ""
        ws.cell(row, 12, note or None)
    _box(ws, 4, row, n)
    _widths(ws, (6, 10, 9, 6, 12, 10, 10, 14, 12, 18, 12, 16))
    ws.freeze_panes = "D4"
    _save(wb, folder / "人员名册.xlsx")


def _write_settlement_form(ws: Worksheet, p: Project, month: str, doc_no: str) -> None:
    headers = ["序号", "工号", "姓名", "岗位", "个人工期\n天数", "计件工资（元）", "个人百分比", "领款人签名"]
    n = len(headers)
    _title(ws, 1, "计件工资结算单", n, 18)
    _merge_text(ws, 2, 1, 3, f"工程编号：{p.pid}")
    _merge_text(ws, 2, 4, 4, "工程名称", CENTER, True)
    _merge_text(ws, 2, 5, n, p.spec.name)
    _merge_text(ws, 3, 1, 1, "开工日期", CENTER, True)
    _date_cell(ws, 3, 2, p.start, "yyyy-mm-dd")
    ws.merge_cells(start_row=3, start_column=2, end_row=3, end_column=3)
    _merge_text(ws, 3, 4, 4, "完工日期", CENTER, True)
    _date_cell(ws, 3, 5, p.end, "yyyy-mm-dd")
    _merge_text(ws, 3, 6, 6, "工期总天数", CENTER, True)
    ws.cell(3, 7, p.total_days).alignment = CENTER
    _merge_text(ws, 4, 1, 3, f"单据编号：{doc_no}")
    _merge_text(ws, 4, 4, 4, "施工班组", CENTER, True)
    _merge_text(ws, 4, 5, 6, p.spec.team)
    _merge_text(ws, 4, 7, n, f"结算月份：{_cn_month(month)}")
    _box(ws, 2, 4, n)
    _header(ws, 5, headers, 34)
    row = 5
    for i, x in enumerate(p.lines):
        row += 1
        w = WORKER[x.wid]
        name = "黄智强" if (x.wid == 1004 and p.spec.nn == 1) else w.name  # typo kept from the paper form
        ws.cell(row, 1, i + 1).alignment = CENTER
        ws.cell(row, 2, w.wid).alignment = CENTER
        ws.cell(row, 3, name).alignment = CENTER
        ws.cell(row, 4, w.position).alignment = CENTER
        ws.cell(row, 5, x.days).alignment = CENTER
        _money_cell(ws, row, 6, x.wage, p.spec.money_style, i)
        _percent_cell(ws, row, 7, x.percent, p.spec.percent_format)
    row += 1
    _merge_text(ws, row, 1, 4, "合计", CENTER, True)
    ws.cell(row, 5, p.total_days).alignment = CENTER
    total = ws.cell(row, 6, float(p.total_wage))
    total.number_format = MONEY_FMT
    total.font = _font(11, True)
    _box(ws, 6, row, n)
    _signature(ws, row + 2, n)
    _widths(ws, (10, 9, 10, 11, 10, 16, 12, 14))
    ws.page_setup.orientation = "portrait"


def write_settlement_forms(folder: Path, month: str, projects: list[Project]) -> None:
    wb = _new_workbook()
    notes = wb.create_sheet("填表说明")
    for r, text in enumerate((
        "计件工资结算单填表说明",
        "1. 每个工程一张结算单，由施工组长填写，工程主管审核后交客户服务部核算员。",
        "2. 个人百分比按施工组长的分配方案填写，不填的按100%计。",
        "3. 个人工期天数按实际出工天数填写，工期总天数填本组全部人员的出工天数合计。",
        "4. 计件工资按公司计件标准核算，合计金额须与明细相符。",
        f"5. 本月结算单共{sum(1 for p in projects if p.spec.form)}张，零星工程见《零星工程计件工资明细》。",
    ), 1):
        notes.cell(r, 1, text).font = _font(14 if r == 1 else 11, r == 1)
    notes.column_dimensions["A"].width = 90
    doc = 0
    for p in projects:
        if not p.spec.form:
            continue
        doc += 1
        ws = wb.create_sheet(f"{p.pid} {p.spec.short}")
        _write_settlement_form(ws, p, month, f"JS-{p.pid[3:7]}-{doc:03d}")
    _save(wb, folder / f"计件工资结算单（{_cn_month(month)}）.xlsx")


def write_settlement_list(folder: Path, month: str, projects: list[Project]) -> None:
    wb = _new_workbook()
    ws = wb.create_sheet("计件明细")
    headers = ["序号", "工程编号", "工程名称", "开工日期", "完工日期", "工号", "姓名", "岗位",
               "施工天数", "应发计件工资", "分配比例", "备注"]
    n = len(headers)
    _title(ws, 1, f"{_cn_month(month)}零星工程计件工资明细", n)
    _merge_text(ws, 2, 1, n, "单位：元", RIGHT)
    _header(ws, 3, headers)
    row, i, days, total = 3, 0, 0, Decimal(0)
    for p in projects:
        if p.spec.form:
            continue
        for j, x in enumerate(p.lines):
            row += 1
            i += 1
            w = WORKER[x.wid]
            ws.cell(row, 1, i).alignment = CENTER
            ws.cell(row, 2, f" {p.pid}" if j == 2 else p.pid)      # a stray space typed
            ws.cell(row, 3, p.spec.name)
            _date_cell(ws, row, 4, p.start, "yyyy/m/d")
            _date_cell(ws, row, 5, p.end, "yyyy/m/d")
            ws.cell(row, 6, f"{w.wid} " if j == 1 else (str(w.wid) if j == 3 else w.wid)).alignment = CENTER
            ws.cell(row, 7, w.name).alignment = CENTER
            ws.cell(row, 8, w.position).alignment = CENTER
            ws.cell(row, 9, x.days).alignment = CENTER
            _money_cell(ws, row, 10, x.wage, p.spec.money_style, i)
            _percent_cell(ws, row, 11, x.percent, p.spec.percent_format)
            days += x.days
            total += x.wage
    row += 1
    _merge_text(ws, row, 1, 8, "合计", CENTER, True)
    ws.cell(row, 9, days).alignment = CENTER
    cell = ws.cell(row, 10, float(total))
    cell.number_format = MONEY_FMT
    cell.font = _font(11, True)
    _box(ws, 4, row, n)
    _signature(ws, row + 2, n)
    _widths(ws, (6, 14, 40, 11, 11, 8, 9, 9, 9, 14, 9, 10))
    ws.freeze_panes = "A4"
    _save(wb, folder / f"{_cn_month(month)}零星工程计件工资明细.xlsx")


def write_approval(folder: Path, month: str, projects: list[Project]) -> None:
    """工程激励审批.xlsx: application, scores (flat + one form sheet) and nominations."""
    last = _month_bounds(month)[3]
    wb = _new_workbook()
    by_nn = {p.spec.nn: p for p in projects}

    ws = wb.create_sheet("激励申报")
    headers = ["序号", "工程编号", "工程名称", "施工班组", "是否重点工程", "集体激励比例", "个人激励比例",
               "申报人", "备注"]
    n = len(headers)
    _title(ws, 1, f"{_cn_month(month)}单项工程激励申报审批表", n)
    _header(ws, 2, headers)
    row = 2
    for p in projects:
        s = p.spec
        if s.collective is None and s.individual is None:
            continue
        row += 1
        ws.cell(row, 1, row - 2).alignment = CENTER
        ws.cell(row, 2, p.pid)
        ws.cell(row, 3, s.name)
        ws.cell(row, 4, s.team).alignment = CENTER
        ws.cell(row, 5, s.key).alignment = CENTER
        c = ws.cell(row, 6, s.collective)
        c.alignment = CENTER
        if s.ratio_format:
            c.number_format = "0%"
        elif isinstance(s.collective, str):
            c.number_format = "@"
        if s.individual is not None:
            ws.cell(row, 7, s.individual).alignment = CENTER
        ws.cell(row, 8, "工程主管 梁工").alignment = CENTER
        ws.cell(row, 9, "重点工程，申报个人激励" if s.individual is not None else None)
    _box(ws, 3, row, n)
    _merge_text(ws, row + 2, 1, n,
                "申报：              审核（部门经理）：              批准（事业部总经理）：")
    _widths(ws, (6, 14, 40, 11, 12, 12, 12, 14, 24))

    ws = wb.create_sheet("工程评分")
    headers = ["序号", "工程编号", "工程名称", "检查日期", "检查人", "安全得分", "质量得分", "沟通配合得分",
               "规章制度得分", "总分"]
    n = len(headers)
    _title(ws, 1, f"{_cn_month(month)}工程现场检查评分汇总", n)
    _header(ws, 2, headers)
    row = 2
    for nn, rows in SCORES.items():
        if nn == FORM_SCORE_SLOT or nn not in by_nn:
            continue
        p = by_nn[nn]
        for k, (who, *scores) in enumerate(rows):
            row += 1
            ws.cell(row, 1, row - 2).alignment = CENTER
            ws.cell(row, 2, p.pid)
            ws.cell(row, 3, p.spec.name)
            _date_cell(ws, row, 4, min(last, p.end + timedelta(days=1 + 3 * k)), "yyyy-mm-dd")
            ws.cell(row, 5, who).alignment = CENTER
            for c, v in enumerate(scores, 6):
                ws.cell(row, c, v).alignment = CENTER
            mean = sum(Decimal(str(v)) for v in scores) / 4
            ws.cell(row, 10, float(mean)).number_format = "0.00"
    _box(ws, 3, row, n)
    _widths(ws, (6, 14, 40, 12, 14, 10, 10, 12, 12, 8))

    if FORM_SCORE_SLOT in by_nn:
        p = by_nn[FORM_SCORE_SLOT]
        ws = wb.create_sheet(f"{p.pid}评分表")
        headers = ["序号", "评分人", "安全得分", "质量得分", "沟通和配合得分", "规章制度得分", "备注"]
        n = len(headers)
        _title(ws, 1, "工程施工质量安全检查评分表", n)
        _merge_text(ws, 2, 1, 3, f"工程编号：{p.pid}")
        _merge_text(ws, 2, 4, 4, "工程名称", CENTER, True)
        _merge_text(ws, 2, 5, n, p.spec.name)
        _merge_text(ws, 3, 1, 1, "检查日期", CENTER, True)
        _date_cell(ws, 3, 2, min(last, p.end + timedelta(days=1)), "yyyy-mm-dd")
        ws.merge_cells(start_row=3, start_column=2, end_row=3, end_column=3)
        _merge_text(ws, 3, 4, 4, "施工班组", CENTER, True)
        _merge_text(ws, 3, 5, n, p.spec.team)
        _box(ws, 2, 3, n)
        _header(ws, 4, headers)
        row = 4
        for k, (who, *scores) in enumerate(SCORES[FORM_SCORE_SLOT]):
            row += 1
            ws.cell(row, 1, k + 1).alignment = CENTER
            ws.cell(row, 2, who).alignment = CENTER
            for c, v in enumerate(scores, 3):
                ws.cell(row, c, v).alignment = CENTER
        _box(ws, 5, row, n)
        _signature(ws, row + 2, n, "评分人签字：          施工组长：          工程主管：")
        _widths(ws, (10, 14, 10, 10, 14, 12, 20))

    ws = wb.create_sheet("个人激励申报")
    headers = ["序号", "工程编号", "工号", "姓名", "岗位", "综合评定", "申报金额", "申报理由"]
    n = len(headers)
    _title(ws, 1, f"{_cn_month(month)}单项工程个人激励申报表", n)
    _header(ws, 2, headers)
    row = 2
    for p in projects:
        on_project = {x.wid for x in p.lines}
        nominees = [nm for nm in p.spec.nominees if nm[0] in on_project]
        if not nominees:
            continue
        declared = [a for _, _, a in nominees]
        if all(a is not None for a in declared):
            # declared amounts may not exceed the pool (SCHEME §1): scale down to whole tens if needed
            pool = _pool_individual(p)
            asked = sum(_money_value(a) for a in declared)
            if asked > pool:
                declared = [(_money_value(a) * pool / asked / 10).to_integral_value(ROUND_FLOOR) * 10
                            for a in declared]
        for (wid, rating, _), amount in zip(nominees, declared, strict=True):
            row += 1
            w = WORKER[wid]
            ws.cell(row, 1, row - 2).alignment = CENTER
            ws.cell(row, 2, p.pid)
            ws.cell(row, 3, wid).alignment = CENTER
            ws.cell(row, 4, w.name).alignment = CENTER
            ws.cell(row, 5, w.position).alignment = CENTER
            ws.cell(row, 6, rating).alignment = CENTER
            if amount is not None:
                cell = ws.cell(row, 7, float(amount) if isinstance(amount, Decimal) else amount)
                cell.alignment = RIGHT
                if not isinstance(amount, str):
                    cell.number_format = MONEY_FMT
            skill = re.split(r"[、，,/]", w.skills)[0]
            reason = f"{skill}，施工质量好" if skill else "工作积极，配合好"
            ws.cell(row, 8, reason)
    _box(ws, 3, row, n)
    _merge_text(ws, row + 2, 1, n, "工程主管：              部门经理审核：")
    _widths(ws, (6, 14, 8, 9, 9, 10, 12, 26))
    _save(wb, folder / "工程激励审批.xlsx")


def _money_value(typed: object) -> Decimal:
    if isinstance(typed, Decimal):
        return typed
    return Decimal(str(typed).replace("¥", "").replace(",", "").strip())


def _pool_individual(p: Project) -> Decimal:
    rate = p.spec.individual
    r = Decimal(rate.rstrip("%")) / 100 if isinstance(rate, str) else Decimal(str(rate))
    if r > 1:
        r /= 100
    return (r * p.total_wage).quantize(Decimal("0.01"), ROUND_HALF_UP)


def write_attendance(folder: Path, month: str, extra: dict[tuple[int, date], str]) -> None:
    year, mon, first, last = _month_bounds(month)
    wb = _new_workbook()
    ws = wb.create_sheet(f"{mon}月考勤")
    ndays = last.day
    headers: list[object] = ["工号", "姓名", "班组", *range(1, ndays + 1), "备注"]
    n = len(headers)
    _title(ws, 1, f"{DEPT}施工人员{_cn_month(month)}考勤表", n)
    _merge_text(ws, 2, 1, n, "图例：√ 出勤   休 休息   事 事假   病 病假   伤 工伤假   旷 旷工")
    ws.cell(3, 3, "星期").alignment = CENTER
    for d in range(1, ndays + 1):
        cell = ws.cell(3, 3 + d, WEEKDAYS[date(year, mon, d).weekday()])
        cell.alignment = CENTER
        cell.font = _font(9)
    _header(ws, 4, [str(h) if isinstance(h, str) else h for h in headers], 20)
    row = 4
    sunday_fill = PatternFill("solid", fgColor="F2F2F2")
    for w in roster_for(month):
        row += 1
        ws.cell(row, 1, w.wid).alignment = CENTER
        ws.cell(row, 2, w.name).alignment = CENTER
        ws.cell(row, 3, w.team).alignment = CENTER
        marks = marks_for(w, month, extra=extra)
        for d, m in enumerate(marks, 1):
            cell = ws.cell(row, 3 + d, m or None)
            cell.alignment = CENTER
            if date(year, mon, d).weekday() == 6:
                cell.fill = sunday_fill
        note = ""
        if w.leave is not None and first <= w.leave <= last:
            note = f"{w.leave.month}月{w.leave.day}日离职"
        elif w.hire >= first:
            note = f"{w.hire.month}月{w.hire.day}日入职"
        elif marks.count("病") + marks.count("伤") >= 20:
            note = "长病假"
        ws.cell(row, n, note or None)
    _box(ws, 5, row, n)
    _widths(ws, (7, 8, 11, *([3.6] * ndays), 12))
    ws.freeze_panes = "D5"
    ws.page_setup.orientation = "landscape"
    _save(wb, folder / f"{_cn_month(month)}考勤表.xlsx")


def _incident_project(ref: object, month: str) -> str | None:
    if ref is None:
        return None
    if isinstance(ref, int):
        year, mon, _, _ = _month_bounds(month)
        return f"GC-{year % 100:02d}{mon:02d}-{ref:02d}"
    return str(ref)


def write_rewards(folder: Path, month: str, projects: list[Project], incidents: Iterable[dict]) -> None:
    """月度奖惩及培训.xlsx: 带薪培训, 其他奖惩, 事故投诉 on three sheets."""
    year, mon, _, last = _month_bounds(month)
    active = {w.wid for w in roster_for(month)}
    template = month == TEMPLATE_MONTH
    wb = _new_workbook()

    ws = wb.create_sheet("带薪培训")            # no title row: header on row 1
    headers = ["工号", "姓名", "培训类型", "培训内容", "日期", "培训天数"]
    _header(ws, 1, headers, 22)
    row = 1
    for wid, kind, what, day, days in TRAINING:
        if wid not in active or (not template and wid == 1013):
            continue
        row += 1
        ws.cell(row, 1, wid).alignment = CENTER
        ws.cell(row, 2, WORKER[wid].name).alignment = CENTER
        ws.cell(row, 3, kind).alignment = CENTER
        ws.cell(row, 4, what)
        _date_cell(ws, row, 5, date(year, mon, min(day, last.day)), "yyyy-mm-dd")
        ws.cell(row, 6, days).alignment = CENTER
    _box(ws, 2, row, len(headers))
    _widths(ws, (8, 9, 11, 30, 12, 9))

    ws = wb.create_sheet("其他奖惩")
    headers = ["序号", "工号", "姓名", "类别", "金额", "说明"]
    _title(ws, 1, f"{_cn_month(month)}其他奖惩明细", len(headers), 14)
    _header(ws, 2, headers, 22)
    row = 2
    for wid, cat, amount, note in ADJUSTMENTS:
        if wid not in active:
            continue
        row += 1
        ws.cell(row, 1, row - 2).alignment = CENTER
        ws.cell(row, 2, wid).alignment = CENTER
        ws.cell(row, 3, WORKER[wid].name).alignment = CENTER
        ws.cell(row, 4, cat).alignment = CENTER
        if amount is not None:
            ws.cell(row, 5, amount).number_format = MONEY_FMT
        ws.cell(row, 6, note)
    _box(ws, 3, row, len(headers))
    _widths(ws, (6, 8, 9, 12, 11, 44))

    ws = wb.create_sheet("事故投诉")
    headers = ["日期", "类型", "工程编号", "工号", "说明", "处理结果"]
    _title(ws, 1, f"{_cn_month(month)}安全事故及质量投诉登记", len(headers), 14)
    _header(ws, 2, headers, 22)
    row = 2
    for inc in incidents:
        row += 1
        d = inc["date"]
        d = date.fromisoformat(d) if isinstance(d, str) else d
        _date_cell(ws, row, 1, d, "yyyy-mm-dd")
        ws.cell(row, 2, inc["type"]).alignment = CENTER
        ws.cell(row, 3, _incident_project(inc.get("project"), month))
        if inc.get("worker") is not None:
            ws.cell(row, 4, inc["worker"]).alignment = CENTER
        ws.cell(row, 5, inc.get("note"))
        ws.cell(row, 6, inc.get("result", "已处理"))
    if row > 2:
        _box(ws, 3, row, len(headers))
    _widths(ws, (12, 10, 14, 8, 44, 12))
    _save(wb, folder / "月度奖惩及培训.xlsx")


def make_month(folder: Path | str, month: str = TEMPLATE_MONTH, seed: int = DEFAULT_SEED,
               incidents: Sequence[dict] | None = None) -> list[Path]:
    """Write one month folder of workbooks; returns the files written.

    ``incidents`` are dicts with ``date`` (date or ISO text), ``type`` (安全事故/质量投诉),
    optional ``project`` (the NN slot as int, or a full 工程编号), ``worker`` (工号),
    ``note`` and ``result``.  ``None`` takes the default (a quality complaint in 2026-11).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if incidents is None:
        incidents = DEFAULT_INCIDENTS.get(month, [])
    projects, extra = plan_month(month, seed)
    write_roster(folder, month)
    write_settlement_forms(folder, month, projects)
    write_settlement_list(folder, month, projects)
    write_approval(folder, month, projects)
    write_attendance(folder, month, extra)
    write_rewards(folder, month, projects, incidents)
    return sorted(folder.glob("*.xlsx"))


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="生成一个月的示例输入工作簿（kfbonus input_samples）")
    ap.add_argument("--month", default=TEMPLATE_MONTH, help="月份，如 2026-11")
    ap.add_argument("--out", default=None, help="输出文件夹（默认 input_samples/<月份>）")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = ap.parse_args(argv)
    out = Path(args.out) if args.out else Path(__file__).resolve().parent / args.month
    for path in make_month(out, args.month, args.seed):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
