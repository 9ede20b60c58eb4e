"""Small helpers for tests: build workbooks in code, hash folders.

``write_xlsx`` is shared by every test module: it turns rows into an .xlsx
with openpyxl, so tests keep their input literally inside the test.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from openpyxl import Workbook

__all__ = ["folder_digest", "write_xlsx"]


def write_xlsx(
    path: Path | str,
    sheets: Mapping[str, Sequence[Sequence[object]]],
    merges: Mapping[str, Iterable[str]] | None = None,
    number_formats: Mapping[str, Mapping[str, str]] | None = None,
    hidden: Iterable[str] = (),
    hidden_rows: Mapping[str, Iterable[int]] | None = None,
) -> Path:
    """Write ``sheets`` (sheet name → rows, each a list of cell values) to ``path``.

    ``None`` leaves a cell empty.  ``merges`` maps a sheet to ranges to merge
    (``{"结算单": ["A1:F1"]}``); ``number_formats`` maps a sheet to
    ``{cell: format}`` (``{"申报": {"C2": "0%"}}``); ``hidden`` names sheets
    to hide; ``hidden_rows`` maps a sheet to Excel row numbers to hide.
    A value such as ``"=A1*2"`` is written as a formula with no saved
    result (as openpyxl does), and Excel's error texts (``"#DIV/0!"``,
    ``"#N/A"`` …) as error cells.  Parent folders are created.  Returns the path.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(title=name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(row=r, column=c, value=value)
        for rng in (merges or {}).get(name, ()):
            ws.merge_cells(rng)
        for cell, fmt in (number_formats or {}).get(name, {}).items():
            ws[cell].number_format = fmt
        for r in (hidden_rows or {}).get(name, ()):
            ws.row_dimensions[r].hidden = True
        if name in set(hidden):
            ws.sheet_state = "hidden"
    if not wb.sheetnames:
        wb.create_sheet("Sheet1")
    wb.save(path)
    return path


def folder_digest(folder: Path | str) -> dict[str, str]:
    """SHA-256 of every file under ``folder`` (relative path → hex digest), plus mtimes."""
    folder = Path(folder)
    out: dict[str, str] = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            st = p.stat()
            digest = hashlib.sha256(p.read_bytes()).hexdigest()
            out[str(p.relative_to(folder))] = f"{digest}:{st.st_size}:{st.st_mtime_ns}"
    return out
