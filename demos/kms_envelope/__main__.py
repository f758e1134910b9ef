"""`python -m kms_envelope`: see cli.py."""

import sys

from .cli import run

sys.exit(run())
