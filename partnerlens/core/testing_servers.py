"""Real server processes for tests and benchmarks: gunicorn, the task worker and nginx.

Each process starts as docs/deployment.md says (gunicorn ``partnerlens.wsgi:application``,
``manage.py db_worker --no-reload``, ``OPENBLAS_NUM_THREADS=1``, the environment built by
``server_env``) on a free loopback port, in its own process group, so ``kill()`` takes the
master and every worker down at once (SIGKILL: a crash) and ``stop()`` asks politely
(SIGTERM). Logs and nginx's files go to a folder the caller gives (a pytest ``tmp_path``),
so two test runs at once (pytest-xdist) never share a port or a path.

    env = server_env(database_url, static_root=tmp / "static")
    collect_static(env)
    with ExitStack() as stack:
        a = stack.enter_context(gunicorn(env, tmp, "a"))
        b = stack.enter_context(gunicorn(env, tmp, "b"))
        proxy = stack.enter_context(nginx([a.port, b.port], tmp))
        requests.get(proxy.url + "/healthz")

Imported by tests and bench/ only.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port() -> int:
    """A TCP port nobody listens on now (the kernel's choice)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(
    database_url: str,
    *,
    static_root: Path | None = None,
    production: bool = True,
    **extra: str,
) -> dict[str, str]:
    """The environment of a web or worker process, as production runs it.

    Production settings, except that the test talks plain HTTP on loopback: no redirect to
    HTTPS (``SECURE_SSL_REDIRECT=0``, as behind a proxy that redirects). The cookies are
    still marked Secure; a client over plain HTTP must send them itself. ``extra`` adds or
    replaces variables (``STORAGE_S3_BUCKET=...``, ``MEDIA_ROOT=...``)."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "OPENBLAS_NUM_THREADS": "1",
        "PYTHONUNBUFFERED": "1",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)  # manage.py and wsgi.py name the settings
    if production:
        env.update(
            DJANGO_ENV="production",
            SECRET_KEY=os.environ.get("TEST_SERVERS_SECRET_KEY") or secrets.token_urlsafe(50),
            SECURE_SSL_REDIRECT="0",
        )
    if static_root is not None:
        env["STATIC_ROOT"] = str(static_root)
    env.update(extra)
    return env


def collect_static(env: dict[str, str]) -> None:
    """``collectstatic`` into the environment's STATIC_ROOT (production's manifest needs it),
    unless a previous call already filled it."""
    if (Path(env["STATIC_ROOT"]) / "staticfiles.json").exists():
        return
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )


@dataclass
class Process:
    """One started server: its process (the leader of its own group), port and log."""

    name: str
    popen: subprocess.Popen
    log: Path
    port: int | None = None
    extra: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def alive(self) -> bool:
        return self.popen.poll() is None

    def _signal(self, sig: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, sig)

    def kill(self) -> None:
        """SIGKILL the whole process group (master and workers), as a crash would."""
        self._signal(signal.SIGKILL)
        self.popen.wait(timeout=10)
        self._reap_group()

    def stop(self, timeout: float = 15) -> None:
        """SIGTERM (graceful shutdown), then SIGKILL whatever is left after ``timeout``."""
        if self.alive():
            self._signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self._signal(signal.SIGKILL)
                self.popen.wait(timeout=10)
        self._reap_group()

    def _reap_group(self) -> None:
        # Workers whose master died are in the same group: make sure none outlives it.
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                os.killpg(self.popen.pid, 0)
            except ProcessLookupError:
                return
            self._signal(signal.SIGKILL)
            time.sleep(0.05)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def _spawn(name: str, command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("ab") as out:
        return subprocess.Popen(  # noqa: S603 - our own commands, no shell
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, for killpg
        )


def wait_until_up(process: Process, path: str = "/healthz", timeout: float = 60) -> None:
    """Return once ``path`` answers 200; fail with the process's log if it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not process.alive():
            raise RuntimeError(f"{process.name} exited:\n{process.log_text()[-4000:]}")
        try:
            with urllib.request.urlopen(process.url + path, timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    process.stop()
    raise RuntimeError(f"{process.name} did not answer {path}:\n{process.log_text()[-4000:]}")


def start_gunicorn(
    env: dict[str, str],
    log_dir: Path,
    name: str = "web",
    *,
    workers: int = 2,
    port: int | None = None,
    wait: bool = True,
) -> Process:
    """gunicorn as deployed (sync workers), on ``port`` or a free one; up and answering
    unless ``wait`` is False (start several, then ``wait_until_up`` each)."""
    port = port or free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "partnerlens.wsgi:application",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--graceful-timeout",
        "5",
    ]
    log = Path(log_dir) / f"{name}.log"
    process = Process(name, _spawn(name, command, env, log), log, port)
    if wait:
        wait_until_up(process)
    return process


def start_worker(env: dict[str, str], log_dir: Path, name: str = "worker") -> Process:
    """The task worker (``manage.py db_worker``), a separate process as in production."""
    command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2"]
    log = Path(log_dir) / f"{name}.log"
    return Process(name, _spawn(name, command, env, log), log)


NGINX_CONF = """\
{user}worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 512; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    upstream partnerlens {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 10m;
        location / {{
            proxy_pass http://partnerlens;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Request-ID $request_id;
            proxy_read_timeout 60s;
            # Which app server answered (tests only: production need not say).
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""


def nginx_config(upstream_ports: list[int], port: int, tmp: Path) -> str:
    """nginx's configuration: round-robin over the app servers on ``upstream_ports``."""
    servers = "\n".join(f"        server 127.0.0.1:{p};" for p in upstream_ports)
    # Run as root, nginx's workers would become "nobody", who cannot enter a private tmp.
    user = "user root;\n" if os.geteuid() == 0 else ""
    return NGINX_CONF.format(user=user, tmp=tmp, servers=servers, port=port)


def start_nginx(upstream_ports: list[int], log_dir: Path, name: str = "nginx") -> Process:
    """Debian's nginx in the foreground with a generated configuration in ``log_dir``."""
    tmp = Path(log_dir) / name
    tmp.mkdir(parents=True, exist_ok=True)
    port = free_port()
    conf = tmp / "nginx.conf"
    conf.write_text(nginx_config(upstream_ports, port, tmp))
    command = [NGINX, "-p", str(tmp), "-c", str(conf), "-e", str(tmp / "error.log")]
    command += ["-g", "daemon off;"]
    process = Process(name, _spawn(name, command, os.environ.copy(), tmp / "stdout.log"), tmp)
    process.port = port
    process.log = tmp / "error.log"
    wait_until_up(process)
    return process


@contextlib.contextmanager
def gunicorn(env, log_dir, name="web", **options) -> Iterator[Process]:
    process = start_gunicorn(env, log_dir, name, **options)
    try:
        yield process
    finally:
        process.stop()


@contextlib.contextmanager
def app_servers(env, log_dir, names=("a", "b"), **options) -> Iterator[list[Process]]:
    """Several gunicorns started at once (each takes seconds to import Django)."""
    started: list[Process] = []
    try:
        for name in names:
            started.append(start_gunicorn(env, log_dir, name, wait=False, **options))
        for process in started:
            wait_until_up(process)
        yield started
    finally:
        for process in started:
            process.stop()


@contextlib.contextmanager
def worker(env, log_dir, name="worker") -> Iterator[Process]:
    process = start_worker(env, log_dir, name)
    try:
        yield process
    finally:
        process.stop()


@contextlib.contextmanager
def nginx(upstream_ports, log_dir, name="nginx") -> Iterator[Process]:
    process = start_nginx(upstream_ports, log_dir, name)
    try:
        yield process
    finally:
        process.stop()
