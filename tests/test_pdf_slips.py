"""PDF slips (issue 12.6): 全部.pdf one A4 page per worker and one PDF per worker, the
Chinese font embedded; without a Chinese font, HTML only and one Chinese line.

Read back with pdftotext / pdfinfo / pdffonts (skipped when poppler is missing)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from kfbonus.money import fmt_money
from kfbonus.render.pdf import ALL_PDF, find_font, write_pdf_slips
from kfbonus.render.slips import slip_filename, slip_meta, write_slips
from kfbonus.render.view import worker_views
from kfbonus.settings import Settings, load_settings
from tests.test_slip_wording import sample_result  # noqa: F401  (fixture)

AT = dt.datetime(2026, 12, 1, 9, 0)
needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext") or not shutil.which("pdffonts"),
                                   reason="poppler-utils not installed")
needs_font = pytest.mark.skipif(find_font(load_settings().fonts) is None, reason="no Chinese font here")


def pdf_text(path: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


@pytest.fixture(scope="module")
def written(sample_result, tmp_path_factory):  # noqa: F811
    folder = tmp_path_factory.mktemp("slips")
    paths = write_slips(sample_result, worker_views(sample_result), folder, AT)
    return folder, paths, worker_views(sample_result)


@needs_font
@needs_poppler
def test_one_page_per_worker_in_all_pdf_and_one_pdf_each(written):
    folder, paths, views = written
    assert folder / ALL_PDF in paths
    assert pages(folder / ALL_PDF) == len(views)
    pdfs = sorted(p.name for p in folder.glob("*.pdf") if p.name != ALL_PDF)
    assert pdfs == sorted(slip_filename(v.worker_id, v.name).removesuffix(".html") + ".pdf" for v in views)
    every = pdf_text(folder / ALL_PDF)
    for v in views:
        assert v.name in every


@needs_font
@needs_poppler
def test_a_worker_pdf_says_what_the_html_slip_says(written):
    folder, _, views = written
    view = next(v for v in views if v.worker_id == "1001")
    path = folder / (slip_filename(view.worker_id, view.name).removesuffix(".html") + ".pdf")
    assert pages(path) == 1
    text = pdf_text(path).replace("\n", "")
    for words in (view.name, "1001", f"¥ {fmt_money(view.total)}", "本月激励合计（应发）",
                  "明细单编号 2026-11-1001", "如有疑问，请于 2026年12月10日 前向客户服务部核算员提出",
                  "签收人", "工程集体奖池 3,446.77 元", "方案 FS-MS-KF-13 A/2"):
        assert words in text, words
    assert "最大余数法" not in text and "录入为" not in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert rows and all(r[-5] == "yes" and r[-4] == "yes" for r in rows), fonts   # embedded, subset


@needs_font
def test_pdfs_are_reproducible(sample_result, tmp_path):  # noqa: F811
    views = worker_views(sample_result)[:3]
    meta = slip_meta(sample_result, AT)
    names = [slip_filename(v.worker_id, v.name) for v in views]
    a = write_pdf_slips(views, names, tmp_path / "a", meta, AT, load_settings())
    b = write_pdf_slips(views, names, tmp_path / "b", meta, AT, load_settings())
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]


def test_without_a_chinese_font_html_only_and_one_chinese_line(sample_result, tmp_path, monkeypatch):  # noqa: F811
    custom = tmp_path / "设置.toml"
    custom.write_text('[pdf]\nfonts = ["no-such-font.ttf"]\n', encoding="utf-8")
    monkeypatch.setenv("KFBONUS_SETTINGS", str(custom))
    said: list[str] = []
    monkeypatch.setattr("builtins.print", lambda *a, **k: said.append(" ".join(map(str, a))))
    paths = write_slips(sample_result, worker_views(sample_result), tmp_path / "slips", AT)
    assert paths and all(p.suffix == ".html" for p in paths)
    assert any("未找到中文字体" in s and "只生成 HTML" in s for s in said)


def test_find_font_looks_in_subfolders_case_insensitively(tmp_path):
    (tmp_path / "sub").mkdir()
    font = tmp_path / "sub" / "SimHei.TTF"
    font.write_bytes(b"x")
    assert find_font(["missing.ttf", "simhei.ttf"], dirs=[tmp_path]) == font
    assert find_font([str(font)], dirs=[]) == font
    assert find_font(["missing.ttf"], dirs=[tmp_path]) is None
    assert Settings().pdf is True


@needs_font
@needs_poppler
def test_two_months_in_one_process_each_keep_their_glyphs(sample_result, tmp_path):  # noqa: F811
    from tests.result_factory import make_result

    other = make_result()   # another month first: its font must not stand in for this one's
    for result, folder in ((other, tmp_path / "a"), (sample_result, tmp_path / "b")):
        views = worker_views(result)
        names = [slip_filename(v.worker_id, v.name) for v in views]
        write_pdf_slips(views, names, folder, slip_meta(result, AT), AT, load_settings())
        text = pdf_text(folder / ALL_PDF)
        assert all(v.name in text for v in views if v.name.isprintable() and "<" not in v.name)


# --- the workers' PDFs in child processes (a big month) ----------------------------------------
# The sample month is made to take the big month's path by lowering the threshold: the files
# must be the same bytes as in one process, a child's error must come back as itself, and no
# child may outlive a failure.

def _parallel(monkeypatch, batch: int = 4) -> None:
    import kfbonus.render.pdf as pdf

    monkeypatch.setattr(pdf, "PARALLEL_FROM", 1)
    monkeypatch.setattr(pdf, "_BATCH", batch)
    monkeypatch.setattr(pdf.os, "cpu_count", lambda: 3)   # two children, on any machine


def _no_children_left() -> None:
    import multiprocessing

    assert multiprocessing.active_children() == []


def test_the_sample_month_starts_no_process(sample_result, tmp_path, monkeypatch):  # noqa: F811
    import kfbonus.render.pdf as pdf

    assert pdf._processes(len(worker_views(sample_result))) == 0
    assert pdf._processes(pdf.PARALLEL_FROM - 1) == 0

    def refuse(*args, **kwargs):
        raise AssertionError("the sample month started processes")

    monkeypatch.setattr(pdf, "_write_parallel", refuse)
    write_slips(sample_result, worker_views(sample_result), tmp_path / "slips", AT)


@needs_font
def test_pdfs_written_by_child_processes_are_the_same_bytes(sample_result, tmp_path, monkeypatch):  # noqa: F811
    views = worker_views(sample_result)
    meta = slip_meta(sample_result, AT)
    names = [slip_filename(v.worker_id, v.name) for v in views]
    one = write_pdf_slips(views, names, tmp_path / "one", meta, AT, load_settings())
    _parallel(monkeypatch)
    steps: list[int] = []
    many = write_pdf_slips(views, names, tmp_path / "many", meta, AT, load_settings(), step=steps.append)
    assert [p.name for p in many] == [p.name for p in one]
    assert [p.read_bytes() for p in many] == [p.read_bytes() for p in one]
    assert steps[-1] == len(views) + 1 and steps == sorted(steps)
    _no_children_left()


@needs_font
def test_an_error_in_a_child_is_raised_as_itself_and_no_child_is_left(sample_result, tmp_path,  # noqa: F811
                                                                      monkeypatch):
    views = worker_views(sample_result)
    names = [slip_filename(v.worker_id, v.name) for v in views]
    folder = tmp_path / "slips"
    (folder / names[-1].replace(".html", ".pdf")).mkdir(parents=True)   # a child cannot write it
    _parallel(monkeypatch)
    with pytest.raises(IsADirectoryError if shutil.os.name != "nt" else PermissionError):
        write_pdf_slips(views, names, folder, slip_meta(sample_result, AT), AT, load_settings())
    _no_children_left()


@needs_font
def test_ctrl_c_while_children_write_leaves_no_child(sample_result, tmp_path, monkeypatch):  # noqa: F811
    views = worker_views(sample_result)
    names = [slip_filename(v.worker_id, v.name) for v in views]
    _parallel(monkeypatch, batch=2)

    def interrupt(done: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_pdf_slips(views, names, tmp_path / "slips", slip_meta(sample_result, AT), AT, load_settings(),
                        step=interrupt)
    _no_children_left()
