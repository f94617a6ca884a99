"""Word pairs from a real English–Japanese dictionary (JMdict), as lexical anchors for the aligner.

Short chat lines have no numbers and no names: length alone cannot tell the
real translation from a junk line of the same size, and a document of four
lines teaches :func:`pipeline.align.lexicon.learn_lexicon` nothing.  A
dictionary can: "Did the parcel arrive?" and 荷物は届きましたか share
*parcel* ↔ 荷物 and *arrive* ↔ 届く.

The table ``pipeline/data/jmdict_anchors.tsv.gz`` is derived from JMdict
(© James William Breen and the Electronic Dictionary Research and
Development Group, CC BY-SA; see ``pipeline/data/JMDICT_LICENCE.md``): the
*common* entries only (those with a priority tag: news, ichi, spec, gai), one
line per entry, ``Japanese spellings<TAB>English stems``.  It is rebuilt from
the SQLite database of the ``jamdict-data`` package with
``python -m pipeline.align.dictionary build PATH/jamdict.db`` (the same
bytes for the same database: no timestamp in the gzip header).

The two sides meet in a shared vocabulary:

* English: glosses of the first MAX_SENSES senses of an entry, parentheses
  dropped, split into words, each cut by :func:`stem` (``delivered``,
  ``delivery`` → ``deliver``); function words, words under MIN_WORD letters,
  and gloss words found in over COMMON_GLOSS entries (``person``,
  ``something``, ``take``) are left out; at most MAX_STEMS stems an entry, the
  first senses first, so that する or 取る does not match everything;
* Japanese: the lemma and the written base form of each content token as
  fugashi + unidic-lite give them (届き → 届く, ありがとう → 有り難う and
  ありがとう), and two adjacent content tokens joined (配送 + 料 → 配送料);
  particles, auxiliaries, symbols and light verbs (する, いる, 下さる) are left out.

Each sentence is read once (the results are cached by sentence text); the
anchors are ``d:<stem>``, in the same set as the seed lexicon's ``x:`` words,
and scored the same way (bonus only, see ``AlignOptions.lexicon_bonus``).
Without the table (a trimmed install) every function here finds nothing, and
the aligner behaves as it did before the dictionary.

>>> sorted(english_stems("Did the parcel arrive yesterday?"))
['arriv', 'parcel', 'yesterd']
>>> sorted(japanese_stems("昨日荷物が届いた。") & english_stems("The parcel arrived yesterday."))
['arriv', 'yesterd']
>>> stem("Deliveries"), stem("delivered"), stem("countries"), stem("country")
('deliver', 'deliver', 'countri', 'countri')
"""

from __future__ import annotations

import gzip
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

from pipeline.align.lexicon import FUNCTION_WORDS, MIN_WORD

TABLE = Path(__file__).resolve().parent.parent / "data" / "jmdict_anchors.tsv.gz"

STEM = 7  # stems keep this many letters (the seed lexicon's 5 join state/statement, inter-anything)
MAX_SENSES = 3  # senses of an entry whose glosses are read (the first are the common meanings)
MAX_STEMS = 6  # stems kept per entry
MAX_STRETCH = 200  # sentences of a stretch (both sides) the dictionary reads at most
MAX_FANOUT = 12  # stems kept per Japanese spelling (homographs of several entries together)
COMMON_GLOSS = 150  # a gloss stem in more common entries than this says nothing about a sentence

# gloss words that describe rather than translate (to do *something*, *one's* ...), besides the common ones
GLOSS_STOP = frozenset(
    {
        *("someone", "something", "somebody", "one's", "oneself", "self", "etc", "thing", "things", "kind", "sort"),
        *("person", "used", "take", "taking", "come", "coming", "become", "going", "make", "making", "give", "get"),
        *("getting", "put", "putting"),
    }
)

# Japanese tokens that carry no content a dictionary could pair (particles, auxiliaries, symbols)
_SKIP_POS = ("助詞", "助動詞", "補助記号", "記号", "空白", "接頭辞")
_LIGHT = "非自立可能"  # する, いる, ある, なる, 下さる, 頂く: light verbs and nouns (こと, ため)
_EN_WORD = re.compile(r"[A-Za-z][a-z]+(?:'[a-z]+)?")
_PAREN = re.compile(r"\([^)]*\)")
_SUFFIXES = ("ing", "ied", "ies", "ed", "es", "s", "e", "y")


def stem(word: str) -> str:
    """A crude stemmer: lower case, one inflection ending off, at most STEM letters.

    Both sides go through it: a gloss (``to be delivered``) and the English
    sentence (``has been delivered``) meet in ``deliver``.
    """
    w = word.lower()
    if w.endswith("'s"):
        w = w[:-2]
    for suf in _SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 3 and not w.endswith("ss"):
            w = w[: -len(suf)] + ("i" if suf in ("ied", "ies", "y") else "")
            break
    return w[:STEM]


def content_words(text: str) -> list[str]:
    """The English words of ``text`` the table may hold: MIN_WORD letters or more, no function word, no word the
    glosses are stopped on.

    >>> content_words("With the new Storm application and a fresh umbrella")
    ['Storm', 'application', 'fresh', 'umbrella']
    """
    return [
        w
        for w in _EN_WORD.findall(text)
        if len(w) >= MIN_WORD and w.lower() not in FUNCTION_WORDS and w.lower() not in GLOSS_STOP
    ]


@lru_cache(maxsize=1)
def load_table() -> dict[str, str]:
    """Japanese spelling -> its English stems, space-separated (homographs' entries joined); {} without the table.

    The stems stay strings until a sentence asks for them (:func:`gloss_stems`): loading costs one split a line.
    """
    if not TABLE.is_file():
        return {}
    return _parse_table(gzip.decompress(TABLE.read_bytes()).decode("utf-8"))


def _parse_table(text: str) -> dict[str, str]:
    """The table of :func:`load_table` from the file's text: the same dict as reading it line by line in text mode.

    One decompression and one split instead of a text-mode file's line iterator (its universal newlines are
    done here when the text holds a carriage return): about 25% less of the load a run with a source pays.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()  # the file's last line break ends a line, it does not start one
    table: dict[str, str] = {}
    for line in lines:
        if line[:1] == "#":
            continue
        keys, _, stems = line.partition("\t")
        for k in keys.split(","):
            if k in table:
                table[k] = table[k] + " " + stems
            else:
                table[k] = stems
    return table


@lru_cache(maxsize=1 << 16)
def gloss_stems(key: str) -> frozenset[str]:
    """The English stems of one Japanese spelling: at most MAX_FANOUT, the first entries' first."""
    return frozenset(list(dict.fromkeys(load_table()[key].split()))[:MAX_FANOUT])


def available() -> bool:
    """Whether the dictionary table is there (it is part of the package; a trimmed install may lack it)."""
    return bool(load_table())


@lru_cache(maxsize=1 << 14)
def english_stems(sentence: str) -> frozenset[str]:
    """Stems of an English sentence's content words (once per sentence text; the Japanese side decides which
    of them the dictionary knows)."""
    return frozenset(map(stem, content_words(sentence)))


def _token_keys(sentence: str) -> list[str]:
    """Dictionary keys of a Japanese sentence: lemma and written base form of each content token, and of two
    adjacent content tokens joined."""
    from pipeline.stages.tokenise import get_output_tagger

    fields = get_output_tagger().parse(sentence).split("\t")
    keys: list[str] = []
    prev = ""  # surface of the previous content token (for compounds)
    for k in range(0, len(fields) - 1, 2):
        surface, cols = fields[k], fields[k + 1].split(",", 11)
        if cols[0] in _SKIP_POS or (len(cols) > 1 and cols[1] == _LIGHT):
            prev = ""
            continue
        lemma = cols[7].split("-", 1)[0] if len(cols) > 7 else ""
        base = cols[10] if len(cols) > 10 else ""
        keys.extend(x for x in (surface, lemma, base) if x)
        if prev:
            keys.extend(prev + x for x in (surface, base) if x)
        prev = surface
    return keys


@lru_cache(maxsize=1 << 14)
def japanese_stems(sentence: str) -> frozenset[str]:
    """English stems the dictionary gives for the content words of a Japanese sentence (once per sentence)."""
    table = load_table()
    if not table or not sentence.strip():
        return frozenset()
    out: set[str] = set()
    for key in _token_keys(sentence):
        if key in table:
            out.update(gloss_stems(key))
    return frozenset(out)


def dictionary_anchors(
    english: Sequence[str], japanese: Sequence[str], use: bool = True
) -> tuple[list[frozenset[str]], list[frozenset[str]]]:
    """Per sentence of each side, the anchors ``d:<stem>`` found in it, kept only when both sides of the stretch
    have them (an English word no Japanese sentence renders says nothing here); none when not ``use``, and none
    for a stretch of over MAX_STRETCH sentences (both sides together): the whole of a very unbalanced pair is
    one uncertain stretch, and reading it all cost the aligner 60% more there for nothing (10 x 10,000)."""
    if not use or len(english) + len(japanese) > MAX_STRETCH or not available():
        return [frozenset()] * len(english), [frozenset()] * len(japanese)
    en = [english_stems(s) for s in english]
    ja = [japanese_stems(s) for s in japanese]
    both = set().union(*en) & set().union(*ja)
    if not both:
        return [frozenset()] * len(english), [frozenset()] * len(japanese)
    return (
        [frozenset("d:" + w for w in e & both) for e in en],
        [frozenset("d:" + w for w in j & both) for j in ja],
    )


def dictionary_sizes(english: Sequence[str], japanese: Sequence[str], use: bool = True) -> tuple[list[int], list[int]]:
    """Per sentence of each side, how many dictionary words it holds: English stems the table knows, English
    stems a Japanese sentence's words give (0 everywhere when not ``use``, or when the stretch is too long for
    :func:`dictionary_anchors`).  A sentence rich in words that shares none with the other side of a bead is
    not its translation (``AlignOptions.mismatch_penalty``)."""
    if not use or len(english) + len(japanese) > MAX_STRETCH or not available():
        return [0] * len(english), [0] * len(japanese)
    known = known_stems()
    return [len(english_stems(s) & known) for s in english], [len(japanese_stems(s)) for s in japanese]


@lru_cache(maxsize=1)
def known_stems() -> frozenset[str]:
    """Every English stem of the table."""
    return frozenset(" ".join(load_table().values()).split())  # one split of the joined stems, in C


def clear_caches() -> None:
    """Forget the per-sentence results (as ``anchors.clear_sentence_caches`` does for the other features)."""
    english_stems.cache_clear()
    japanese_stems.cache_clear()


def reload_table() -> None:
    """Read the table again at the next use (after TABLE changed: a test that hides it)."""
    load_table.cache_clear()
    gloss_stems.cache_clear()
    known_stems.cache_clear()
    clear_caches()


# -- building the table from JMdict ---------------------------------------------------------------


def entry_rows(db_path: str) -> Iterable[tuple[list[str], list[str]]]:
    """(Japanese spellings, English stems) of each common JMdict entry of a jamdict SQLite database."""
    import sqlite3

    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    common = {
        r[0]
        for r in con.execute(
            "SELECT DISTINCT k.idseq FROM Kanji k JOIN KJP p ON p.kid = k.ID"
            " UNION SELECT DISTINCT k.idseq FROM Kana k JOIN KNP p ON p.kid = k.ID"
        )
    }
    kanji: dict[int, list[str]] = {}
    for idseq, text in con.execute("SELECT idseq, text FROM Kanji ORDER BY ID"):
        if idseq in common:
            kanji.setdefault(idseq, []).append(text)
    kana: dict[int, list[str]] = {}
    for idseq, text in con.execute("SELECT idseq, text FROM Kana ORDER BY ID"):
        if idseq in common:
            kana.setdefault(idseq, []).append(text)
    senses: dict[int, list[int]] = {}
    for sid, idseq in con.execute("SELECT ID, idseq FROM Sense ORDER BY ID"):
        if idseq in common:
            senses.setdefault(idseq, []).append(sid)
    kana_alone = {
        r[0] for r in con.execute("SELECT sid FROM misc WHERE text = 'word usually written using kana alone'")
    }
    glosses: dict[int, list[str]] = {}
    for sid, text in con.execute("SELECT sid, text FROM SenseGloss WHERE lang = 'eng' ORDER BY rowid"):
        glosses.setdefault(sid, []).append(text)
    con.close()
    raw: dict[int, tuple[list[str], list[str]]] = {}
    for idseq in sorted(common):
        sids = senses.get(idseq, [])[:MAX_SENSES]
        stems: list[str] = []
        for sid in sids:
            for g in glosses.get(sid, []):
                for w in content_words(_PAREN.sub(" ", g)):
                    s = stem(w)
                    if s not in stems:
                        stems.append(s)
        spellings = list(kanji.get(idseq, []))
        if not spellings or any(sid in kana_alone for sid in sids):
            # kana spellings only where the word is written in kana: かみ is 紙, 神 and 髪
            spellings += [k for k in kana.get(idseq, []) if not _short_kana(k)]
        if spellings and stems:
            raw[idseq] = (spellings, stems)
    df = Counter(s for _, stems in raw.values() for s in set(stems))
    for spellings, stems in raw.values():
        kept = [s for s in stems if df[s] <= COMMON_GLOSS][:MAX_STEMS]
        if kept:
            yield spellings, kept


def _short_kana(k: str) -> bool:
    """Hiragana spellings of under three characters (こと, ため, いい) match too much to be anchors."""
    return len(k) < 3 and all("\u3040" <= c <= "\u309f" for c in k)


def build(db_path: str, out: Path = TABLE) -> int:
    rows = sorted(entry_rows(db_path))
    header = (
        "# Derived from JMdict (common entries): (c) James William Breen and the Electronic Dictionary Research\n"
        "# and Development Group, licensed under CC BY-SA (https://www.edrdg.org/edrdg/licence.html).\n"
        "# This table is under the same licence. Built by: python -m pipeline.align.dictionary build jamdict.db\n"
    )
    body = "".join(",".join(k) + "\t" + " ".join(s) + "\n" for k, s in rows)
    with open(out, "wb") as f, gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as z:
        z.write((header + body).encode("utf-8"))
    return len(rows)


def main(argv: Sequence[str] | None = None) -> int:
    """``build [PATH/jamdict.db]``: rewrite the table (default: the database of an installed ``jamdict-data``)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) == 1 and args[0] == "build":
        try:
            from jamdict_data import JAMDICT_DB_PATH  # pip install jamdict-data==1.5 (54 MB; unpacks 325 MB)
        except ImportError:
            print("error: give PATH/jamdict.db, or pip install jamdict-data==1.5", file=sys.stderr)
            return 2
        args.append(JAMDICT_DB_PATH)
    if len(args) != 2 or args[0] != "build":
        print("usage: python -m pipeline.align.dictionary build [PATH/jamdict.db]", file=sys.stderr)
        return 2
    if not Path(args[1]).is_file():
        print(f"error: {args[1]}: no such file", file=sys.stderr)
        return 2
    n = build(args[1])
    print(f"{TABLE}: {n} entries, {TABLE.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
