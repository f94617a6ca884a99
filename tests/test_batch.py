"""Batch cleaning: input discovery, corpora, outputs, failures, resume, determinism, progress."""

from __future__ import annotations

import gzip
import io
import json
import os
import time
from pathlib import Path

import pytest
from files import jsonl, write

from pipeline.batch import output_paths
from pipeline.cli import main
from pipeline.errors import InputError
from pipeline.io.annotations import restore_record
from pipeline.io.corpus import check_output_names, discover_inputs, parse_corpus_line, read_corpus
from pipeline.progress import Progress

ARTICLE = "市の担当者は新しい計画を発表した。<b>詳細</b>は来週明らかになる。\n\n研究チームは結果を公表した。\n"
OTHER = "専門家は懸念を示した。専門家は懸念を示した。\n"


def tree(folder: Path) -> dict[str, bytes]:
    """Every output file below ``folder`` except summary.json (it holds timings)."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "summary.json" and not p.name.startswith(".")
    }


# -- discovery ----------------------------------------------------------------------


@pytest.fixture
def layout(tmp_path: Path) -> Path:
    write(tmp_path / "in" / "a.txt", ARTICLE)
    write(tmp_path / "in" / "sub" / "b.ja.txt", OTHER)
    write(tmp_path / "in" / "sub" / "notes.md", "not an input")  # not matched by the default patterns
    write(tmp_path / "in" / ".hidden.txt", "skipped")  # hidden files are skipped
    write(tmp_path / "in" / "c.jsonl", jsonl([{"id": "x", "text": "本文。"}]))
    write(tmp_path / "in" / "out" / "old.clean.txt", "previous output")  # the out-dir is never read
    return tmp_path


@pytest.mark.parametrize(
    "specs, include, expected",
    [
        # a folder is walked recursively, sorted; names below it keep their sub-folders
        (
            ["in"],
            None,
            [("in/a.txt", "a", "text"), ("in/c.jsonl", "c", "jsonl"), ("in/sub/b.ja.txt", "sub/b.ja", "text")],
        ),
        # --include narrows the walk
        (["in"], ["*.ja.txt"], [("in/sub/b.ja.txt", "sub/b.ja", "text")]),
        # a glob: names below the fixed part of the pattern
        (["in/**/*.txt"], None, [("in/a.txt", "a", "text"), ("in/sub/b.ja.txt", "sub/b.ja", "text")]),
        # a file named twice is cleaned once
        (["in/a.txt", "in/a.txt"], None, [("in/a.txt", "a", "text")]),
        # a missing file is kept: reading it fails for that input alone
        (["in/nope.txt"], None, [("in/nope.txt", "nope", "text")]),
        # stdin
        (["-"], None, [("-", "stdin", "text")]),
    ],
)
def test_discover_inputs(layout, monkeypatch, specs, include, expected):
    monkeypatch.chdir(layout)
    got = discover_inputs(specs, include or ("*.txt", "*.jsonl", "*.jsonl.gz"), exclude="in/out")
    assert [(i.path, i.name, i.kind) for i in got] == expected


@pytest.mark.parametrize(
    "spec, message",
    [
        ("in/*.csv", "no file matches"),  # a pattern with no match is a usage error
        ("empty", "no files matching"),  # so is a folder with nothing to clean
    ],
)
def test_discover_rejects_empty_patterns(layout, monkeypatch, spec, message):
    monkeypatch.chdir(layout)
    (layout / "empty").mkdir()
    with pytest.raises(InputError, match=message):
        discover_inputs([spec])


def test_two_inputs_with_one_output_name_are_refused(tmp_path):
    a = write(tmp_path / "x" / "doc.txt", "一。")
    b = write(tmp_path / "y" / "doc.txt", "二。")
    with pytest.raises(InputError, match="same output name"):
        check_output_names(discover_inputs([str(a), str(b)]))


# -- corpus lines -----------------------------------------------------------------


@pytest.mark.parametrize(
    "line, lineno, want_id, want_text, want_error",
    [
        (b'{"id": "d1", "text": "\xe7\x8a\xac"}', 1, "d1", "犬", ""),  # the usual layout
        (b'\xef\xbb\xbf{"id": 5, "text": "a"}', 1, "5", "a", ""),  # BOM on line 1, numeric id
        (b'{"text": "a"}', 7, "c:7", "a", ""),  # no id: STEM:LINE
        (b'{"id": "d", "text": null}', 2, "d", None, "no string field 'text'"),  # text missing
        (b'["text"]', 3, "c:3", None, "not a JSON object"),  # an array
        (b'{"id": "d", "text": "a"', 4, "c:4", None, "not JSON"),  # cut line
        # cut inside a string: json's message ends in "starting at", said once before the column
        (b'{"id": "d", "text": "a', 8, "c:8", None, "line 8: not JSON (Unterminated string starting at column 21)"),
        (b'{"text": "\xff"}', 5, "c:5", None, "not UTF-8 at byte 10"),  # bad bytes
    ],
)
def test_parse_corpus_line(line, lineno, want_id, want_text, want_error):
    got = parse_corpus_line(line, lineno, "c", "text", "id")
    assert (got.id, got.text) == (want_id, want_text)
    assert want_error in got.error and bool(got.error) == bool(want_error)


def test_read_corpus_gzip_and_custom_fields(tmp_path):
    path = tmp_path / "c.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(jsonl([{"doc": "a", "body": "一。"}, {"doc": "b", "body": "二。"}]) + "\n")  # a blank last line
    got = [(d.id, d.text) for d in read_corpus(str(path), text_field="body", id_field="doc")]
    assert got == [("a", "一。"), ("b", "二。")]


def test_truncated_gzip_ends_the_corpus_with_one_error(tmp_path):
    data = gzip.compress(jsonl([{"id": str(i), "text": "文。" * 50} for i in range(200)]).encode())
    path = write(tmp_path / "c.jsonl.gz", data[: len(data) // 2])
    docs = list(read_corpus(str(path)))
    assert docs[-1].error.startswith("corpus unreadable") and all(not d.error for d in docs[:-1])


# -- whole runs ------------------------------------------------------------------------


def run(*args: str) -> int:
    return main(["clean", "--quiet", *args])


def test_folder_and_corpus_outputs(tmp_path):
    write(tmp_path / "in" / "a.txt", ARTICLE)
    write(tmp_path / "in" / "sub" / "b.txt", OTHER)
    write(tmp_path / "in" / "c.jsonl", jsonl([{"id": "x", "text": ARTICLE}, {"id": "y", "text": OTHER}]))
    out = tmp_path / "out"
    assert run(str(tmp_path / "in"), "--out-dir", str(out), "--jobs", "1") == 0
    assert set(tree(out)) == {"a.ann.jsonl", "a.clean.txt", "sub/b.ann.jsonl", "sub/b.clean.txt", "c.ann.jsonl"}
    records = [json.loads(line) for line in (out / "c.ann.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["x", "y"]
    # each corpus record gives back its original text, checked against its SHA-256
    assert [restore_record(r).decode() for r in records] == [ARTICLE, OTHER]
    assert "<b>" not in records[0]["text"]
    # no per-document timings in the records: two runs give the same bytes
    assert all("seconds" not in s for r in records for s in r["stats"].values())
    summary = json.loads((out / "summary.json").read_text())
    assert summary["documents"] == 4 and summary["failed"] == 0
    assert summary["chars_in"] == 2 * len(ARTICLE) + 2 * len(OTHER)
    assert summary["edits"]["by_stage"]["markup"]["rules"]["tag"] == 4  # <b> and </b>, twice
    assert summary["edits"]["by_stage"]["dedup"]["total"] >= 2
    assert summary["sentences"] > 0 and summary["chars_per_second"] > 0
    assert set(summary["stage_seconds"]) >= {"tokenise", "segment"}


def test_gzip_corpus_gives_gzip_outputs(tmp_path):
    src = write(tmp_path / "c.jsonl.gz", gzip.compress(jsonl([{"id": "x", "text": ARTICLE}]).encode()))
    out = tmp_path / "out"
    assert run(str(src), "--out-dir", str(out), "--format", "conllu", "--jobs", "1") == 0
    [rec] = [json.loads(x) for x in gzip.decompress((out / "c.ann.jsonl.gz").read_bytes()).splitlines()]
    assert restore_record(rec).decode() == ARTICLE
    assert gzip.decompress((out / "c.conllu.gz").read_bytes()).decode().startswith("# newdoc id = x\n")


def test_stdout_mode_prints_corpus_documents_in_order(tmp_path, capsys):
    # one record a line keeps the boundaries (plain text of several documents is refused: test_faults 11)
    src = write(tmp_path / "c.jsonl", jsonl([{"id": "1", "text": "一。\n"}, {"id": "2", "text": "二。\n"}]))
    assert run(str(src), "--jobs", "1", "--json") == 0
    assert [json.loads(line)["text"] for line in capsys.readouterr().out.splitlines()] == ["一。\n", "二。\n"]


def test_failures_are_reported_and_the_batch_goes_on(tmp_path, capsys, monkeypatch):
    import pipeline.run

    write(tmp_path / "in" / "good.txt", ARTICLE)
    write(tmp_path / "in" / "bad.txt", b"ok\xff\xfe bad")  # undecodable
    write(tmp_path / "in" / "big.txt", "あ" * 500)  # over --max-chars
    write(tmp_path / "in" / "boom.txt", "爆発する文書。")  # a bug in a stage (below)
    write(
        tmp_path / "in" / "c.jsonl",
        '{"id": "k", "text": "良い。"}\nnot json\n{"id": "z", "text": 3}\n{"id": "b", "text": "爆発する。"}\n',
    )
    real = pipeline.run.remove_duplicates

    def buggy(doc, options):  # a bug in a stage, for documents that hold 爆発
        if "爆発" in doc.original:
            raise ZeroDivisionError("planted bug")
        return real(doc, options)

    # the stage list looks the function up at call time; corpus documents run
    # as a group (one stage over all), so this also checks that one bad
    # document in a group fails alone
    monkeypatch.setattr(pipeline.run, "remove_duplicates", buggy)
    out = tmp_path / "out"
    status = main(["clean", str(tmp_path / "in"), "--out-dir", str(out), "--jobs", "1", "--max-chars", "100"])
    err = capsys.readouterr().err
    assert status == 1
    assert "bad.txt: cannot decode as utf-8 at byte offset 2" in err
    assert "big.txt: too large: 1,500 bytes (--max-chars 100;" in err  # refused before it is read
    assert "boom.txt: internal error" in err and "ZeroDivisionError: planted bug" in err
    assert "c.jsonl:2 (id c:2): line 2: not JSON" in err
    assert "c.jsonl:3 (id z): line 3: no string field 'text'" in err
    assert "c.jsonl:4 (id b): internal error" in err
    assert "2 documents cleaned, 6 failed" in err.splitlines()[-1]
    assert set(tree(out)) == {"good.ann.jsonl", "good.clean.txt", "c.ann.jsonl"}
    summary = json.loads((out / "summary.json").read_text())
    assert summary["failed"] == 6 and len(summary["failures"]) == 6


def test_every_input_failing_is_exit_2_with_no_output(tmp_path, capsys):
    write(tmp_path / "in" / "a.txt", b"\xff\xfe")
    write(tmp_path / "in" / "b.txt", b"\x00\x01 binary")
    out = tmp_path / "out"
    assert main(["clean", str(tmp_path / "in"), "--out-dir", str(out), "--jobs", "1"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 3 and "0 documents cleaned, 2 failed" in err[-1]
    assert not out.exists() or not any(out.iterdir())


def test_usage_errors_are_exit_2(tmp_path, capsys):
    src = write(tmp_path / "a.txt", "一。")
    assert main(["clean", str(src), "--jobs", "0"]) == 2  # no workers
    assert main(["clean", str(src), "--encoding", "klingon"]) == 2  # checked once, not per file
    assert main(["clean", str(src), "--scheduler", "tcp://x:1"]) == 2  # --scheduler needs dask
    assert capsys.readouterr().err.count("error:") == 3


def test_more_jobs_give_the_same_bytes(tmp_path):
    for i in range(6):
        write(tmp_path / "in" / f"d{i}.txt", ARTICLE * (i + 1))
    write(tmp_path / "in" / "c.jsonl", jsonl([{"id": str(i), "text": OTHER * (i + 1)} for i in range(150)]))
    one, two = tmp_path / "one", tmp_path / "two"
    assert run(str(tmp_path / "in"), "--out-dir", str(one), "--jobs", "1", "--format", "conllu") == 0
    assert run(str(tmp_path / "in"), "--out-dir", str(two), "--jobs", "2", "--format", "conllu") == 0
    assert tree(one) == tree(two) and len(tree(one)) == 6 * 3 + 2


def test_resume_skips_up_to_date_inputs_only(tmp_path):
    a = write(tmp_path / "in" / "a.txt", ARTICLE)
    write(tmp_path / "in" / "b.txt", OTHER)
    out = tmp_path / "out"
    assert run(str(tmp_path / "in"), "--out-dir", str(out), "--jobs", "1") == 0
    first = tree(out)
    assert run(str(tmp_path / "in"), "--out-dir", str(out), "--jobs", "1", "--resume") == 0
    summary = json.loads((out / "summary.json").read_text())
    assert (summary["inputs_skipped"], summary["documents"]) == (2, 0)
    # an input changed after its outputs is cleaned again
    later = time.time() + 5
    a.write_text(OTHER, encoding="utf-8")
    os.utime(a, (later, later))
    assert run(str(tmp_path / "in"), "--out-dir", str(out), "--jobs", "1", "--resume") == 0
    summary = json.loads((out / "summary.json").read_text())
    assert (summary["inputs_skipped"], summary["documents"]) == (1, 1)
    assert tree(out)["a.clean.txt"] != first["a.clean.txt"] and tree(out)["b.clean.txt"] == first["b.clean.txt"]
    # a missing output (say, deleted by hand) makes the input stale again
    (out / "b.clean.txt").unlink()
    assert run(str(tmp_path / "in"), "--out-dir", str(out), "--jobs", "1", "--resume") == 0
    assert (out / "b.clean.txt").exists()


def test_output_paths_per_kind(tmp_path):
    [txt, corpus] = discover_inputs([str(write(tmp_path / "a.txt", "x")), str(write(tmp_path / "c.jsonl.gz", b""))])
    assert [os.path.basename(p) for p in output_paths(txt, "o", True)] == ["a.ann.jsonl", "a.clean.txt", "a.conllu"]
    assert [os.path.basename(p) for p in output_paths(corpus, "o", False)] == ["c.ann.jsonl.gz"]


# -- progress ---------------------------------------------------------------------------


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_draws_only_on_a_terminal():
    clock = iter(range(100)).__next__
    tty = FakeTTY()
    p = Progress(1000, stream=tty, clock=lambda: float(clock()))
    p.update(docs=1, chars=100, done_bytes=500)
    p.close()
    assert "50% 1 docs" in tty.getvalue() and "ETA" in tty.getvalue() and tty.getvalue().endswith("\n")
    pipe = io.StringIO()  # not a terminal: nothing at all
    q = Progress(1000, stream=pipe)
    q.update(docs=1, chars=100, done_bytes=500)
    q.close()
    assert pipe.getvalue() == ""


def test_batch_draws_progress_when_asked(tmp_path, capsys):
    for i in range(3):
        write(tmp_path / "in" / f"d{i}.txt", ARTICLE)
    assert main(["clean", str(tmp_path / "in"), "--out-dir", str(tmp_path / "o"), "--jobs", "1", "--progress"]) == 0
    err = capsys.readouterr().err
    assert "3 docs" in err and "chars/s" in err and "3 documents cleaned, 0 failed" in err


# -- kill and resume ------------------------------------------------------------------


def make_articles(folder: Path, n: int) -> None:
    """n small distinct articles and one corpus of 40 documents."""
    for i in range(n):
        body = "".join(f"記事{i}の{j}番目の文は市の計画について述べる。<b>注</b>&amp;補足{j}。\n" for j in range(25))
        write(folder / f"{i // 50:02d}" / f"art{i:04d}.txt", body)
    write(folder / "01" / "corpus.jsonl", jsonl([{"id": f"c{k}", "text": OTHER * (k % 5 + 1)} for k in range(40)]))


@pytest.mark.slow
def test_killed_batch_resumes_to_the_same_output(tmp_path):
    import signal
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    # on a loaded machine the watcher below may sleep through a whole small batch: then the batch is
    # made four times larger and killed again (the kill must land midway for the test to mean anything)
    for n in (150, 600):
        src = tmp_path / f"in{n}"
        make_articles(src, n)
        cmd = [sys.executable, "-m", "pipeline", "clean", str(src), "--jobs", "2", "--quiet", "--format", "conllu"]
        killed = tmp_path / f"killed{n}"
        proc = subprocess.Popen([*cmd, "--out-dir", str(killed)], cwd=root, start_new_session=True)
        try:
            deadline = time.monotonic() + 120
            while len(list(killed.rglob("*.clean.txt"))) < 30 and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.02)
        finally:
            os.killpg(proc.pid, signal.SIGKILL)  # the parent and its workers, mid-batch
            proc.wait()
        partial = tree(killed)
        if not (killed / "summary.json").exists():
            break
    assert 0 < len(partial) < n * 3, "the batch was not killed midway"
    for name, data in partial.items():  # whatever exists is complete
        if name.endswith(".ann.jsonl"):
            assert json.loads(data)["text"] is not None
    assert not (killed / "summary.json").exists()
    resumed = subprocess.run([*cmd, "--out-dir", str(killed), "--resume"], cwd=root, capture_output=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    summary = json.loads((killed / "summary.json").read_text())
    assert summary["inputs_skipped"] > 0 and summary["documents"] > 0
    whole = tmp_path / "whole"
    done = subprocess.run([*cmd, "--out-dir", str(whole)], cwd=root, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert tree(killed) == tree(whole)
    assert len(tree(whole)) == n * 3 + 2


# -- cross-document boilerplate (--boilerplate report / remove) ---------------------------

FOOTER = "本記事の内容の無断転載・複製を固く禁じます。"
TOPICS = ["市議会", "県警", "気象台", "大学病院", "商工会議所", "教育委員会", "水道局", "港湾局"]


def footer_corpus(folder: Path, n: int = 8) -> Path:
    """n articles in files and a corpus, each with its own text and the same footer paragraph.

    Two articles also share a sentence (a quotation two outlets both ran): found in 2 documents only,
    it is no boilerplate and must stay.
    """
    for i in range(n):
        shared = "知事は「住民の安全が第一だ」と述べた。" if i < 2 else ""
        body = f"{TOPICS[i]}は{i + 1}日、新しい方針{i}を発表した。{shared}\n担当者{i}は詳細を来週{i}日に説明する。"
        write(folder / f"a{i}.txt", f"{body}\n\n{FOOTER}\n")
    docs = [{"id": f"c{i}", "text": f"速報{i}：{TOPICS[i]}で会見が開かれた。\n\n{FOOTER}"} for i in range(4)]
    write(folder / "more.jsonl", jsonl(docs))
    return folder


def test_boilerplate_report_lists_the_footer_and_changes_no_output(tmp_path):
    src = footer_corpus(tmp_path / "in")
    plain, rep = tmp_path / "plain", tmp_path / "rep"
    assert run(str(src), "--out-dir", str(plain), "--jobs", "1") == 0
    assert run(str(src), "--out-dir", str(rep), "--jobs", "1", "--boilerplate", "report") == 0
    report = json.loads((rep / "boilerplate.json").read_text(encoding="utf-8"))
    assert report["documents"] == 12
    assert [(r["kind"], r["text"], r["docs"]) for r in report["repeated"]] == [("paragraph", FOOTER, 12)]
    summary = json.loads((rep / "summary.json").read_text(encoding="utf-8"))
    assert summary["boilerplate"] == {"mode": "report", "documents_counted": 12, "repeated": 1, "removed": 0}
    # report only: every output is the same as without --boilerplate
    assert {k: v for k, v in tree(rep).items() if k != "boilerplate.json"} == tree(plain)
    assert "boilerplate" not in json.loads((plain / "summary.json").read_text(encoding="utf-8"))


def test_boilerplate_counts_with_a_stage_skipped(tmp_path):
    # the counting pass ran its three stages through the planner with the run's --skip: a skipped stage
    # it did not run ("unknown stage 'dedup'") failed every document, and 0 documents were counted
    src = footer_corpus(tmp_path / "in")
    rep = tmp_path / "rep"
    assert run(str(src), "--out-dir", str(rep), "--jobs", "1", "--boilerplate", "report", "--skip", "dedup") == 0
    report = json.loads((rep / "boilerplate.json").read_text(encoding="utf-8"))
    assert report["documents"] == 12
    assert [(r["kind"], r["text"], r["docs"]) for r in report["repeated"]] == [("paragraph", FOOTER, 12)]


def test_boilerplate_remove_deletes_the_footer_as_reversible_edits(tmp_path):
    src = footer_corpus(tmp_path / "in")
    out = tmp_path / "out"
    assert run(str(src), "--out-dir", str(out), "--jobs", "1", "--boilerplate", "remove") == 0
    for i in range(8):
        text = (out / f"a{i}.clean.txt").read_text(encoding="utf-8")
        assert FOOTER not in text
        assert f"新しい方針{i}を発表した。" in text and f"担当者{i}は詳細を来週{i}日に説明する。" in text
        assert text.endswith("説明する。\n") or text.endswith("説明する。")
    # the sentence found in two documents only stays
    assert "知事は「住民の安全が第一だ」と述べた。" in (out / "a0.clean.txt").read_text(encoding="utf-8")
    [rec] = [json.loads(x) for x in (out / "a3.ann.jsonl").read_text(encoding="utf-8").splitlines()]
    [edit] = [e for e in rec["edits"] if e["stage"] == "boilerplate"]
    assert edit["rule"] == "cross-document" and edit["reason"].startswith(
        "boilerplate paragraph: found in 12 of 12 documents"
    )
    assert restore_record(rec) == (src / "a3.txt").read_bytes()
    corpus = [json.loads(x) for x in (out / "more.ann.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["text"] for r in corpus] == [f"速報{i}：{TOPICS[i]}で会見が開かれた。" for i in range(4)]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["boilerplate"] == {"mode": "remove", "documents_counted": 12, "repeated": 1, "removed": 12}
    assert summary["edits"]["by_stage"]["boilerplate"]["rules"]["cross-document"] == 12


def test_boilerplate_remove_is_the_same_with_jobs_and_resume(tmp_path):
    src = footer_corpus(tmp_path / "in")
    one, two = tmp_path / "one", tmp_path / "two"
    assert run(str(src), "--out-dir", str(one), "--jobs", "1", "--boilerplate", "remove") == 0
    assert run(str(src), "--out-dir", str(two), "--jobs", "2", "--boilerplate", "remove") == 0
    assert tree(one) == tree(two)
    # resume: the counting pass still reads every input, so the redone outputs match
    (two / "a5.clean.txt").unlink()
    (two / "more.ann.jsonl").unlink()
    assert run(str(src), "--out-dir", str(two), "--jobs", "2", "--boilerplate", "remove", "--resume") == 0
    summary = json.loads((two / "summary.json").read_text(encoding="utf-8"))
    assert (summary["inputs_skipped"], summary["documents"]) == (7, 5)
    assert summary["boilerplate"]["documents_counted"] == 12
    assert tree(one) == tree(two)


def test_boilerplate_thresholds_and_usage_errors(tmp_path):
    src = footer_corpus(tmp_path / "in", n=3)  # the footer is in 3 + 4 documents
    out = tmp_path / "out"
    assert run(str(src), "--out-dir", str(out), "--boilerplate", "report", "--boilerplate-min-docs", "8") == 0
    assert json.loads((out / "boilerplate.json").read_text(encoding="utf-8"))["repeated"] == []
    assert run(str(src), "--out-dir", str(out), "--boilerplate", "report", "--boilerplate-min-share", "0.9") == 0
    assert len(json.loads((out / "boilerplate.json").read_text(encoding="utf-8"))["repeated"]) == 1
    assert run(str(src), "--boilerplate", "report") == 2  # report needs --out-dir
    assert run(str(src), "--out-dir", str(out), "--boilerplate", "remove", "--boilerplate-min-docs", "1") == 2


# -- workers write their own outputs -----------------------------------------------------


def test_a_worker_writes_a_files_outputs_and_returns_only_counts(tmp_path):
    # the same bytes as the parent would write, and nothing big goes back to the parent
    from pipeline.batch import Settings, Task, clean_chunk
    from pipeline.batch.sinks import write_document_files

    outs = (str(tmp_path / "w" / "a.ann.jsonl"), str(tmp_path / "w" / "a.clean.txt"))
    [by_worker] = clean_chunk([Task("a.txt", "a.txt", ARTICLE.encode(), "a.txt", None, outs)], Settings())
    [returned] = clean_chunk([Task("a.txt", "a.txt", ARTICLE.encode(), "a.txt")], Settings())
    by_parent = (str(tmp_path / "p" / "a.ann.jsonl"), str(tmp_path / "p" / "a.clean.txt"))
    write_document_files(by_parent, returned)
    assert by_worker.written and (by_worker.text, by_worker.record) == ("", "") and not by_worker.error
    assert by_worker.chars_in == len(ARTICLE) and by_worker.sentences == returned.sentences
    assert tree(tmp_path / "w") == tree(tmp_path / "p")


def test_a_corpus_chunk_goes_to_one_part_in_order_without_its_failures(tmp_path):
    # the part holds the records of the documents that were cleaned, in input order; a failed one is left out
    from pipeline.batch import Settings, Task, clean_chunk
    from pipeline.batch.sinks import part_paths

    parts = part_paths([str(tmp_path / "c.ann.jsonl")], 1)
    texts = [ARTICLE, "あ" * 150, OTHER]  # the second is over --max-chars
    tasks = [Task("c.jsonl", str(i), t, f"c.jsonl:{i + 1}", None, (), parts) for i, t in enumerate(texts)]
    outcomes = clean_chunk(tasks, Settings(max_chars=100))
    assert [bool(o.error) for o in outcomes] == [False, True, False]
    assert [o.parts for o in outcomes] == [parts, (), parts] and outcomes[0].record == ""
    lines = (tmp_path / parts[0]).read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["0", "2"]


def test_a_worker_that_dies_leaves_no_part_and_the_rest_of_its_chunk_is_kept(tmp_path, capsys, monkeypatch):
    # a document that kills its worker (a crash in MeCab, the OOM killer) fails alone; its chunk's
    # other documents are cleaned again one at a time and their records come back to the parent
    import pipeline.run

    real = pipeline.run.remove_duplicates

    def crash(doc, options):  # forked workers inherit this
        if "墜落" in doc.original:
            os._exit(1)
        return real(doc, options)

    monkeypatch.setattr(pipeline.run, "remove_duplicates", crash)
    docs = [{"id": str(i), "text": ("墜落する。" if i == 3 else f"{i}番目。") + OTHER} for i in range(8)]
    write(tmp_path / "in" / "c.jsonl", jsonl(docs))
    out = tmp_path / "out"
    assert run(str(tmp_path / "in"), "--out-dir", str(out), "--jobs", "2") == 1
    assert "c.jsonl:4 (id 3): worker process died" in capsys.readouterr().err
    ids = [json.loads(line)["id"] for line in (out / "c.ann.jsonl").read_text(encoding="utf-8").splitlines()]
    assert ids == ["0", "1", "2", "4", "5", "6", "7"]
    assert sorted(p.name for p in out.iterdir()) == ["c.ann.jsonl", "summary.json"]  # no part, no temporary file


def test_many_small_files_and_a_corpus_leave_no_hidden_file_and_match_one_job(tmp_path):
    # small files share chunks and workers write them; the parts of the corpus are appended and removed
    for i in range(70):
        write(tmp_path / "in" / f"{i // 30}" / f"f{i:02d}.txt", f"記事{i}。" + ARTICLE)
    write(tmp_path / "in" / "c.jsonl", jsonl([{"id": str(i), "text": f"{i}。" + OTHER} for i in range(130)]))
    one, two = tmp_path / "one", tmp_path / "two"
    assert run(str(tmp_path / "in"), "--out-dir", str(one), "--jobs", "1") == 0
    assert run(str(tmp_path / "in"), "--out-dir", str(two), "--jobs", "2") == 0
    assert tree(one) == tree(two) and len(tree(two)) == 70 * 2 + 1
    assert not [p for p in two.rglob(".*")]


def test_summary_says_how_long_records_and_writes_took(tmp_path):
    # bench_e2e --breakdown reads these: building the records and writing the outputs, summed over the workers
    write(tmp_path / "in" / "a.txt", ARTICLE)
    write(tmp_path / "in" / "c.jsonl", jsonl([{"id": "x", "text": OTHER}]))
    assert run(str(tmp_path / "in"), "--out-dir", str(tmp_path / "out"), "--jobs", "1") == 0
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert set(summary["batch_seconds"]) == {"record", "write"}
    assert all(v >= 0 for v in summary["batch_seconds"].values())


# -- start-up ------------------------------------------------------------------------------


def test_clean_imports_only_its_own_command(tmp_path):
    # start-up: a clean run does not pay for the other commands, the review code or Dask
    # (docs/performance.md); --help still lists every command
    import subprocess
    import sys

    write(tmp_path / "empty.txt", "")
    code = (
        "import sys\nfrom pipeline.cli import main\n"
        f"main(['clean', {str(tmp_path / 'empty.txt')!r}, '--out-dir', {str(tmp_path / 'o')!r}])\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith(('pipeline.commands.', 'pipeline.review', "
        "'dask', 'distributed')))))"
    )
    root = str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": root}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["pipeline.commands.clean", "pipeline.commands.options"]
    helped = subprocess.run(
        [sys.executable, "-m", "pipeline", "--help"], capture_output=True, text=True, env=env, timeout=120
    )
    assert all(name in helped.stdout for name in ("clean", "restore", "variants", "diff", "stats", "align"))


# -- the record's bytes, the last chunks ------------------------------------------------


def test_outcome_record_reads_as_text_while_the_worker_keeps_bytes():
    # Python callers of clean_chunk read Outcome.record as before (pieces of text); the sinks
    # write Outcome.record_bytes, the encoder's UTF-8, never decoded
    from pipeline.batch import Settings, Task, clean_chunk

    [o] = clean_chunk([Task("a.txt", "a.txt", ARTICLE.encode(), "a.txt")], Settings())
    assert isinstance(o.record, list) and all(isinstance(p, str) for p in o.record)
    assert [p.encode() for p in o.record] == o.record_bytes
    assert json.loads("".join(o.record))["text"] == o.text
    o.record = "{}"  # assigning text still works (stored as its bytes)
    assert (o.record, o.record_bytes) == ("{}", b"{}")


def test_stdout_records_go_to_the_bytes_layer_after_the_text_it_holds():
    # text written before (still in the text layer's buffer) comes first; a record with a lone
    # surrogate is written through the text layer with the stream's own error handler
    from pipeline.batch.sinks import StdoutOutputs
    from pipeline.batch.tasks import Outcome

    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="utf-8", errors="surrogateescape", newline="")
    stream.write("before\n")
    out = StdoutOutputs("json", stream)
    out.add(Outcome("a", record_bytes=[b'{"a":', b"1}"]))
    out.add(Outcome("b", record_bytes=['{"s":"\udc93"', b"}"]))  # text piece: the stream encodes it
    out.add(Outcome("c", record_bytes=b'{"c":"\xe7\x8a\xac"}'))
    out.commit()
    assert raw.getvalue() == b'before\n{"a":1}\n{"s":"\x93"}\n{"c":"\xe7\x8a\xac"}\n'
    plain = io.StringIO()  # no bytes layer: text
    StdoutOutputs("json", plain).add(Outcome("c", record_bytes=b'{"c":"\xe7\x8a\xac"}'))
    assert plain.getvalue() == '{"c":"\u72ac"}\n'


def test_with_several_workers_the_last_chunks_are_smaller_and_nothing_moves(tmp_path):
    # the last chunk's worth of input per worker goes in chunks of a quarter: two workers
    # finish close together; every task still comes once, in input order
    from pipeline.batch import CHUNK_DOCS, Chunk, produce
    from pipeline.batch.runner import BatchOptions
    from pipeline.io.corpus import discover_inputs

    for i in range(200):
        write(tmp_path / "in" / f"f{i:03d}.txt", f"記事{i}。")
    inputs = discover_inputs([str(tmp_path / "in")])
    total = sum(os.path.getsize(i.path) for i in inputs)
    opts = BatchOptions()

    def sizes(tail: int) -> list[int]:
        chunks = [e for e in produce(inputs, opts, False, 0, False, total, tail) if isinstance(e, Chunk)]
        assert [t.source for c in chunks for t in c.tasks] == [i.path for i in inputs]
        return [len(c.tasks) for c in chunks]

    assert sizes(0) == [64, 64, 64, 8]  # one worker (or no tail): full chunks
    small = CHUNK_DOCS // 4
    half = total // 2  # the second half of the bytes is the tail
    got = sizes(half)
    assert got[0] == 64 and got[-2] == small and max(got[2:]) == small and sum(got) == 200
