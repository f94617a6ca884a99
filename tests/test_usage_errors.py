"""A usage error is one line on stderr and exit status 2, like every other bad input (no 29-line usage first)."""

from __future__ import annotations

import pytest

from pipeline.cli import main

CASES = [
    # (arguments, what the one line must say)
    (["clean", "x.txt", "--tie-break", "bogus"], "invalid choice: 'bogus'"),  # an option with fixed choices
    (["clean", "x.txt", "--variant-evidence", "bilingual,magic"], "unknown kind of evidence 'magic'"),  # a typed value
    (["clean", "x.txt", "--dedup-near", "lots"], "--dedup-near"),  # not a number
    (["clean", "x.txt", "--no-such-option"], "unrecognized arguments: --no-such-option"),
    (["frob"], "invalid choice: 'frob'"),  # an unknown command
    ([], "required: COMMAND"),  # no command at all
]


@pytest.mark.parametrize(("argv", "says"), CASES)
def test_usage_error_is_one_line(argv: list[str], says: str, capsys) -> None:
    with pytest.raises(SystemExit) as e:
        main(argv)
    assert e.value.code == 2
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert says in lines[0] and "--help" in lines[0]
    assert "Traceback" not in err
