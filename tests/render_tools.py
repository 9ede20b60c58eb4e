"""External programs the render tests drive (Chromium, Poppler, LibreOffice).

A missing program skips the test on a workstation, but fails it in CI
(``CI`` set), where they are installed on purpose.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

__all__ = ["chromium_pdf", "pdf_page_text", "pdf_pages", "require", "soffice_convert"]


def require(*names: str) -> str:
    """The path of the first of ``names`` found on PATH; skip (or fail in CI) when none is."""
    for name in names:
        path = shutil.which(name)
        if path:
            return path
    message = f"{' / '.join(names)} 未安装"
    if os.environ.get("CI"):
        pytest.fail(f"{message}（CI 中必须安装）")
    pytest.skip(message)
    raise AssertionError("unreachable")


def chromium_pdf(html: Path, pdf: Path, profile: Path) -> Path:
    exe = require("chromium", "chromium-browser", "google-chrome")
    cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={profile}", f"--print-to-pdf={pdf}", "--no-pdf-header-footer", html.as_uri()]
    subprocess.run(cmd, check=True, capture_output=True, timeout=180)
    assert pdf.is_file(), f"Chromium wrote no PDF for {html}"
    return pdf


def soffice_convert(path: Path, fmt: str, out_dir: Path, home: Path) -> Path:
    exe = require("soffice", "libreoffice")
    env = {**os.environ, "HOME": str(home)}
    subprocess.run([exe, "--headless", "--convert-to", fmt, "--outdir", str(out_dir), str(path)],
                   check=True, capture_output=True, timeout=300, env=env)
    out = out_dir / f"{path.stem}.{fmt.split(':')[0]}"
    assert out.is_file(), f"LibreOffice wrote no {fmt} for {path}"
    return out


def pdf_pages(pdf: Path) -> int:
    exe = require("pdfinfo")
    info = subprocess.run([exe, str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def pdf_page_text(pdf: Path, page: int) -> str:
    exe = require("pdftotext")
    return subprocess.run([exe, "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
                          check=True, capture_output=True, text=True).stdout
