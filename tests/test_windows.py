"""kfbonus on the accountant's Windows PC (issue 10), simulated in CI.

``tests/winsim/sitecustomize.py`` makes a child Python look like Windows: no ``fcntl``,
no ``os.fork`` (nor other POSIX-only calls), only the ``spawn`` start method, a stand-in
``msvcrt.locking``; the tests give it a GBK stdout (code page 936, a pipe as when
redirected) and, in a variant, renames refused under the output folder as when Excel or
WPS holds a workbook open.  Paths have Chinese names and spaces.

Also here: the console encoding without the simulation, the double-click launcher's text,
and a wheel installed into a fresh virtual environment.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from kfbonus.ledger import Ledger
from tests.test_lifecycle import edit_settlement
from tests.test_run_month import write_month

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "input_samples" / "2026-11"
SIM = Path(__file__).resolve().parent / "winsim"
PERIOD = "2026-11"
KF = "FS-MS-KF-13"   # the scheme's id: its key in the ledger
BOOK = "审批汇总表_2026-11.xlsx"
EPOCH = "1764576000"   # 2025-12-01 08:00 UTC


def windows(*argv: str, refuse: Path | None = None, cwd: Path = ROOT) -> tuple[int, str]:
    """Run ``run_month.py`` in a simulated Windows process; its output decoded as GBK
    (strictly: anything else fails the test)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SIM), str(ROOT)]), "PYTHONIOENCODING": "gbk",
           "SOURCE_DATE_EPOCH": EPOCH}
    env.pop("KFBONUS_SIM_REFUSE", None)
    if refuse is not None:
        env["KFBONUS_SIM_REFUSE"] = str(refuse)
    proc = subprocess.run([sys.executable, str(ROOT / "run_month.py"), *argv], cwd=cwd, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=180)
    return proc.returncode, proc.stdout.decode("gbk")


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def ledger_agrees(out: Path) -> bool:
    with Ledger.open(out / "ledger.sqlite") as ledger:
        return ledger.month(KF, PERIOD) is not None and not ledger.verify_outputs(KF, PERIOD, out / PERIOD)


@pytest.fixture
def places(tmp_path):
    """The sample month in a folder with a Chinese name and spaces, and an output folder alike."""
    folder = tmp_path / "激励 资料" / PERIOD
    shutil.copytree(SAMPLE, folder)
    return folder, tmp_path / "输出 结果"


def test_the_simulation_is_windows_like():
    code = ("import os, multiprocessing as mp, importlib.util as u\n"
            "assert not hasattr(os, 'fork') and mp.get_all_start_methods() == ['spawn']\n"
            "try:\n    import fcntl\nexcept ImportError:\n    print('无 fcntl')\n")
    env = {**os.environ, "PYTHONPATH": str(SIM), "PYTHONIOENCODING": "gbk"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.decode("gbk").strip() == "无 fcntl"


def test_sample_month_runs_approves_and_corrects_as_on_linux(places, tmp_path):
    folder, out = places
    code, text = windows(PERIOD, "--input", str(folder), "--output", str(out))
    assert code == 0, text
    assert "综合激励已计算" in text and "结果已写入" in text and "合计" in text
    assert "计件工资结算单（2026年11月）.xlsx > GC-2611-01 顺德酒店!C9" in text   # › → > in GBK
    assert "Traceback" not in text

    linux_out = tmp_path / "linux"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": EPOCH}
    proc = subprocess.run([sys.executable, "run_month.py", PERIOD, "--input", str(folder),
                           "--output", str(linux_out)], cwd=ROOT, env=env, capture_output=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    assert digest(out) == digest(linux_out), "the same bytes (outputs and ledger) as on Linux"

    code, text = windows(PERIOD, "--input", str(folder), "--output", str(out), "--approve", "--by", "王经理")
    assert code == 0 and "由 王经理 批准" in text, text
    code, text = windows(PERIOD, "--input", str(folder), "--output", str(out), "--correction", "复核")
    assert code == 0 and "无需更正" in text, text
    code, text = windows(PERIOD, "--input", str(folder), "--output", str(out))
    assert code == 1 and "已锁定" in text


def test_small_month_correction_in_simulated_windows(tmp_path):
    folder = write_month(tmp_path / "月 资料" / "in")
    out = tmp_path / "输出 结果"
    assert windows(PERIOD, "--input", str(folder), "--output", str(out))[0] == 0
    assert windows(PERIOD, "--input", str(folder), "--output", str(out), "--approve", "--by", "王")[0] == 0
    fixed = edit_settlement(folder, tmp_path / "月 资料" / "in-01", {"E2": 6, "E5": 20})
    code, text = windows(PERIOD, "--input", str(fixed), "--output", str(out), "--correction", "补录")
    assert code == 0 and "更正第 01 号" in text and "扣回" in text, text
    assert (out / PERIOD / "更正_01" / "更正单_2026-11_01.xlsx").is_file()
    assert ledger_agrees(out)


def test_a_workbook_open_in_excel_on_simulated_windows(places, tmp_path):
    folder, out = places
    assert windows(PERIOD, "--input", str(folder), "--output", str(out))[0] == 0
    draft, ledger_before = digest(out / PERIOD), (out / "ledger.sqlite").read_bytes()

    # Windows refuses to rename the folder while Excel holds a file in it
    code, text = windows(PERIOD, "--input", str(folder), "--output", str(out), refuse=out)
    assert code == 1, text
    assert f"{out / PERIOD / BOOK}」正在被 Excel 或 WPS 打开" in text and "关闭" in text
    assert "Traceback" not in text
    assert digest(out / PERIOD) == draft and (out / "ledger.sqlite").read_bytes() == ledger_before
    # the sample holds both schemes: the commission scheme's folder from the first run stays too
    assert {p.name for p in out.iterdir()} == {".kfbonus.lock", "ledger.sqlite", PERIOD, f"{PERIOD}_业绩提成"}

    # Excel's lock file beside the workbook: refused before any work, approval too
    lock = out / PERIOD / f"~${BOOK}"
    lock.write_bytes(b"\0" * 165)
    for extra in ((), ("--approve", "--by", "王经理")):
        code, text = windows(PERIOD, "--input", str(folder), "--output", str(out), *extra)
        assert code == 1 and BOOK in text and "Excel" in text and "关闭" in text, text
    lock.unlink()
    assert digest(out / PERIOD) == draft and ledger_agrees(out)

    # closed: the draft approves
    code, text = windows(PERIOD, "--input", str(folder), "--output", str(out), "--approve", "--by", "王经理")
    assert code == 0 and "修改过" not in text, text


def test_a_correction_refused_by_an_open_file_on_simulated_windows(tmp_path):
    folder = write_month(tmp_path / "in")
    out = tmp_path / "输出 结果"
    assert windows(PERIOD, "--input", str(folder), "--output", str(out))[0] == 0
    assert windows(PERIOD, "--input", str(folder), "--output", str(out), "--approve", "--by", "王")[0] == 0
    approved, ledger_before = digest(out / PERIOD), (out / "ledger.sqlite").read_bytes()
    fixed = edit_settlement(folder, tmp_path / "in-01", {"E2": 6, "E5": 20})
    code, text = windows(PERIOD, "--input", str(fixed), "--output", str(out), "--correction", "补录",
                         refuse=out)
    assert code == 1 and "正在被 Excel 或 WPS 打开" in text, text
    assert digest(out / PERIOD) == approved and (out / "ledger.sqlite").read_bytes() == ledger_before
    code, text = windows(PERIOD, "--input", str(fixed), "--output", str(out), "--correction", "补录")
    assert code == 0 and "更正第 01 号" in text


# --- the console ------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["gbk", "utf-8"])
def test_output_reads_right_in_the_console_encoding(encoding, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": encoding}
    proc = subprocess.run([sys.executable, "run_month.py", PERIOD, "--input", str(SAMPLE), "--check"],
                          cwd=ROOT, env=env, capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout.decode(encoding)      # strict: every byte is the console's encoding
    sep = "›" if encoding == "utf-8" else ">"
    assert f"人员名册.xlsx {sep} 花名册" in text and "识别出" in text
    bad = subprocess.run([sys.executable, "run_month.py", "十一月"], cwd=ROOT, env=env, capture_output=True,
                         timeout=60)
    assert bad.returncode == 2 and "十一月" in bad.stderr.decode(encoding)


def test_characters_gbk_lacks_are_substituted():
    from kfbonus import cli

    text = "文件 › 工作表!C7 ✓ ¥12.00 — … 😀"
    assert text.encode("gbk", "kfbonus-console").decode("gbk") == "文件 > 工作表!C7 √ ￥12.00 — … ?"
    assert cli.CONSOLE_SUBSTITUTES


# --- the launcher ------------------------------------------------------------------------------

def test_the_launcher_runs_the_month_of_a_dropped_folder():
    bat = ROOT / "运行本月.bat"
    raw = bat.read_bytes()
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b""), "CRLF line endings for cmd.exe"
    text = raw.decode("gbk")       # cmd.exe reads a batch file in the console's code page (936)
    assert "run_month.py" in text
    assert 'set "FOLDER=%~1"' in text and '--input "%FOLDER%"' in text, "the dropped path is quoted (spaces)"
    assert 'set "MONTH=%~nx1"' in text, "the month is the dropped folder's name"
    assert "input\\" in text, "double-clicked: the newest input\\YYYY-MM folder"
    assert "pause" in text.lower()
    assert "chcp" not in text.lower(), "the console keeps code page 936 (see cli._console_streams)"


# --- a wheel, not only an editable install ----------------------------------------------------

def test_a_wheel_installs_and_runs_the_sample_month(tmp_path):
    source, wheels = tmp_path / "source", tmp_path / "wheels"   # built from a copy: no build/ left here
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", "build", "dist", "output", "*.egg-info", "__pycache__", ".*cache", ".venv"))
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", ".", "-w", str(wheels)],
                          cwd=source, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    wheel = next(wheels.glob("kfbonus-*.whl"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, system_site_packages=True, with_pip=True)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    proc = subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--ignore-installed",
                           str(wheel)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr

    elsewhere = tmp_path / "某 处"
    shutil.copytree(SAMPLE, elsewhere / "资料 2026" / PERIOD)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    script = ("import sys, kfbonus\nfrom kfbonus.cli import main\n"
              "assert 'site-packages' in kfbonus.__file__, kfbonus.__file__\nsys.exit(main())")
    proc = subprocess.run([str(python), "-c", script, PERIOD, "--input", str(Path("资料 2026") / PERIOD),
                           "--output", "结果 文件夹"],
                          cwd=elsewhere, env=env, capture_output=True, timeout=300)
    out = proc.stdout.decode(errors="replace") + proc.stderr.decode(errors="replace")
    assert proc.returncode == 0, out
    month = elsewhere / "结果 文件夹" / PERIOD
    assert (month / BOOK).is_file() and (month / "slips" / "全部.html").is_file()
