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
    # anywhere: the credit inside the body goes too
    docs = corpus()
    options = BoilerplateOptions(min_docs=5, anywhere=True)
    rep = find_boilerplate(docs, options)
    doc = docs[0]
    assert remove_boilerplate(doc, rep, options, total=len(docs)) == 2
    assert doc.text == "第0の記事は市場の動向0を伝えた。\n担当者0は来週にも結果を発表する。\n"
    reasons = [e.reason for e in doc.edits if e.stage == "boilerplate"]
    assert reasons == [
        "boilerplate sentence: found in 6 of 6 documents (6 times)",
        "boilerplate paragraph: found in 6 of 6 documents (6 times)",
    ]
    # a batch pass of its own name (diff --stage boilerplate), not the dedup stage
    assert {(e.stage, e.rule) for e in doc.edits} == {("boilerplate", "cross-document")}
    assert restore_text(doc.text, doc.edits) == doc.original


def test_by_default_only_the_repeated_text_at_a_document_edge_goes():
    # the footer ends every article and goes; the credit has the article's own text on both sides: flagged
    docs = corpus()
    rep = find_boilerplate(docs, BoilerplateOptions(min_docs=5))
    doc = docs[0]
    assert remove_boilerplate(doc, rep, total=len(docs)) == 1
    assert doc.text == f"第0の記事は市場の動向0を伝えた。{CREDIT}\n担当者0は来週にも結果を発表する。\n"
    (flag,) = [f for f in doc.flags if f.stage == "boilerplate"]
    assert doc.original[flag.start : flag.end] == CREDIT
    assert "content on both sides of it" in flag.reason


# several MT systems' translations of one article: the body sentences they render alike are shared, the
# sentences they render differently are not; made-up texts
SHARED = ["市長は新しい橋の建設計画を発表した。", "工事は来年の春に始まる予定だ。", "費用は市の予算でまかなわれる。"]
OWN = ["住民の反応はさまざまだった。", "住民の受け止め方は分かれた。", "住民の意見は一様ではなかった。"]


def versions(n: int = 6) -> list:
    docs = []
    for i in range(n):
        body = SHARED[0] + OWN[i % 3] + f"担当課{i}が説明した。" + SHARED[1] + SHARED[2] + f"詳細は{i}日に公表される。"
        docs.append(clean_text(body + "\n", Config(skip=frozenset({"dedup"})), id=f"s{i}"))
    return docs


def test_sentences_shared_by_translations_of_one_article_stay_in_the_body():
    docs = versions()
    rep = find_boilerplate(docs, BoilerplateOptions(min_docs=5))
    assert sorted(r.text for r in rep if r.kind == "sentence") == sorted(SHARED)  # found: each in 6 documents
    doc = docs[2]
    # the first shared sentence opens every version: at the edge, it goes (a reader should give these
    # versions their English source, which keeps it); the two in the body stay, flagged
    assert remove_boilerplate(doc, rep, total=len(docs)) == 1
    assert SHARED[1] in doc.text and SHARED[2] in doc.text and SHARED[0] not in doc.text
    assert sorted(doc.original[f.start : f.end] for f in doc.flags if f.stage == "boilerplate") == sorted(SHARED[1:])


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
    options = BoilerplateOptions(min_docs=5, anywhere=True)
    remove_boilerplate(doc, find_boilerplate(records, options), options)
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


def test_with_the_english_source_a_repeated_translation_of_it_stays():
    # six documents with the same English source; the first sentence translates English sentence 0 in each,
    # so it is content even at the document's edge and even with anywhere; made-up texts
    english = "The mayor announced a plan for a new bridge. Work will start next spring."
    docs = [
        clean_text(SHARED[0] + f"工事は{i}年後の春に始まる。\n", Config(skip=frozenset({"dedup"})), english=english)
        for i in range(6)
    ]
    options = BoilerplateOptions(min_docs=5, anywhere=True)
    rep = find_boilerplate(docs, options)
    assert [r.text for r in rep] == [SHARED[0]]
    assert remove_boilerplate(docs[0], rep, options, total=6) == 0
    (flag,) = [f for f in docs[0].flags if f.stage == "boilerplate"]
    assert flag.reason.endswith("kept: it translates English sentence 0 of the source")
    # the same documents without their source: the opening sentence goes
    plain = [clean_text(d.original, Config(skip=frozenset({"dedup"}))) for d in docs]
    assert remove_boilerplate(plain[0], find_boilerplate(plain, options), options) == 1
