"""kfbonus.render.view.sources_text: a line's places, compactly, as INPUTS.md spells a place."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kfbonus.problems import Source
from kfbonus.render.view import sources_text


def test_each_file_and_sheet_once_rows_in_runs_cells_after_them_duplicates_dropped():
    sources = [Source("计件工资结算单.xlsx", "GC-2611-01", r) for r in (6, 7, 8, 12, 7)]
    sources += [Source("工程激励审批.xlsx", "激励申报", 3, "E", "集体激励比例"),
                Source("工程激励审批.xlsx", "激励申报", 3, "G"),
                Source("工程激励审批.xlsx", "激励申报", 3, "E", "another header: still the same cell"),
                Source("工程激励审批.xlsx", "个人激励申报", 3)]
    assert sources_text(sources) == ("计件工资结算单.xlsx › GC-2611-01 第6–8、12行; "
                                     "工程激励审批.xlsx › 激励申报!E3, G3; 个人激励申报 第3行")


def test_one_place_a_sheet_is_said_as_its_place():
    """A crew member's line: their settlement row, the project's ratio cell, their roster row."""
    sources = [Source("结算.xlsx", "GC-01", 9), Source("申报.xlsx", "激励申报", 4, "E"),
               Source("名册.xlsx", "花名册", 12), Source("名册.xlsx", "离职", None),
               Source("考勤.xlsx", None, 5), Source("附表.xlsx", "列", None, "C")]
    assert sources_text(sources) == ("结算.xlsx › GC-01 第9行; 申报.xlsx › 激励申报!E4; "
                                     "名册.xlsx › 花名册 第12行; 离职; 考勤.xlsx; 附表.xlsx › 列!C列")
    assert sources_text([]) == ""


def _reference(sources: list[Source]) -> str:
    """The same text by the plain route: every sheet's distinct places through the general
    rule (whole rows in runs, then cells), none said directly."""
    from kfbonus.render.view import _cells_text
    files: dict[str, dict[str | None, dict[Source, None]]] = {}
    for s in sources:
        files.setdefault(s.file, {}).setdefault(s.sheet, {}).setdefault(s, None)
    parts = []
    for file, sheets in files.items():
        texts = [_cells_text(sheet, list(cells)) if any(c.row or c.col for c in cells) else sheet
                 for sheet, cells in sheets.items() if sheet is not None]
        parts.append(f"{file} › {'; '.join(texts)}" if texts else file)
    return "; ".join(parts)


places = st.builds(Source, st.sampled_from(["a.xlsx", "b.xlsx"]), st.sampled_from([None, "S1", "S2"]),
                   st.sampled_from([None, 1, 2, 3, 5]), st.sampled_from([None, "C", "E"]),
                   st.sampled_from([None, "计件工资"]))


@given(st.lists(places, max_size=8))
def test_any_places_read_as_the_general_rule_says(sources):
    assert sources_text(sources) == _reference(sources)
