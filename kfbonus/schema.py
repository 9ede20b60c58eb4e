"""What a table of a month folder is (INPUTS.md): fields, headers, aliases, value kinds,
and the tables every scheme shares.

This is the contract between the reader and everything after it: the reader
turns every table it finds into a :class:`~kfbonus.model.Columns` whose columns are the ``name`` of
these fields (plus ``src``, the :class:`~kfbonus.problems.RowRef` of the row).
Values are already typed: ``Decimal`` for numbers and money, fractions as
``Decimal`` for ratios and percentages (15% → 0.15), ``datetime.date`` for
dates, ``bool`` for yes/no, ``tuple[str, ...]`` for skills, ``str`` otherwise;
``None`` where the cell is blank.
"""

from __future__ import annotations

from dataclasses import dataclass, field, make_dataclass
from enum import StrEnum
from functools import cache

__all__ = ["ADJUSTMENT", "COMMON", "ROSTER", "Field", "Kind", "Table"]


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
    SKILLS = "skills"    # several, split on 、,，/; and spaces
    MONEY_OR_PERCENT = "money_or_percent"   # 扣款 金额: money, or a share of the month's 计件工资 (5%)
    DISCOUNT = "discount"  # 折扣 as a fraction in (0, 1]: 0.85 / 85 / 85% / 8.5折 / 85折


@dataclass(frozen=True)
class Field:
    name: str             # identifier used in code and as the column's name
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
    keys: tuple[str, ...] = ()        # the fields choosing one row (--compare-input); () not changeable
    nicknames: tuple[str, ...] = ()   # short names people use for it (结算单, 申报 …)
    added_if_in: tuple[str, str] | None = None   # what-if may add a row whose key is in (table kind, field)
    any_of: tuple[str, ...] = ()   # besides the required fields, at least one of these (提货额 or 销售额)

    @property
    def row_type(self) -> type:
        """A frozen dataclass for one row of this table: a typed attribute per field (None
        where the cell is blank) and ``src``, the row's place (kfbonus.problems.RowRef)."""
        return _row_type(self)

    @property
    def required(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.required)

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)


_TYPES = {Kind.ID: "str | None", Kind.TEXT: "str | None", Kind.NUMBER: "Decimal | None",
          Kind.MONEY: "Decimal | None", Kind.RATIO: "Decimal | None", Kind.PERCENT: "Decimal | None",
          Kind.DATE: "datetime.date | None", Kind.BOOL: "bool | None", Kind.SKILLS: "tuple[str, ...] | None",
          Kind.MONEY_OR_PERCENT: "Decimal | Percentage | None"}


@cache
def _row_type(table: Table) -> type:
    fields = [(f.name, _TYPES.get(f.kind, "object"), field(default=None)) for f in table.fields]
    fields.append(("src", "RowRef", field(default=None)))
    name = "".join(part.title() for part in table.kind.split("_")) + "Row"
    return make_dataclass(name, fields, frozen=True, slots=True)


F = Field
K = Kind

ROSTER = Table("roster", "人员名册", keys=("worker_id",), nicknames=("花名册", "名册"), fields=(
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


ADJUSTMENT = Table("adjustment", "其他奖惩", keys=("worker_id",), nicknames=("奖惩",), fields=(
    F("worker_id", "工号", K.ID, True, unless="team"),
    F("category", "类别", K.TEXT, True),
    F("amount", "金额", K.MONEY_OR_PERCENT),
    F("note", "说明", K.TEXT),
    F("name", "姓名", K.TEXT),
    F("team", "班组", K.TEXT, False, ("施工组",)),   # a team award (优秀团队奖) names the 班组 instead
))


COMMON: tuple[Table, ...] = (ROSTER, ADJUSTMENT)
"""The tables every scheme reads (INPUTS.md): the roster and 其他奖惩.  Each scheme's own
tables are in its package (``kfbonus/schemes/<scheme>/tables.py``)."""
