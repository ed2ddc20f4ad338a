"""``serve_demo``, the web server of ``make run``: it listens only once load_demo is done."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def status(port: int) -> int | None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/healthz")
        return connection.getresponse().status
    except OSError:
        return None
    finally:
        connection.close()


def test_the_server_loads_first_and_listens_only_once_the_demo_is_ready(tmp_path):
    port, ready = free_port(), tmp_path / "ready"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "DEBUG": "false"}
    server = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "serve_demo",
            "-v2",
            "--after",
            str(ready),
            "--noreload",
            "--skip-checks",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout.readline().startswith("Site loaded; listening once")
        time.sleep(0.5)
        assert status(port) is None  # loaded, but not listening yet
        ready.touch()
        deadline = time.monotonic() + 60
        while (answer := status(port)) is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert answer == 200
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
