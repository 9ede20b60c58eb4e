#!/usr/bin/env python3
"""Run one month of FS-MS-KF-13 incentives: ``python run_month.py 2026-11 --input DIR``.

A thin entry point; everything lives in :mod:`kfbonus.cli`.
"""

import sys

from kfbonus.cli import main

if __name__ == "__main__":
    sys.exit(main())
