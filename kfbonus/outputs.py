"""How a run's results reach the output folder and the ledger together (the write protocol).

The ledger must describe exactly the files on disk, whatever fails and whenever the
process dies.  A run that writes ``<output>/<name>/`` (a month ``2026-11`` or a year
``2026``), holding the output folder's lock (:mod:`kfbonus.lock`):

1. opens ONE ledger transaction, renders into a hidden ``.<name>.tmp-<pid>/`` beside the
   target and hashes what was written there (a month run records its lines in the
   transaction meanwhile, while its approval workbook is written in a second process);
2. records the run in the transaction (not yet committed);
3. re-checks the SHA-256 of every input file it read: a file saved meanwhile stops the
   run (:class:`InputsChanged`), nothing recorded or moved;
4. moves the previous ``<name>/`` to ``.<name>.old-<pid>/`` (when there was none, that
   folder is created empty with a marker file), then the new folder to ``<name>/``;
5. commits; only then removes ``.<name>.old-<pid>/``.

Any failure in 1–5 rolls the transaction back, removes the temporary folder and moves
the previous folder back
(a file Excel or WPS holds open makes the move fail on Windows: :class:`OutputInUse`).
A process killed at any instant leaves at most these hidden folders and an
uncommitted transaction, which SQLite rolls back when the ledger is next opened;
:func:`recover`, run by every command that touches the folder, then settles it: an
``.old-`` folder is kept (moved back) unless the ledger, as committed, describes the
folder in place; ``.tmp-`` folders are removed.  A correction goes the same way into a
new ``更正_NN/`` folder: one not recorded in the ledger is removed by :func:`recover`.
So is the folder ``--discard`` sets aside as ``.<name>.discard-<pid>``: deleted when the
ledger no longer has the period, else moved back.

Tests kill the process at each step with the environment variable
``KFBONUS_TEST_DIE_AT=<step>`` (:func:`die_at`; steps ``rendered``, ``recorded``,
``moved-old``, ``moved``, ``committed``); it is never set in normal use.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from kfbonus.ledger import Ledger, hash_file
from kfbonus.model import MonthInput

__all__ = ["NOTHING_BEFORE", "InputsChanged", "OutputInUse", "check_inputs", "die_at", "install",
           "install_new", "recover", "refuse_open_files", "tmp_folder"]

NOTHING_BEFORE = ".kfbonus-nothing-before"
"""Marker file in an ``.old-`` folder: the target did not exist before the run."""

RENAME_TRIES = 3
"""A rename refused with PermissionError is tried this many times, 0.2 s apart (an
antivirus scanner or the search indexer may hold a just-written file for a moment)."""


class OutputInUse(Exception):
    """A result file is open in Excel/WPS (or held by another program): nothing was changed."""

    def __init__(self, path: Path | str, lock: Path | None = None):
        self.path = Path(path)
        self.lock = lock
        stale = (f"如果它其实没有打开，请删除同一文件夹中的「{lock.name}」（Excel/WPS 异常退出时留下的"
                 f"锁定文件）后重新运行。") if lock is not None else ""
        held = "正在被 Excel 或 WPS 打开" + ("" if lock is not None else "（或被其他程序占用），无法替换")
        super().__init__(f"文件「{self.path}」{held}。请在 Excel/WPS 中关闭它后重新运行；"
                         f"本次未改动任何文件，上一次的结果和账本都保持不变。{stale}")


class InputsChanged(Exception):
    """An input file changed between reading and recording: nothing was recorded or moved."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        super().__init__(f"输入文件「{self.path}」在运行过程中被修改（可能有同事正在保存它），"
                         f"本次结果未写入；请确认后重新运行。")


def die_at(step: str) -> None:
    """Test hook: end the process abruptly (exit code 9) at ``step`` of the write protocol
    when ``KFBONUS_TEST_DIE_AT`` names it, as a kill or a power cut would."""
    if os.environ.get("KFBONUS_TEST_DIE_AT") == step:
        os._exit(9)


def tmp_folder(parent: Path, name: str) -> Path:
    """A new, empty, hidden folder ``parent/.<name>.tmp-<pid>`` where a run renders ``name``
    before it is moved into place."""
    tmp = parent / f".{name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    _set_hidden(tmp, True)
    return tmp


def _set_hidden(folder: Path, hidden: bool) -> None:
    """Windows does not hide dot-names: set or clear the folder's hidden attribute there, so a
    temporary or backup folder never shows in Explorer as a result.  Nothing elsewhere."""
    kernel32 = getattr(getattr(ctypes, "windll", None), "kernel32", None)
    if kernel32 is None:
        return
    attrs = kernel32.GetFileAttributesW(str(folder))
    if attrs == -1 or attrs == 0xFFFFFFFF:
        return
    kernel32.SetFileAttributesW(str(folder), (attrs | _HIDDEN) if hidden else (attrs & ~_HIDDEN))


_HIDDEN = 0x2   # FILE_ATTRIBUTE_HIDDEN


# --- before any work --------------------------------------------------------------------------

def refuse_open_files(folder: Path) -> None:
    """Raise :class:`OutputInUse` when Excel/WPS has a workbook of ``folder`` open: it leaves
    a lock file ``~$<workbook>`` beside it (Excel may drop the name's first 2 characters)."""
    if not folder.is_dir():
        return
    for lock in sorted(folder.rglob("~$*")):
        rest = lock.name[2:]
        names = [p.name for p in lock.parent.iterdir() if not p.name.startswith("~$")]
        owner = next((n for n in names if n == rest), None) or next(
            (n for n in names if n.endswith(rest) and len(n) == len(rest) + 2), rest)
        raise OutputInUse(lock.parent / owner, lock)


def check_inputs(inputs: MonthInput | None) -> None:
    """Raise :class:`InputsChanged` when an input file's bytes are no longer those read."""
    if inputs is None:
        return
    folder = Path(inputs.folder)
    for f in inputs.files:
        path = folder / f.name
        try:
            same = hash_file(path) == f.sha256
        except OSError:
            same = False
        if not same:
            raise InputsChanged(path)


# --- moving into place ------------------------------------------------------------------------

def install(tmp: Path, target: Path, ledger: Ledger, record: Callable[[], object],
            inputs: MonthInput | None = None) -> None:
    """Steps 2–5 of the protocol: ``tmp`` (complete, hashed) replaces ``target``, and
    ``record()`` (the ledger's writes) is committed, together or not at all."""
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    _remove(old)
    moved = False
    try:
        with ledger.transaction():
            record()
            die_at("recorded")
            check_inputs(inputs)
            if target.exists():
                rename_or_refuse(target, old)
            else:
                old.mkdir()
                (old / NOTHING_BEFORE).touch()
            _set_hidden(old, True)
            die_at("moved-old")
            try:
                _set_hidden(tmp, False)
                rename_or_refuse(tmp, target, shown=target)
            except BaseException:
                _put_back(old, target)
                raise
            moved = True
            die_at("moved")
    except BaseException:
        if moved:   # the commit failed after the move
            rename_or_refuse(target, tmp)
            _put_back(old, target)
        _remove(tmp)
        raise
    die_at("committed")
    _remove(old)


def install_new(tmp: Path, target: Path, ledger: Ledger, record: Callable[[], object],
                inputs: MonthInput | None = None) -> None:
    """Like :func:`install` for a folder that does not exist yet (a correction's
    ``更正_NN``): recorded, moved, committed; one that is not committed is removed here
    or, after a kill, by :func:`recover`."""
    moved = False
    try:
        with ledger.transaction():
            record()
            die_at("recorded")
            check_inputs(inputs)
            rename_or_refuse(tmp, target, shown=target)
            moved = True
            die_at("moved")
    except BaseException:
        if moved:
            _remove(target)
        raise
    die_at("committed")


def rename_or_refuse(src: Path, dst: Path, shown: Path | None = None) -> None:
    """Rename, or raise :class:`OutputInUse` naming the file (as it would be under
    ``shown``, the folder the user knows, when ``src`` is a hidden temporary one)."""
    for attempt in range(RENAME_TRIES):
        try:
            src.rename(dst)
            return
        except PermissionError as exc:
            if attempt + 1 == RENAME_TRIES:
                named = _open_file_in(src, exc)
                if shown is not None and named.is_relative_to(src):
                    named = shown / named.relative_to(src)
                raise OutputInUse(named) from None
            time.sleep(0.2)


def _open_file_in(folder: Path, exc: OSError) -> Path:
    """The file to name when renaming ``folder`` was refused: the one the error names, else
    the workbook in it a person most likely has open."""
    if exc.filename and Path(exc.filename) != folder and Path(exc.filename).name:
        named = Path(exc.filename)
        if named.is_file():
            return named
    books = sorted(folder.glob("*.xlsx")) if folder.is_dir() else []
    return books[0] if books else folder


def _put_back(old: Path, target: Path) -> None:
    """Undo the first move of :func:`install`: the previous folder (or none) is ``target`` again."""
    if (old / NOTHING_BEFORE).exists():
        _remove(old)
    elif old.exists() and not target.exists():
        _set_hidden(old, False)
        old.rename(target)


def _remove(folder: Path) -> bool:
    """Remove a temporary folder; False when something in it cannot be removed now (the
    next run tries again)."""
    if not folder.exists():
        return True
    shutil.rmtree(folder, ignore_errors=True)
    return not folder.exists()


# --- after a run that died --------------------------------------------------------------------

def recover(output_dir: Path, name: str, ledger: Ledger, scheme: str, period: str | None = None) -> list[str]:
    """Settle what a run that died left in ``output_dir`` for ``name`` (the output folder
    of ``period`` of ``scheme``, the scheme's id in the ledger; ``period`` is ``name`` when
    not given), so that the files agree with the ledger again; returns what was done, in
    Chinese, for the user.

    Holding the output folder's lock means no other run is under way: every ``.tmp-`` and
    ``.old-`` folder there was left by a run that died.
    """
    period = period or name
    target = output_dir / name
    notes: list[str] = []
    for old in sorted(output_dir.glob(f".{name}.old-*")):
        if _agrees(ledger, scheme, period, target):
            # the run was committed; only its backup was left
            if _remove(old):
                notes.append(f"上次运行已完成并记入账本，但在清理时中断；已删除它留下的备份文件夹「{old.name}」。")
            continue
        if target.exists():
            _set_hidden(target, True)
            rename_or_refuse(target, output_dir / f".{name}.tmp-recover-{os.getpid()}")
        if (old / NOTHING_BEFORE).exists():
            _remove(old)
            notes.append(f"上次运行在写入结果时中断，未记入账本；其未完成的结果已清除"
                         f"（{name} 此前没有结果）。")
        else:
            _set_hidden(old, False)
            old.rename(target)
            notes.append(f"上次运行在写入结果时中断，未记入账本；已恢复到上一次的结果「{target}」，"
                         f"与账本一致。")
    for aside in sorted(output_dir.glob(f".{name}.discard-*")):
        # --discard moves the folder here, deletes the ledger entry, then the folder
        if ledger.month(scheme, period) is None:
            if _remove(aside):
                notes.append(f"上次撤销 {name} 已记入账本，但在删除文件夹时中断；已删除「{aside.name}」。")
        elif not target.exists():
            _set_hidden(aside, False)
            rename_or_refuse(aside, target)
            notes.append(f"上次撤销 {name} 在记入账本前中断；已恢复文件夹「{target}」，与账本一致。")
    stale = sorted(output_dir.glob(f".{name}.tmp-*"))
    if target.is_dir():
        stale += sorted(target.glob(".correction.tmp-*"))
    removed = [p for p in stale if _remove(p)]
    if removed and not notes:
        notes.append("已清除上次中断的运行留下的临时文件夹（其中的结果未记入账本）：" +
                     "、".join(f"「{p.name}」" for p in removed))
    if target.is_dir():
        record = ledger.month(scheme, period)
        recorded = record.revision if record is not None else 0
        for folder in sorted(target.glob("更正_*")):
            number = folder.name.removeprefix("更正_")
            if number.isdigit() and int(number) > recorded and _remove(folder):
                notes.append(f"上次更正在写入时中断，「{folder.name}」未记入账本，已删除；"
                             f"需要时请重新运行该更正。")
    return notes


def _agrees(ledger: Ledger, scheme: str, period: str, folder: Path) -> bool:
    """The ledger has ``period`` and every output it recorded is in ``folder`` as recorded."""
    record = ledger.month(scheme, period)
    return record is not None and folder.is_dir() and not ledger.verify_outputs(scheme, period, folder)
