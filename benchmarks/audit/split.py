"""The tune/check split of the dev documents: a rule is a hypothesis until it holds on the other half.

A document's half comes from a stable hash of its id, so every script, every
session and every engineer puts a document in the same half without a list
to keep in sync.  Write rules looking only at the ``tune`` half; report the
``check`` half separately.

>>> half("some-document-id") in ("tune", "check")
True
>>> half("some-document-id") == half("some-document-id")
True
"""

from __future__ import annotations

import hashlib

HALVES = ("tune", "check")


def half(doc_id: str) -> str:
    """``tune`` for about half of the document ids, ``check`` for the others (sha1, first hex digit 0-7 -> tune)."""
    return "tune" if hashlib.sha1(doc_id.encode("utf-8")).hexdigest()[0] in "01234567" else "check"
