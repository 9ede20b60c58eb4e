"""单项工程个人奖 (FS-MS-KF-13 §壹(一); SCHEME.md §1).

Per key project with an individual rate r: pool = round(r × 计件工资总额); paid to the
qualifying nominees, either their 申报金额 or the pool split equally (largest remainder);
then each worker's month is capped at individual.cap_per_month, projects in 工程编号 order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from kfbonus.exclusions import in_probation
from kfbonus.model import AwardLine
from kfbonus.money import ZERO, allocate, fmt_money, round_money
from kfbonus.schemes.kf13.awards.collective import piece_total
from kfbonus.schemes.kf13.common import (
    Context,
    Row,
    exact_div,
    fmt_exact,
    fmt_percent,
    row_source,
)
from kfbonus.schemes.kf13.model import Award

__all__ = ["NOMINATIONS", "IndividualFigures", "compute_individual", "failed_conditions", "individual_pool"]

CLAUSE = "FS-MS-KF-13 §壹(一)"
NOMINATIONS = "nominations"   # checks.py's key for a project whose nominations cannot be paid as given


@dataclass
class IndividualFigures:
    ratio: Decimal | None = None
    pool: Decimal | None = None
    paid: Decimal = ZERO
    sources: list = field(default_factory=list)


def individual_pool(ratio: Decimal, settle: list[Row]) -> tuple[Decimal, Decimal]:
    """The project's exact pool 个人激励比例 × 计件工资总额, and the pool rounded."""
    exact = ratio * piece_total(settle)
    return exact, round_money(exact)


def failed_conditions(ctx: Context, nom: Row, pid: str, settled: set[str]) -> list[str]:
    """Why a nominee does not qualify (empty when they do)."""
    p = ctx.params
    wid = nom.worker_id
    failed: list[str] = []
    excluded = ctx.excluded_for("individual", wid)
    if excluded:
        failed.append(excluded)
    required = p["individual.required_rating"]
    rating = (nom.rating or "").strip()
    if rating != required:
        failed.append(f"考评结果为{rating or '空白'}，非{required}")
    if wid not in settled:
        failed.append(f"在工程 {pid} 的计件工资结算单中没有本人的结算行")
    worker = ctx.data.roster.get(wid)
    if worker is not None:
        special = p["individual.special_skills"]
        skills = [s for s in (worker.skills or ()) if s in special]  # type: ignore[operator]
        probation = in_probation(worker, p, ctx.assess_date)
        years = ctx.years.get(wid)
        min_years = p["individual.min_service_years"]
        by_skill = bool(skills) and probation is None
        by_years = years is not None and years >= min_years  # type: ignore[operator]
        if not (by_skill or by_years):
            if skills:
                skill_text = f"有特殊技能（{'、'.join(skills)}）但仍在试用期"
            elif worker.skills:   # skills written, none of the list: say which, 电焊 is not 焊工
                skill_text = (f"所填技能「{'、'.join(worker.skills)}」不是特殊技能"  # type: ignore[arg-type]
                              f"（{'、'.join(special)}）")  # type: ignore[arg-type]
            elif _no_skills_column(worker):
                skill_text = f"人员名册没有特殊技能列，无从按特殊技能（{'、'.join(special)}）判断"  # type: ignore[arg-type]
            else:
                skill_text = f"无特殊技能（{'、'.join(special)}）"  # type: ignore[arg-type]
            years_text = "入职日期空白" if years is None else f"连续工龄 {years} 年"
            failed.append(f"{skill_text}，且{years_text}不满 {min_years} 年")
    return failed


def _no_skills_column(worker) -> bool:
    """The worker's roster sheet has no 特殊技能 column (nor label): nobody's skills are known."""
    table = worker.src.table if worker.src is not None else None
    return table is not None and "skills" not in table.columns and "skills" not in table.labels


def compute_individual(ctx: Context) -> tuple[list[AwardLine], dict[str, IndividualFigures]]:
    """Every nominee's individual-award line and each project's pool figures (the projects
    :mod:`kfbonus.schemes.kf13.checks` found computable)."""
    p = ctx.params
    data = ctx.data
    cap: Decimal = p["individual.cap_per_month"]  # type: ignore[assignment]
    lines: list[AwardLine] = []
    figures: dict[str, IndividualFigures] = {}
    paid_so_far: dict[str, Decimal] = {}

    held = ctx.shared   # the same reasons and refused amounts on many nominees' lines
    projects = sorted(set(data.nominations) | {
        pid for pid, a in data.application.items() if a.individual_ratio is not None})
    for pid in projects:
        app = data.application.get(pid)
        noms = data.nominations.get(pid, [])
        settle = data.settlement.get(pid, [])
        pname = next((r.project_name for r in settle if r.project_name), None)

        def zero_line(nom: Row, reason: str, unpaid: Decimal = ZERO, formula: str = "",
                      _pid: str = pid, _pname: str | None = pname) -> AwardLine:
            return AwardLine(
                nom.worker_id, ctx.name(nom.worker_id, nom.name), Award.INDIVIDUAL, ZERO,
                held(formula or "不予发放"), CLAUSE, (row_source(nom), *ctx.roster_source(nom.worker_id)),
                _pid, _pname, held(round_money(unpaid)), held(reason))

        ratio = app.individual_ratio if app is not None else None
        if ratio is None:
            for nom in noms:   # checks.py warns: no individual award on this project
                lines.append(zero_line(nom, f"工程 {pid} 未申报个人奖（无个人激励比例）",
                                       nom.declared_amount or ZERO))
            continue
        if ctx.blocked((Award.INDIVIDUAL, pid)) or not settle:
            continue  # reported by checks.py (no settlement: application-without-settlement)
        exact_pool, pool = individual_pool(ratio, settle)
        pool_text = (f"个人激励比例 {fmt_percent(ratio)} × 计件工资总额 {fmt_money(piece_total(settle))} = "
                     f"{fmt_exact(exact_pool)} → 个人奖池 {fmt_money(pool)}")
        fig = IndividualFigures(ratio=ratio, pool=pool)
        figures[pid] = fig
        pool_sources = (app.src.cell("key_project"), app.src.cell("individual_ratio"),
                        *(row_source(r) for r in settle))
        if ctx.blocked((NOMINATIONS, pid)):
            continue  # duplicate, mixed or over-pool nominations: reported by checks.py
        declared = [n for n in noms if n.declared_amount is not None]
        settled = {r.worker_id for r in settle}
        failed = {}
        for nom in noms:
            why = failed_conditions(ctx, nom, pid, settled)
            if why:   # checks.py warns (nominee-not-qualified)
                failed[nom.worker_id] = "；".join(why)
        qualifying = sorted((n for n in noms if n.worker_id not in failed), key=lambda n: n.worker_id)

        shares: dict[str, tuple[Decimal, str]] = {}
        split: dict[str, object] = {"pool": pool}
        if declared:
            split["declared"] = True
            for n in qualifying:
                amount = round_money(n.declared_amount)
                shares[n.worker_id] = (amount, f"{pool_text}；申报金额 {fmt_money(amount)}")
        elif qualifying:
            split["split"] = len(qualifying)
            count = len(qualifying)
            exact = exact_div(pool, Decimal(count))
            parts = allocate([exact] * count, [n.worker_id for n in qualifying], target=pool)
            for n, part in zip(qualifying, parts, strict=True):
                shares[n.worker_id] = (part, f"{pool_text}；个人奖池 {fmt_money(pool)} ÷ 合格人数 {count} = "
                                             f"{fmt_exact(exact)} → {fmt_money(part)}（最大余数法）")

        for nom in noms:
            wid = nom.worker_id
            sources = (row_source(nom), nom.src.cell("declared_amount"), *pool_sources,
                       *ctx.roster_source(wid))
            if wid in failed:
                lines.append(AwardLine(
                    wid, ctx.name(wid, nom.name), Award.INDIVIDUAL, ZERO,
                    held(f"{pool_text}；不符合条件，不予发放"),
                    CLAUSE, sources, pid, pname, held(round_money(nom.declared_amount or ZERO)),
                    held(failed[wid]),
                    facts={"pool": pool, "not_qualified": True}))
                continue
            share, formula = shares[wid]
            before = paid_so_far.get(wid, ZERO)
            room = max(cap - before, ZERO)
            paid = min(share, room)
            unpaid = share - paid
            reason = ""
            if unpaid:
                reason = f"超出封顶：本月个人奖已达 {fmt_money(cap)}"
                formula += (f"；每月封顶 {fmt_money(cap)}，此前已得 {fmt_money(before)}，"
                            f"本项实发 {fmt_money(paid)}，超出 {fmt_money(unpaid)} 不发")
            paid_so_far[wid] = before + paid
            fig.paid += paid
            facts = {**split, "share": share}
            if unpaid:
                facts.update(cap=cap, before=before)
            lines.append(AwardLine(
                wid, ctx.name(wid, nom.name), Award.INDIVIDUAL, paid, formula,
                f"{CLAUSE}3(1)" if unpaid else CLAUSE, sources, pid, pname, unpaid, reason, facts=facts))
        fig.sources = list(pool_sources)
    return lines, figures
