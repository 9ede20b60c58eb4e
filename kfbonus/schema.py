"""The tables of a month folder (INPUTS.md): fields, headers, aliases, value kinds.

This is the contract between the reader and everything after it: the reader
turns every table it finds into a DataFrame whose columns are the ``name`` of
these fields (plus ``src``, the :class:`~kfbonus.problems.RowRef` of the row).
Values are already typed: ``Decimal`` for numbers and money, fractions as
``Decimal`` for ratios and percentages (15% → 0.15), ``datetime.date`` for
dates, ``bool`` for yes/no, ``tuple[str, ...]`` for skills, ``str`` otherwise;
``None`` where the cell is blank.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["COMMON", "Kind", "Field", "Table", "TABLES", "TABLE_BY_KIND"]


class Kind(StrEnum):
    """How a cell's text becomes a value (kfbonus.values)."""

    ID = "id"            # trimmed text; numbers without '.0'
    TEXT = "text"
    NUMBER = "number"    # Decimal: days, scores
    MONEY = "money"      # Decimal, 2 decimals expected
    RATIO = "ratio"      # award ratio: >1 is a percentage (15 = 15%)
    PERCENT = "percent"  # 个人百分比: ≤5 is a fraction (1.1 = 110%), >5 a percentage
    DATE = "date"
    BOOL = "bool"        # 是/否, √/×, Y/N, 1/0
    SKILLS = "skills"    # several, split on 、,，/;
    MONEY_OR_PERCENT = "money_or_percent"   # 扣款 金额: money, or a share of the month's 计件工资 (5%)
    DISCOUNT = "discount"  # 折扣 as a fraction in (0, 1]: 0.85 / 85 / 85% / 8.5折 / 85折


@dataclass(frozen=True)
class Field:
    name: str             # identifier used in code and DataFrames
    header: str           # the canonical Chinese header
    kind: Kind
    required: bool = False
    aliases: tuple[str, ...] = ()
    unless: str | None = None   # a required cell may be blank when this other field is given (工号 / 班组)

    @property
    def headers(self) -> tuple[str, ...]:
        return (self.header, *self.aliases)


@dataclass(frozen=True)
class Table:
    kind: str             # identifier: roster, settlement, …
    title: str            # Chinese name shown to users
    fields: tuple[Field, ...]
    any_of: tuple[str, ...] = ()   # besides the required fields, at least one of these (提货额 or 销售额)

    @property
    def required(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.required)

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)


F = Field
K = Kind

ROSTER = Table("roster", "人员名册", (
    F("worker_id", "工号", K.ID, True, ("员工编号", "编号")),
    F("name", "姓名", K.TEXT, True),
    F("hire_date", "入职日期", K.DATE, True, ("进厂日期", "入厂日期")),
    F("regular_date", "转正日期", K.DATE, False, ("试用期满日期",)),
    F("employment_type", "用工类型", K.TEXT, False, ("员工类型", "用工性质")),
    F("position", "岗位", K.TEXT, False, ("职务",)),
    F("team", "班组", K.TEXT, False, ("施工组",)),
    F("skills", "特殊技能", K.SKILLS, False, ("技能", "特种作业")),
    F("leave_date", "离职日期", K.DATE),
))

SETTLEMENT = Table("settlement", "计件工资结算单", (
    F("project_id", "工程编号", K.ID, True, ("项目编号", "工程号")),
    F("worker_id", "工号", K.ID, True),
    F("days", "个人工期天数", K.NUMBER, True, ("工期天数", "施工天数")),
    F("piece_wage", "计件工资", K.MONEY, True, ("计件工资金额", "应发计件工资")),
    F("name", "姓名", K.TEXT),
    F("project_name", "工程名称", K.TEXT),
    F("percent", "个人百分比", K.PERCENT, False, ("分配比例", "个人系数")),
    F("total_days", "工期总天数", K.NUMBER, False, ("总工期",)),
    F("start_date", "开工日期", K.DATE),
    F("end_date", "完工日期", K.DATE),
))

APPLICATION = Table("application", "工程激励申报", (
    F("project_id", "工程编号", K.ID, True),
    F("key_project", "重点工程", K.BOOL, False, ("特殊工程", "是否重点工程")),
    F("collective_ratio", "集体激励比例", K.RATIO, False, ("申请比例", "集体奖比例")),
    F("individual_ratio", "个人激励比例", K.RATIO, False, ("个人奖比例",)),
))

SCORES = Table("scores", "工程评分", (
    F("project_id", "工程编号", K.ID, True),
    F("safety", "安全得分", K.NUMBER, True),
    F("quality", "质量得分", K.NUMBER, True),
    F("cooperation", "沟通和配合得分", K.NUMBER, True, ("沟通配合得分", "配合得分")),
    F("discipline", "规章制度得分", K.NUMBER, True, ("制度得分",)),
))

NOMINATION = Table("nomination", "个人激励申报", (
    F("project_id", "工程编号", K.ID, True),
    F("worker_id", "工号", K.ID, True),
    F("rating", "考评结果", K.TEXT, True, ("综合评定", "评定结果")),
    F("declared_amount", "申报金额", K.MONEY),
    F("name", "姓名", K.TEXT),
))

ATTENDANCE = Table("attendance", "考勤", (
    F("worker_id", "工号", K.ID, True),
    F("due_days", "应出勤天数", K.NUMBER, True),
    F("present_days", "实出勤天数", K.NUMBER, True, ("出勤天数",)),
    F("absent_days", "旷工天数", K.NUMBER),
    F("longest_absence", "连续缺勤天数", K.NUMBER),
    F("name", "姓名", K.TEXT),
))

TRAINING = Table("training", "带薪培训", (
    F("worker_id", "工号", K.ID, True),
    F("days", "培训天数", K.NUMBER, True),
    F("training_type", "培训类型", K.TEXT),
    F("date", "日期", K.DATE),
    F("name", "姓名", K.TEXT),
))

ADJUSTMENT = Table("adjustment", "其他奖惩", (
    F("worker_id", "工号", K.ID, True, unless="team"),
    F("category", "类别", K.TEXT, True),
    F("amount", "金额", K.MONEY_OR_PERCENT),
    F("note", "说明", K.TEXT),
    F("name", "姓名", K.TEXT),
    F("team", "班组", K.TEXT, False, ("施工组",)),   # a team award (优秀团队奖) names the 班组 instead
))

INCIDENT = Table("incident", "事故投诉", (
    F("date", "日期", K.DATE, True),
    F("incident_type", "类型", K.TEXT, True),
    F("project_id", "工程编号", K.ID),
    F("worker_id", "工号", K.ID),
    F("note", "说明", K.TEXT),
))

COMMON: tuple[Table, ...] = (ROSTER, ADJUSTMENT)
"""The tables every scheme reads (INPUTS.md): the roster and 其他奖惩."""

TABLES: tuple[Table, ...] = (ROSTER, SETTLEMENT, APPLICATION, SCORES, NOMINATION,
                             ATTENDANCE, TRAINING, ADJUSTMENT, INCIDENT)
TABLE_BY_KIND = {t.kind: t for t in TABLES}
