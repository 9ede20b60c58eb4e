"""FS-MS-KF-13's award types, one module each: pure maths and formula text, no input checks.

``individual`` 个人奖 (§1), ``collective`` 集体奖 (§2), ``training`` 培训补贴, ``seniority``
工龄奖 and ``adjustment`` 其他奖惩 (§6); the year-end awards are in
:mod:`kfbonus.schemes.kf13.annual`.  :func:`kfbonus.schemes.kf13.compute.compute_month`
lists the monthly ones in the order it runs them.
"""
