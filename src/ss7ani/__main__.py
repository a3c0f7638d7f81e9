"""``python -m ss7ani``: the command line."""

import sys

from .cli import main

sys.exit(main())
