"""Department settings that are not part of the scheme (README「Settings」).

The defaults are in ``kfbonus/settings.toml``; the environment variable
``KFBONUS_SETTINGS`` may name another TOML file of the same shape (keys left out
keep their defaults).  A broken or missing settings file never stops a run: the
defaults are used.
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

__all__ = ["DEFAULT_FILE", "Settings", "load_settings", "query_deadline"]

DEFAULT_FILE = Path(__file__).with_name("settings.toml")


@dataclass(frozen=True)
class Settings:
    company: str = "广东五星太阳能"
    department: str = "客户服务部"
    contact: str = "客户服务部核算员"   # whom a worker asks about a slip
    query_days: int = 10                # … within this many days after the period's end
    pdf: bool = True                    # write the PDF slips too
    fonts: tuple[str, ...] = ()         # font files tried in order for the PDF slips


def _read(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    pdf = dict(data.get("pdf", {}))
    if "enabled" in pdf:
        pdf["pdf"] = bool(pdf.pop("enabled"))
    flat = {**data.get("slip", {}), **pdf}
    names = {f.name for f in fields(Settings)}
    out = {k: v for k, v in flat.items() if k in names}
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


def query_deadline(period: str, settings: Settings) -> dt.date:
    """The last day to ask about a slip: ``query_days`` after the end of ``period``
    (``2026-11`` → 2026-12-10; ``2026`` → 2027-01-10)."""
    if len(period) == 4:
        end = dt.date(int(period), 12, 31)
    else:
        year, month = int(period[:4]), int(period[5:7])
        end = dt.date(year, month, calendar.monthrange(year, month)[1])
    return end + dt.timedelta(days=settings.query_days)
