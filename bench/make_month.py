"""Generate a big, realistic month folder (mixed shapes) for benchmarks.

``make_big_month(folder, workers=2000, lines=10000, projects=300, form_projects=40, seed=7)``
writes with xlsxwriter: a roster, settlement lines (mostly one flat list over
two sheets, plus ``form_projects`` form-style sheets, one per project, with a
label block, a 合计 row and signature lines), application, scores (flat),
nominations, a day-grid attendance, training and adjustments.  Deterministic
for a given seed.  Returns the folder.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import xlsxwriter

__all__ = ["make_big_month"]


def _write(path: Path, sheets: dict[str, list[list[object]]]) -> None:
    wb = xlsxwriter.Workbook(str(path))
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if v is None:
                    continue
                if isinstance(v, dt.date):
                    ws.write_datetime(r, c, dt.datetime(v.year, v.month, v.day), date_fmt)
                else:
                    ws.write(r, c, v)
    wb.close()


def make_big_month(folder: Path | str, workers: int = 2000, lines: int = 10000, projects: int = 300,
                   form_projects: int = 40, seed: int = 7) -> Path:
    rng = random.Random(seed)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    ids = [f"{10000 + i}" for i in range(workers)]
    names = [f"员工{i:04d}" for i in range(workers)]
    roster = [["2026年11月 人员名册"],
              ["工号", "姓名", "入职日期", "转正日期", "用工类型", "岗位", "班组", "特殊技能"]]
    for wid, name in zip(ids, names, strict=True):
        hired = dt.date(2010, 1, 1) + dt.timedelta(days=rng.randrange(5800))
        roster.append([wid, name, hired, hired + dt.timedelta(days=90), rng.choice(["正式", "试用", "外包"]),
                       rng.choice(["施工员", "施工组长"]), f"{rng.randrange(1, 30)}组",
                       rng.choice(["", "电工", "电工、焊工"])])
    _write(folder / "人员名册.xlsx", {"花名册": roster})

    pids = [f"GC-2611-{i:03d}" for i in range(projects)]
    form = set(pids[:form_projects])
    per_project: dict[str, list[int]] = {}
    for k, p in enumerate(pids):   # distinct workers per project, `lines` in all
        count = lines // projects + (1 if k < lines % projects else 0)
        per_project[p] = rng.sample(range(workers), count)
    flat_header = ["工程编号", "工程名称", "工号", "姓名", "个人工期天数", "计件工资(元)", "个人百分比",
                   "工期总天数"]
    flat: list[list[object]] = []
    forms: dict[str, list[list[object]]] = {}
    for p in pids:
        rows = []
        for w in per_project[p]:
            wage = rng.randrange(10000, 500000) / 100
            rows.append([ids[w], names[w], rng.randrange(1, 30), wage, rng.choice([1, 0.9, 100, "95%"])])
        if p in form:
            sheet = [["计件工资结算单"], [f"工程编号：{p}", None, "工程名称：", f"{p}小区"],
                     ["开工日期", "2026-11-01", "工期总天数", 30],
                     ["工号", "姓名", "个人工期天数（天）", "计件工资（元）", "个人百分比(%)"], *rows,
                     ["合计", None, sum(r[2] for r in rows), round(sum(r[3] for r in rows), 2)],
                     [], ["制表：", None, "审核：", None, "核准："]]
            forms[p] = sheet
        else:
            flat.extend([p, f"{p}小区", *r[:4], r[4], 30] for r in rows)
    half = len(flat) // 2
    _write(folder / "计件工资结算单.xlsx", {"结算1": [flat_header, *flat[:half]],
                                          "结算2": [flat_header, *flat[half:]]})
    _write(folder / "结算单(表格式).xlsx", forms)

    application = [["工程编号", "重点工程", "集体激励比例", "个人激励比例"]]
    for p in pids:
        key = rng.choice(["是", "否"])
        application.append([p, key, rng.choice(["15%", 0.1, 12]), "5%" if key == "是" else None])
    _write(folder / "工程激励申报.xlsx", {"申报": application})
    scores = [["工程编号", "安全得分", "质量得分", "沟通和配合得分", "规章制度得分"]]
    scores += [[p, *(rng.randrange(80, 101) for _ in range(4))] for p in pids]
    _write(folder / "工程评分.xlsx", {"评分": scores})
    nominations = [["工程编号", "工号", "姓名", "考评结果", "申报金额"]]
    for p in pids:
        for w in per_project[p][:3]:
            nominations.append([p, ids[w], names[w], rng.choice(["优秀", "良好", "合格"]), 200])
    _write(folder / "个人激励申报.xlsx", {"申报": nominations})

    grid = [["工号", "姓名", *range(1, 31)]]
    for wid, name in zip(ids, names, strict=True):
        marks = [("休" if d % 7 in (0, 6) else rng.choice(["√"] * 20 + ["旷", "病", "事"]))
                 for d in range(1, 31)]
        grid.append([wid, name, *marks])
    _write(folder / "考勤.xlsx", {"11月考勤": grid})
    _write(folder / "培训与奖惩.xlsx", {
        "培训": [["工号", "姓名", "培训天数", "培训类型"]]
        + [[ids[i], names[i], 2, "带薪培训"] for i in range(0, workers, 20)],
        "奖惩": [["工号", "姓名", "类别", "金额", "说明"]] + [
            [ids[i], names[i], *rng.choice([("优秀个人奖", None), ("创新奖", 300), ("扣款", 50)]), "月度奖惩"]
            for i in range(0, workers, 50)],
    })
    return folder
