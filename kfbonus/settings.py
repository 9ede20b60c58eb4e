"""Department settings that are not part of the scheme (README「Settings」).

The defaults are in ``kfbonus/settings.toml``; the environment variable
``KFBONUS_SETTINGS`` may name another TOML file of the same shape (keys left out
keep their defaults).  A broken or missing settings file, or a value that does not
parse, never stops a run: the default is used.

``[slip]``: company, department, whom to ask and by when; ``[pdf]``: PDF slips and
their fonts; ``[workbook]``: how amounts look (negatives with a minus or in brackets)
and when a change from last month is marked 变动大.
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
import tomllib
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation
from pathlib import Path

__all__ = ["DEFAULT_FILE", "Settings", "company_line", "load_settings", "query_deadline", "settings_trouble"]

DEFAULT_FILE = Path(__file__).with_name("settings.toml")


@dataclass(frozen=True)
class Settings:
    company: str = "广东五星太阳能有限公司"
    department: str = "客户服务部"
    contact: str = "客户服务部核算员"   # whom a worker asks about a slip
    query_days: int = 10                # … within this many days after the period's end
    pdf: bool = True                    # write the PDF slips too
    fonts: tuple[str, ...] = ()         # font files tried in order for the PDF slips
    signers: tuple[tuple[str, str], ...] = ()   # (role, name) printed in the sign-off blocks
    negative: str = "负号"              # 负号: -1,234.50 in red; 括号: (1,234.50) in red
    change_yuan: Decimal = Decimal(200)  # 变动大: at least this many yuan …
    change_pct: Decimal = Decimal(30)    # … and at least this percent of last month (0: that half off)

    def signer(self, role: str) -> str:
        """The name the settings give for a sign-off role (客户服务部经理 → 王经理), or ''."""
        return dict(self.signers).get(role, "")

    @property
    def money_format(self) -> str:
        """The Excel number format of every amount: thousands separator, two decimals,
        negatives red (minus or brackets), zero as ``-`` (the accounting convention)."""
        return _MONEY_FORMATS.get(self.negative, _MONEY_FORMATS["负号"])

    def large_change(self, before: Decimal, change: Decimal) -> bool:
        """变动大: ``|change|`` reaches both thresholds (a threshold of 0 is always reached)."""
        size = abs(change)
        if size == 0:
            return False
        return size >= self.change_yuan and size * 100 >= self.change_pct * abs(before)


_MONEY_FORMATS = {
    "负号": '#,##0.00;[Red]-#,##0.00;"-"',
    "括号": '#,##0.00;[Red](#,##0.00);"-"',
}


def _decimal(value: object) -> Decimal | None:
    """A non-negative threshold from TOML (int, float or text), or None when it does not parse."""
    try:
        d = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return d if d.is_finite() and d >= 0 else None


def _load(path: Path) -> dict:
    with path.open("rb") as fh:
        return tomllib.load(fh)


def settings_trouble() -> tuple[Path, str] | None:
    """(file, why) when the settings file named by ``KFBONUS_SETTINGS`` cannot be read."""
    override = os.environ.get("KFBONUS_SETTINGS")
    if not override:
        return None
    try:
        _load(Path(override))
    except OSError as exc:
        return Path(override), exc.strerror or type(exc).__name__
    except tomllib.TOMLDecodeError as exc:
        return Path(override), f"格式错误：{exc}；中文的键要加引号，如 \"客户服务部经理\" = \"王经理\""
    return None


def _read(path: Path) -> dict:
    try:
        data = _load(path)
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    pdf = dict(data.get("pdf", {}))
    if "enabled" in pdf:
        pdf["pdf"] = bool(pdf.pop("enabled"))
    flat = {**data.get("slip", {}), **pdf, **data.get("workbook", {})}
    names = {f.name for f in fields(Settings)}
    out = {k: v for k, v in flat.items() if k in names}
    for key in ("change_yuan", "change_pct"):
        if key in out and (value := _decimal(out[key])) is not None:
            out[key] = value
        else:
            out.pop(key, None)
    if out.get("negative") not in _MONEY_FORMATS:
        out.pop("negative", None)
    signers = data.get("signers", {})
    if isinstance(signers, dict):
        out["signers"] = tuple((str(k).strip(), str(v).strip()) for k, v in signers.items()
                               if str(v).strip())
    else:
        out.pop("signers", None)
    if "fonts" in out:
        out["fonts"] = tuple(str(x) for x in out["fonts"])
    if "query_days" in out and not isinstance(out["query_days"], int):
        out.pop("query_days")
    return out


def load_settings(path: Path | str | None = None) -> Settings:
    """The settings: defaults, overridden by ``path`` or ``$KFBONUS_SETTINGS`` when given."""
    values = _read(DEFAULT_FILE)
    override = path or os.environ.get("KFBONUS_SETTINGS")
    if override:
        values.update(_read(Path(override)))
    return Settings(**values)


def company_line(settings: Settings | None = None) -> str:
    """``广东五星太阳能有限公司 客户服务部``: who issues the outputs (page headers, properties)."""
    s = settings or load_settings()
    return f"{s.company} {s.department}".strip()


def query_deadline(period: str, settings: Settings) -> dt.date:
    """The last day to ask about a slip: ``query_days`` after the end of ``period``
    (``2026-11`` → 2026-12-10; ``2026`` → 2027-01-10)."""
    if len(period) == 4:
        end = dt.date(int(period), 12, 31)
    else:
        year, month = int(period[:4]), int(period[5:7])
        end = dt.date(year, month, calendar.monthrange(year, month)[1])
    return end + dt.timedelta(days=settings.query_days)
