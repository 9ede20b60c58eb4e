"""A slip line of FS-MS-KF-13 in plain words (明细单的白话说明), for workers who read little.

:func:`plain_text` builds one short sentence from a line's structured figures
(:attr:`~kfbonus.model.AwardLine.facts`, filled by each award module), e.g.::

    工程集体奖池 3,446.77 元，你干 14 天（个人百分比 110%），全组共 89 人·天 → 596.41 元

Amounts always with two decimals, no jargon (最大余数法, 个人工期天数之和), nothing meant
for the accountant (how a deduction was typed).  A line without facts (read back from
the ledger, or the year-end awards) falls back to its cleaned formula
(:func:`kfbonus.render.plain.fine_print`).
"""

from __future__ import annotations

from decimal import Decimal

from kfbonus.model import AwardLine
from kfbonus.money import fmt_money
from kfbonus.render.plain import fine_print
from kfbonus.rules import fmt_number, fmt_percent
from kfbonus.schemes.kf13.model import Award

__all__ = ["plain_text"]

HUNDRED_PERCENT = Decimal(1)


def _yuan(value: object) -> str:
    return f"{fmt_money(Decimal(str(value)))} 元"


def _n(value: object) -> str:
    return fmt_number(Decimal(str(value)))


def plain_text(line: AwardLine) -> str:
    """One short sentence saying what the line pays and how (see the module docstring)."""
    f = line.facts
    due = line.amount + line.unpaid      # what the line comes to before any refusal
    if line.award in (Award.ANNUAL_SAFETY, Award.ANNUAL_QUALITY):
        text = f"{line.award.label} {_yuan(due)}"
        if "÷ 12" in line.formula:
            text += "（按全年工作月数折算）"
        return text + ("，本年不发" if line.amount == 0 and line.unpaid else "")
    if not f:
        return fine_print(line)
    try:
        if line.award is Award.COLLECTIVE:
            return _collective(f, due)
        if line.award is Award.INDIVIDUAL:
            return _individual(f, line, due)
        if line.award is Award.TRAINING:
            return f"培训 {_n(f['days'])} 天，每天 {_yuan(f['rate'])} → {_yuan(due)}"
        if line.award is Award.SENIORITY:
            return _seniority(f, due)
        if line.award is Award.ADJUSTMENT:
            return _adjustment(f, line, due)
    except (KeyError, TypeError, ArithmeticError):
        pass
    return fine_print(line)


def _collective(f, due: Decimal) -> str:
    pct = f.get("percent")
    you = f"你干 {_n(f['days'])} 天"
    if pct is not None and pct != HUNDRED_PERCENT:
        you += f"（分配比例 {fmt_percent(pct)}）"
    if f.get("days_mode") == "person_days":
        crew = f"全组共 {_n(f['total_days'])} 人·天"
    else:
        crew = f"工程总工期 {_n(f['total_days'])} 天"
    return f"工程集体奖池 {_yuan(f['pool'])}，{you}，{crew} → {_yuan(due)}"


def _individual(f, line: AwardLine, due: Decimal) -> str:
    pool = f"本工程个人奖池 {_yuan(f['pool'])}"
    if f.get("not_qualified"):
        return f"{pool}；你的提名不符合条件，本项不发"
    if f.get("declared"):
        text = f"{pool}，按申报给你 {_yuan(f['share'])}"
    elif f.get("split"):
        text = f"{pool}，{f['split']} 人平分，你分得 {_yuan(f['share'])}"
    else:
        text = f"{pool}，你分得 {_yuan(f['share'])}"
    if "cap" in f:
        text += (f"；每人每月个人奖最多 {_yuan(f['cap'])}，之前已得 {_yuan(f['before'])}，"
                 f"本项发 {_yuan(line.amount)}，多出的 {_yuan(line.unpaid)} 不发")
    return text


def _seniority(f, due: Decimal) -> str:
    years = f.get("years")
    if years is None:
        return "入职日期没有填写，算不出工龄，本月没有工龄奖"
    if f.get("no_attendance"):
        return f"工龄 {years} 年；没有你本月的考勤记录，本月不计工龄奖"
    if "tier" not in f:
        return f"工龄 {years} 年，不满 {f['first_tier']} 年，本月没有工龄奖"
    tier = f"工龄 {years} 年，每月工龄奖 {_yuan(f['tier'])}"
    if not f.get("due"):
        return f"{tier}；本月应出勤天数为 0，不计工龄奖"
    text = f"{tier}，本月应出勤 {_n(f['due'])} 天，你出勤 {_n(f['present'])} 天 → {_yuan(due)}"
    if f.get("absent"):
        text += f"；旷工 {_n(f['absent'])} 天，本月工龄奖取消"
    return text


def _adjustment(f, line: AwardLine, due: Decimal) -> str:
    note = f"（{f['note']}）" if f.get("note") else ""
    if f.get("team"):
        verb = "扣" if f.get("deduction") else "发"
        return (f"{line.category}{note}：{f['team']}共{verb} {_yuan(f['whole'])}，{f['split']} 人平分，"
                f"你{'扣' if f.get('deduction') else '得'} {_yuan(abs(due))}")
    if f.get("deduction"):
        return f"{line.category}：扣 {_yuan(-due)}{note}"
    return f"{line.category} {_yuan(due)}{note}"
