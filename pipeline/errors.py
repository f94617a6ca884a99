"""Errors that end a run with one clear line and exit status 2."""

from __future__ import annotations


class InputError(Exception):
    """Bad input: names the file (or document id) and what is wrong with it."""

    def __init__(self, source: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.message = message
