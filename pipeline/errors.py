"""Errors that end a run with one clear line and exit status 2."""

from __future__ import annotations


class InputError(Exception):
    """Bad input: names the file (or document id) and what is wrong with it."""

    def __init__(self, source: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.message = message


def describe_os_error(exc: OSError) -> str:
    """``PATH: what went wrong`` for an OS error, without Python's ``[Errno N]`` prefix.

    >>> import errno; describe_os_error(OSError(errno.ENOSPC, "No space left on device", "out/a.txt"))
    'out/a.txt: No space left on device'
    """
    what = exc.strerror or str(exc) or type(exc).__name__
    return f"{exc.filename}: {what}" if exc.filename else what


_BREAKS = {c: f"\\x{ord(c):02x}" for c in "\n\r\x0b\x0c\x1c\x1d\x1e\x85"} | {"\u2028": "\\u2028", "\u2029": "\\u2029"}
_BREAKS_TABLE = str.maketrans(_BREAKS)


def one_line(message: str) -> str:
    r"""``message`` on one line: a line break inside a file name or an id is shown escaped.

    >>> one_line("a\nb.txt: no such file")
    'a\\x0ab.txt: no such file'
    """
    return message.translate(_BREAKS_TABLE)
