"""Batch inputs: files, folders (walked recursively), globs and JSON Lines corpora.

An *input* is one file.  A text file is one document; a JSON Lines corpus
(``.jsonl``, or gzip-compressed ``.jsonl.gz``) holds one document per line,
``{"id": ..., "text": ...}`` by default (the layout of Hugging Face datasets
and datatrove), with other field names given by ``--text-field`` and
``--id-field``.  Corpora are read line by line, never whole, so memory does
not grow with their size.

Each input gets an output name relative to ``--out-dir``: the file's stem for
a file named on the command line, the path below the folder for a folder
walk, the path below the fixed part of the pattern for a glob, so
``data/a/x.txt`` and ``data/b/x.txt`` give ``a/x`` and ``b/x``.
"""

from __future__ import annotations

import fnmatch
import glob
import gzip
import json
import os
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import IO, Literal

from pipeline.errors import InputError
from pipeline.io.files import open_binary
from pipeline.io.outputs import safe_output_name
from pipeline.io.realpaths import RealPaths

# Names a folder walk picks up unless --include says otherwise.
DEFAULT_INCLUDE = ("*.txt", "*.jsonl", "*.jsonl.gz")
# Endings that make a file a JSON Lines corpus rather than one document.
CORPUS_SUFFIXES = (".jsonl.gz", ".jsonl")


@dataclass(frozen=True)
class Input:
    """One input file and where its outputs go."""

    path: str  # as given or found; "-" is stdin
    name: str  # output name below --out-dir, without extension ("sub/NAME")
    kind: Literal["text", "jsonl"]
    english: str = ""  # the English source file of a text input ("" when there is none)

    @property
    def gzip(self) -> bool:
        return self.path.endswith(".gz")


def is_corpus(path: str) -> bool:
    """Whether ``path`` names a JSON Lines corpus.

    >>> is_corpus("a/b.jsonl.gz"), is_corpus("b.jsonl"), is_corpus("b.txt")
    (True, True, False)
    """
    return path.endswith(CORPUS_SUFFIXES)


def output_stem(path: str) -> str:
    """The file name without its extension (``.jsonl.gz`` counts as one).

    >>> output_stem("dir/NAME.ja.txt"), output_stem("c.jsonl.gz"), output_stem("README"), output_stem("-")
    ('NAME.ja', 'c', 'README', 'stdin')
    """
    base = os.path.basename(path) if path != "-" else "stdin"
    for suffix in CORPUS_SUFFIXES:
        if base.endswith(suffix) and len(base) > len(suffix):
            return base[: -len(suffix)]
    stem, ext = os.path.splitext(base)
    return stem if ext else base


def _make_input(path: str, rel: str) -> Input:
    name = os.path.join(os.path.dirname(rel), output_stem(rel)) if os.path.dirname(rel) else output_stem(rel)
    return Input(path, safe_output_name(name), "jsonl" if is_corpus(path) else "text")


def _matches(name: str, include: Iterable[str]) -> bool:
    return any(fnmatch.fnmatchcase(name, pat) for pat in include)


def walk_folder(folder: str, include: Iterable[str] = DEFAULT_INCLUDE, exclude: str | None = None) -> list[str]:
    """Files below ``folder`` whose names match ``include``, sorted; hidden files and ``exclude`` are skipped."""
    include = tuple(include)
    skip = os.path.realpath(exclude) if exclude else None
    found: list[str] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and os.path.realpath(os.path.join(root, d)) != skip)
        found.extend(os.path.join(root, f) for f in sorted(files) if not f.startswith(".") and _matches(f, include))
    return found


def _inside(path: str, folder: str | None) -> bool:
    if not folder:
        return False
    folder = os.path.realpath(folder)
    return os.path.realpath(path).startswith(folder + os.sep)


def _glob_base(pattern: str) -> str:
    """The folder part of a pattern before its first wildcard.

    >>> _glob_base("data/*/x.txt"), _glob_base("*.txt")
    ('data', '')
    """
    parts = pattern.split(os.sep)
    fixed = []
    for p in parts[:-1]:
        if glob.has_magic(p):
            break
        fixed.append(p)
    return os.sep.join(fixed)


def english_partner(path: str, suffix: str) -> str:
    """The English source file paired with a Japanese input: ``NAME.ja.txt`` or ``NAME.txt`` -> ``NAME`` + suffix.

    >>> english_partner("news/a.ja.txt", ".en.txt"), english_partner("b.txt", ".en.txt")
    ('news/a.en.txt', 'b.en.txt')
    """
    for ending in (".ja.txt", ".txt"):
        if path.endswith(ending):
            return path[: -len(ending)] + suffix
    return path + suffix


def pair_inputs(inputs: list[Input], suffix: str) -> tuple[list[Input], list[str]]:
    """Text inputs with their English partners (by ``suffix``); the English files are not inputs themselves.

    Returns the inputs and one note per unpaired side: a Japanese file with no
    English file (cleaned without it) or an English file with no Japanese one.
    """
    english = {os.path.realpath(i.path): i for i in inputs if i.kind == "text" and i.path.endswith(suffix)}
    out: list[Input] = []
    notes: list[str] = []
    used: set[str] = set()
    for inp in inputs:
        if inp.kind != "text" or inp.path == "-" or os.path.realpath(inp.path) in english:
            if inp.kind != "text" or inp.path == "-":
                out.append(inp)
            continue
        partner = english_partner(inp.path, suffix)
        if os.path.isfile(partner):
            used.add(os.path.realpath(partner))
            out.append(replace(inp, english=partner))
        else:
            notes.append(f"{inp.path}: no English source ({partner}); cleaned without it")
            out.append(inp)
    for key, inp in english.items():
        if key not in used:
            notes.append(f"{inp.path}: an English source with no Japanese file beside it; not cleaned")
    return out, notes


def discover_inputs(
    specs: Iterable[str], include: Iterable[str] = DEFAULT_INCLUDE, exclude: str | None = None
) -> list[Input]:
    """Expand command-line inputs into files, in a stable order.

    A name that is neither a file, a folder nor a matching pattern is kept
    as is, so reading it later fails with "no such file" for that input
    alone.  A folder or pattern that matches nothing raises
    :class:`InputError` (a usage mistake, not a bad document).
    """
    out: list[Input] = []
    seen: set[str] = set()
    realpath = RealPaths()

    def add(inp: Input) -> None:
        key = inp.path if inp.path == "-" else realpath(inp.path)
        if key not in seen:
            seen.add(key)
            out.append(inp)

    include = tuple(include)
    for spec in specs:
        if spec == "-":
            add(Input("-", "stdin", "text"))
        elif os.path.isdir(spec):
            files = walk_folder(spec, include, exclude)
            if not files:
                raise InputError(spec, f"no files matching {' '.join(include)} in this folder")
            for f in files:
                add(_make_input(f, os.path.relpath(f, spec)))
        elif not os.path.lexists(spec) and glob.has_magic(spec):
            base = _glob_base(spec)
            files = sorted(f for f in glob.glob(spec, recursive=True) if os.path.isfile(f) and not _inside(f, exclude))
            if not files:
                raise InputError(spec, "no file matches this pattern")
            for f in files:
                add(_make_input(f, os.path.relpath(f, base or ".")))
        else:
            add(_make_input(spec, os.path.basename(spec)))
    return out


def check_output_names(inputs: list[Input]) -> None:
    """Two inputs may not write the same output file."""
    owner: dict[str, str] = {}
    for inp in inputs:
        if inp.name in owner:
            raise InputError(
                inp.path, f"gives the same output name {inp.name!r} as {owner[inp.name]}; clean them separately"
            )
        owner[inp.name] = inp.path


# -- JSON Lines corpora ---------------------------------------------------------


@dataclass(frozen=True)
class CorpusLine:
    """One document of a corpus, or the reason it cannot be read."""

    lineno: int
    id: str
    text: str | None
    error: str = ""
    offset: int = 0  # bytes of the file consumed so far (compressed bytes for .gz)
    english: str | None = None  # the English source, from --source-field or a translation pair


def open_corpus(path: str) -> tuple[IO[bytes], IO[bytes]]:
    """(line reader, raw file) of a corpus; the raw file's position measures progress."""
    raw = open_binary(path)
    if path.endswith(".gz"):
        return gzip.GzipFile(fileobj=raw, mode="rb"), raw
    return raw, raw


def read_corpus(
    path: str, text_field: str = "text", id_field: str = "id", source_field: str = ""
) -> Iterator[CorpusLine]:
    """The documents of a JSON Lines corpus, streamed; blank lines are skipped.

    A line that is not UTF-8 JSON with a string ``text_field`` yields a
    :class:`CorpusLine` with ``error`` set and the reading goes on; a
    damaged gzip stream ends the corpus with one error line.  A missing
    ``id_field`` gives the id ``STEM:LINE``.
    """
    fh, raw = open_corpus(path)
    stem = output_stem(path)
    lineno = 0
    try:
        with fh:
            for lineno, line in enumerate(fh, 1):  # noqa: B007 - lineno used after the loop
                if not line.strip():
                    continue
                yield parse_corpus_line(line, lineno, stem, text_field, id_field, raw.tell(), source_field)
    except (OSError, EOFError, zlib.error) as exc:
        yield CorpusLine(
            lineno + 1, f"{stem}:{lineno + 1}", None, f"corpus unreadable after line {lineno}: {exc}", raw.tell()
        )
    finally:
        raw.close()


def parse_corpus_line(
    line: bytes, lineno: int, stem: str, text_field: str, id_field: str, offset: int = 0, source_field: str = ""
) -> CorpusLine:
    """One corpus line -> a document or an error.

    A line without ``text_field`` in the Hugging Face translation layout
    (``{"translation": {"en": ..., "ja": ...}}``) is read as it is: the
    Japanese is the text, the English its source.  ``source_field`` names a
    field holding the English source.

    >>> parse_corpus_line(b'{"id": 7, "text": "\\xe7\\x8a\\xac"}', 3, "c", "text", "id")
    CorpusLine(lineno=3, id='7', text='犬', error='', offset=0, english=None)
    >>> parse_corpus_line(b'{"body": "x"}', 4, "c", "text", "id").error
    "line 4: no string field 'text'"
    >>> line = parse_corpus_line('{"translation": {"en": "Dog.", "ja": "犬。"}}'.encode(), 5, "c", "text", "id")
    >>> line.text, line.english
    ('犬。', 'Dog.')
    """
    fallback = f"{stem}:{lineno}"
    try:
        s = line.decode("utf-8-sig" if lineno == 1 else "utf-8")
    except UnicodeDecodeError as exc:
        return CorpusLine(lineno, fallback, None, f"line {lineno}: not UTF-8 at byte {exc.start}", offset)
    try:
        obj = json.loads(s)
    except json.JSONDecodeError as exc:
        return CorpusLine(
            lineno,
            fallback,
            None,
            f"line {lineno}: not JSON ({exc.msg.removesuffix(' at')} at column {exc.pos + 1})",
            offset,
        )
    if not isinstance(obj, dict):
        return CorpusLine(lineno, fallback, None, f"line {lineno}: not a JSON object", offset)
    raw_id = obj.get(id_field)
    doc_id = fallback if raw_id is None or raw_id == "" else str(raw_id)
    if raw_id is not None and (isinstance(raw_id, bool) or not isinstance(raw_id, (str, int))):
        kind = type(raw_id).__name__
        return CorpusLine(
            lineno, fallback, None, f"line {lineno}: id {id_field!r} is a {kind}, not a string or an integer", offset
        )
    where = find_surrogate(doc_id)
    if where >= 0:
        return CorpusLine(
            lineno,
            fallback,
            None,
            f"line {lineno}: id holds a lone surrogate (U+{ord(doc_id[where]):04X}), not text",
            offset,
        )
    text = obj.get(text_field)
    english = obj.get(source_field) if source_field else None
    pair = obj.get("translation")
    if text is None and isinstance(pair, dict) and isinstance(pair.get("ja"), str):
        text, english = pair["ja"], pair.get("en", english)
    if not isinstance(text, str):
        return CorpusLine(lineno, doc_id, None, f"line {lineno}: no string field {text_field!r}", offset)
    if english is not None and not isinstance(english, str):
        what = source_field or "translation.en"
        return CorpusLine(lineno, doc_id, None, f"line {lineno}: source field {what!r} is not a string", offset)
    if source_field and english is None:
        return CorpusLine(lineno, doc_id, None, f"line {lineno}: no string field {source_field!r}", offset)
    if "\x00" in text:
        return CorpusLine(
            lineno,
            doc_id,
            None,
            f"line {lineno}: {text_field!r} holds a NUL character at {text.index(chr(0))} (binary?)",
            offset,
        )
    where = find_surrogate(text)
    if where >= 0:
        return CorpusLine(
            lineno,
            doc_id,
            None,
            f"line {lineno}: {text_field!r} holds a lone surrogate (U+{ord(text[where]):04X}) at character {where}, "
            "which no file can hold as UTF-8",
            offset,
        )
    if english is not None and (find_surrogate(english) >= 0 or "\x00" in english):
        return CorpusLine(
            lineno, doc_id, None, f"line {lineno}: the English source holds a NUL or a lone surrogate", offset
        )
    return CorpusLine(lineno, doc_id, text, "", offset, english)


def find_surrogate(text: str) -> int:
    """The index of the first lone surrogate in ``text`` (JSON's ``"\\ud800"``), or -1.

    >>> find_surrogate("ok"), find_surrogate("a\\ud800")
    (-1, 1)
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return exc.start
    return -1
