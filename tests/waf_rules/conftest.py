"""Lets the test modules here import their shared helper, ``waf_build``
(pytest runs with --import-mode=importlib, which adds no test directory to
sys.path)."""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = str(Path(__file__).parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)
