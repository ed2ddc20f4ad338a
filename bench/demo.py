"""How long ``make run`` spends building the demo, on a fresh embedded database.

Run from the project root with no arguments:  .venv/bin/python bench/demo.py

In a temporary SQLite database (never var/ and never DATABASE_URL's), runs ``migrate``, then
``load_demo`` twice, each in a fresh process as ``make run`` does, and prints:

    bench demo migrate_s=<s> first_s=<s> second_s=<s> <step>_s=<s> ...

first_s is the whole first ``load_demo`` (importing demo/data and building every step); the
step times are what ``load_demo`` reports per step; second_s is a second run, which should
create nothing. Goal: first run within 60 s and a second within a few seconds on two cores.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STEP = re.compile(r"^Demo (\w+):.*\[(\d+\.\d) s\]$")


def manage(database: Path, *args: str) -> tuple[float, str]:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return time.monotonic() - started, done.stdout


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "demo.sqlite3"
        migrate_s, _ = manage(database, "migrate", "--no-input", "-v0")
        first_s, first = manage(database, "load_demo")
        second_s, second = manage(database, "load_demo")
    steps = {m.group(1): m.group(2) for line in first.splitlines() if (m := STEP.match(line))}
    print(first + second, file=sys.stderr)
    print(
        f"bench demo migrate_s={migrate_s:.1f} first_s={first_s:.1f} second_s={second_s:.1f} "
        + " ".join(f"{name}_s={seconds}" for name, seconds in steps.items())
    )


if __name__ == "__main__":
    main()
