"""What if (对比): the same month (or year-end plan) under other rules or inputs, side by side.

``--compare RULES`` (a rules file or folder, as ``--rules`` takes) is one alternative
each; every ``--compare-set key=value`` and ``--compare-input 表.键.列=值`` together form
one more.  The month is read and computed once as it stands (:func:`kfbonus.pipeline._prepare`),
then again under each alternative with the scheme's own ``compute`` (the year-end
run: :func:`kfbonus.pipeline.year_end_plan` on a copy of the ledger), and the one
file ``对比_<期间>_<name>.xlsx`` is written in the output folder — never in the period's
own folder, never the ledger.  An approved period compares like a draft: nothing here
looks at its lock.

A ``--compare-set`` value is TOML (``0.25``, ``[[1,40],[2,60]]``, ``true``), checked by
:func:`kfbonus.rules.check_value` and :func:`kfbonus.rules.check_pairs`, the same checks
a rules file goes through.  A ``--compare-input`` value is parsed by the column's own
cell parser (:data:`kfbonus.values.PARSERS`), as a typed cell would be.  Anything that
cannot be used is a :class:`~kfbonus.pipeline.ConfigError` (exit 2) naming it.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import tomllib
import unicodedata
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from kfbonus.model import Columns, MonthInput, MonthResult
from kfbonus.pipeline import (
    EXIT_INPUT,
    EXIT_OK,
    ConfigError,
    Options,
    _prepare,
    _require_input,
    default_assess_date,
    default_scheme,
    ledger_path,
    load_params,
    print_problems,
    read_inputs,
    registered,
    rules_apply,
    run_of,
    run_time,
    say,
    year_end_plan,
    year_end_scheme,
)
from kfbonus.problems import Problem, RowRef, SheetTable, has_errors
from kfbonus.render.view import is_annual, what_of
from kfbonus.rules import ParamError, Params, override_params, show_value
from kfbonus.schema import Field, Table
from kfbonus.schemes.base import Scheme
from kfbonus.values import PARSERS, BadValue, display

__all__ = ["CompareOptions", "InputOverride", "Variant", "compare_name", "parse_input_override",
           "parse_rule_override", "run_compare"]

SET_HINT = ("值按 TOML 写法：数值 0.25、1500，文字加单引号 '电工'，是否 true/false，"
            "列表 [[1,40],[2,60]]、['电工','焊工']；比例写小数（0.25 表示 25%）")
INPUT_SYNTAX = "<表名>.<工程编号或工号>.<列名>=<值>，如 工程激励申报.GC-2611-05.集体激励比例=15%"


@dataclass(frozen=True)
class CompareOptions:
    """What the command line asked to compare: rules files or folders, ``key=value``
    rule overrides and ``表.键.列=值`` input overrides (the latter two one alternative)."""

    rules: tuple[Path, ...] = ()
    sets: tuple[str, ...] = ()
    inputs: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.rules or self.sets or self.inputs)


@dataclass(frozen=True)
class InputOverride:
    """One input value changed: table, row key (工程编号 / 工号 / both), column, value."""

    text: str
    table: Table
    key: tuple[str, ...]          # values of the table's key fields, in KEYS order
    field: Field
    raw: str
    value: object

    @property
    def where(self) -> str:
        return f"{self.table.title} {'/'.join(self.key)} {self.field.header}"


@dataclass
class Variant:
    """One alternative: its file-name part, what it is, its parameters and input changes."""

    name: str
    label: str
    params: Params
    inputs: tuple[InputOverride, ...] = ()
    result: MonthResult | None = None
    changed: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    """(parameter key, its Chinese label, clause, value now, value here); an input value
    changed is (输入, table row column, 输入修改, before, after)."""


# --- the tables' keys and short names -------------------------------------------------

def _tables() -> tuple[Table, ...]:
    from kfbonus.schemes import all_tables

    return all_tables()


def _table(name: str) -> Table:
    tables = _tables()
    by_name = {t.title: t for t in tables} | {t.kind: t for t in tables}
    by_name |= {n: t for t in tables for n in t.nicknames}
    table = by_name.get(name)
    if table is None or not table.keys:
        usable = "、".join(t.title for t in tables if t.keys)
        raise ConfigError(f"对比输入修改「{name}」：没有这张表；可修改的表：{usable}")
    return table


def _field(table: Table, name: str) -> Field:
    for f in table.fields:
        if name in (f.name, *f.headers):
            if f.name in table.keys:
                raise ConfigError(f"对比输入修改：「{table.title}」的「{f.header}」用来选定行，不能修改")
            return f
    columns = "、".join(f.header for f in table.fields if f.name not in table.keys)
    raise ConfigError(f"对比输入修改：「{table.title}」没有「{name}」列；可修改的列：{columns}")


def parse_input_override(text: str) -> InputOverride:
    """``工程激励申报.GC-2611-05.集体激励比例=15%`` → the override, its value parsed by the
    column's cell parser.  Full-width ``．`` ``＝`` ``／`` are read as their ASCII forms.
    Raises :class:`ConfigError` naming what cannot be used."""
    left, sep, raw = text.partition("=")
    if not sep:
        left, sep, raw = text.partition("＝")
    left = unicodedata.normalize("NFKC", left).strip()
    parts = [p.strip() for p in left.split(".")]
    if not sep or len(parts) != 3 or not all(parts):
        raise ConfigError(f"对比输入修改「{text}」：格式应为 {INPUT_SYNTAX}")
    table = _table(parts[0])
    keys = tuple(k.strip() for k in parts[1].split("/"))
    wanted = table.keys
    if len(keys) != len(wanted) or not all(keys):
        names = "/".join(table.field(k).header for k in wanted)
        raise ConfigError(f"对比输入修改「{text}」：「{table.title}」的行按 {names} 选定，"
                          f"应写作 {table.title}.{names}.<列名>=<值>")
    fld = _field(table, parts[2])
    keys = tuple(str(PARSERS[table.field(k).kind](v)) for k, v in zip(wanted, keys, strict=True))
    try:
        value = PARSERS[fld.kind](raw.strip())
    except BadValue as exc:
        raise ConfigError(f"对比输入修改「{text}」：{fld.header}的值「{raw.strip()}」无法使用："
                          f"{exc.reason}") from None
    if value is None and fld.required:
        raise ConfigError(f"对比输入修改「{text}」：{fld.header}是必填列，不能改为空白")
    return InputOverride(text, table, keys, fld, raw.strip(), value)


def apply_input_overrides(month: MonthInput, overrides: tuple[InputOverride, ...]) -> MonthInput:
    """A copy of ``month`` with the overrides applied (the files are never touched).

    The row is the one whose key fields match; no such row is an error, except where the
    table says a row may be added (``added_if_in``: an 工程激励申报 row for a project that
    has settlement lines): it is added with its other cells blank (重点工程 blank = 否
    unless an override gives it), so a ratio can be tried before the application is filed."""
    tables = dict(month.tables)
    for o in overrides:
        kind = o.table.kind
        df = tables[kind]
        hits = _matching(df, o)
        grows = o.table.added_if_in
        if not hits and grows is not None and o.key[0] in _values(tables, *grows):
            df = _add_row(df, o.table, o.key)
            hits = [len(df) - 1]
        if not hits:
            keys = "/".join(f"{o.table.field(k).header}「{v}」"
                            for k, v in zip(o.table.keys, o.key, strict=True))
            extra = ""
            if grows is not None:
                where = next((t.title for t in _tables() if t.kind == grows[0]), grows[0])
                extra = f"（新增{o.table.title}行的{o.table.field(o.table.keys[0]).header}须在本月{where}中）"
            raise ConfigError(f"对比输入修改「{o.text}」：「{o.table.title}」中没有{keys}的行{extra}")
        if len(hits) > 1:
            raise ConfigError(f"对比输入修改「{o.text}」：「{o.table.title}」中 {'/'.join(o.key)} 有 "
                              f"{len(hits)} 行，无法确定修改哪一行")
        tables[kind] = df.with_value(hits[0], o.field.name, o.value)
    return replace(month, tables=tables)


def _matching(df: Columns, o: InputOverride) -> list[int]:
    """The rows of ``df`` whose key fields read as the override's key."""
    keys = [df.column(k) for k in o.table.keys]
    return [i for i, row in enumerate(zip(*keys, strict=True))
            if all(x is not None and str(x) == v for x, v in zip(row, o.key, strict=True))]


def _values(tables: dict[str, Columns], kind: str, name: str) -> set[str]:
    df = tables.get(kind)
    if df is None or not len(df) or name not in df.columns:
        return set()
    return {str(p) for p in df[name] if p is not None}


def _add_row(df: Columns, table: Table, key: tuple[str, ...]) -> Columns:
    """A row of ``table`` that is not in the folder (an application not yet filed): its key
    fields set, every other cell blank, its source the what-if itself."""
    headers = {f.name: ("", f.header) for f in table.fields}
    where = SheetTable("（对比假设）", table.title, table.kind, 1, headers)
    return df.with_row({**dict(zip(table.keys, key, strict=True)), "src": RowRef(where, len(df) + 2)})


def _shown_input(o: InputOverride, value: object) -> str:
    if value is None:
        return "（空白）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal) and o.field.kind.value in ("ratio", "percent"):
        from kfbonus.rules import fmt_percent

        return fmt_percent(value)
    return display(value)


def _input_before(month: MonthInput, o: InputOverride) -> str:
    df = month.tables[o.table.kind]
    hits = _matching(df, o)
    return _shown_input(o, df.column(o.field.name)[hits[0]]) if hits else "（无此行，新增）"


# --- rule overrides -------------------------------------------------------------------

def parse_rule_override(text: str) -> tuple[str, object]:
    """``collective.ratio_max=0.25`` → (key, the value as TOML gives it); the check of the
    value is :func:`kfbonus.rules.override_params`'s."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key or not raw.strip():
        raise ConfigError(f"对比参数「{text}」：格式应为 参数键=值，如 collective.ratio_max=0.25")
    try:
        value = tomllib.loads(f"v = {raw.strip()}", parse_float=Decimal)["v"]
    except tomllib.TOMLDecodeError:
        raise ConfigError(f"对比参数 {key}：值「{raw.strip()}」无法识别；{SET_HINT}") from None
    return key, value


def _set_params(base: Params, sets: tuple[str, ...], name: str) -> Params:
    raw: dict[str, object] = {}
    for text in sets:
        key, value = parse_rule_override(text)
        if key in raw:
            raise ConfigError(f"对比参数 {key} 给了两次")
        raw[key] = value
    try:
        return override_params(base, raw, name)
    except ParamError as exc:
        hint = "（参数键见审批汇总表「规则与来源」）" if exc.why == "未知的参数键" else ""
        raise ConfigError(f"对比参数错误：{exc.key}：{exc.why}{hint}") from None


# --- names ------------------------------------------------------------------------------

_UNSAFE = re.compile(r"[^\w.=+%-]+")


def slug(text: str, limit: int = 60) -> str:
    """A file-name part safe on Windows: letters (Chinese too), digits and ``. = + % - _``;
    any other run of characters becomes ``-``; a long one is cut and given a short hash."""
    s = _UNSAFE.sub("-", unicodedata.normalize("NFKC", text)).replace("=-", "=").strip("-.")
    if len(s) > limit:
        s = s[:limit - 7].rstrip("-.") + "-" + hashlib.sha256(text.encode()).hexdigest()[:6]
    return s or "对比"


def _short(text: str) -> str:
    """An override in a file name: ``key=value`` when the value is short, else the key."""
    key, _, value = text.partition("=")
    value = slug(value.strip(), limit=200)
    return f"{key.strip()}={value}" if len(value) <= 12 else key.strip()


def compare_name(variants: list[Variant]) -> str:
    return slug("_".join(v.name for v in variants), limit=80)


def compare_file(opts: Options, variants: list[Variant]) -> Path:
    return opts.output_dir / f"对比_{opts.period}_{compare_name(variants)}.xlsx"


# --- the run ----------------------------------------------------------------------------

def compare_scheme(opts: Options, compare: CompareOptions) -> Scheme:
    """The scheme compared: ``--scheme``; else the scheme a ``--compare`` rules file is
    for, or the one scheme whose parameters ``--compare-set`` names; else the year-end
    scheme (``--annual``) or the default scheme."""
    schemes = registered(opts)
    if opts.scheme is not None:
        return next(s for s in schemes if s.id == opts.scheme)
    if opts.annual:
        return year_end_scheme(opts, schemes)
    for path in compare.rules:
        for s in schemes:
            if s.posts is not None and rules_apply(path, s, schemes):
                return s
    keys = {text.partition("=")[0].strip() for text in compare.sets}
    owning = [s for s in schemes if keys and keys <= set(s.param_checks)]
    if len(owning) == 1:   # parameters only one scheme has say which scheme is meant
        return owning[0]
    return default_scheme(schemes)


def build_variants(opts: Options, compare: CompareOptions, base: Params, assess_date,
                   scheme: Scheme | None = None) -> list[Variant]:
    """Every alternative with its parameters, checked before anything is read."""
    variants: list[Variant] = []
    for path in compare.rules:
        try:
            params = load_params(opts, assess_date, scheme, rules=path)
        except ConfigError as exc:
            raise ConfigError(f"对比{exc}") from None
        variants.append(Variant(slug(Path(params.source).stem), f"规则文件 {params.source}（{params.label}）",
                                params))
    if compare.sets or compare.inputs:
        texts = [*compare.sets, *compare.inputs]
        name = slug("+".join(_short(t) for t in texts))
        params = _set_params(base, compare.sets, name) if compare.sets else base
        inputs = tuple(parse_input_override(t) for t in compare.inputs)
        label = "；".join([*(f"改参数 {t}" for t in compare.sets), *(f"改输入 {t}" for t in compare.inputs)])
        variants.append(Variant(name, label, params, inputs))
    for v in variants:
        v.changed = [(k, v.params.labels.get(k, "") or base.labels.get(k, ""),
                      v.params.clauses.get(k, base.clauses[k]),
                      show_value(k, base.values[k], base.spec), show_value(k, v.params.values[k], base.spec))
                     for k in base.values if v.params.values.get(k) != base.values[k]]
        if (v.params.scheme, v.params.version) != (base.scheme, base.version):
            v.changed.insert(0, ("scheme", "方案版本", "", base.label, v.params.label))
    return variants


def run_compare(opts: Options, compare: CompareOptions) -> int:
    """Compute the period as it stands and under each alternative; write the one 对比 workbook."""
    _require_input(opts)
    assess_date = opts.assess_date or default_assess_date(opts.period, opts.annual)
    scheme = compare_scheme(opts, compare)
    base = load_params(opts, assess_date, scheme)
    variants = build_variants(opts, compare, base, assess_date, scheme)
    if opts.annual:
        current = _annual(opts, base, variants, assess_date, scheme)
    else:
        current = _monthly(opts, variants, assess_date, scheme)
    if current is None:
        return EXIT_INPUT
    for v in variants:
        assert v.result is not None
        for o in v.inputs:
            v.changed.append(("输入", o.where, "（输入修改）", _input_before(current.inputs, o),
                              _shown_input(o, o.value)))
    return _write(opts, current, variants)


def _refuse(problems: list[Problem], where: str) -> None:
    print_problems([p for p in problems if p.is_error])
    say()
    say(f"{where}有错误，未生成对比表；本期结果和账本未改动。")


def _monthly(opts: Options, variants: list[Variant], assess_date, scheme: Scheme) -> MonthResult | None:
    from dataclasses import replace

    from kfbonus.scoping import scoped
    from kfbonus.validate import validate

    month, problems, results, _ = _prepare(replace(opts, scheme=scheme.id))
    current = next((r for r in results if r.scheme_id == scheme.id), None)
    if has_errors(problems) or current is None:
        _refuse(problems, "输入")
        return None
    schemes = registered(opts)
    run = run_of(opts, scheme, assess_date)
    for v in variants:
        alt_month, alt_problems = month, list(problems)
        if v.inputs:
            alt_month = apply_input_overrides(month, v.inputs)
            alt_problems = list(month.problems) + validate(alt_month)
        sub, left_out = scoped(alt_month, scheme, schemes)
        alt_problems += left_out + [p for check in scheme.checks for p in check(sub)]
        result = scheme.compute(sub, v.params, run)
        result.problems = alt_problems + result.problems
        if has_errors(result.problems):
            _refuse(result.problems, f"对比方案「{v.label}」下")
            return None
        v.result = result
    return current


def _annual(opts: Options, base: Params, variants: list[Variant], assess_date,
            scheme: Scheme) -> MonthResult | None:
    """The year-end plan as it stands and under each alternative, from a copy of the ledger
    (opening a ledger may migrate it: the department's own file is never opened)."""
    from kfbonus.ledger import Ledger

    source = ledger_path(opts)
    if not source.is_file():
        say(f"账本「{source}」不存在：年度对比按账本中的月份计算，请先运行并批准各月。")
        return None
    month, problems = read_inputs(opts.input_dir, opts.period)
    if has_errors(problems):
        _refuse(problems, "输入")
        return None
    with tempfile.TemporaryDirectory(prefix="kfbonus-compare-") as tmp:
        copy = Path(tmp) / "ledger.sqlite"
        shutil.copyfile(source, copy)
        with Ledger.open(copy) as ledger:
            current = year_end_plan(opts, ledger, month, problems, base, assess_date, scheme)
            if has_errors(current.problems):
                _refuse(current.problems, "年度方案")
                return None
            for v in variants:
                result = year_end_plan(opts, ledger, month, problems, v.params, assess_date, scheme)
                if has_errors(result.problems):
                    _refuse(result.problems, f"对比方案「{v.label}」下")
                    return None
                v.result = result
    return current


def _write(opts: Options, current: MonthResult, variants: list[Variant]) -> int:
    from kfbonus.render.compare import CompareVariant, write_compare_workbook

    target = compare_file(opts, variants)
    opts.output_dir.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.stem}.tmp-{os.getpid()}.xlsx")
    at = run_time()
    try:
        write_compare_workbook(current, [CompareVariant(v.label, v.result, tuple(v.changed))
                                         for v in variants if v.result is not None], tmp, at)
        try:
            os.replace(tmp, target)
        except PermissionError:
            say(f"对比表「{target}」正在被 Excel 或 WPS 打开：请关闭后重新运行；本次未写入。")
            return EXIT_INPUT
    finally:
        tmp.unlink(missing_ok=True)
    _print_summary(current, variants, target)
    return EXIT_OK


def _print_summary(current: MonthResult, variants: list[Variant], target: Path) -> None:
    from kfbonus.money import ZERO, fmt_money

    def total(result: MonthResult) -> Decimal:
        return sum((line.amount for line in result.lines), ZERO)

    now = total(current)
    what = "年度奖" if is_annual(current) else what_of(current)
    say(f"{current.period} {what}对比（现行 {current.scheme}，考核日 {current.assess_date}）")
    say(f"  现行合计 {fmt_money(now):>14}")
    for i, v in enumerate(variants, start=1):
        assert v.result is not None
        alt = total(v.result)
        say(f"  方案{i} 合计 {fmt_money(alt):>14}  差额 {fmt_money(alt - now):>12}  （{v.label}）")
    unchanged = "本年度方案" if is_annual(current) else "本月结果"
    say(f"对比表已写入 {target}（仅供测算；{unchanged}和账本未改动）")
