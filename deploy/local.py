"""Run the many-user deployment on one machine: PostgreSQL, pilotdesk replicas, nginx (loopback).

Used by `make cluster` / `make loadtest` and by tests/scale. Every server listens on 127.0.0.1
only and lives in a temporary directory that `stop()` removes.
"""

from __future__ import annotations

import glob
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from childproc import Child, ChildFailed, free_port, start

REPO = Path(__file__).resolve().parents[1]
SITE_CONF = REPO / "deploy" / "nginx" / "pilotdesk.conf"
PILOTDESK = Path(sys.executable).parent / "pilotdesk"
# Variables a replica must not inherit from whoever starts it (keys, test overrides).
_BLANKED = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "JETSTREAM2_API_KEY", "SAMBANOVA_API_KEY")


class ServiceMissing(RuntimeError):
    """A Debian package the local deployment needs is not installed."""


def find_program(name: str, debian_dir_glob: str = "") -> str:
    """A program on PATH, else in Debian's versioned directory (PostgreSQL's are not on PATH)."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"{debian_dir_glob}/{name}"), key=_version_key)
    if candidates:
        return candidates[-1]
    raise ServiceMissing(f"{name} is not installed; run: make services")


def _version_key(path: str) -> list[int]:
    """Sort /usr/lib/postgresql/9.6 before /usr/lib/postgresql/15."""
    return [int(n) for n in re.findall(r"\d+", path)]


def _as_service_user() -> list[str]:
    """PostgreSQL refuses to run as root: run it as Debian's `postgres` user then."""
    if os.geteuid() != 0:
        return []
    return ["runuser", "-u", "postgres", "--"]


@dataclass
class Postgres:
    """A private PostgreSQL server on 127.0.0.1 in a temporary data directory."""

    base: Path
    port: int
    password: str
    user: str = "pilotdesk"

    @property
    def datadir(self) -> Path:
        """The cluster's data directory."""
        return self.base / "data"

    def url(self, database: str = "pilotdesk") -> str:
        """A connection URL (what PILOTDESK_DATABASE_URL takes)."""
        return f"postgresql://{self.user}:{self.password}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """Create an empty database and return its URL."""
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')  # name is ours: [a-z0-9_] only
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Drop a database, closing anything still connected to it."""
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        """Stop the server and delete its files."""
        pg_ctl = find_program("pg_ctl", "/usr/lib/postgresql/*/bin")
        subprocess.run(
            [*_as_service_user(), pg_ctl, "-D", str(self.datadir), "-m", "immediate", "stop"],
            cwd=self.base,
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.base, ignore_errors=True)


def start_postgres(port: int = 0) -> Postgres:
    """initdb + pg_ctl start in a fresh directory; password auth on loopback only."""
    initdb = find_program("initdb", "/usr/lib/postgresql/*/bin")
    pg_ctl = find_program("pg_ctl", "/usr/lib/postgresql/*/bin")
    base = Path(tempfile.mkdtemp(prefix="pilotdesk-pg-"))
    as_user = _as_service_user()
    if as_user:
        shutil.chown(base, "postgres", "postgres")
    pg = Postgres(base, port or free_port(), secrets.token_hex(12))
    pwfile = base / "pw"
    pwfile.write_text(pg.password + "\n", encoding="utf-8")
    if as_user:
        shutil.chown(pwfile, "postgres", "postgres")
    run = {"cwd": base, "capture_output": True, "text": True, "check": False}
    # --no-sync: a throw-away cluster needn't wait for initdb's fsyncs (seconds on this disk).
    init = ["-D", str(pg.datadir), "-U", pg.user, "--pwfile", str(pwfile), "--no-sync"]
    init += ["--auth=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-instructions"]
    out = subprocess.run([*as_user, initdb, *init], **run)  # type: ignore[call-overload]
    pwfile.unlink()
    if out.returncode != 0:
        shutil.rmtree(base, ignore_errors=True)
        raise RuntimeError(f"initdb failed: {out.stderr.strip()[-1500:]}")
    # TCP on loopback only; no Unix socket, so nothing clashes with a system cluster's.
    opts = f"-c listen_addresses=127.0.0.1 -c port={pg.port} -c unix_socket_directories=''"
    start = ["-D", str(pg.datadir), "-l", str(base / "postgres.log"), "-o", opts]
    start += ["-w", "-t", "60", "start"]
    out = subprocess.run([*as_user, pg_ctl, *start], **run)  # type: ignore[call-overload]
    if out.returncode != 0:
        log = (base / "postgres.log").read_text(errors="replace")[-1500:]
        pg.stop()
        raise RuntimeError(f"PostgreSQL did not start: {out.stderr.strip()} {log}")
    pg.create_database("pilotdesk")
    return pg


@dataclass
class Replica:
    """One `pilotdesk serve` process."""

    port: int
    child: Child

    @property
    def url(self) -> str:
        """Its base URL."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        """What it wrote to stdout and stderr."""
        return self.child.log

    def stop(self) -> None:
        """Stop gracefully (SIGTERM), then kill."""
        self.child.stop()

    def kill(self) -> None:
        """Die at once, as a crashed machine would (SIGKILL)."""
        self.child.kill()


def replica_env(
    database_url: str, config: Path, extra: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The environment of a replica: this one minus keys and PILOTDESK_*, plus the shared DB."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("PILOTDESK_") and k not in _BLANKED
    }
    env |= {
        "PILOTDESK_CONFIG": str(config),
        "PILOTDESK_DATABASE_URL": database_url,
        "HF_HUB_OFFLINE": "1",
    }
    env.update(extra or {})
    return env


def start_replica(index_dir: Path, workdir: Path, env: Mapping[str, str], port: int = 0) -> Replica:
    """Start `pilotdesk serve` on a loopback port (returns at once; see wait_ready)."""
    workdir.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    cmd = [str(PILOTDESK), "serve", "--host", "127.0.0.1", "--port", str(port)]
    cmd += ["--index", str(index_dir)]
    log = workdir / f"replica-{port}.log"
    return Replica(port, start(cmd, log, name=f"replica on {port}", cwd=workdir, env=env))


def wait_ready(replicas: Sequence[Replica], timeout_s: float = 180) -> None:
    """Wait until every replica's /readyz says 200 (index and model loaded)."""
    deadline = time.monotonic() + timeout_s
    for r in replicas:
        r.child.wait_http(f"{r.url}/readyz", max(1.0, deadline - time.monotonic()))


def render_nginx(listen_port: int, upstream_ports: Sequence[int], prefix: Path) -> str:
    """A complete nginx.conf around deploy/nginx/pilotdesk.conf, for a non-system nginx."""
    site = SITE_CONF.read_text(encoding="utf-8")
    servers = "".join(
        f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;\n" for p in upstream_ports
    )
    site, n = re.subn(r"(?m)^    server 127\.0\.0\.1:\d+ [^\n]*\n", "", site)
    assert n >= 1, "the upstream block of deploy/nginx/pilotdesk.conf changed shape"
    site = site.replace("    keepalive 32;", servers + "    keepalive 32;", 1)
    site = site.replace("listen 80;", f"listen 127.0.0.1:{listen_port};", 1)
    site = site.replace("/opt/pilotdesk/", f"{REPO}/")
    mime = "include /etc/nginx/mime.types;" if Path("/etc/nginx/mime.types").exists() else ""
    temp = "\n".join(
        f"    {kind}_temp_path {prefix}/tmp/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""# Generated by deploy/local.py from deploy/nginx/pilotdesk.conf
worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    {mime}
    access_log {prefix}/access.log;
{temp}
{site}
}}
"""


@dataclass
class Nginx:
    """A private nginx in front of the replicas."""

    prefix: Path
    port: int
    child: Child
    upstreams: list[int] = field(default_factory=list)

    @property
    def url(self) -> str:
        """The front URL clients use."""
        return f"http://127.0.0.1:{self.port}"

    def set_upstreams(self, ports: Sequence[int]) -> None:
        """Rewrite the upstream list and reload gracefully (SIGHUP: no request dropped)."""
        conf = self.prefix / "nginx.conf"
        conf.write_text(render_nginx(self.port, ports, self.prefix), encoding="utf-8")
        _nginx_check(conf, self.prefix)
        self.child.proc.send_signal(signal.SIGHUP)  # the master only: it restarts the workers
        self.upstreams = list(ports)
        time.sleep(1.0)  # old workers finish; new ones take the new list

    def stop(self) -> None:
        """Stop nginx (SIGQUIT: graceful) and delete its files."""
        self.child.stop(10)
        shutil.rmtree(self.prefix, ignore_errors=True)


def _nginx_check(conf: Path, prefix: Path) -> None:
    """`nginx -t`: refuse to start or reload a broken config."""
    nginx = find_program("nginx", "/usr/sbin")
    out = subprocess.run(
        [nginx, "-t", "-q", "-p", str(prefix), "-e", str(prefix / "error.log"), "-c", str(conf)],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"nginx -t failed: {out.stderr.strip()}")


def start_nginx(upstream_ports: Sequence[int], port: int = 0) -> Nginx:
    """Start nginx on a loopback port with the example site config."""
    nginx = find_program("nginx", "/usr/sbin")
    prefix = Path(tempfile.mkdtemp(prefix="pilotdesk-nginx-"))
    # As root, nginx's workers run as an unprivileged user: they must reach the temp dirs.
    prefix.chmod(0o755)
    (prefix / "tmp").mkdir()
    port = port or free_port()
    conf = prefix / "nginx.conf"
    conf.write_text(render_nginx(port, upstream_ports, prefix), encoding="utf-8")
    _nginx_check(conf, prefix)
    cmd = [nginx, "-p", str(prefix), "-e", str(prefix / "error.log"), "-c", str(conf)]
    # nginx writes to error.log itself; its stdout and stderr stay nearly empty.
    child = start(cmd, prefix / "nginx.out", name="nginx", stop_signal=signal.SIGQUIT)
    front = Nginx(prefix, port, child, list(upstream_ports))
    try:
        child.wait_port(port, timeout_s=20)
    except ChildFailed as exc:
        log = (prefix / "error.log").read_text(errors="replace")[-1500:]
        front.stop()
        raise RuntimeError(f"{exc}\nerror.log:\n{log}") from None
    return front
