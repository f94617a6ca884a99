"""``--executor dask`` gives the same bytes as the local executor (skipped without the dask extra)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")

from pipeline.cli import main  # noqa: E402

ARTICLE = "市の担当者は新しい計画を発表した。<b>詳細</b>は来週明らかになる。\n\n市の担当者は新しい計画を発表した。\n"


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "summary.json"
    }


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    for i in range(5):
        (src / "sub" / f"a{i}.txt").write_text(f"第{i}報。\n" + ARTICLE * (i + 1), encoding="utf-8")
    (src / "bad.txt").write_bytes(b"\xff\xfe not text")  # one failure, reported the same way
    lines = [json.dumps({"id": f"d{k}", "text": f"{k}番目。" + ARTICLE}, ensure_ascii=False) for k in range(120)]
    (src / "c.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return src


@pytest.mark.slow
def test_dask_cluster_matches_local_executor(inputs, tmp_path, capsys):
    local, remote = tmp_path / "local", tmp_path / "dask"
    args = ["clean", str(inputs), "--quiet", "--format", "conllu"]
    assert main([*args, "--out-dir", str(local), "--jobs", "1"]) == 1
    local_err = capsys.readouterr().err
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, protocol="tcp", dashboard_address=None
    ) as cluster:
        assert (
            main([*args, "--out-dir", str(remote), "--executor", "dask", "--scheduler", cluster.scheduler_address]) == 1
        )
    remote_err = capsys.readouterr().err
    assert tree(local) == tree(remote) and len(tree(local)) == 5 * 3 + 2
    assert local_err.splitlines()[0] == remote_err.splitlines()[0]  # the same failure line
    summary = json.loads((remote / "summary.json").read_text())
    assert (summary["executor"], summary["documents"], summary["failed"]) == ("dask", 125, 1)


def test_unreachable_scheduler_is_exit_2(inputs, tmp_path, capsys):
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        status = main(
            ["clean", str(inputs / "sub" / "a0.txt"), "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9"]
        )
    assert status == 2 and "Dask scheduler" in capsys.readouterr().err


@pytest.mark.slow
def test_local_cluster_without_scheduler(inputs, tmp_path):
    out = tmp_path / "out"
    assert (
        main(["clean", str(inputs / "c.jsonl"), "--quiet", "--out-dir", str(out), "--executor", "dask", "--jobs", "2"])
        == 0
    )
    summary = json.loads((out / "summary.json").read_text())
    assert (summary["executor"], summary["jobs"], summary["documents"]) == ("dask", 2, 120)
