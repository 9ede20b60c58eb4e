"""kfbonus.xlsxfacts: the look inside an .xlsx before calamine opens it.

Hostile files are built in code: a tiny hand-written zip writer (``raw_zip``)
lets a test declare any size, CRC and compressed stream it likes, and the
2 GB bomb is a 1 MiB deflate block of zeros repeated (full-flushed blocks
concatenate into one valid stream), so building it costs a few MB.  Normal
workbooks come from ``write_xlsx`` (openpyxl).  Memory is measured as the
peak RSS of a child process (POSIX only; skipped on Windows).
"""

from __future__ import annotations

import ast
import io
import json
import os
import struct
import subprocess
import sys
import textwrap
import zipfile
import zlib
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from kfbonus import xlsxfacts
from kfbonus.problems import Source
from kfbonus.xlsxfacts import SheetFacts, cell_ref, inspect_workbook, is_percent_format
from tests.helpers import write_xlsx

ROOT = Path(__file__).resolve().parents[1]
MiB = 1024 * 1024

# -- building workbooks by hand ------------------------------------------------------------------

CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
      'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
      'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
      'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
      'main+xml"/>'
      '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
      'officedocument.spreadsheetml.worksheet+xml"/></Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
WB = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
      '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
      '<sheet name="结算单" sheetId="1" r:id="rId1"/></sheets></workbook>')
WB_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
           'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
           'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
SHEET = "xl/worksheets/sheet1.xml"


def sheet_xml(body: str, dimension: str | None = None, prolog: str = "", prefix: str = "") -> str:
    """A worksheet part around ``body`` (the rows of <sheetData>)."""
    x = f"{prefix}:" if prefix else ""
    ns = f' xmlns{":" + prefix if prefix else ""}="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    dim = f'<{x}dimension ref="{dimension}"/>' if dimension else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<{x}worksheet{ns}>{dim}<{x}sheetData>{body}'
            f"</{x}sheetData></{x}worksheet>")


def xlsx_bytes(sheet: str, extra: dict[str, str] | None = None, workbook: str = WB) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CT)
        z.writestr("_rels/.rels", RELS)
        z.writestr("xl/workbook.xml", workbook)
        z.writestr("xl/_rels/workbook.xml.rels", WB_RELS)
        z.writestr(SHEET, sheet)
        for name, text in (extra or {}).items():
            z.writestr(name, text)
    return buf.getvalue()


def raw_zip(entries: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip written by hand: (name, raw deflate stream, crc, declared size, method) per entry,
    so a test can declare whatever it likes."""
    out = io.BytesIO()
    central = []
    for name, stream, crc, size, method in entries:
        offset = out.tell()
        fname = name.encode()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, len(stream), size,
                              len(fname), 0) + fname)
        out.write(stream)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21, crc,
                                   len(stream), size, len(fname), 0, 0, 0, 0, 0, offset) + fname)
    start = out.tell()
    for c in central:
        out.write(c)
    size = out.tell() - start
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), size, start, 0))
    return out.getvalue()


def deflate(data: bytes) -> bytes:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def zeros_stream(mib: int, prefix: bytes = b"") -> bytes:
    """A raw deflate stream of ``prefix`` + ``mib`` MiB of zeros, built from one
    full-flushed 1 MiB block repeated: a 2 GB part costs ~2 MB to build."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = c.compress(prefix) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(b"\0" * MiB) + c.flush(zlib.Z_FULL_FLUSH)
    return head + block * mib + c.flush(zlib.Z_FINISH)


def bomb_xlsx(mib: int, declared: int | None = None, crc: int = 0, head: bytes | None = None) -> bytes:
    """A workbook whose sheet part inflates to ``mib`` MiB (an XML start, then zeros)."""
    parts = [(n, deflate(t.encode()), zlib.crc32(t.encode()), len(t.encode()), 8)
             for n, t in (("[Content_Types].xml", CT), ("_rels/.rels", RELS), ("xl/workbook.xml", WB),
                          ("xl/_rels/workbook.xml.rels", WB_RELS))]
    if head is None:
        head = b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    size = len(head) + mib * MiB
    parts.append((SHEET, zeros_stream(mib, head), crc, size if declared is None else declared, 8))
    return raw_zip(parts)


def patch_entry(data: bytes, name: str, *, crc: int | None = None, size: int | None = None) -> bytes:
    """Overwrite one member's CRC and/or declared size in both its local and central headers."""
    buf = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(name)
    fname = name.encode()
    local = info.header_offset
    central = buf.index(b"PK\x01\x02", local)
    while buf[central + 46:central + 46 + len(fname)] != fname:
        central = buf.index(b"PK\x01\x02", central + 4)
    for at, crc_off, size_off in ((local, 14, 22), (central, 16, 24)):
        if crc is not None:
            buf[at + crc_off:at + crc_off + 4] = struct.pack("<I", crc)
        if size is not None:
            buf[at + size_off:at + size_off + 4] = struct.pack("<I", size)
    return bytes(buf)


def only_problem(name: str, data: bytes):
    facts, problems = inspect_workbook(name, data)
    assert facts is None
    assert len(problems) == 1, problems
    p = problems[0]
    assert p.is_error and p.source is not None and p.source.file == name
    return p


def calamine_rows(data: bytes, sheet: str = "结算单") -> list[list[object]]:
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(sheet).to_python(
        skip_empty_area=False)


# -- a child process's peak memory ---------------------------------------------------------------

needs_rusage = pytest.mark.skipif(sys.platform == "win32", reason="resource.getrusage is POSIX-only")

_CHILD = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))   # a regression must not take the machine down
{imports}
def peak():
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb * 1024 if sys.platform != "darwin" else kb
before = peak()
{body}
print(json.dumps({{"before": before, "after": peak(), "result": result}}))
"""


def run_child(imports: str, body: str) -> dict:
    code = _CHILD.format(imports=imports, body=textwrap.indent(textwrap.dedent(body), ""))
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, (proc.returncode, proc.stderr[-2000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def inspect_in_child(path: Path) -> dict:
    return run_child(
        "from kfbonus.xlsxfacts import inspect_workbook",
        f"""
data = open({str(path)!r}, "rb").read()
facts, problems = inspect_workbook("x.xlsx", data)
result = [facts is None, [p.code for p in problems]]
""")


# -- the module's place --------------------------------------------------------------------------

def test_imports_only_stdlib_and_problems():
    tree = ast.parse(Path(xlsxfacts.__file__).read_text(encoding="utf-8"))
    mods = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    mods |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    third = {m for m in mods if m.split(".")[0] not in sys.stdlib_module_names and m != "__future__"}
    assert third == {"kfbonus.problems"}


# -- facts ---------------------------------------------------------------------------------------

def test_normal_workbook_gives_facts_and_no_problem(tmp_path):
    path = write_xlsx(tmp_path / "结算单.xlsx", {
        "结算单": [["工程编号", "工号", "计件工资"], ["GC-1", "1001", 1200.5], ["GC-1", "1002", 800]],
        "名册": [["工号", "姓名"], ["1001", "张三"]],
    })
    facts, problems = inspect_workbook(path.name, path.read_bytes())
    assert problems == []
    assert facts is not None and list(facts.sheets) == ["结算单", "名册"]
    s = facts.sheets["结算单"]
    assert s == SheetFacts("结算单", rows=3, cols=3)
    assert (s.merged, s.hidden_rows, s.percent_cells, dict(s.errors), s.uncached) == \
        ((), set(), set(), {}, set())


def test_merged_ranges_are_zero_based_and_clipped_to_the_grid(tmp_path):
    rows = [["标题"], ["工程编号", "工号"], ["GC-1", "1"], [None, "2"]]
    path = write_xlsx(tmp_path / "a.xlsx", {"表": rows},
                      merges={"表": ["A1:B1", "A3:A4", "B2:D2", "D2:Z50", "H20:J30"]})
    facts, problems = inspect_workbook(path.name, path.read_bytes())
    assert problems == []
    # the grid is A1:B4 (what calamine returns): B2:D2 is clipped to B2, D2:Z50 and H20:J30 lie outside
    assert set(facts.sheets["表"].merged) == {(0, 0, 0, 1), (2, 0, 3, 0), (1, 1, 1, 1)}
    assert len(calamine_rows(path.read_bytes(), "表")) == 4


def test_hidden_rows(tmp_path):
    rows = [["工号", "金额"]] + [[str(i), i] for i in range(1, 8)]
    path = write_xlsx(tmp_path / "a.xlsx", {"表": rows}, hidden_rows={"表": [3, 5]})
    facts, _ = inspect_workbook(path.name, path.read_bytes())
    assert facts.sheets["表"].hidden_rows == {2, 4}


def test_zero_height_row_counts_as_hidden():
    body = ('<row r="1"><c r="A1"><v>1</v></c></row>'
            '<row r="2" ht="0" customHeight="1"><c r="A2"><v>2</v></c></row>'
            '<row r="3" ht="15" customHeight="1"><c r="A3"><v>3</v></c></row>')
    facts, _ = inspect_workbook("a.xlsx", xlsx_bytes(sheet_xml(body)))
    assert facts.sheets["结算单"].hidden_rows == {1}


def test_percent_formats(tmp_path):
    rows = [["比例", "文字", "金额"], [0.15, "15%", 100], [0.155, None, 5.5], [1.1, None, 3], [0.2, None, 4]]
    fmts = {"A2": "0%", "A3": "0.00%", "A4": "0.0%", "B2": "0%", "C2": "#,##0.00", "C3": '0.00"%"',
            "C4": "[Red]0.0%;-0.0%", "C5": "0\\%"}
    path = write_xlsx(tmp_path / "a.xlsx", {"申报": rows}, number_formats={"申报": fmts})
    facts, _ = inspect_workbook(path.name, path.read_bytes())
    # A2 builtin 9, A3 builtin 10, A4 custom 0.0%, C4 custom with a colour; B2 is text,
    # C3 quotes its %, C5 escapes it, A5 has no format
    assert facts.sheets["申报"].percent_cells == {(1, 0), (2, 0), (3, 0), (3, 2)}


@pytest.mark.parametrize(("code", "percent"), [
    ("0%", True), ("0.00%", True), ("0.0%", True), ("#,##0.0%;[Red]-#,##0.0%", True), ("%0", True),
    ('0.00"%"', False), ("0\\%", False), ("[$%-804]0.00", False), ("General", False), ("0_%", False),
    ("0*%", False), ('"率"0.0%', True), ("yyyy-mm-dd", False),
])
def test_is_percent_format(code, percent):
    assert is_percent_format(code) is percent


def test_percent_builtin_ids_in_a_hand_written_styles_part():
    styles = ('<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              '<numFmts count="1"><numFmt numFmtId="164" formatCode="0.0%"/></numFmts>'
              '<cellStyleXfs count="1"><xf numFmtId="9"/></cellStyleXfs>'
              '<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="9"/><xf numFmtId="10"/><xf numFmtId="164"/>'
              '<xf numFmtId="4"/></cellXfs>'
              '<dxfs count="1"><dxf><numFmt numFmtId="10" formatCode="0.00%"/></dxf>'
              '</dxfs></styleSheet>')
    body = "".join(f'<c r="{c}1" s="{s}"><v>0.5</v></c>' for c, s in zip("ABCDE", range(5), strict=True))
    body += '<c r="F1" s="1" t="s"><v>0</v></c><c r="G1" s="1" t="n"><v>1</v></c><c r="H1" s="1"/>'
    facts, problems = inspect_workbook("a.xlsx", xlsx_bytes(sheet_xml(f'<row r="1">{body}</row>'),
                                                            {"xl/styles.xml": styles}))
    assert problems == []
    assert facts.sheets["结算单"].percent_cells == {(0, 1), (0, 2), (0, 3), (0, 6)}


ERRORS = ["#DIV/0!", "#REF!", "#N/A", "#VALUE!", "#NAME?"]


def test_error_values(tmp_path):
    rows = [["工号", "计件工资"]] + [[str(i), e] for i, e in enumerate(ERRORS)]
    path = write_xlsx(tmp_path / "a.xlsx", {"结算单": rows})
    data = path.read_bytes()
    facts, problems = inspect_workbook(path.name, data)
    assert problems == []
    assert dict(facts.sheets["结算单"].errors) == {(i + 1, 1): e for i, e in enumerate(ERRORS)}
    # what the integrator must know: calamine shows an error cell as '' (like a blank text)
    assert [row[1] for row in calamine_rows(data)[1:]] == [""] * 5


@pytest.mark.parametrize("value", ["#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!",
                                   "#SPILL!", "#CALC!", "#FIELD!", "#BUSY!", "#GETTING_DATA"])
def test_every_error_value_is_a_fact_and_calamine_shows_only_some(value):
    data = xlsx_bytes(sheet_xml(f'<row r="1"><c r="A1" t="e"><v>{value}</v></c><c r="B1"><v>1</v></c></row>'))
    facts, problems = inspect_workbook("a.xlsx", data)
    assert problems == [] and dict(facts.sheets["结算单"].errors) == {(0, 0): value}
    if value in xlsxfacts.CALAMINE_ERROR_VALUES:
        assert calamine_rows(data) == [["", 1.0]]
    else:   # newer Excel errors: calamine refuses the whole sheet; the facts still name the cell
        with pytest.raises(Exception, match="Unsupported cell error value"):
            calamine_rows(data)


def test_formula_with_a_cached_error_is_an_error_not_uncached():
    body = ('<row r="1"><c r="A1" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
            '<c r="B1" t="e"><f>NA()</f><v>#N/A</v></c></row>')
    facts, _ = inspect_workbook("a.xlsx", xlsx_bytes(sheet_xml(body)))
    s = facts.sheets["结算单"]
    assert dict(s.errors) == {(0, 0): "#DIV/0!", (0, 1): "#N/A"} and s.uncached == set()


def test_formulas_without_a_saved_result(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", {"结算单": [["工号", "天数", "计件工资"], ["1001", 3, "=B2*100"],
                                                     ["1002", 4, "=B3*100"]]})
    data = path.read_bytes()
    facts, problems = inspect_workbook(path.name, data)
    assert problems == []
    assert facts.sheets["结算单"].uncached == {(1, 2), (2, 2)}
    # what the integrator must know: calamine drops such a cell, so it reads as '' like a blank
    # (here only because the header keeps column C in the grid; a trailing one is no column at all)
    assert calamine_rows(data) == [["工号", "天数", "计件工资"], ["1001", 3.0, ""], ["1002", 4.0, ""]]


def test_cached_and_uncached_formulas_written_by_hand():
    body = ('<row r="1"><c r="A1"><f>1+1</f><v>2</v></c>'           # cached number
            '<c r="B1"><f>1+1</f></c>'                               # no <v>
            '<c r="C1"><f>1+1</f><v></v></c>'                        # empty <v>
            '<c r="D1" t="str"><f>""</f><v></v></c>'                 # cached empty text (Excel writes this)
            '<c r="E1" t="str"><f>"x"</f><v>x</v></c>'               # cached text
            '<c r="F1"><f t="shared" ref="F1:F2" si="0">A1</f><v>2</v></c></row>'
            '<row r="2"><c r="F2"><f t="shared" si="0"/><v>3</v></c>'
            '<c r="G2"><f t="shared" si="0"/></c></row>')
    data = xlsx_bytes(sheet_xml(body))
    facts, _ = inspect_workbook("a.xlsx", data)
    assert facts.sheets["结算单"].uncached == {(0, 1), (0, 2), (1, 6)}
    assert calamine_rows(data) == [[2.0, "", "", "", "x", 2.0], ["", "", "", "", "", 3.0]]


def test_prefixed_elements_and_cells_without_reference():
    body = ('<x:row r="2"><x:c r="B2" t="e"><x:v>#REF!</x:v></x:c><x:c><x:f>1</x:f></x:c></x:row>'
            '<x:row><x:c><x:v>1</x:v></x:c></x:row>')
    data = xlsx_bytes(sheet_xml(body, prefix="x"))
    facts, problems = inspect_workbook("a.xlsx", data)
    assert problems == []
    s = facts.sheets["结算单"]
    assert dict(s.errors) == {(1, 1): "#REF!"} and s.uncached == {(1, 2)}
    assert (s.rows, s.cols) == (3, 2)


def test_cell_ref():
    assert [cell_ref(6, 2), cell_ref(0, 0), cell_ref(1048575, 16383), cell_ref(119, 9)] == \
        ["C7", "A1", "XFD1048576", "J120"]


def test_not_an_xlsx_means_no_facts_and_go_ahead():
    assert inspect_workbook("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600) == (None, [])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/workbook.bin", b"\0" * 100)
    assert inspect_workbook("a.xlsb", buf.getvalue()) == (None, [])


def test_a_broken_zip_is_corrupt():
    data = xlsx_bytes(sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>'))
    p = only_problem("a.xlsx", data[: len(data) // 2])
    assert p.code == "corrupt-file" and "文件已损坏" in p.message


# -- the archive ---------------------------------------------------------------------------------

def test_real_2gb_bomb_is_refused_before_reading(tmp_path):
    data = bomb_xlsx(2048)
    assert len(data) < 3 * MiB
    p = only_problem("炸弹.xlsx", data)
    assert p.code == "archive-too-large"
    assert "2.0 GB" in p.message and "xl/worksheets/sheet1.xml" in p.message and "另存为" in p.message


def test_bomb_under_the_size_limit_is_refused_by_its_ratio():
    data = bomb_xlsx(200)
    p = only_problem("炸弹.xlsx", data)
    assert p.code == "zip-bomb"
    assert "压缩比" in p.message and "200.0 MB" in p.message and "另存为" in p.message


def test_parts_each_within_the_limit_exceed_the_total(monkeypatch):
    monkeypatch.setattr(xlsxfacts, "MAX_RATIO", 10_000)   # let the total, not the ratio, refuse it
    stream = zeros_stream(200)
    entries = [(f"xl/media/p{i}.bin", stream, 0, 200 * MiB, 8) for i in range(3)]
    p = only_problem("a.xlsx", raw_zip(entries))
    assert p.code == "archive-too-large" and "600.0 MB" in p.message and "p2.bin" in p.message


def test_total_limit(monkeypatch):
    monkeypatch.setattr(xlsxfacts, "MAX_TOTAL_BYTES", 300)
    data = xlsx_bytes(sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>'))
    p = only_problem("a.xlsx", data)
    assert p.code == "archive-too-large" and "合计" in p.message


def test_forged_small_size_is_corrupt_and_reading_stops():
    # the sheet really inflates to 2 GB but declares 200 bytes: reading stops at 200, the CRC fails
    p = only_problem("伪造.xlsx", bomb_xlsx(2048, declared=200))
    assert p.code == "corrupt-file" and "xl/worksheets/sheet1.xml" in p.message and "另存为" in p.message


def test_forged_size_with_a_matching_crc_is_still_corrupt():
    # the declared bytes are a complete, valid sheet with their true CRC; 64 MiB of zeros follow
    head = sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>').encode()
    p = only_problem("伪造.xlsx", bomb_xlsx(64, declared=len(head), crc=zlib.crc32(head), head=head))
    assert p.code == "corrupt-file" and "比声明的大小更多" in p.message


def test_declared_size_larger_than_the_content_is_corrupt():
    data = xlsx_bytes(sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>'))
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(SHEET)
    p = only_problem("a.xlsx", patch_entry(data, SHEET, size=info.file_size + 1000))
    assert p.code == "corrupt-file"


def test_bad_crc_is_corrupt():
    data = xlsx_bytes(sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>'))
    p = only_problem("坏.xlsx", patch_entry(data, SHEET, crc=0x12345678))
    assert p.code == "corrupt-file"
    assert p.message.startswith("文件已损坏（") and "校验码不符" in p.message and "结算单" in p.message


def test_bad_crc_in_another_part_is_corrupt_too(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", {"表": [["工号"], ["1001"]]})
    data = path.read_bytes()
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    name = next(n for n in names if "sharedStrings" in n or "styles" in n)
    assert only_problem("a.xlsx", patch_entry(data, name, crc=1)).code == "corrupt-file"


# -- hostile XML ---------------------------------------------------------------------------------

XXE = '<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
                    for i in range(1, 10)) + "]>")


@pytest.mark.parametrize("prolog", [
    "<!DOCTYPE worksheet>",
    '<!DOCTYPE worksheet [<!ENTITY x "y">]>',
    XXE,
    LAUGHS,
    '<!DOCTYPE worksheet [<!ENTITY % p SYSTEM "http://example.com/x.dtd"> %p;]>',
    '<!DOCTYPE worksheet SYSTEM "http://example.com/x.dtd">',
])
def test_dtd_in_a_sheet_is_refused_naming_the_sheet(prolog):
    body = '<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row>' if prolog == XXE else \
        '<row r="1"><c r="A1"><v>1</v></c></row>'
    p = only_problem("外来.xlsx", xlsx_bytes(sheet_xml(body, prolog=prolog)))
    assert p.code == "xml-dtd"
    assert p.source == Source("外来.xlsx", "结算单")
    assert "工作表「结算单」" in p.message and "文档类型声明" in p.message and "另存为" in p.message


@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/styles.xml", "xl/sharedStrings.xml",
                                  "[Content_Types].xml"])
def test_dtd_in_any_other_part_is_refused(part):
    doc = {"xl/workbook.xml": WB, "[Content_Types].xml": CT,
           "xl/styles.xml": '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>',
           "xl/sharedStrings.xml": '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                                   "<si><t>&lol9;</t></si></sst>"}[part]
    hostile = doc.replace("<", LAUGHS + "<", 1) if not doc.startswith("<?xml") else \
        doc.replace("?>", "?>" + LAUGHS, 1)
    sheet = sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>')
    if part == "xl/workbook.xml":
        data = xlsx_bytes(sheet, workbook=hostile)
    elif part == "[Content_Types].xml":
        buf = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(xlsx_bytes(sheet))) as src, zipfile.ZipFile(buf, "w") as dst:
            for info in src.infolist():
                dst.writestr(info.filename, hostile if info.filename == part else src.read(info))
        data = buf.getvalue()
    else:
        data = xlsx_bytes(sheet, {part: hostile})
    p = only_problem("外来.xlsx", data)
    assert p.code == "xml-dtd" and part in p.message


def test_malformed_xml_is_corrupt():
    p = only_problem("a.xlsx", xlsx_bytes('<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></row>'))
    assert p.code == "corrupt-file" and "不是有效的 XML" in p.message and p.source.sheet == "结算单"


# -- far cells -----------------------------------------------------------------------------------

def far_cell_workbook(tmp_path: Path) -> Path:
    rows = [["工程编号", "工程名称", "工号", "姓名", "个人工期天数", "计件工资", "个人百分比", "工期总天数",
             "开工日期", "备注"]]
    rows += [[f"GC-{i}", "工程", str(1000 + i), "张三", 5, 100.0, 1, 20, None, "x"] for i in range(119)]
    path = write_xlsx(tmp_path / "月份" / "结算单.xlsx", {"结算单": rows})
    from openpyxl import load_workbook
    wb = load_workbook(path)
    wb["结算单"]["XFD1048576"] = "x"
    wb.save(path)
    return path


def test_far_cell_is_refused_naming_sheet_cell_and_data_extent(tmp_path):
    path = far_cell_workbook(tmp_path)
    p = only_problem(path.name, path.read_bytes())
    assert p.code == "far-cell"
    assert p.source == Source("结算单.xlsx", "结算单", 1048576, "XFD")
    assert "工作表「结算单」的单元格 XFD1048576 远在数据区之外（数据约到 J120）" in p.message
    assert "171.8 亿" in p.message and "请删除该单元格" in p.message


def test_far_cell_in_one_direction_names_that_cell():
    body = ('<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>1</v></c></row>'
            '<row r="3000000"><c r="B3000000"><v>1</v></c></row>')
    p = only_problem("a.xlsx", xlsx_bytes(sheet_xml(body)))
    assert p.code == "far-cell" and "B3000000" in p.message and "数据约到 B1" in p.message


def test_reader_never_calls_calamine_on_a_far_cell(tmp_path, monkeypatch):
    from kfbonus import reader

    calls = []

    class Spy:
        @staticmethod
        def from_filelike(*args):
            calls.append(args)
            raise AssertionError("calamine must not be called")

    monkeypatch.setattr(reader, "CalamineWorkbook", Spy)
    path = far_cell_workbook(tmp_path)
    problems: list = []
    assert reader.read_workbook(path.name, path.read_bytes(), {}, [], problems) is False
    assert [p.code for p in problems] == ["far-cell"] and calls == []


FAR = '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'


@pytest.mark.parametrize("target", ["/xl/worksheets/sheet1.xml", "xl/worksheets/sheet1.xml",
                                    "worksheets\\sheet1.xml", "../xl/worksheets/sheet1.xml"])
def test_far_cell_found_whatever_way_the_target_is_written(target):
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes(sheet_xml(FAR)))) as src, zipfile.ZipFile(buf, "w") as dst:
        for info in src.infolist():
            text = src.read(info)
            if info.filename == "xl/_rels/workbook.xml.rels":
                text = text.replace(b'Target="worksheets/sheet1.xml"', f'Target="{target}"'.encode())
            dst.writestr(info.filename, text)
    p = only_problem("a.xlsx", buf.getvalue())
    assert p.code == "far-cell" and "XFD1048576" in p.message


def test_far_cell_in_a_sheet_part_no_relationship_leads_to():
    data = xlsx_bytes(sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>'),
                      {"xl/worksheets/sheet9.xml": sheet_xml(FAR)})
    p = only_problem("a.xlsx", data)
    assert p.code == "far-cell" and "xl/worksheets/sheet9.xml" in p.message


def test_two_parts_with_one_name_are_corrupt():
    buf = io.BytesIO()
    with pytest.warns(UserWarning), zipfile.ZipFile(io.BytesIO(xlsx_bytes(sheet_xml(FAR)))) as src, \
            zipfile.ZipFile(buf, "w") as dst:
        dst.writestr(SHEET, sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>'))
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
    p = only_problem("a.xlsx", buf.getvalue())
    assert p.code == "corrupt-file" and "重名" in p.message


@pytest.mark.parametrize("ref", ["A" + "9" * 5000, "Z" * 50 + "1", "A99999999999999999999"],
                         ids=["5000-digit-row", "50-letter-column", "20-digit-row"])
def test_absurd_references_are_far_cells_not_crashes(ref):
    body = f'<row r="1"><c r="A1"><v>1</v></c><c r="{ref}"><v>1</v></c></row>'
    p = only_problem("a.xlsx", xlsx_bytes(sheet_xml(body)))
    assert p.code == "far-cell" and p.source.sheet == "结算单" and "数据约到 A1" in p.message


def test_a_spread_out_sheet_within_the_floor_is_read():
    # 26 columns × 150,000 rows = 3.9 million grid cells: under the 4 million floor
    body = '<row r="1"><c r="A1"><v>1</v></c></row><row r="150000"><c r="Z150000"><v>1</v></c></row>'
    facts, problems = inspect_workbook("a.xlsx", xlsx_bytes(sheet_xml(body)))
    assert problems == [] and (facts.sheets["结算单"].rows, facts.sheets["结算单"].cols) == (150000, 26)


def test_a_dense_sheet_beyond_the_hard_cap_is_too_large(monkeypatch):
    monkeypatch.setattr(xlsxfacts, "SHEET_AREA_MAX", 50)
    monkeypatch.setattr(xlsxfacts, "FAR_AREA_FLOOR", 10)
    body = "".join(f'<row r="{r}">' + "".join(f'<c r="{c}{r}"><v>1</v></c>' for c in "ABCDEFGH") + "</row>"
                   for r in range(1, 11))
    p = only_problem("a.xlsx", xlsx_bytes(sheet_xml(body)))
    assert p.code == "sheet-too-large" and "H10" in p.message


def test_forged_dimension_is_ignored_as_calamine_ignores_it():
    data = xlsx_bytes(sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>', dimension="A1:XFD1048576"))
    facts, problems = inspect_workbook("a.xlsx", data)
    assert problems == [] and (facts.sheets["结算单"].rows, facts.sheets["结算单"].cols) == (1, 1)
    assert calamine_rows(data) == [[1.0]]


def test_styled_blanks_far_away_do_not_count_as_calamine_drops_them():
    body = '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576" s="0"/></row>'
    data = xlsx_bytes(sheet_xml(body))
    assert inspect_workbook("a.xlsx", data)[1] == []
    assert calamine_rows(data) == [[1.0]]


# -- shared strings copied into many cells ------------------------------------------------------

def shared_string_bomb(cells: int, length: int) -> bytes:
    """``cells`` cells all referring to one shared string of ``length`` characters: calamine
    copies the string into every cell (and Python once more), so 100 KB can cost gigabytes."""
    sst = ('<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           f'<si><t>短</t></si><si><t>{"长" * length}</t></si></sst>')
    rels = WB_RELS.replace("</Relationships>", '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/'
                           'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                           "</Relationships>")
    body = "".join(f'<row r="{r}"><c r="A{r}" t="s"><v>0</v></c><c r="B{r}" t="s"><v>1</v></c></row>'
                   for r in range(1, cells + 1))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in (("[Content_Types].xml", CT), ("_rels/.rels", RELS), ("xl/workbook.xml", WB),
                           ("xl/_rels/workbook.xml.rels", rels), (SHEET, sheet_xml(body)),
                           ("xl/sharedStrings.xml", sst)):
            z.writestr(name, text)
    return buf.getvalue()


def test_one_long_shared_string_in_many_cells_is_refused():
    data = shared_string_bomb(20_000, 10_000)     # 200 million characters once read, from ~150 KB
    assert len(data) < 300_000
    p = only_problem("文字.xlsx", data)
    assert p.code == "text-too-large" and p.source == Source("文字.xlsx", "结算单")
    assert "2.0 亿" in p.message and "另存为" in p.message


def test_long_shared_strings_in_few_cells_are_read():
    facts, problems = inspect_workbook("a.xlsx", shared_string_bomb(100, 10_000))   # 1 million characters
    assert problems == [] and facts.sheets["结算单"].rows == 100


def test_many_cells_with_one_short_string_skip_the_precise_count(monkeypatch):
    monkeypatch.setattr(xlsxfacts, "_check_text", None)   # 2 × 5,000 cells × 10,000 characters max: no doubt
    assert inspect_workbook("a.xlsx", shared_string_bomb(1_000, 10))[1] == []


# -- memory, in a child process ------------------------------------------------------------------

@needs_rusage
@pytest.mark.parametrize("kind", ["bomb", "forged", "far", "laughs", "strings"])
def test_memory_stays_small_on_hostile_files(tmp_path, kind):
    if kind == "bomb":
        data = bomb_xlsx(2048)
    elif kind == "forged":
        data = bomb_xlsx(2048, declared=50 * MiB)   # under every limit; really 2 GB
    elif kind == "far":
        data = far_cell_workbook(tmp_path).read_bytes()
    elif kind == "strings":
        data = shared_string_bomb(20_000, 10_000)
    else:
        data = xlsx_bytes(sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>',
                                    prolog=LAUGHS))
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(data)
    out = inspect_in_child(path)
    assert out["result"][0] is True and len(out["result"][1]) == 1
    grew = (out["after"] - out["before"]) / MiB
    print(f"{kind}: peak RSS {out['after'] / MiB:.1f} MB (grew {grew:.1f} MB)")
    assert grew < 40, f"{kind}: peak RSS grew {grew:.0f} MB"


@needs_rusage
def test_read_month_on_a_far_cell_does_not_crash(tmp_path):
    folder = far_cell_workbook(tmp_path).parent
    out = run_child(
        "from kfbonus.reader import read_month",
        f"""
month = read_month({str(folder)!r})
result = [[p.code, p.source.sheet, p.source.row, p.source.col] for p in month.problems]
""")
    assert ["far-cell", "结算单", 1048576, "XFD"] in out["result"]
    print(f"read_month on a far cell: peak RSS {out['after'] / MiB:.1f} MB, {out['before'] / MiB:.1f} before")
    assert (out["after"] - out["before"]) / MiB < 60


@needs_rusage
def test_calamine_ignores_a_forged_dimension_in_memory(tmp_path):
    path = tmp_path / "dim.xlsx"
    one = '<row r="1"><c r="A1"><v>1</v></c></row>'
    path.write_bytes(xlsx_bytes(sheet_xml(one, dimension="A1:XFD1048576")))
    out = run_child("import io\nfrom python_calamine import CalamineWorkbook", f"""
wb = CalamineWorkbook.from_path({str(path)!r})
result = wb.get_sheet_by_name("结算单").to_python(skip_empty_area=False)
""")
    assert out["result"] == [[1.0]] and (out["after"] - out["before"]) / MiB < 20


def test_an_unexpected_failure_inside_is_a_problem_not_a_crash(monkeypatch):
    def boom(*args):
        raise ValueError("crafted")

    monkeypatch.setattr(xlsxfacts, "_percent_styles", boom)
    p = only_problem("a.xlsx", xlsx_bytes(sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>')))
    assert p.code == "corrupt-file" and "ValueError" in p.message
