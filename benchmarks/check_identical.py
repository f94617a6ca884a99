"""Check that a refactor changed no output: ``clean --out-dir`` from two trees, outputs compared.

A refactor (or a speed-up) must leave every cleaned text and annotation record
as it was.  This script runs ``python -m pipeline clean INPUTS --out-dir OUT``
once with a *base* tree (a git revision, checked out in a temporary worktree,
or a directory) and once with a *head* tree (by default this checkout), over

* the texts in ``corpus/`` (the sample article and the made-up pair),
* the WMT21 dev texts (320 Japanese texts; skipped when ``../shared/data`` is absent),
* optionally more folders (``--inputs DIR``),

and compares the outputs file by file.  ``.clean.txt`` files must be equal
byte for byte.  Annotation records are compared after both are read into one
normal form (:func:`normal_record`), so a schema change that only re-lays
the same facts passes:

* ``schema`` is dropped (the version number is allowed to change);
* ``removed_sentences`` is compared when both records have it, and dropped
  when one has none (schema 2 adds it; schema 1 has none);
* token columns (schema 2) are turned back into one dict per token;
* the stages' ``seconds`` are dropped (timings differ run to run).

Usage::

    python benchmarks/check_identical.py --base main            # main vs this checkout
    python benchmarks/check_identical.py --base HEAD~3 --head /work/wt/arch
    python benchmarks/check_identical.py --base main --no-dev   # corpus/ only (seconds)

Exit status 0 when every output matches, 1 when one differs (the first
differences are printed with the path of the first differing field), 2 on a
usage error.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from common import DEV_DATA as DEV  # noqa: E402 (found from a worktree too)


def token_rows(tokens: Any) -> list[dict[str, Any]]:
    """One dict per token from either layout (schema 1 rows, schema 2 columns).

    >>> token_rows({"surface": ["a", "b"], "start": [0, 1]})
    [{'surface': 'a', 'start': 0}, {'surface': 'b', 'start': 1}]
    >>> token_rows([{"surface": "a"}])
    [{'surface': 'a'}]
    """
    if isinstance(tokens, dict):
        keys = list(tokens)
        n = len(tokens[keys[0]]) if keys else 0
        return [{k: tokens[k][i] for k in keys} for i in range(n)]
    return list(tokens or [])


def normal_record(rec: dict[str, Any], keep_removed: bool = False) -> dict[str, Any]:
    """The facts of an annotation record, whatever its schema version.

    >>> a = {"schema": 1, "sentences": [{"tokens": [{"surface": "x"}]}], "stats": {"tokenise": {"seconds": 0.1, "n": 1}}}
    >>> b = {"schema": 2, "sentences": [{"tokens": {"surface": ["x"]}}], "removed_sentences": [],
    ...      "stats": {"tokenise": {"seconds": 0.2, "n": 1}}}
    >>> normal_record(a) == normal_record(b)
    True
    >>> normal_record(b, keep_removed=True)["removed_sentences"]
    []
    """
    dropped = ("schema",) if keep_removed else ("schema", "removed_sentences")
    out = {k: v for k, v in rec.items() if k not in dropped}
    out["sentences"] = [{**s, "tokens": token_rows(s.get("tokens"))} for s in rec.get("sentences", [])]
    stats = rec.get("stats")
    if isinstance(stats, dict):
        out["stats"] = {
            stage: ({k: v for k, v in st.items() if k != "seconds"} if isinstance(st, dict) else st)
            for stage, st in stats.items()
        }
    return out


def untimed(value: Any) -> Any:
    """``value`` without the fields that carry times (``*seconds*``, ``*per_second*``).

    >>> untimed({"documents": 3, "wall_seconds": 0.3, "stage_seconds": {"a": 1}, "chars_per_second": 9})
    {'documents': 3}
    """
    if isinstance(value, dict):
        return {k: untimed(v) for k, v in value.items() if "second" not in k}
    if isinstance(value, list):
        return [untimed(v) for v in value]
    return value


def first_difference(a: Any, b: Any, path: str = "") -> str | None:
    """The path of the first place where ``a`` and ``b`` differ, or None.

    >>> first_difference({"x": [1, 2]}, {"x": [1, 3]})
    ".x[1]: '2' != '3'"
    """
    if type(a) is not type(b):
        return f"{path}: {type(a).__name__} != {type(b).__name__}"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return f"{path}.{k}: only in {'head' if k in b else 'base'}"
            d = first_difference(a[k], b[k], f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(a, list):
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            d = first_difference(x, y, f"{path}[{i}]")
            if d:
                return d
        return f"{path}: {len(a)} items != {len(b)}" if len(a) != len(b) else None
    return None if a == b else f"{path}: {str(a)[:60]!r} != {str(b)[:60]!r}"


def gather_inputs(work: Path, extra: list[Path], dev: bool) -> Path:
    """Copy the inputs into one folder (temporary, outside the repository) and return it."""
    inputs = work / "inputs"
    inputs.mkdir()
    for f in sorted((ROOT / "corpus").glob("*.ja.txt")):
        shutil.copy(f, inputs / f.name)
    if dev and DEV.is_dir():
        for folder in sorted(p for p in DEV.iterdir() if p.is_dir()):
            for f in sorted(folder.glob("*.ja.txt")):
                shutil.copy(f, inputs / f"{folder.name}.{f.name}")
    elif dev:
        print(f"note: {DEV} is absent; WMT21 dev texts skipped", file=sys.stderr)
    for d in extra:
        for f in sorted(d.rglob("*.txt")):
            # the path below the folder names the copy (a nested WMT22 folder holds one SYSTEM.ja.txt per
            # document: named by the file alone, its 1,288 texts overwrote each other down to 15)
            rel = ".".join(f.relative_to(d).parts)
            dest = inputs / f"{d.name}.{rel}"
            if dest.exists():
                raise SystemExit(f"check_identical: two inputs would be copied to {dest.name}")
            shutil.copy(f, dest)
    return inputs


def resolve_tree(spec: str, work: Path, label: str) -> Path:
    """A directory as it is, or a git revision checked out (detached) in a temporary worktree."""
    if Path(spec).is_dir():
        return Path(spec).resolve()
    tree = work / label
    done = subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(tree), spec], capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"check_identical: cannot check out {spec!r}: {done.stderr.strip()}")
    return tree


def run_clean(tree: Path, inputs: Path, out: Path, args: list[str]) -> None:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    cmd = [sys.executable, "-m", "pipeline", "clean", str(inputs), "--out-dir", str(out), *args]
    done = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True)
    if done.returncode not in (0, 1):  # 1: some documents had faults; the outputs are still compared
        raise SystemExit(f"check_identical: clean failed in {tree} (exit {done.returncode}):\n{done.stderr[-2000:]}")


def compare_outputs(base: Path, head: Path, show: int = 10) -> tuple[int, list[str]]:
    """(files compared, differences) between two ``--out-dir`` folders."""
    names = sorted({p.relative_to(base) for p in base.rglob("*") if p.is_file()})
    names_head = sorted({p.relative_to(head) for p in head.rglob("*") if p.is_file()})
    diffs = [f"{n}: only in base" for n in sorted(set(names) - set(names_head))]
    diffs += [f"{n}: only in head" for n in sorted(set(names_head) - set(names))]
    for name in sorted(set(names) & set(names_head)):
        a, b = (base / name).read_bytes(), (head / name).read_bytes()
        if a == b:
            continue
        if name.name.endswith(".ann.jsonl"):
            ra = [json.loads(line) for line in a.decode("utf-8").splitlines() if line.strip()]
            rb = [json.loads(line) for line in b.decode("utf-8").splitlines() if line.strip()]
            # schema 1 has no removed_sentences: compare them only where both records carry them
            keep = all("removed_sentences" in r for r in ra + rb)
            ra = [normal_record(r, keep) for r in ra]
            rb = [normal_record(r, keep) for r in rb]
            d = first_difference(ra, rb)
            if d:
                diffs.append(f"{name}{d}")
        elif name.suffix == ".json":
            d = first_difference(untimed(json.loads(a)), untimed(json.loads(b)))
            if d:
                diffs.append(f"{name}{d}")
        elif name.name.startswith(".") or name.suffix in (".log",):
            continue  # markers and logs carry times
        else:
            diffs.append(f"{name}: bytes differ")
    return len(set(names) & set(names_head)), diffs[: show if show else None]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--base", default="main", help="git revision or directory of the reference tree (default: main)")
    ap.add_argument("--head", default=str(ROOT), help="directory of the tree under test (default: this checkout)")
    ap.add_argument("--inputs", type=Path, action="append", default=[], help="another folder of .txt inputs")
    ap.add_argument("--no-dev", action="store_true", help="leave out the WMT21 dev texts")
    ap.add_argument("--show", type=int, default=10, help="differences to print (0: all)")
    ap.add_argument("clean_args", nargs="*", help="extra arguments for clean (after --)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="check-identical-") as tmp:
        work = Path(tmp)
        base = resolve_tree(args.base, work, "base")
        try:
            head = resolve_tree(args.head, work, "head")
            inputs = gather_inputs(work, args.inputs, not args.no_dev)
            n_in = sum(1 for _ in inputs.iterdir())
            for label, tree in (("base", base), ("head", head)):
                run_clean(tree, inputs, work / f"out-{label}", args.clean_args)
            n, diffs = compare_outputs(work / "out-base", work / "out-head", args.show)
        finally:
            for tree in (work / "base", work / "head"):
                if tree.is_dir():
                    subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False)
    if diffs:
        print(f"DIFFERENT: {len(diffs)} difference(s) shown, {n} files compared ({n_in} inputs)")
        for d in diffs:
            print("  " + d)
        return 1
    print(f"identical: {n} output files from {n_in} inputs ({args.base} vs {args.head})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
