"""Slips: one per worker, escaped, strict, printable one per page."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import pytest
from jinja2 import UndefinedError

from kfbonus.money import fmt_money
from kfbonus.render import render_month
from kfbonus.render.slips import ALL_SLIPS, environment, render_slip, slip_filename, slip_meta
from kfbonus.render.view import worker_views
from tests.render_tools import chromium_pdf, pdf_page_text, pdf_pages
from tests.result_factory import EXPECTED_TOTALS, SCRIPT_NAME, make_annual_result, make_result

GENERATED = dt.datetime(2026, 12, 1, 9, 30)
SLIP_WORKERS = ["K001", "K002", "K003", "K004", "K005", "K006", "K007"]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("month")
    calls: list[tuple[int, int]] = []
    paths = render_month(make_result(), folder, GENERATED,
                         progress=lambda done, total: calls.append((done, total)))
    return folder, paths, calls


def _slip(folder, worker_id):
    (path,) = (folder / "slips").glob(f"{worker_id}_*.html")
    return path.read_text(encoding="utf-8")


def test_one_slip_per_worker_with_any_line_and_progress(rendered):
    folder, paths, calls = rendered
    # the PDFs beside them: test_pdf_slips
    slips = sorted(p.name for p in (folder / "slips").iterdir() if p.suffix == ".html")
    assert len(slips) == len(SLIP_WORKERS) + 1 and ALL_SLIPS in slips
    assert [s.split("_")[0] for s in slips if s != ALL_SLIPS] == SLIP_WORKERS   # K008 has no line
    assert "K001_张伟.html" in slips
    files = 8 * (2 if any(p.suffix == ".pdf" for p in paths) else 1)   # HTML, then the PDFs
    assert calls == [(i, files) for i in range(1, files + 1)]
    assert set(paths) == {*(folder / "slips").iterdir(), *folder.glob("*.xlsx")}


def test_slip_holds_only_its_worker(rendered):
    folder, _, _ = rendered
    html = _slip(folder, "K001")
    assert "张伟" in html and "1,345.00" in html and "壹仟叁佰肆拾伍元整" in html
    assert "签收人" in html and "FS-MS-KF-13 A/2" in html and "2026年11月" in html
    for other in ("李娜", "王强", "陈静", "赵磊", "K002", "GC-2611-02"):
        assert other not in html


def test_unpaid_lines_show_why(rendered):
    folder, _, _ = rendered
    html = _slip(folder, "K003")   # excluded: nothing paid, still a slip
    assert "本月不参加综合激励" in html and html.count('class="refused"') == 2
    assert "未发 547.50" in html and "零元整" in html
    k006 = _slip(folder, "K006")   # partly paid over the cap
    assert "未发 200.00：超出封顶" in k006 and "另有未发放金额 200.00" in k006
    assert "部分未发放" in k006 and 'class="refused"' not in k006   # 100.00 of it is paid
    assert "负壹佰元整" in _slip(folder, "K007")


def test_monthly_slip_title_and_heading(rendered):
    html = _slip(rendered[0], "K001")
    assert "<h1>工程施工安装人员综合激励明细单</h1>" in html and "<h2>本月明细</h2>" in html
    assert "年度" not in html and "评议依据" not in html


def test_annual_slip_is_the_year_award_slip_with_its_basis(tmp_path):
    render_month(make_annual_result(), tmp_path, GENERATED)
    html = _slip(tmp_path, "K006")
    assert "<h1>年度安全、质量奖明细单</h1>" in html and "<h2>本年度明细</h2>" in html
    assert "本月明细" not in html and "工程施工安装人员综合激励明细单" not in html
    assert "<title>年度安全、质量奖明细单 2026年度 K006 陈静</title>" in html
    # why the safety award is refused: the incident and that it was on a project of hers
    assert "3月安全事故（本人参与的工程 GC-2603-01）：高处作业未系安全带" in html
    assert ("全年工作 6 个月（3–8月），参与 5 个工程，质量得分均值 91.5（4 个评分工程）；"
            "安全事故 1 起，质量投诉 0 起；年末：在册") in html
    k002 = _slip(tmp_path, "K002")   # nothing paid, still a slip, with its months
    assert "全年工作 4 个月（3–5、7月）" in k002 and "全年工作月数 4 个月，不足 6 个月" in k002


def test_names_are_escaped(rendered):
    folder, _, _ = rendered
    html = _slip(folder, "K004")
    assert SCRIPT_NAME not in html and "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in (folder / "slips" / ALL_SLIPS).read_text(encoding="utf-8")


def test_strict_undefined_fails_on_a_missing_variable():
    result = make_result()
    env = environment()
    view = worker_views(result)[0]
    with pytest.raises(UndefinedError):
        env.get_template("page.html").render(slips=[])
    with pytest.raises(UndefinedError):
        env.get_template("_slip.html").module.slip(view, object())
    assert "张伟" in render_slip(env, view, slip_meta(result, GENERATED))


@pytest.mark.parametrize("worker_id,name,expected", [
    ("K001", "张伟", "K001_张伟.html"),
    ("K004", SCRIPT_NAME, "K004_script_alert(1)_script.html"),
    ("K009", "../../etc/passwd", "K009_.._.._etc_passwd.html"),
    ("K010", "a\\b:c*d?e|f", "K010_a_b_c_d_e_f.html"),
    ("K011", "李 四\t\n", "K011_李_四.html"),
    ("", "...", "slip_worker.html"),
])
def test_slip_file_names_are_safe(worker_id, name, expected):
    filename = slip_filename(worker_id, name)
    assert filename == expected
    assert not re.search(r'[<>:"/\\|?*\s]', filename) and not filename.startswith(".")


def test_long_names_are_cut():
    assert len(slip_filename("K1", "长" * 300)) <= 85


def test_colliding_file_names_get_a_suffix(tmp_path):
    result = make_result()
    result.workers = {**result.workers}
    for line in list(result.lines):
        if line.worker_id == "K007":
            result.lines.append(replace(line, worker_id="K007?"))
    render_month(result, tmp_path, GENERATED)
    names = {p.name for p in (tmp_path / "slips").iterdir()}
    assert {"K007_赵磊.html", "K007_赵磊_2.html"} <= names


def test_combined_slips_print_one_worker_per_page(rendered, tmp_path):
    folder, _, _ = rendered
    pdf = chromium_pdf(folder / "slips" / ALL_SLIPS, tmp_path / "slips.pdf", tmp_path / "profile")
    views = worker_views(make_result())
    assert pdf_pages(pdf) == len(views) == len(SLIP_WORKERS)
    for page, view in enumerate(views, start=1):
        text = pdf_page_text(pdf, page)
        assert view.worker_id in text
        assert view.name in text
        assert fmt_money(EXPECTED_TOTALS[view.worker_id]) in text
        others = [v.worker_id for v in views if v.worker_id != view.worker_id]
        assert not any(f"{o}\n" in text or f" {o} " in text for o in others)


def _long_view(times: int):
    """K001 with its lines repeated ``times`` times: a slip of many lines."""
    import dataclasses

    view = worker_views(make_result())[0]
    return dataclasses.replace(view, lines=view.lines * times)


def test_print_scale_grows_smaller_with_more_lines_then_gives_up():
    from kfbonus.render.slips import MIN_ZOOM, print_scale

    scales = [print_scale(_long_view(n)) for n in (1, 3, 5, 30)]   # 4, 12, 20, 120 lines
    assert scales[0] == "1"
    assert 1 > float(scales[1]) >= float(scales[2]) >= MIN_ZOOM
    assert scales[3] == "long"


def test_long_slips_print_on_one_page_zoomed_or_continue_named(tmp_path):
    from kfbonus.render.slips import print_scale, render_body, render_page

    env, meta = environment(), slip_meta(make_result(), GENERATED)
    zoomed, long = _long_view(5), _long_view(30)
    assert print_scale(zoomed) not in ("1", "long") and print_scale(long) == "long"
    for view, name in ((zoomed, "zoomed"), (long, "long")):
        html = tmp_path / f"{name}.html"
        html.write_text(render_page(env, name, [render_body(env, view, meta)]), encoding="utf-8")
        pdf = chromium_pdf(html, tmp_path / f"{name}.pdf", tmp_path / f"profile-{name}")
        pages = pdf_pages(pdf)
        if name == "zoomed":
            assert pages == 1
        else:   # continues, and every page names the worker
            assert pages > 1
            assert all("K001" in pdf_page_text(pdf, n) for n in range(1, pages + 1))
