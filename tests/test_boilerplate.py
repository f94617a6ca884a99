"""Cross-document boilerplate: counting, report, removal as edits, records, look-alikes."""

from __future__ import annotations

import pytest

from pipeline.boilerplate import (
    BoilerplateCounter,
    BoilerplateOptions,
    find_boilerplate,
    normalise_key,
    remove_boilerplate,
)
from pipeline.document import restore_text
from pipeline.io.annotations import document_record
from pipeline.review.load import document_from_record
from pipeline.run import Config, clean_text

FOOTER = "この記事は各社の報道に基づいて作成されました。"
CREDIT = "写真はすべて通信社の提供によるものです。"


def corpus(n: int = 6) -> list:
    """n articles: own text, a shared credit sentence inside the body line, a shared footer paragraph."""
    docs = []
    for i in range(n):
        text = f"第{i}の記事は市場の動向{i}を伝えた。{CREDIT}\n担当者{i}は来週にも結果を発表する。\n\n{FOOTER}\n"
        docs.append(clean_text(text, Config(skip=frozenset({"dedup"})), id=f"a{i}"))
    return docs


def test_report_lists_shared_sentences_and_paragraphs():
    rep = find_boilerplate(corpus(), BoilerplateOptions(min_docs=5))
    assert [(r.kind, r.text, r.docs) for r in rep] == [("paragraph", FOOTER, 6), ("sentence", CREDIT, 6)]


def test_threshold_on_documents_and_share():
    assert find_boilerplate(corpus(4), BoilerplateOptions(min_docs=5)) == []  # in 4 documents only
    shared = find_boilerplate(corpus(6), BoilerplateOptions(min_docs=2, min_share=0.9))  # in 6 of 6 documents
    assert [(r.kind, r.text) for r in shared] == [("paragraph", FOOTER), ("sentence", CREDIT)]
    assert find_boilerplate(corpus(6), BoilerplateOptions(min_docs=2, min_share=1.01)) == []  # a share above all
    assert find_boilerplate(corpus(6), BoilerplateOptions(min_docs=2, min_chars=40)) == []  # too short to count


def test_removal_is_edits_with_reasons_and_reversible():
    docs = corpus()
    rep = find_boilerplate(docs, BoilerplateOptions(min_docs=5))
    doc = docs[0]
    assert remove_boilerplate(doc, rep, total=len(docs)) == 2
    assert doc.text == "第0の記事は市場の動向0を伝えた。\n担当者0は来週にも結果を発表する。\n"
    reasons = [e.reason for e in doc.edits if e.stage == "boilerplate"]
    assert reasons == [
        "boilerplate sentence: found in 6 of 6 documents (6 times)",
        "boilerplate paragraph: found in 6 of 6 documents (6 times)",
    ]
    # a batch pass of its own name (diff --stage boilerplate), not the dedup stage
    assert {(e.stage, e.rule) for e in doc.edits} == {("boilerplate", "cross-document")}
    assert restore_text(doc.text, doc.edits) == doc.original


def test_numbers_keep_look_alikes_apart():
    # dates and figures differ per article: not boilerplate even though the wording is the same
    docs = [clean_text(f"本文{i}。\n\n{2015 + i}年の売上高は前年を上回る見通しだと発表された。\n") for i in range(6)]
    assert find_boilerplate(docs, BoilerplateOptions(min_docs=3)) == []


def test_annotation_records_count_like_documents():
    docs = corpus()
    records = [document_record(d) for d in docs]
    assert find_boilerplate(records, BoilerplateOptions(min_docs=5)) == find_boilerplate(
        docs, BoilerplateOptions(min_docs=5)
    )
    doc = document_from_record(records[1])
    assert doc.original == docs[1].original and doc.text == docs[1].text
    remove_boilerplate(doc, find_boilerplate(records, BoilerplateOptions(min_docs=5)))
    assert FOOTER not in doc.text and CREDIT not in doc.text and "担当者1" in doc.text


def test_counters_merge_like_one():
    docs = corpus(6)
    one = BoilerplateCounter()
    for d in docs:
        one.add(d)
    a, b = BoilerplateCounter(), BoilerplateCounter()
    for d in docs[:2]:
        a.add(d)
    for d in docs[2:]:
        b.add(d)
    a.merge(b)
    opts = BoilerplateOptions(min_docs=5)
    assert a.documents == 6
    assert [(r.kind, r.text, r.docs, r.occurrences) for r in a.report(opts)] == [
        (r.kind, r.text, r.docs, r.occurrences) for r in one.report(opts)
    ]


@pytest.mark.parametrize(
    "a, b, same, why",
    [
        ("無断転載を禁じます。", "無断転載を禁じます", True, "punctuation is ignored"),
        ("Ｃｏｐｙｒｉｇｈｔ ２０２４", "copyright 2024", True, "width and case are folded"),
        ("2018年2月の記事", "2024年2月の記事", False, "numbers are significant"),
    ],
)
def test_keys(a, b, same, why):
    assert (normalise_key(a) == normalise_key(b)) is same


def test_streaming_counter_reports_as_the_exact_counter():
    """The batch's bounded counter (Bloom filter + table of repeated keys) agrees on a small corpus."""
    from pipeline.boilerplate import StreamingCounter, unit_keys

    docs = corpus(6)
    exact = find_boilerplate(docs, BoilerplateOptions(min_docs=5))
    streaming = StreamingCounter()
    for d in docs:
        streaming.add_keys(unit_keys(d))
    got = streaming.report(BoilerplateOptions(min_docs=5))
    assert [(r.kind, r.text, r.docs, r.occurrences) for r in got] == [
        (r.kind, r.text, r.docs, r.occurrences) for r in exact
    ]
    # a key seen in one document has no table entry: memory grows with repeated texts only
    assert all(c[0] >= 2 for c in streaming.counts.values())


def test_streaming_counter_stays_under_its_bound():
    from pipeline.boilerplate import StreamingCounter

    c = StreamingCounter(bloom_bits=1 << 16, max_keys=50)
    for i in range(40):  # each document: one footer, and 10 sentences shared with the next document only
        c.add_keys([("paragraph", 1, 1, "footer")] + [("sentence", 1000 + i * 10 + j, 1, "x") for j in range(20)])
    assert len(c.counts) <= 50 and c.dropped > 0
    [footer] = c.report(BoilerplateOptions(min_docs=30))
    assert (footer.kind, footer.docs) == ("paragraph", 40)


@pytest.mark.parametrize(
    ("names", "option", "skipping", "error"),
    [
        # diff and stats filter on the boilerplate pass's edits by its name
        ({"boilerplate"}, "--stage", False, None),
        # but it is a batch pass, not a stage of one document: --skip refuses it
        ({"boilerplate"}, "--skip", True, "unknown stage 'boilerplate'"),
        # a misspelt name is still refused everywhere
        ({"boilerplat"}, "--stage", False, "unknown stage 'boilerplat'"),
    ],
)
def test_boilerplate_is_a_stage_name_for_filters_only(names, option, skipping, error):
    from pipeline.commands.options import check_stage_names
    from pipeline.errors import InputError

    if error is None:
        assert check_stage_names(frozenset(names), option, skipping) == frozenset(names)
    else:
        with pytest.raises(InputError, match=error):
            check_stage_names(frozenset(names), option, skipping)
