"""Expected figures of the sample month input_samples/2026-12 (issue 8).

Worked out with :mod:`decimal` following SCHEME.md (A/2 defaults; assessment date
2026-12-31; 27 due days), not with kfbonus.schemes.kf13.compute: ``python input_samples/make_sample_2026_12.py
--expected`` prints them.  The derivation, project by project, is in input_samples/README.md.
Amounts are Decimal strings; ``WORKERS`` holds every worker the 汇总 sheet should list (a
non-zero line), with the award columns in the order of the sheet.
"""

from __future__ import annotations

from decimal import Decimal

# award key → 汇总 column
COLUMNS = {
    "individual": "个人奖",
    "collective": "集体奖",
    "training": "培训补贴",
    "seniority": "工龄奖",
    "adjustment": "其他奖惩",
    "total": "合计",
}

# 工号 → (个人奖, 集体奖, 培训补贴, 工龄奖, 其他奖惩, 合计)
_ROWS = {
    "1001": ("249.48", "577.90", "0.00", "150.00", "0.00", "977.38"),
    "1002": ("249.47", "550.38", "0.00", "150.00", "0.00", "949.85"),
    "1003": ("0.00", "471.76", "0.00", "115.56", "0.00", "587.32"),
    "1004": ("249.47", "511.07", "0.00", "80.00", "0.00", "840.54"),
    "1005": ("0.00", "471.76", "0.00", "30.00", "0.00", "501.76"),
    "1006": ("249.47", "550.38", "0.00", "120.00", "0.00", "919.85"),
    "1007": ("0.00", "353.82", "0.00", "0.00", "0.00", "353.82"),
    "1008": ("0.00", "923.77", "0.00", "150.00", "0.00", "1073.77"),
    "1009": ("0.00", "839.80", "0.00", "150.00", "0.00", "989.80"),
    "1010": ("0.00", "747.94", "0.00", "80.00", "0.00", "827.94"),
    "1011": ("0.00", "734.82", "0.00", "80.00", "0.00", "814.82"),
    "1012": ("0.00", "787.31", "0.00", "48.15", "0.00", "835.46"),
    "1013": ("0.00", "566.86", "120.00", "0.00", "0.00", "686.86"),
    "1014": ("0.00", "839.79", "0.00", "120.00", "0.00", "959.79"),
    "1015": ("0.00", "297.23", "0.00", "150.00", "500.00", "947.23"),
    "1016": ("0.00", "247.70", "0.00", "150.00", "0.00", "397.70"),
    "1017": ("0.00", "247.70", "0.00", "27.78", "0.00", "275.48"),
    "1018": ("0.00", "297.23", "0.00", "80.00", "0.00", "377.23"),
    "1019": ("0.00", "222.93", "0.00", "0.00", "0.00", "222.93"),
    "1020": ("0.00", "247.69", "0.00", "120.00", "0.00", "367.69"),
    "1022": ("0.00", "380.14", "120.00", "150.00", "1000.00", "1650.14"),
    "1023": ("0.00", "348.46", "0.00", "80.00", "0.00", "428.46"),
    "1024": ("0.00", "316.78", "0.00", "133.33", "0.00", "450.11"),
    "1025": ("0.00", "380.14", "0.00", "0.00", "-100.00", "280.14"),
    "1026": ("0.00", "285.10", "90.00", "0.00", "0.00", "375.10"),
    "1028": ("0.00", "380.14", "0.00", "120.00", "-200.00", "300.14"),
    "1029": ("0.00", "652.24", "0.00", "150.00", "0.00", "802.24"),
    "1030": ("0.00", "608.76", "0.00", "120.00", "300.00", "1028.76"),
    "1031": ("0.00", "652.24", "0.00", "150.00", "0.00", "802.24"),
    "1032": ("0.00", "521.79", "0.00", "50.00", "0.00", "571.79"),
    "1034": ("0.00", "565.28", "0.00", "30.00", "0.00", "595.28"),
    "1035": ("0.00", "608.76", "60.00", "80.00", "0.00", "748.76"),
}
WORKERS: dict[str, dict[str, Decimal]] = {
    wid: dict(zip(COLUMNS, map(Decimal, amounts), strict=True)) for wid, amounts in _ROWS.items()
}

TOTALS: dict[str, Decimal] = {
    "individual": Decimal("997.89"),
    "collective": Decimal("16187.67"),
    "training": Decimal("390.00"),
    "seniority": Decimal("2864.82"),
    "adjustment": Decimal("1500.00"),
    "total": Decimal("21940.38"),
}

# Per project: 计件工资总额, Σ个人工期天数, 总分, 集体 pool, 未分配 (pool − round(Σ exact shares))
PROJECTS = {
    "GC-2612-01": {
        "wage_total": Decimal("24947.30"),
        "days": 89,
        "score": Decimal("93.5"),
        "pool": Decimal("3498.86"),
        "unallocated": Decimal("11.79"),
        "individual_pool": Decimal("997.89"),
    },
    "GC-2612-02": {
        "wage_total": Decimal("21443.70"),
        "days": 77,
        "score": Decimal("91"),
        "pool": Decimal("2439.22"),
        "unallocated": Decimal("0.00"),
    },
    "GC-2612-03": {
        "wage_total": Decimal("26745.40"),
        "days": 93,
        "score": Decimal("84"),
        "pool": Decimal("4043.90"),
        "unallocated": Decimal("0.00"),
    },
    "GC-2612-04": {
        "wage_total": Decimal("28881.80"),
        "days": 104,
        "score": Decimal("94.5"),
        "pool": Decimal("5458.66"),
        "unallocated": Decimal("18.37"),
    },
    "GC-2612-05": {
        "wage_total": Decimal("20756.50"),
        "days": 75,
        "score": Decimal("89.5"),
        "pool": Decimal("1857.71"),
        "unallocated": Decimal("0.00"),
    },
    "GC-2612-06": {"wage_total": Decimal("4326.00"), "days": 17},
}

# (工号, 工程编号 or '', award, amount computed and not paid, why)
UNPAID = [
    ("1027", "GC-2612-02", "collective", Decimal("348.46"), "临时"),
    ("1036", "GC-2612-03", "collective", Decimal("434.83"), "试用期"),
    ("1021", "GC-2612-05", "collective", Decimal("297.23"), "外包"),
    ("1036", "", "training", Decimal("180.00"), "试用期"),
]

# Warning codes 问题清单 should hold (no errors): the hidden settlement line (结算汇总 row 9,
# 1005 on GC-2612-01) and 1007 周文斌 nominated on GC-2612-01 rated 良好.
WARNING_CODES = {"hidden-row", "nominee-not-qualified"}
HIDDEN_ROW = ("计件工资结算单（2026年12月）.xlsx", "结算汇总", 9)
