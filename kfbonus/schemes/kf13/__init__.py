"""FS-MS-KF-13 A/2 客户服务部工程施工安装人员综合激励方案 (SCHEME.md) as a scheme unit."""

from __future__ import annotations

from pathlib import Path

from kfbonus.model import Award
from kfbonus.schema import APPLICATION, ATTENDANCE, INCIDENT, NOMINATION, SCORES, SETTLEMENT, TRAINING
from kfbonus.schemes.base import Presentation, Run, Scheme

__all__ = ["SCHEME"]

ID = "FS-MS-KF-13"


def _compute(month, params, run: Run):
    from kfbonus.compute import compute_month

    result = compute_month(month, params, run.assess_date, run.period)
    return result


def _write_workbook(result, views, checks, path: Path, generated_at) -> Path:
    from kfbonus.render.workbook import write_approval_workbook

    return write_approval_workbook(result, views, checks, path, generated_at)


def _plain_text(line) -> str:
    from kfbonus.render.plain import plain_text

    return plain_text(line)


def _project_checks(result) -> list:
    from kfbonus.schemes.kf13.reconcile import project_checks

    return project_checks(result)


def _checks():
    from kfbonus.rules import SPEC

    return SPEC


SCHEME = Scheme(
    id=ID,
    name="客户服务部工程施工安装人员综合激励方案",
    tables=(SETTLEMENT, APPLICATION, SCORES, NOMINATION, ATTENDANCE, TRAINING, INCIDENT),
    present_when=("settlement", "application", "scores", "nomination", "attendance", "training"),
    requires=(),
    awards=tuple(Award),
    rules_dir=Path(__file__).resolve().parents[2] / "rules",
    param_checks=_checks(),
    compute=_compute,
    presentation=Presentation(
        title="综合激励审批汇总表",
        what="综合激励",
        signers=("核算员", "部门经理", "事业部总经理"),
        folder=lambda period: period,
        write_workbook=_write_workbook,
        plain_text=_plain_text,
        checks=_project_checks,
        slip_title="工程施工安装人员综合激励明细单",
        year_end_slip_title="年度安全、质量奖明细单",
    ),
)
