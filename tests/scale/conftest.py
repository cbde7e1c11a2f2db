"""Two real `pilotdesk serve` replicas on one PostgreSQL and one index directory, behind nginx."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from deploy.local import (
    Nginx,
    Replica,
    ServiceMissing,
    find_program,
    replica_env,
    start_nginx,
    start_replica,
    wait_ready,
)
from tests.conftest import require_part
from tests.postgres import shared_postgres
from tests.scale.trickle import trickle_server


@dataclass
class Cluster:
    """What the scale-out tests talk to."""

    a: Replica
    b: Replica
    nginx: Nginx
    database_url: str
    index_dir: Path
    workdir: Path

    def replica_on(self, upstream: str) -> Replica:
        """The replica nginx named in X-Pilotdesk-Upstream (127.0.0.1:PORT)."""
        port = int(upstream.rsplit(":", 1)[1])
        return self.a if self.a.port == port else self.b


@pytest.fixture(scope="module")
def cluster(sample_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """PostgreSQL database + shared index copy + two replicas + nginx, for one test module."""
    try:
        find_program("nginx", "/usr/sbin")
    except ServiceMissing as exc:
        require_part("nginx", str(exc))
    pg = shared_postgres()
    name = "scale_" + uuid.uuid4().hex[:8]
    url = pg.create_database(name)
    work = tmp_path_factory.mktemp("cluster")
    index_dir = work / "shared-index"
    shutil.copytree(sample_index, index_dir)
    (work / "pilotdesk.toml").write_text("", encoding="utf-8")
    with trickle_server() as trickle:
        env = replica_env(
            url,
            work / "pilotdesk.toml",
            {
                # Every test client is 127.0.0.1: the per-client limit is not under test here.
                "PILOTDESK_API__RATE_LIMIT_PER_MINUTE": "100000",
                "PILOTDESK_BACKEND__PROFILES__TRICKLE__BASE_URL": trickle,
                "PILOTDESK_BACKEND__PROFILES__TRICKLE__MODEL": "trickle",
                "PILOTDESK_BACKEND__PROFILES__TRICKLE__MAX_RETRIES": "0",
                # Two replicas, a client and an ingest share 2 cores: one thread each.
                "OMP_NUM_THREADS": "1",
            },
        )
        replicas = [start_replica(index_dir, work / f"r{i}", env) for i in range(2)]
        front: Nginx | None = None
        try:
            wait_ready(replicas, timeout_s=240)
            front = start_nginx([r.port for r in replicas])
            yield Cluster(replicas[0], replicas[1], front, url, index_dir, work)
        finally:
            if front is not None:
                front.stop()
            for r in replicas:
                r.stop()
            pg.drop_database(name)
