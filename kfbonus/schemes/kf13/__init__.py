"""FS-MS-KF-13 A/2 客户服务部工程施工安装人员综合激励方案 (SCHEME.md) as a scheme unit."""

from __future__ import annotations

from pathlib import Path

from kfbonus.schemes.base import Presentation, Run, Scheme
from kfbonus.schemes.kf13.checks import CHECKS
from kfbonus.schemes.kf13.model import Award
from kfbonus.schemes.kf13.params import ID, PAIRS, RULES_DIR, SPEC
from kfbonus.schemes.kf13.params import show as kf13_show
from kfbonus.schemes.kf13.tables import TABLES

__all__ = ["SCHEME"]


def _compute(month, params, run: Run):
    from kfbonus.schemes.kf13.compute import compute_month

    result = compute_month(month, params, run.assess_date, run.period)
    return result


def _write_workbook(result, views, checks, path: Path, generated_at) -> Path:
    from kfbonus.schemes.kf13.workbook import write_approval_workbook

    return write_approval_workbook(result, views, checks, path, generated_at)


def _plain_text(line) -> str:
    from kfbonus.schemes.kf13.plain import plain_text

    return plain_text(line)


def _bases(result) -> dict:
    from kfbonus.schemes.kf13.basis import bases

    return bases(result)


def _project_checks(result) -> list:
    from kfbonus.schemes.kf13.reconcile import project_checks

    return project_checks(result)


def _year_end(ledger, month, params, run: Run, include_drafts: bool = False, folder: object = ""):
    from kfbonus.schemes.kf13.annual import year_end

    return year_end(ledger, month, params, run, include_drafts=include_drafts, folder=folder)


SCHEME = Scheme(
    id=ID,
    name="客户服务部工程施工安装人员综合激励方案",
    tables=TABLES,
    present_when=("settlement", "application", "scores", "nomination", "attendance", "training"),
    requires=(),
    awards=tuple(Award),
    rules_dir=RULES_DIR,
    param_checks=SPEC,
    param_pairs=PAIRS,
    show_value=kf13_show,
    year_end=_year_end,
    checks=CHECKS,
    compute=_compute,
    presentation=Presentation(
        title="综合激励审批汇总表",
        what="综合激励",
        signers=(("编制", "客户服务部核算员"), ("审核", "客户服务部经理"), ("批准", "光热事业部总经理")),
        sign_clause="FS-MS-KF-13 §4",
        correction_title="客户服务部工程施工安装人员综合激励更正单",
        folder=lambda period: period,
        write_workbook=_write_workbook,
        plain_text=_plain_text,
        checks=_project_checks,
        basis=_bases,
        slip_title="工程施工安装人员综合激励明细单",
        year_end_slip_title="年度安全、质量奖明细单",
    ),
)
