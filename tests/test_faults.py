"""One test per numbered finding of issue 16 (hardening): each failed on the code before the fix.

Every test runs the command line as a user would and checks the fault
policy: a bad document fails alone with one ``error: ...`` line, a run-level
fault is one line and exit 2, no traceback, outputs stay inside
``--out-dir`` and never overwrite a file this program did not write.
All fixtures are made up here.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from files import jsonl, write

from pipeline.cli import main
from pipeline.run import clean_text

REPO = Path(__file__).resolve().parent.parent
ARTICLE = "市の担当者は新しい計画を発表した。\n研究チームは結果を公表した。\n"


def files_below(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    """Run the command line in this process: (exit status, stdout, stderr); an exception fails the test."""
    status = main(list(argv))
    cap = capsys.readouterr()
    assert "Traceback" not in cap.err
    assert status in (0, 1, 2)
    return status, cap.out, cap.err


def one_line_errors(err: str) -> list[str]:
    lines = [ln for ln in err.splitlines() if ln.startswith("error:")]
    assert all("internal error" not in ln for ln in lines), err
    return lines


# -- 1-5: data loss or escape ----------------------------------------------------------


def test_01_a_glob_with_dotdot_never_writes_outside_the_out_dir(tmp_path, capsys, monkeypatch):
    # `*/../../src/*.txt` names files outside the working folder: their outputs still land in --out-dir
    src = write(tmp_path / "src" / "e.txt", ARTICLE).parent
    work = tmp_path / "work"
    (work / "a").mkdir(parents=True)
    monkeypatch.chdir(work)
    status, _, _ = cli(capsys, "clean", "*/../../src/*.txt", "--out-dir", "o", "-j", "1")
    assert status == 0
    assert files_below(src) == {"e.txt"}
    assert {"src/e.ann.jsonl", "src/e.clean.txt"} <= files_below(work / "o")  # `..` parts dropped


def test_02_cleaning_a_folder_into_itself_never_overwrites_a_users_file(tmp_path, capsys):
    # the user's own news.clean.txt is an input here, and news.txt's output would overwrite it
    ow = tmp_path / "ow"
    write(ow / "news.txt", ARTICLE)
    mine = write(ow / "news.clean.txt", "私のメモ。\n")
    status, _, err = cli(capsys, "clean", str(ow), "--out-dir", str(ow), "-j", "1")
    assert mine.read_text(encoding="utf-8") == "私のメモ。\n"
    assert status == 2 and "also an input" in one_line_errors(err)[0]


def test_02_a_file_this_program_did_not_write_is_never_overwritten(tmp_path, capsys):
    # out/news.clean.txt is the user's (no annotation file of ours beside it): news.txt fails alone
    write(tmp_path / "in" / "news.txt", ARTICLE)
    write(tmp_path / "in" / "other.txt", ARTICLE)
    mine = write(tmp_path / "out" / "news.clean.txt", "私のメモ。\n")
    status, _, err = cli(capsys, "clean", str(tmp_path / "in"), "--out-dir", str(tmp_path / "out"), "-j", "1")
    assert mine.read_text(encoding="utf-8") == "私のメモ。\n"
    assert status == 1 and "did not write" in one_line_errors(err)[0]
    assert (tmp_path / "out" / "other.clean.txt").exists()


def test_02_a_summary_json_of_the_user_is_never_overwritten(tmp_path, capsys):
    write(tmp_path / "in" / "a.txt", ARTICLE)
    mine = write(tmp_path / "out" / "summary.json", '{"my": "notes"}\n')
    status, _, err = cli(capsys, "clean", str(tmp_path / "in"), "--out-dir", str(tmp_path / "out"), "-j", "1")
    assert status == 2 and mine.read_text() == '{"my": "notes"}\n' and "summary.json" in err


def test_02_a_rerun_never_reads_its_own_outputs_back_as_inputs(tmp_path, capsys):
    ow = tmp_path / "ow"
    write(ow / "art1.txt", ARTICLE)
    for _ in range(3):
        status, _, _ = cli(capsys, "clean", str(ow), "--out-dir", str(ow), "-j", "1")
        assert status == 0
    names = files_below(ow)
    assert not any(".clean.clean" in n or ".ann.ann" in n or n.startswith("art1.ann.clean") for n in names), names
    assert {"art1.txt", "art1.clean.txt", "art1.ann.jsonl", "summary.json"} <= names


def test_02_an_output_equal_to_an_input_is_a_usage_error(tmp_path, capsys):
    # c.jsonl writes c.ann.jsonl, which here is the user's own corpus and an input
    d = tmp_path / "d"
    write(d / "c.jsonl", jsonl([{"id": "a", "text": "一。"}]))
    theirs = write(d / "c.ann.jsonl", jsonl([{"id": "b", "text": "二。"}]))
    before = theirs.read_bytes()
    status, _, err = cli(capsys, "clean", str(d / "c.jsonl"), str(theirs), "--out-dir", str(d), "-j", "1")
    assert status == 2 and theirs.read_bytes() == before
    assert len(one_line_errors(err)) == 1


def test_03_a_bad_file_name_or_id_fails_alone(tmp_path, capsys):
    # a CP932 file name (undecodable bytes) and a corpus id that is a lone surrogate
    d = tmp_path / "in"
    write(d / "good.txt", ARTICLE)
    bad = os.fsencode(str(d)) + b"/" + "日報".encode("cp932") + b".txt"
    with open(bad, "wb") as fh:
        fh.write(ARTICLE.encode("utf-8"))
    write(d / "c.jsonl", '{"id": "ok", "text": "一。"}\n{"id": "\\ud800", "text": "二。"}\n')
    out = tmp_path / "out"
    status, _, err = cli(capsys, "clean", str(d), "--out-dir", str(out), "-j", "1")
    assert status in (0, 1)
    assert {"good.ann.jsonl", "good.clean.txt", "c.ann.jsonl", "summary.json"} <= files_below(out)
    for line in (out / "c.ann.jsonl").read_text(encoding="utf-8").splitlines():
        json.loads(line)


def test_03_an_output_name_too_long_for_the_file_system_fails_alone(tmp_path, capsys):
    # 80 kana = 240 bytes: NAME.ann.jsonl (and its temporary twin) cannot be created; a corpus ended the run
    d = tmp_path / "in"
    write(d / ("あ" * 80 + ".txt"), ARTICLE)
    write(d / ("い" * 80 + ".jsonl"), jsonl([{"id": "a", "text": "一。"}]))
    write(d / "ok.txt", ARTICLE)
    status, _, err = cli(capsys, "clean", str(d), "--out-dir", str(tmp_path / "out"), "-j", "1")
    assert status == 1 and len(one_line_errors(err)) == 2 and "name too long" in err
    assert {"ok.ann.jsonl", "ok.clean.txt", "summary.json"} == files_below(tmp_path / "out")


def _children(pid: int) -> set[int]:
    kids: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            kids |= {int(x) for x in (task / "children").read_text().split()}
    return kids


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_04_workers_die_with_their_parent(tmp_path):
    d = tmp_path / "in"
    for i in range(40):
        write(d / f"{i:02}.txt", ARTICLE * 200)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "clean", str(d), "--out-dir", str(tmp_path / "o"), "-j", "2", "-q"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: set[int] = set()
    deadline = time.time() + 60
    while time.time() < deadline and len(workers) < 2 and proc.poll() is None:
        workers = _children(proc.pid)
        time.sleep(0.2)
    assert len(workers) >= 2, "the workers did not start"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.time() + 15
    while time.time() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.2)
    alive = [w for w in workers if _alive(w)]
    for w in alive:  # leave no process behind, whatever the outcome
        os.kill(w, signal.SIGKILL)
    assert not alive


def test_05_resume_after_a_partly_failed_corpus_keeps_the_failure(tmp_path, capsys):
    data = gzip.compress(jsonl([{"id": str(i), "text": f"文{i}を書いた。" * 30} for i in range(300)]).encode())
    src = write(tmp_path / "c.jsonl.gz", data[: len(data) // 2])  # cut in half
    out = tmp_path / "out"
    status, _, _ = cli(capsys, "clean", str(src), "--out-dir", str(out), "-j", "1")
    assert status == 1
    status, _, err = cli(capsys, "clean", str(src), "--out-dir", str(out), "-j", "1", "--resume")
    summary = json.loads((out / "summary.json").read_text())
    assert status == 1 and summary["failed"] >= 1, (err, summary)


# -- 6: integrity ----------------------------------------------------------------------


def _record(tmp_path: Path, capsys) -> dict:
    src = write(tmp_path / "a.txt", "<b>本文</b>です。\n")
    cli(capsys, "clean", str(src), "--out-dir", str(tmp_path / "o"), "-j", "1")
    return json.loads((tmp_path / "o" / "a.ann.jsonl").read_text(encoding="utf-8"))


def _broken(rec: dict, how: str) -> dict:
    rec = json.loads(json.dumps(rec))
    edit = rec["edits"][0]
    if how == "no-hash":
        del rec["sha256"]
    elif how == "old-length":
        edit["old"] = edit["old"] + "x"
    elif how == "overlap":
        rec["edits"].insert(1, dict(edit))
    elif how == "out-of-range":
        edit["start"], edit["end"] = 10_000, 10_003
    elif how == "text-not-str":
        rec["text"] = 5
    elif how == "encoding":
        rec["encoding"] = "no-such-codec"
    elif how == "edits-not-list":
        rec["edits"] = {"a": 1}
    return rec


@pytest.mark.parametrize(
    "how",
    [
        "no-hash",  # no sha256: nothing to check against; refused unless --no-verify
        "old-length",  # an edit's old text does not cover its span
        "overlap",  # two edits over the same span
        "out-of-range",  # an edit beyond the end of the text
        "text-not-str",  # text is a number
        "encoding",  # an encoding Python does not know
        "edits-not-list",  # edits is an object
    ],
)
def test_06_restore_checks_the_whole_file_before_printing(tmp_path, capsys, how):
    good = _record(tmp_path, capsys)
    ann = write(tmp_path / "x.ann.jsonl", jsonl([good, _broken(good, how)]))
    status, out, err = cli(capsys, "restore", str(ann))
    assert status == 2 and out == ""  # the good first record is not printed either
    assert len(one_line_errors(err)) == 1 and "line 2" in err


def test_06_restore_no_verify_accepts_a_record_without_hash(tmp_path, capsys):
    good = _record(tmp_path, capsys)
    ann = write(tmp_path / "x.ann.jsonl", jsonl([_broken(good, "no-hash")]))
    status, out, _ = cli(capsys, "restore", str(ann), "--no-verify")
    assert status == 0 and out == "<b>本文</b>です。\n"


# -- 7-14: wrong output ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, allowed",
    [
        # an unlisted but well-formed tag: whole or not at all, never `<svg <circle`
        ('記事の本文<svg width="10"><circle r="5"/></svg>です。', {"記事の本文です。"}),
        ('記事<base href="https://example.org/">です。', {"記事です。"}),
    ],
)
def test_07_an_unlisted_tag_goes_whole_or_stays_whole(text, allowed):
    got = clean_text(text).text
    assert got in allowed | {text}, got


def test_08_a_block_tag_mid_sentence_is_not_a_line_break():
    got = clean_text('東京電力は<div class="a">新計画</div>を発表した。').text
    assert got == "東京電力は新計画を発表した。"


def test_09_conllu_comment_lines_hold_no_newline_or_nul(tmp_path, capsys):
    src = write(tmp_path / "c.jsonl", jsonl([{"id": "a\nb", "text": "一。"}, {"id": "x\x00y", "text": "二。"}]))
    status, out, _ = cli(capsys, "clean", str(src), "--format", "conllu", "-j", "1")
    assert status == 0 and "\x00" not in out
    for line in out.splitlines():
        assert not line or line.startswith("# ") and " = " in line or line.count("\t") == 9, repr(line)


def test_10_duplicate_or_odd_ids_are_refused_not_glued(tmp_path, capsys):
    # 5 and "5" collide as text; an object id is not an id
    src = write(
        tmp_path / "c.jsonl",
        jsonl([{"id": 5, "text": "一。"}, {"id": "5", "text": "二。"}, {"id": {"x": 1}, "text": "三。"}]),
    )
    out = tmp_path / "o"
    status, _, err = cli(capsys, "clean", str(src), "--out-dir", str(out), "-j", "1")
    assert status == 1 and any("id" in ln and "line 3" in ln for ln in one_line_errors(err))
    status, stdout, err = cli(capsys, "restore", str(out / "c.ann.jsonl"), "--id", "5")
    assert status == 2 and stdout == "" and "lines 1 and 2" in err
    status, stdout, _ = cli(capsys, "restore", str(out / "c.ann.jsonl"), "--line", "2")
    assert status == 0 and stdout == "二。"


def test_10_align_picks_one_of_several_records_with_one_id_by_line(tmp_path, capsys):
    # align --id could select neither record of a shared id ("no document", or both refused)
    src = write(tmp_path / "c.jsonl", jsonl([{"id": "5", "text": "一つ目。"}, {"id": "5", "text": "二つ目。"}]))
    en = write(tmp_path / "en.txt", "The second.\n")
    out = tmp_path / "o"
    cli(capsys, "clean", str(src), "--out-dir", str(out), "-j", "1")
    ann = str(out / "c.ann.jsonl")
    status, stdout, err = cli(capsys, "align", str(en), ann, "--id", "5", "--quiet")
    assert status == 2 and stdout == "" and "lines 1 and 2" in err and "--line" in err
    assert len(one_line_errors(err)) == 1
    status, stdout, _ = cli(capsys, "align", str(en), ann, "--line", "2", "--quiet")
    assert status == 0 and "二つ目。" in stdout and "一つ目" not in stdout
    status, _, err = cli(capsys, "align", str(en), ann, "--quiet")
    assert status == 2 and "--line N" in err


def test_11_several_documents_as_text_on_stdout_are_refused(tmp_path, capsys):
    src = write(tmp_path / "c.jsonl", jsonl([{"id": "1", "text": "一。"}, {"id": "2", "text": "二。"}]))
    status, out, err = cli(capsys, "clean", str(src), "-j", "1")
    assert status == 2 and out == "" and "--json" in err


def test_12_a_nul_byte_anywhere_is_a_binary_file(tmp_path, capsys):
    src = write(tmp_path / "a.txt", "あ".encode() * 3000 + b"\x00" + "い".encode())  # NUL at byte 9,000
    status, out, err = cli(capsys, "clean", str(src))
    assert status == 2 and out == "" and "NUL byte at offset 9000" in err


@pytest.mark.parametrize("end", ["\r\n", "\r"])  # CRLF already worked; a lone CR left empty lines
def test_12_cr_only_line_ends_behave_like_lf(end):
    line = "市の担当者は新しい計画を来週発表すると述べた。"
    lf = clean_text((line + "\n") * 3).text
    assert lf == line + "\n"  # the repeats go with their line breaks
    assert clean_text((line + end) * 3).text == lf.replace("\n", end)


def test_13_stats_and_diff_read_a_gzip_annotation_file(tmp_path, capsys):
    src = write(tmp_path / "c.jsonl.gz", gzip.compress(jsonl([{"id": "a", "text": "<b>一</b>。"}]).encode()))
    cli(capsys, "clean", str(src), "--out-dir", str(tmp_path / "o"), "-j", "1")
    ann = str(tmp_path / "o" / "c.ann.jsonl.gz")
    assert cli(capsys, "stats", ann)[0] == 0
    status, out, _ = cli(capsys, "diff", ann, "--color", "never")
    assert status == 0 and "tag" in out


@pytest.mark.parametrize(
    "argv, needle",
    [
        (["clean", "A", "--skip", "dedupe"], "dedup"),  # a typo names the known stages
        (["clean", "A", "--skip", "tokenise"], "tokens"),  # variants and dedup need tokens
        (["diff", "A", "--stage", "nosuch"], "markup"),  # an unknown stage to show
    ],
)
def test_14_unknown_stage_names_are_usage_errors(tmp_path, capsys, argv, needle):
    src = write(tmp_path / "a.txt", ARTICLE)
    status, out, err = cli(capsys, *[str(src) if a == "A" else a for a in argv])
    assert status == 2 and out == "" and needle in err


# -- 15-17: one line instead of a crash or a hang ----------------------------------------


@pytest.mark.parametrize("kind", ["file", "under-file", "read-only"])
def test_15_an_unusable_out_dir_is_one_line_before_any_work(tmp_path, capsys, kind):
    src = write(tmp_path / "a.txt", ARTICLE)
    blocker = write(tmp_path / "f", "x")
    out = {"file": blocker, "under-file": blocker / "o", "read-only": tmp_path / "ro"}[kind]
    if kind == "read-only":
        out.mkdir()
        out.chmod(0o555)
        if os.access(out, os.W_OK):  # root ignores modes
            pytest.skip("running as root")
    status, _, err = cli(capsys, "clean", str(src), "--out-dir", str(out), "-j", "1")
    assert status == 2 and len(one_line_errors(err)) == 1 and "--out-dir" in err


def test_15_a_read_only_out_dir_is_one_line_before_any_work_also_as_root(tmp_path, capsys, monkeypatch):
    # root ignores folder modes: refuse every file creation inside the folder instead, as a read-only mount would
    import errno

    out = tmp_path / "ro"
    out.mkdir()
    real_open = os.open

    def read_only(path, flags, *args, **kwargs):
        if flags & os.O_CREAT and os.fspath(path).startswith(str(out)):
            raise PermissionError(errno.EROFS, "Read-only file system", os.fspath(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only)
    src = write(tmp_path / "a.txt", ARTICLE)
    status, _, err = cli(capsys, "clean", str(src), "--out-dir", str(out), "-j", "1")
    assert status == 2 and len(one_line_errors(err)) == 1 and "--out-dir" in err and "not writable" in err


def test_15_disk_full_while_writing_is_one_line_and_exit_2(tmp_path, capsys, monkeypatch):
    import errno

    import pipeline.io.atomic

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    write(tmp_path / "in" / "a.txt", ARTICLE)
    write(tmp_path / "in" / "b.txt", ARTICLE)
    monkeypatch.setattr(pipeline.io.atomic.os, "replace", full)
    status, _, err = cli(capsys, "clean", str(tmp_path / "in"), "--out-dir", str(tmp_path / "o"), "-j", "1")
    assert status == 2 and len(one_line_errors(err)) == 1 and "No space left" in err


def test_16_a_fifo_or_a_device_is_refused_without_reading_it(tmp_path):
    d = tmp_path / "in"
    write(d / "a.txt", ARTICLE)
    os.mkfifo(d / "b.txt")
    (d / "z.txt").symlink_to("/dev/zero")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "clean", str(d), "--out-dir", str(tmp_path / "o"), "-j", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "b.txt: not a regular file" in done.stderr and "z.txt: not a regular file" in done.stderr


def test_16_size_is_checked_before_reading(tmp_path, capsys, monkeypatch):
    import pipeline.batch.events

    def never(path):
        raise AssertionError(f"{path} was read")

    monkeypatch.setattr(pipeline.batch.events, "read_bytes", never)
    src = write(tmp_path / "big.txt", "あ" * 1000)  # 3,000 bytes: more than 4 bytes x 100 characters
    status, _, err = cli(capsys, "clean", str(src), "--max-chars", "100", "-j", "1")
    assert status == 2 and "too large: 3,000 bytes" in err and "raise it with --max-chars" in err


@pytest.mark.parametrize(
    "case",
    [
        "restore-binary",  # restore on a file that is not text
        "diff-html-under-file",  # the report's folder is a file
        "encoding-rot13",  # a codec that is not a text encoding
        "lone-surrogate-text",  # a JSON text that cannot be written as UTF-8
        "resume-without-out-dir",  # --resume compares outputs with inputs: without --out-dir it was silently ignored
    ],
)
def test_17_bad_arguments_are_one_line(tmp_path, capsys, case):
    src = write(tmp_path / "a.txt", ARTICLE)
    blocker = write(tmp_path / "f", "x")
    argv = {
        "restore-binary": ["restore", str(write(tmp_path / "b.ann.jsonl", b"\xff\xfe\x00\x01"))],
        "diff-html-under-file": ["diff", str(src), "--html", str(blocker / "r.html")],
        "encoding-rot13": ["clean", str(src), "--encoding", "rot13"],
        "lone-surrogate-text": ["clean", str(write(tmp_path / "c.jsonl", '{"id": "a", "text": "x\\ud800"}\n'))],
        "resume-without-out-dir": ["clean", str(src), "--resume"],
    }[case]
    status, _, err = cli(capsys, *argv, *(["-j", "1"] if argv[0] == "clean" else []))
    assert status == 2 and len(one_line_errors(err)) >= 1


# -- 19: time linear on one long document ------------------------------------------------


def test_19_an_abbreviation_check_does_not_rescan_the_line():
    # every "B. " asked whether B is an abbreviation by searching the line from its start:
    # 70,000 characters took 4.7 s (140,000: 24 s); now a few milliseconds
    from pipeline.stages.segment import split_sentences

    line = "A社のB. あ" * 10_000
    t0 = time.perf_counter()
    assert split_sentences(line) == [(0, len(line))]
    assert time.perf_counter() - t0 < 1.0


def test_19_the_bounded_abbreviation_search_finds_what_the_whole_line_search_did():
    import random
    import re

    from pipeline.stages import segment

    whole = re.compile(r"([A-Za-z][A-Za-z.]*)$")
    rnd = random.Random(19)
    for _ in range(3000):
        line = "".join(rnd.choice("aB.. 1あ。X") for _ in range(rnd.randint(1, 12)))
        for i in range(len(line) + 1):
            m = whole.search(line, 0, i)
            expect = bool(m) and (
                m.group(1).lower().rstrip(".") in segment.load_abbreviations()
                or (len(m.group(1).lower().rstrip(".")) == 1 and m.group(1).lower().rstrip(".").isalpha())
            )
            assert segment._is_abbreviation(line, i) == expect, (line, i)


def _kana_forms(n: int, seed: int) -> list:
    import random

    from pipeline.stages.variants.forms import _form

    rnd = random.Random(seed)
    letters = "アカサタナハマラワンイキシトノ"
    texts = {"カ" + "".join(rnd.choice(letters) for _ in range(rnd.randint(3, 9))) for _ in range(n)}
    return [_form(t) for t in sorted(texts)]


def test_19_katakana_clustering_compares_neighbours_not_the_whole_vocabulary(monkeypatch):
    # every new form was compared with every cluster of its length and first sound:
    # quadratic in the vocabulary of one long document
    from pipeline.stages.variants import clusters

    calls = []
    real = clusters.compare_kana
    monkeypatch.setattr(clusters, "compare_kana", lambda a, b, o: calls.append(1) or real(a, b, o))
    forms = _kana_forms(3000, 19)
    clusters.cluster_forms(forms, clusters.VariantOptions())
    assert len(forms) <= len(calls) < 10 * len(forms), len(calls)  # was about 250 a form


def test_19_katakana_clustering_with_the_index_equals_a_full_scan():
    from pipeline.stages.variants import stage
    from pipeline.stages.variants.forms import compare_kana

    o = stage.VariantOptions()
    forms = _kana_forms(1500, 7)
    clusters: list = []
    for f in forms:  # the definition: complete linkage against every cluster, best total wins
        best = None
        for c in clusters:
            if (c.forms[0].kind == "mixed") != (f.kind == "mixed"):
                continue
            joins = all(compare_kana(g, f, o).same for g in c.forms)
            if joins and (best is None or c.total > best[0]):
                best = (c.total, c)
        if best is None:
            clusters.append(stage.Cluster([f]))
        else:
            best[1].forms.append(f)
    got = stage.cluster_forms(forms, o)
    assert [[f.text for f in c.forms] for c in got] == [[f.text for f in c.forms] for c in clusters]
    assert sum(len(c.forms) > 1 for c in got) > 50  # the sample has many near spellings


def test_19_a_long_document_reports_each_stage_on_stderr(tmp_path, capsys):
    # the bar counts documents and input bytes: one long document showed nothing until it ended
    src = write(tmp_path / "long.txt", ARTICLE * 10)
    out = tmp_path / "o"
    status, _, err = cli(
        capsys, "clean", str(src), "--out-dir", str(out), "-j", "1", "--progress", "--progress-chars", "200"
    )
    lines = [ln for ln in err.splitlines() if "long.txt" in ln]
    for stage in ("markup", "tokenise", "variants", "dedup", "record"):
        assert any(f": {stage}\u2026 " in ln and ln.endswith(" s") for ln in lines), (stage, err)
    assert status == 0
    # short documents, --quiet, or stderr not a terminal without --progress: no stage lines
    corpus = write(
        tmp_path / "c.jsonl", jsonl([{"id": "short", "text": ARTICLE}, {"id": "long", "text": ARTICLE * 10}])
    )
    _, _, err = cli(
        capsys,
        "clean",
        str(corpus),
        "--out-dir",
        str(tmp_path / "o2"),
        "-j",
        "1",
        "--progress",
        "--progress-chars",
        "200",
    )
    assert "(id long)" in err and "dedup\u2026" in err and "(id short)" not in err
    for extra in (["--quiet", "--progress"], []):
        _, _, err = cli(
            capsys, "clean", str(src), "--out-dir", str(tmp_path / "o3"), "-j", "1", "--progress-chars", "200", *extra
        )
        assert "\u2026" not in err


def _long_made_up_text(n: int) -> str:
    return "".join(f"市の担当者は{i}番目の計画を発表した。研究チーム{i % 7}は結果を公表した。" for i in range(n))


def test_19_the_record_is_written_in_pieces_without_a_dict_and_chunks_at_once():
    # memory: the record's dict, the JSON encoder's chunks and the string were alive together
    # (a transient peak of 3.4x the string); now each sentence is encoded alone (1.1x)
    import tracemalloc

    from pipeline.batch.tasks import Settings, Task, _finish_task, _open_task
    from pipeline.io.annotations import document_record
    from pipeline.run import run_stages

    task = Task("x.txt", "x", _long_made_up_text(600).encode())
    settings = Settings()
    doc = run_stages(_open_task(task, settings), settings.config)
    expected = json.loads(json.dumps(document_record(doc), ensure_ascii=False))
    for st in expected["stats"].values():
        st.pop("seconds", None)
    tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]
        out = _finish_task(task, doc, settings)
        peak = tracemalloc.get_traced_memory()[1] - start
    finally:
        tracemalloc.stop()
    line = "".join(out.record) if isinstance(out.record, list) else out.record
    assert json.loads(line) == expected and out.sentences == len(expected["sentences"])
    assert peak < 2 * (2 * len(line)), (peak, len(line))  # the string is 2 bytes a character here
    assert all(not s.tokens for s in doc.sentences)  # tokens let go once encoded


# -- 20: small files -------------------------------------------------------------------


def test_20_no_fsync_per_file_by_default_and_fsync_keeps_it(tmp_path, capsys, monkeypatch):
    calls = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: calls.append(fd) or real(fd))
    for i in range(5):
        write(tmp_path / "in" / f"{i}.txt", ARTICLE)
    cli(capsys, "clean", str(tmp_path / "in"), "--out-dir", str(tmp_path / "o"), "-j", "1")
    default = len(calls)
    calls.clear()
    cli(capsys, "clean", str(tmp_path / "in"), "--out-dir", str(tmp_path / "o2"), "-j", "1", "--fsync")
    assert default <= 2 and len(calls) >= 10, (default, len(calls))


@pytest.mark.parametrize(
    ("make_input", "existed", "left"),
    [
        # a missing input: the run writes nothing, so the folder it would have made is not left behind
        (lambda d: str(d / "missing.txt"), False, False),
        # a folder with nothing to clean: the same
        (lambda d: (d / "empty").mkdir() or str(d / "empty"), False, False),
        # an --out-dir the user made beforehand stays, even empty
        (lambda d: str(d / "missing.txt"), True, True),
    ],
)
def test_a_run_that_writes_nothing_leaves_no_new_empty_out_dir(tmp_path, capsys, make_input, existed, left):
    out = tmp_path / "out"
    if existed:
        out.mkdir()
    status, _, err = cli(capsys, "clean", make_input(tmp_path), "--out-dir", str(out))
    assert status == 2 and len(one_line_errors(err)) == 1, err
    assert out.is_dir() is left


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_reader_that_closes_the_pipe_ends_the_run_quietly(tmp_path, jobs):
    # `clean --json ... | head`: the closed pipe ended no run before; every document left was
    # reported as failed ("Broken pipe"), with exit 1
    for i in range(40):
        write(tmp_path / "in" / f"d{i:02d}.txt", f"記事{i}。市の担当者は新しい計画を発表した。\n" * 40)
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root)}
    cmd = [sys.executable, "-m", "pipeline", "clean", str(tmp_path / "in"), "--json", "-q", "--jobs", jobs]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert proc.stdout is not None and proc.stdout.read(100)
    proc.stdout.close()  # the reader is done after the first bytes
    err = proc.stderr.read().decode() if proc.stderr else ""
    assert proc.wait(timeout=120) == 0 and err == "", err
