"""`digest build --scheduler`: the per-article work on a real Dask cluster (a scheduler and
workers started here, as separate processes on 127.0.0.1) gives the site a local build gives."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from distributed import Client

from tests.sitebuild import ROOT, build_project, make_project
from tests.test_serve import free_port

ARTICLES = {f"bericht-{i:02d}.txt": f"Bericht {i}: de gemeente meldt {i} nieuwe woningen. De "
            f"wethouder is tevreden over het jaar.\n" for i in range(20)}


@pytest.fixture(scope="module")
def cluster():
    """A scheduler and two single-threaded workers; yields the scheduler's address."""
    address = f"tcp://127.0.0.1:{free_port()}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run_module = [sys.executable, "-m"]
    scheduler = subprocess.Popen(
        [*run_module, "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port",
         address.rsplit(":", 1)[1], "--no-dashboard"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers = subprocess.Popen(
        [*run_module, "distributed.cli.dask_worker", address, "--nworkers", "2", "--nthreads",
         "1", "--no-dashboard"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with Client(address, timeout=5, set_as_default=False) as client:
                    client.wait_for_workers(2, timeout=60)
                break
            except OSError:
                assert time.monotonic() < deadline, "the Dask cluster did not start"
                time.sleep(0.5)
        yield address
    finally:
        workers.terminate()
        scheduler.terminate()
        workers.wait(30)
        scheduler.wait(30)


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes()
            for p in sorted(site.rglob("*")) if p.is_file()}


def test_a_build_on_a_dask_cluster_gives_the_site_of_a_local_build(tmp_path, cluster):
    local = make_project(tmp_path / "local", ARTICLES)
    on_cluster = make_project(tmp_path / "cluster", ARTICLES)
    assert build_project(local, "--jobs", "1").returncode == 0
    result = build_project(on_cluster, "--scheduler", cluster)
    assert result.returncode == 0, result.stderr
    with Client(cluster, set_as_default=False) as client:
        tasks = client.run_on_scheduler(lambda dask_scheduler: dask_scheduler.transition_counter)
    assert tasks >= len(ARTICLES)  # the articles went through the cluster's workers
    assert site_files(on_cluster / "site") == site_files(local / "site")


def test_a_scheduler_that_does_not_answer_is_one_clear_message(tmp_path):
    project = make_project(tmp_path / "project", ARTICLES)
    address = f"tcp://127.0.0.1:{free_port()}"
    result = build_project(project, "--scheduler", address)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].startswith(
        f"Error reaching '{address}': no Dask scheduler answers")
    assert "Traceback" not in result.stderr
