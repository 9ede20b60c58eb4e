"""Which schemes a folder holds, and which rows each one sees (kfbonus/scoping.py).

A toy second scheme (built here, not registered) claims the 岗位 售后客服 and has a table of
its own; FS-MS-KF-13 is the real one.  Workbooks are written in the test.
"""

from __future__ import annotations

from pathlib import Path

from kfbonus.reader import read_month
from kfbonus.schema import COMMON, Field, Kind, Table
from kfbonus.schemes.base import Presentation, Scheme
from kfbonus.schemes.kf13 import SCHEME as KF13
from kfbonus.scoping import owners, schemes_present, scoped
from tests.helpers import write_xlsx

VISITS = Table("visit", "回访记录", (Field("worker_id", "工号", Kind.ID, True),
                                     Field("visits", "回访次数", Kind.NUMBER, True)))
TOY = Scheme(
    id="TOY", name="回访奖", tables=(VISITS,), present_when=("visit",), requires=("visit",), awards=(),
    rules_dir=Path("."), param_checks={}, compute=lambda *a: None, posts=frozenset({"售后客服"}),
    reads=("attendance",),
    presentation=Presentation(title="回访奖审批表", what="回访奖", signers=(), folder=lambda p: f"{p}_回访",
                              write_workbook=lambda *a: Path(".")),
)
SCHEMES = (KF13, TOY)
TABLES = (*COMMON, *KF13.tables, VISITS)

ROSTER = [["工号", "姓名", "入职日期", "岗位", "班组"],
          ["1001", "张三", "2020-01-01", "安装工", "安装一组"],
          ["1002", "李四", "2021-01-01", "安装工", "安装一组"],
          ["2001", "陈客服", "2022-01-01", "售后客服", "售后组"],
          ["2002", "林客服", "2022-05-01", " 售后客服 ", "售后组"]]
SETTLE = [["工程编号", "工号", "个人工期天数", "计件工资"], ["GC-1", "1001", 10, 1000],
          ["GC-1", "2001", 5, 500]]
ATTEND = [["工号", "应出勤天数", "实出勤天数"], ["1001", 22, 22], ["2001", 22, 20]]
ADJUST = [["工号", "班组", "类别", "金额"], ["1002", None, "创新奖", None], ["2002", None, "创新奖", None],
          [None, "售后组", "优秀团队奖", None], [None, "安装一组", "优秀团队奖", None]]
VISIT = [["工号", "回访次数"], ["2001", 30], ["2002", 12]]


def _month(tmp_path, **sheets):
    write_xlsx(tmp_path / "名册.xlsx", {"花名册": ROSTER})
    write_xlsx(tmp_path / "本月.xlsx", sheets)
    return read_month(tmp_path, "2026-11", tables=TABLES)


def _ids(df) -> list[str]:
    return [w for w in df["worker_id"]]


def test_each_worker_belongs_to_the_scheme_of_their_post(tmp_path):
    month = _month(tmp_path, 结算=SETTLE)
    assert owners(month, SCHEMES) == {"1001": "FS-MS-KF-13", "1002": "FS-MS-KF-13",
                                      "2001": "TOY", "2002": "TOY"}


def test_a_scheme_sees_its_own_workers_rows_and_warns_of_the_rest(tmp_path):
    month = _month(tmp_path, 结算=SETTLE, 考勤=ATTEND, 奖惩=ADJUST, 回访=VISIT)
    kf13, left_out = scoped(month, KF13, SCHEMES)
    assert _ids(kf13.tables["roster"]) == ["1001", "1002"]
    assert _ids(kf13.tables["settlement"]) == ["1001"]
    assert _ids(kf13.tables["attendance"]) == ["1001"]
    assert list(kf13.tables["adjustment"]["team"]) == [None, "安装一组"]
    assert len(kf13.tables["visit"]) == 0
    # a 售后客服 on a settlement line: left out of FS-MS-KF-13, said on the cell; their
    # attendance row is not (the toy scheme reads 考勤 itself)
    [p] = left_out
    assert (p.code, p.source.sheet, p.source.row, p.source.col) == ("worker-other-scheme", "结算", 3, "B")
    assert "2001" in p.message and "TOY" in p.message

    toy, left_out = scoped(month, TOY, SCHEMES)
    assert left_out == []
    assert _ids(toy.tables["roster"]) == ["2001", "2002"]
    assert _ids(toy.tables["attendance"]) == ["2001"]
    assert _ids(toy.tables["visit"]) == ["2001", "2002"]
    assert len(toy.tables["settlement"]) == 0
    assert list(toy.tables["adjustment"]["worker_id"]) == ["2002", None]
    assert list(toy.tables["adjustment"]["team"]) == [None, "售后组"]


def test_a_folder_runs_the_schemes_whose_tables_it_holds(tmp_path):
    month = _month(tmp_path, 结算=SETTLE, 回访=VISIT)
    present, problems = schemes_present(month, SCHEMES)
    assert ([s.id for s in present], problems) == (["FS-MS-KF-13", "TOY"], [])
    present, problems = schemes_present(month, SCHEMES, only="TOY")
    assert ([s.id for s in present], problems) == (["TOY"], [])


def test_a_folder_with_no_schemes_tables_says_which_were_expected(tmp_path):
    month = _month(tmp_path, 奖惩=ADJUST)
    present, [p] = schemes_present(month, SCHEMES)
    assert present == [] and p.code == "no-scheme-tables" and p.is_error
    assert "计件工资结算单" in p.message and "回访记录" in p.message


def test_a_scheme_missing_a_table_it_requires_is_an_error(tmp_path):
    two = Table("visit_plan", "回访计划", (Field("worker_id", "工号", Kind.ID, True),
                                           Field("planned", "计划次数", Kind.NUMBER, True)))
    needy = Scheme(**{**TOY.__dict__, "tables": (VISITS, two), "requires": ("visit", "visit_plan")})
    write_xlsx(tmp_path / "名册.xlsx", {"花名册": ROSTER})
    write_xlsx(tmp_path / "本月.xlsx", {"回访": VISIT})
    month = read_month(tmp_path, "2026-11", tables=(*COMMON, *KF13.tables, VISITS, two))
    present, [p] = schemes_present(month, (KF13, needy))
    assert [s.id for s in present] == ["TOY"]
    assert (p.code, p.is_error) == ("scheme-table-missing", True)
    assert "回访记录" in p.message and "回访计划" in p.message


def test_a_schemes_own_checks_are_reported_beside_unreadable_cells(tmp_path, capsys):
    """One pass shows every problem: a cell that cannot be read and FS-MS-KF-13's own check
    (a second application row of a project) come out of the same --check."""
    from kfbonus import cli

    write_xlsx(tmp_path / "名册.xlsx", {"花名册": ROSTER})
    write_xlsx(tmp_path / "本月.xlsx", {
        "结算": [["工程编号", "工号", "个人工期天数", "计件工资"], ["GC-1", "1001", 10, "一千"]],
        "申报": [["工程编号", "集体激励比例"], ["GC-1", "15%"], ["GC-1", "12%"]]})
    code = cli.main(["2026-11", "--input", str(tmp_path), "--output", str(tmp_path / "out"), "--check"])
    out = capsys.readouterr().out
    assert code == 1
    assert "duplicate-application" in out and "结算!D2" in out, out
