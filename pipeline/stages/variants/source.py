"""Bilingual evidence from the English source: which English words each spelling's sentences translate.

With an English source, the ``bilingual`` stage has aligned its sentences to
the Japanese ones (``doc.annotations["alignment"]``).  A spelling's *source
words* are the Latin words (and runs of two or three capitalised words) of the
English sentences aligned to the sentences its mentions stand in.  Then

* two spellings whose source words share one that sounds like both are one
  name (``both render "Ruddock" in the aligned English``), even when they are
  spelled beyond the alternations table: rewrite evidence;
* two spellings that each sound like a *different* English word of their own
  sentences (``Transformers`` / ``transphobia``, ``Eagles`` / ``Eagle``) are
  different words: no rewrite, whatever else looks alike.

Without an alignment every function here returns "nothing known".
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from pipeline.stages.variants.evidence import BILINGUAL, Verdict
from pipeline.stages.variants.forms import Form, _form, compare_latin

if TYPE_CHECKING:
    from pipeline.document import Document

LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
CAPITAL_RUN = re.compile(r"[A-Z][A-Za-z'’-]+(?:\s+[A-Z][A-Za-z'’-]+){1,2}")
SAME_WORD = 85  # rapidfuzz ratio from which two English words are one spelled two ways
MIN_WORD = 3  # shorter English words ("a", "of", "US") say nothing about a katakana spelling


def source_words(doc: Document, forms: Iterable[Form]) -> dict[str, frozenset[str]]:
    """Form text -> the English words its mentions' sentences are aligned to (empty without a source)."""
    alignment = doc.annotations.get("alignment")
    if not alignment or not doc.sentences:
        return {}
    english = [e["text"] for e in alignment["english"]]
    english_of_sentence: dict[int, list[int]] = {}
    for bead in alignment["beads"]:
        for j in bead["ja"]:
            english_of_sentence[j] = bead["en"]
    starts = [s.start for s in doc.sentences]
    words_of_english = [english_words(t) for t in english]
    out: dict[str, frozenset[str]] = {}
    for f in forms:
        found: set[str] = set()
        for m in f.mentions:
            j = bisect.bisect_right(starts, m.start) - 1
            for i in english_of_sentence.get(j, ()):
                found |= words_of_english[i]
        out[f.text] = frozenset(found)
    return out


def english_words(sentence: str) -> frozenset[str]:
    """Latin words of MIN_WORD letters or more, and runs of two or three capitalised words.

    >>> sorted(english_words("Coach Jan Ruddock of the Hawks won."))
    ['Coach', 'Coach Jan', 'Coach Jan Ruddock', 'Hawks', 'Jan', 'Jan Ruddock', 'Ruddock', 'the', 'won']
    """
    words = {w for w in LATIN_WORD.findall(sentence) if len(w) >= MIN_WORD}
    for m in CAPITAL_RUN.finditer(sentence):
        parts = m.group().split()
        for n in (2, 3):
            for k in range(len(parts) - n + 1):
                words.add(" ".join(parts[k : k + n]))
    return frozenset(words)


def renders(word: str, form: Form) -> bool:
    """Whether the katakana (or mixed) ``form`` sounds like the English ``word``."""
    latin = _form(word, kind="latin-run" if " " in word else "latin")
    return compare_latin(latin, form).same


def rendered_words(form: Form, words: Mapping[str, frozenset[str]]) -> set[str]:
    return {w for w in words.get(form.text, ()) if renders(w, form)}


def alike(a: str, b: str) -> bool:
    """Two English words that are one word spelled two ways (Marrakesh / Marakesh), or one inside the other.

    >>> alike("Marrakesh", "Marakesh"), alike("Hawks", "Hawk"), alike("Transformers", "transphobia")
    (True, True, False)
    """
    from rapidfuzz.fuzz import ratio

    a, b = a.lower(), b.lower()
    return a in b or b in a or ratio(a, b) >= SAME_WORD


def source_verdict(f: Form, t: Form, words: Mapping[str, frozenset[str]]) -> Verdict | None:
    """Rewrite evidence (both render one English word of their aligned sentences), a veto, or None.

    A veto is a Verdict that is not ``same``: each form renders English words
    of its own sentences and they share none.
    """
    if not words or f.is_latin or t.is_latin:
        return None
    mine, theirs = rendered_words(f, words), rendered_words(t, words)
    shared = mine & theirs
    if shared:
        word = max(shared, key=len)
        return Verdict(True, f'both render "{word}" in the aligned English', BILINGUAL)
    if mine and theirs and not any(alike(a, b) for a in mine for b in theirs):
        a, b = max(mine, key=len), max(theirs, key=len)
        return Verdict(False, f'{f.text} renders "{a}" and {t.text} renders "{b}" in the aligned English')
    return None
