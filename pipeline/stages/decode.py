"""Decoding: bytes -> text, with one-line errors for bad input.

UTF-8 (with or without BOM) is the default.  ``shift_jis``/``cp932`` and
``euc-jp`` are accepted when named; ``auto`` tries UTF-8 and then asks
charset-normalizer.  Line endings are kept as they are (no newline
translation), so the original can be given back byte for byte.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from pipeline.errors import InputError

# names a user may pass to --encoding, mapped to Python codecs
ENCODINGS = {
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "utf-8-sig": "utf-8",
    "shift_jis": "cp932",  # real-world Shift_JIS is almost always the CP932 superset
    "shift-jis": "cp932",
    "sjis": "cp932",
    "cp932": "cp932",
    "ms932": "cp932",
    "euc-jp": "euc_jp",
    "euc_jp": "euc_jp",
    "eucjp": "euc_jp",
}


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # Python codec name used
    bom: bool  # a UTF-8 BOM was present (and is not part of ``text``)


def decode_bytes(data: bytes, source: str = "<stdin>", encoding: str = "utf-8") -> Decoded:
    """Decode ``data`` or raise :class:`InputError` naming the byte offset.

    >>> decode_bytes("日本".encode("utf-8")).text
    '日本'
    >>> decode_bytes(b"\\xef\\xbb\\xbfabc").bom
    True
    """
    nul = data.find(b"\x00")  # anywhere in the file: a NUL at byte 9,000 is as binary as one at 0
    if nul >= 0 and not _looks_utf16(data):
        raise InputError(source, f"binary file (NUL byte at offset {nul})")
    name = encoding.lower()
    if name == "auto":
        name = detect_encoding(data)
    codec = ENCODINGS.get(name)
    if codec is None:
        codec = text_codec(name)
        if codec is None:
            raise InputError(source, f"unknown encoding {encoding!r} (not a text encoding)")
    bom = codec == "utf-8" and data.startswith(codecs.BOM_UTF8)
    payload = data[3:] if bom else data
    try:
        text = payload.decode(codec)
    except UnicodeDecodeError as exc:
        offset = exc.start + (3 if bom else 0)
        raise InputError(source, f"cannot decode as {codec} at byte offset {offset} ({exc.reason})") from None
    return Decoded(text, codec, bom)


def text_codec(name: str) -> str | None:
    """The Python codec of a text encoding, or None (unknown, or bytes-to-bytes like rot13/base64).

    >>> text_codec("latin-1"), text_codec("rot13"), text_codec("nosuch")
    ('iso8859-1', None, None)
    """
    if name.lower() in ENCODINGS:
        return ENCODINGS[name.lower()]
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    return info.name if getattr(info, "_is_text_encoding", True) else None


def encode_text(text: str, encoding: str, bom: bool) -> bytes:
    """The inverse of :func:`decode_bytes`."""
    data = text.encode(encoding)
    return codecs.BOM_UTF8 + data if bom else data


def detect_encoding(data: bytes) -> str:
    """Best guess among UTF-8, CP932 and EUC-JP."""
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    for codec in ("cp932", "euc_jp"):
        try:
            data.decode(codec)
        except UnicodeDecodeError:
            continue
        else:
            other = "euc_jp" if codec == "cp932" else "cp932"
            try:
                data.decode(other)
            except UnicodeDecodeError:
                return codec
            break
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data, cp_isolation=["cp932", "euc_jp", "utf_8"]).best()
        if best is not None:
            return best.encoding
    except ImportError:  # pragma: no cover - optional helper
        pass
    return "utf-8"


def _looks_utf16(data: bytes) -> bool:
    return data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
