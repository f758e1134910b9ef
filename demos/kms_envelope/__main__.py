"""`python -m kms_envelope`: see cli.py."""

import os
import sys

from .cli import run

try:
    code = run()
    sys.stdout.flush()
except BrokenPipeError:
    # The reader of stdout went away (`| head`): stop quietly. Point stdout at
    # devnull so that the interpreter's own flush at exit cannot fail again.
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    code = 1
sys.exit(code)
