"""How long ``make run`` takes to serve the demo: the first run on a fresh database, and a second.

Run from the project root with no arguments:  .venv/bin/python bench/demo.py

Runs ``make run`` itself, the path a user runs (set-up, ``migrate``, ``load_demo``, then the
mail catcher, task worker and web server of scripts/run), against a temporary SQLite database,
a temporary maildir and free ports, so it never touches var/ or a ``make run`` already going.
It times from launch until the home page answers 200 over HTTP, stops everything it started
as Ctrl+C would (and checks that nothing is left), then does it again on the same database.
It prints:

    bench demo first_s=<s> second_s=<s> first_cpu_s=<s> second_cpu_s=<s> <step>_s=<s> ... load=<l>

first_s and second_s run from launch to the first 200. The other figures are parts of the
first run: ``load_demo``'s own per-step times (data is the import of demo/data), ``ready_s``
from launch until ``load_demo`` has finished, and ``serve_s`` from then until the first 200.
first_cpu_s and second_cpu_s are the CPU seconds every process of the run used (until it
was stopped): on a busy machine they show what the run costs, which the wall times hide.
Goal (issue 11): first within 60 s and second within 5 s on a quiet two-core machine.
"""

from __future__ import annotations

import http.client
import os
import re
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STEP = re.compile(r"^Demo (\w+):.*\[(\d+\.\d) s\]$")
READY = "Partnerlens is running at"
TIMEOUT_S = 900


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(port: int) -> bool:
    """Whether the home page answers 200 over HTTP."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/")
        return connection.getresponse().status == 200
    except (ConnectionError, TimeoutError, OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()


def group_alive(pgid: int) -> list[int]:
    """Processes still in the process group ``make run`` was started in."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            alive.append(int(entry.name))
    return alive


def stop(process: subprocess.Popen) -> None:
    """Ctrl+C to the whole group, as a user stops ``make run``; then make sure it all ended."""
    pgid = process.pid
    for sig, grace in ((signal.SIGINT, 20), (signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            process.poll()
            if not group_alive(pgid):
                break
            time.sleep(0.1)
        else:
            print(f"bench demo: {sig.name} left {group_alive(pgid)} running", file=sys.stderr)
            continue
        break
    process.wait(timeout=10)
    left = group_alive(pgid)
    if left:
        raise SystemExit(f"bench demo: processes {left} outlived make run")


def cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(env: dict[str, str], port: int) -> tuple[float, float, list[tuple[float, str]]]:
    """One ``make run`` from launch to the first 200 on the home page; returns the seconds,
    the CPU seconds of everything it ran (until stopped) and the timed output lines."""
    lines: list[tuple[float, str]] = []
    cpu = cpu_of_children()
    started = time.monotonic()
    process = subprocess.Popen(
        ["make", "--no-print-directory", "run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )

    def read() -> None:
        for line in process.stdout:
            lines.append((time.monotonic() - started, line.rstrip()))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    url = f"http://127.0.0.1:{port}/"
    try:
        while not answers(port):
            if process.poll() is not None:
                reader.join(timeout=5)
                output = "\n".join(text for _, text in lines)
                raise SystemExit(f"bench demo: make run ended ({process.returncode}):\n{output}")
            if time.monotonic() - started > TIMEOUT_S:
                raise SystemExit(f"bench demo: no answer from {url} in {TIMEOUT_S} s")
            time.sleep(0.05)
        took = time.monotonic() - started
    finally:
        stop(process)
        reader.join(timeout=5)
    return took, cpu_of_children() - cpu, lines


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-demo-") as folder:
        port, mail_port = free_port(), free_port()
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{Path(folder) / 'demo.sqlite3'}",
            "RUN_PORT": str(port),
            "EMAIL_PORT": str(mail_port),
            "DEMO_MAILBOX_DIR": str(Path(folder) / "mailbox"),
            "PYTHONUNBUFFERED": "1",
        }
        first_s, first_cpu, first = run_once(env, port)
        second_s, second_cpu, second = run_once(env, port)
    for label, lines in (("first", first), ("second", second)):
        print(f"--- {label} make run", file=sys.stderr)
        for at, text in lines:
            print(f"{at:7.1f}  {text}", file=sys.stderr)
    steps = {m.group(1): m.group(2) for _, text in first if (m := STEP.match(text))}
    ready = next((at for at, text in first if READY in text), first_s)
    load = os.getloadavg()[0]
    print(
        f"bench demo first_s={first_s:.1f} second_s={second_s:.1f} "
        f"first_cpu_s={first_cpu:.1f} second_cpu_s={second_cpu:.1f} "
        + "".join(f"{name}_s={seconds} " for name, seconds in steps.items())
        + f"ready_s={ready:.1f} serve_s={first_s - ready:.1f} load={load:.2f}"
    )


if __name__ == "__main__":
    main()
