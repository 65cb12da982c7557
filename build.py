#!/usr/bin/env python3
"""`python build.py` is `hearth build`; `python build.py CMD ...` is `hearth CMD ...`."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from hearth.cli import main  # noqa: E402

if __name__ == "__main__":
    main(sys.argv[1:] or ["build"])
