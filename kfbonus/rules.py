"""The scheme as data: dated rules files (FS-MS-KF-13 A/2 …) and the parameters in force.

One TOML file per scheme version (``kfbonus/rules/*.toml``): a ``[scheme]`` table (id,
version, effective date, title) and one table per parameter with ``value``, ``clause``,
optional ``company_set`` and ``label``.  :func:`load_rules` checks every file against
:data:`SPEC` and raises :class:`RulesError` (Chinese message naming the file and the key)
for anything wrong; :meth:`RuleSet.in_force` picks the version in force on a date.
Award functions receive a :class:`Params` and never read files.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

from kfbonus.money import D, fmt_money

__all__ = ["ParamError", "Params", "RuleSet", "RuleSpec", "RulesError", "check_pairs", "check_value",
           "load_rules", "override_params", "show_value"]

class RulesError(Exception):
    """A rules file that cannot be used; the message (Chinese) names the file and the key."""


class ParamError(ValueError):
    """One parameter that cannot be used: ``key`` and ``why`` (Chinese).  The rules loader
    and the what-if overrides (``--compare-set``) both raise it through :func:`check_value`
    and :func:`check_pairs`, and each prefixes where the value came from."""

    def __init__(self, key: str, why: str):
        super().__init__(f"{key}：{why}")
        self.key = key
        self.why = why


# --- value checkers: each returns the typed value or raises ValueError(Chinese reason) ---

def _str_list(v: object, allowed: tuple[str, ...] | None = None) -> tuple[str, ...]:
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise ValueError("应为文字列表，如 [\"外包\", \"临时\"]")
    out = tuple(x.strip() for x in v)
    if allowed is not None:
        bad = [x for x in out if x not in allowed]
        if bad:
            raise ValueError(f"含未知奖项 {bad}，可选 {list(allowed)}")
    return out


def _int(v: object, lo: int = 0, hi: int | None = None) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        raise ValueError("应为整数")
    if v < lo or (hi is not None and v > hi):
        raise ValueError(f"应在 {lo}–{hi if hi is not None else '∞'} 之间，实为 {v}")
    return v


def _decimal(v: object) -> Decimal:
    if isinstance(v, bool) or not isinstance(v, int | Decimal):
        raise ValueError("应为数值")
    return D(v)


def _rate(v: object) -> Decimal:
    d = _decimal(v)
    if not Decimal(0) <= d <= Decimal(1):
        raise ValueError(f"比例应在 0–1 之间（如 0.15 表示 15%），实为 {d}")
    return d


def _money(v: object) -> Decimal:
    d = _decimal(v)
    if d < 0:
        raise ValueError(f"金额不能为负，实为 {d}")
    return d


def _percent(v: object) -> Decimal:
    d = _decimal(v)
    if not Decimal(0) <= d <= Decimal(5):
        raise ValueError(f"百分比应为 0–5 之间的小数（1.00 表示 100%），实为 {d}")
    return d


def _score(v: object) -> Decimal:
    d = _decimal(v)
    if not Decimal(0) <= d <= Decimal(100):
        raise ValueError(f"分数应在 0–100 之间，实为 {d}")
    return d


def _bool(v: object) -> bool:
    if not isinstance(v, bool):
        raise ValueError("应为 true 或 false")
    return v


def _text(v: object) -> str:
    if not isinstance(v, str) or not v.strip():
        raise ValueError("应为非空文字")
    return v.strip()


def _choice(*options: str) -> Callable[[object], str]:
    def check(v: object) -> str:
        if v not in options:
            raise ValueError(f"应为 {' 或 '.join(repr(o) for o in options)}，实为 {v!r}")
        return v  # type: ignore[return-value]
    return check


def _tiers(v: object) -> tuple[tuple[int, Decimal], ...]:
    if not isinstance(v, list) or not v:
        raise ValueError("应为 [[年数, 金额], …] 列表")
    out: list[tuple[int, Decimal]] = []
    for item in v:
        if not isinstance(item, list) or len(item) != 2:
            raise ValueError(f"每档应为 [年数, 金额]，实为 {item!r}")
        years, amount = _int(item[0], lo=1), _money(item[1])
        if out and years <= out[-1][0]:
            raise ValueError(f"工龄档应按年数从小到大排列，{years} 年排在 {out[-1][0]} 年之后")
        out.append((years, amount))
    return tuple(out)


def _money_map(v: object) -> Mapping[str, Decimal]:
    if not isinstance(v, dict) or not v:
        raise ValueError("应为 {类别 = 金额} 表")
    out = {}
    for k, amount in v.items():
        try:
            out[k.strip()] = _money(amount)
        except ValueError as exc:
            raise ValueError(f"类别「{k}」：{exc}") from None
    return MappingProxyType(out)





@dataclass(frozen=True)
class RuleSpec:
    """What a scheme's rules files must hold: every parameter key with the check that
    types it (in the order shown on 规则与来源), the (lower, upper) pairs that must be in
    order, and how a value reads on the sheet (``show(key, value)``; None falls back to
    the general forms of :func:`show_value`)."""

    checks: Mapping[str, Callable[[object], object]]
    pairs: tuple[tuple[str, str], ...] = ()
    show: Callable[[str, object], str | None] | None = None
    scheme: str | None = None     # the [scheme] id every file must carry (None: any)


_PARAM_FIELDS = {"value", "clause", "company_set", "label"}
_SCHEME_FIELDS = {"id", "version", "effective", "title"}


def check_value(key: str, raw: object, spec: RuleSpec) -> object:
    """``raw`` (as TOML gives it, floats as Decimal) typed by the check of ``spec``
    (FS-MS-KF-13's :data:`SPEC` by default) for ``key``; :class:`ParamError` for an
    unknown key or a value of the wrong type or out of range."""
    check = spec.checks.get(key)
    if check is None:
        raise ParamError(key, "未知的参数键")
    try:
        return check(raw)
    except ValueError as exc:
        raise ParamError(key, str(exc)) from None


def check_pairs(values: Mapping[str, object], spec: RuleSpec) -> None:
    """Lower bounds not above their upper bounds (rate_min ≤ rate_max …): :class:`ParamError`
    naming the lower key otherwise."""
    for lo, hi in spec.pairs:
        if values[lo] > values[hi]:  # type: ignore[operator]
            raise ParamError(lo, f"下限 {show_value(lo, values[lo], spec)} 大于上限 {hi} = "
                                 f"{show_value(hi, values[hi], spec)}")


def show_value(key: str, value: object, spec: RuleSpec | None = None) -> str:
    """A parameter value as text for the 规则与来源 sheet (Chinese, no Python syntax)."""
    special = spec.show if spec is not None else None
    shown = special(key, value) if special is not None else None
    if shown is not None:
        return shown
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Mapping):
        return "；".join(f"{k} {fmt_money(v)}" for k, v in value.items())
    if isinstance(value, tuple):
        return "、".join(str(x) for x in value)
    if isinstance(value, Decimal):
        return fmt_money(value) if key.endswith("amount") else fmt_number(value)
    return str(value)


def fmt_number(value: Decimal) -> str:
    """A plain decimal without trailing zeros or exponent: 92.6250 → 92.625, 10 → 10."""
    d = D(value).normalize()
    text = format(d, "f")
    return "0" if text in ("-0", "") else text


def fmt_percent(value: Decimal) -> str:
    """0.15 → 15%, 0.035 → 3.5%, 1 → 100%."""
    return fmt_number(D(value) * 100) + "%"


@dataclass(frozen=True)
class Params:
    """The parameters of one scheme version (the values in force on a date)."""

    scheme: str
    version: str
    effective: dt.date
    title: str
    source: str
    values: Mapping[str, object]
    clauses: Mapping[str, str]
    company_set: Mapping[str, bool]
    labels: Mapping[str, str] = field(default_factory=dict)
    spec: RuleSpec = field(default=None, compare=False, repr=False)  # type: ignore[assignment]

    @property
    def label(self) -> str:
        return f"{self.scheme} {self.version}"

    def __getitem__(self, key: str) -> object:
        return self.values[key]

    def get(self, key: str, default: object = None) -> object:
        return self.values.get(key, default)

    def clause(self, key: str) -> str:
        return self.clauses[key]

    def rows(self) -> list[tuple[str, str, str, bool]]:
        """(key, value shown as text, clause, company_set) in the order of the spec."""
        spec = self.spec
        return [(k, show_value(k, self.values[k], spec), self.clauses[k], self.company_set[k])
                for k in spec.checks]


@dataclass(frozen=True)
class RuleSet:
    """Every scheme version loaded, oldest first."""

    versions: tuple[Params, ...]

    def __iter__(self) -> Iterator[Params]:
        return iter(self.versions)

    def in_force(self, date: dt.date) -> Params:
        """The version with the latest effective date on or before ``date``."""
        candidates = [p for p in self.versions if p.effective <= date]
        if not candidates:
            known = "、".join(f"{p.label}（{p.source}，{p.effective} 生效）" for p in self.versions)
            raise RulesError(f"{date} 没有生效的方案版本；已载入：{known or '无'}")
        return max(candidates, key=lambda p: p.effective)


def _parse_file(path: Path, spec: RuleSpec) -> Params:
    name = path.name

    def fail(key: str, why: str) -> RulesError:
        return RulesError(f"规则文件 {name}：{key}：{why}")

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"规则文件 {name}：TOML 格式错误：{exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesError(f"规则文件 {name}：无法读取：{exc}") from None

    scheme = data.pop("scheme", None)
    if not isinstance(scheme, dict):
        raise fail("scheme", "缺少 [scheme] 表（id、version、effective、title）")
    for k in scheme:
        if k not in _SCHEME_FIELDS:
            raise fail(f"scheme.{k}", "未知的键")
    for k in sorted(_SCHEME_FIELDS):
        if k not in scheme:
            raise fail(f"scheme.{k}", "缺少此键")
    if not isinstance(scheme["effective"], dt.date) or isinstance(scheme["effective"], dt.datetime):
        raise fail("scheme.effective", f"应为日期（如 2009-04-01），实为 {scheme['effective']!r}")
    for k in ("id", "version", "title"):
        if not isinstance(scheme[k], str) or not scheme[k].strip():
            raise fail(f"scheme.{k}", "应为非空文字")

    values: dict[str, object] = {}
    clauses: dict[str, str] = {}
    company: dict[str, bool] = {}
    labels: dict[str, str] = {}
    for section, params in data.items():
        if not isinstance(params, dict):
            raise fail(section, "未知的键")
        for pname, entry in params.items():
            key = f"{section}.{pname}"
            if key not in spec.checks:
                raise fail(key, "未知的参数键")
            if not isinstance(entry, dict) or "value" not in entry:
                raise fail(key, "应为含 value 与 clause 的表")
            extra = set(entry) - _PARAM_FIELDS
            if extra:
                raise fail(f"{key}.{sorted(extra)[0]}", "未知的键（可用 value、clause、company_set、label）")
            if not isinstance(entry.get("clause"), str) or not entry["clause"].strip():
                raise fail(f"{key}.clause", "缺少条款出处")
            try:
                values[key] = check_value(key, entry["value"], spec)
            except ParamError as exc:
                raise fail(exc.key, exc.why) from None
            clauses[key] = entry["clause"].strip()
            flag = entry.get("company_set", False)
            if not isinstance(flag, bool):
                raise fail(f"{key}.company_set", "应为 true 或 false")
            company[key] = flag
            label = entry.get("label", "")
            if not isinstance(label, str):
                raise fail(f"{key}.label", "应为文字")
            labels[key] = label
    if spec.scheme is not None and scheme["id"].strip() != spec.scheme:
        found = scheme["id"].strip()
        raise fail("scheme.id", f"应为「{spec.scheme}」，实为「{found}」（这不是本方案的规则文件）")
    for key in spec.checks:
        if key not in values:
            raise fail(key, "缺少此参数")
    try:
        check_pairs(values, spec)
    except ParamError as exc:
        raise fail(exc.key, exc.why) from None
    return Params(
        scheme=scheme["id"].strip(), version=scheme["version"].strip(), effective=scheme["effective"],
        title=scheme["title"].strip(), source=name, values=MappingProxyType(values),
        clauses=MappingProxyType(clauses), company_set=MappingProxyType(company),
        labels=MappingProxyType(labels), spec=spec,
    )


def override_params(params: Params, raw: Mapping[str, object], source: str) -> Params:
    """``params`` with some values replaced (the what-if run's ``--compare-set``): each raw
    value checked by :func:`check_value`, then the pairs of the whole set by
    :func:`check_pairs`, exactly as a rules file is; ``source`` names the variant.
    Raises :class:`ParamError`."""
    values = dict(params.values)
    for key, value in raw.items():
        values[key] = check_value(key, value, params.spec)
    check_pairs(values, params.spec)
    from dataclasses import replace

    return replace(params, values=MappingProxyType(values), source=source)


def load_rules(path: Path | str | None, spec: RuleSpec, default_dir: Path | None = None) -> RuleSet:
    """Load a scheme's rules: ``path`` None = ``default_dir`` (the scheme's own folder); a
    folder = every ``*.toml`` in it; a file = that file.  Every file is checked against
    the scheme's ``spec``.  Raises :class:`RulesError` for a broken file."""
    if path is None:
        if default_dir is None:
            raise RulesError("没有指定规则文件")
        path = default_dir
    path = Path(path)
    if path.is_dir():
        files = sorted(path.glob("*.toml"))
        if not files:
            raise RulesError(f"规则文件夹 {path} 中没有 .toml 规则文件")
    elif path.is_file():
        files = [path]
    else:
        raise RulesError(f"规则文件 {path} 不存在")
    versions = [_parse_file(f, spec) for f in files]
    seen: dict[tuple[str, dt.date], str] = {}
    for p in versions:
        k = (p.scheme, p.effective)
        if k in seen:
            raise RulesError(
                f"规则文件 {p.source}：scheme.effective：与 {seen[k]} 的生效日期 {p.effective} 相同")
        seen[k] = p.source
    return RuleSet(tuple(sorted(versions, key=lambda p: p.effective)))
