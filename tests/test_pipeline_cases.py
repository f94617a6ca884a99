"""Whole-pipeline golden cases from tests/cases/pipeline_cases.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipeline.document import restore_text
from pipeline.run import clean_text

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "pipeline_cases.yaml").read_text(encoding="utf-8"))["cases"]


def params():
    for c in CASES:
        marks = [pytest.mark.xfail(reason=c["xfail"], strict=True)] if c.get("xfail") else []
        yield pytest.param(c["in"], c["out"], id=c["name"], marks=marks)


@pytest.mark.parametrize("text, expected", list(params()))
def test_pipeline_case(text, expected):
    doc = clean_text(text)
    assert doc.text == expected
    assert restore_text(doc.text, doc.edits) == text
    assert clean_text(doc.text).text == doc.text  # and cleaning again changes nothing
