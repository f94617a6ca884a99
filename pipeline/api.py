"""The Python front door: clean a text, clean many, read what was done.

>>> from pipeline import clean
>>> doc = clean("同社は<b>新製品</b>を発表した。")
>>> doc.text
'同社は新製品を発表した。'
>>> print(explain(doc))
1:3-6 markup/tag  '<b>' -> ''  HTML tag <b>
1:9-13 markup/tag  '</b>' -> ''  HTML end tag </b>

Options are the stages' option fields, by name (``latin="rewrite"``), or by
``<stage>_<field>`` where two stages share a field name (``dedup_window=6``);
``skip`` takes stage names.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from pipeline.document import Document
from pipeline.run import OPTION_GROUPS, STAGE_NAMES, Config, clean_texts, new_document, plan_stages, run_stages


def clean(
    text: str, *, english: str | None = None, id: str = "", config: Config | None = None, **options: Any
) -> Document:
    """Clean one text; the returned ``Document`` keeps the original, the edits and the cleaned ``.text``.

    ``english``, the source text, is evidence for the stages and is aligned
    to the Japanese sentences (``doc.annotations["alignment"]``).

    >>> clean("DeepAIの発表。", skip=["variants", "dedup"]).text
    'DeepAIの発表。'
    >>> doc = clean("売上は1500台だった。", english="Sales were 2,500 units.")
    >>> [(f.rule, f.reason) for f in doc.flags]
    [('number-mismatch', "'2,500' of English sentence 0 is not in the Japanese")]
    """
    return run_stages(new_document(text, id, english=english), config or make_config(**options))


def clean_many(texts: Iterable[str], *, config: Config | None = None, **options: Any) -> Iterator[Document]:
    """Clean each text in order (several documents a stage pass, which is faster); yields Documents.

    >>> [d.text for d in clean_many(["<p>一つ目。</p>", "二つ目。"])]
    ['一つ目。', '二つ目。']

    With ``tie_break="batch"`` the texts are read twice: first to count the
    documents that use each spelling, then to clean (a document's tie goes to
    the spelling more of the texts use, as ``clean --tie-break batch`` does).
    """
    config = config or make_config(**options)
    v = config.variants
    if v.tie_break == "batch" and v.batch_counts is None and "variants" not in config.skip:
        texts = list(texts)
        counts = batch_spelling_counts(texts, config)
        config = dataclasses.replace(config, variants=dataclasses.replace(v, batch_counts=counts))
    return clean_texts(texts, config)


def batch_spelling_counts(texts: Iterable[str], config: Config | None = None) -> Counter[str]:
    """Spelling -> how many of ``texts`` use it, as the variants stage reads spellings (``batch_counts``).

    >>> counts = batch_spelling_counts(["ロボット工場。ロボット。", "ロボットだ。", "ロボトだ。"])
    >>> counts["ロボット"], counts["ロボト"]
    (2, 1)
    """
    from pipeline.batch.tasks import SPELLING_STAGES, run_prefix  # the stages before what variants reads
    from pipeline.stages.variants import spelling_counts

    config = config or Config()
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(spelling_counts(run_prefix(new_document(text), config, SPELLING_STAGES)).keys())
    return counts


def make_config(**options: Any) -> Config:
    """A ``Config`` from option names: a stage option field, ``<stage>_<field>``, or ``skip``.

    >>> make_config(latin="rewrite").variants.latin
    'rewrite'
    >>> make_config(dedup_window=6).dedup.window
    6
    >>> make_config(colour="red")
    Traceback (most recent call last):
    ...
    TypeError: unknown option 'colour'
    """
    groups: dict[str, dict[str, Any]] = {g: {} for g in OPTION_GROUPS}
    skip = frozenset(options.pop("skip", ()) or ())
    plan_stages(skip)  # unknown names and unmet requirements fail here, before any work
    for name, value in options.items():
        group, field = find_option(name)
        groups[group][field] = value
    base = Config()
    parts = {g: dataclasses.replace(getattr(base, g), **kw) for g, kw in groups.items() if kw}
    return dataclasses.replace(base, skip=skip, **parts)


def find_option(name: str) -> tuple[str, str]:
    """(options group, field) that ``name`` sets; an ambiguous or unknown name is a TypeError."""
    base = Config()
    for group in OPTION_GROUPS:
        prefix = group + "_"
        if name.startswith(prefix) and name[len(prefix) :] in field_names(getattr(base, group)):
            return group, name[len(prefix) :]
    owners = [g for g in OPTION_GROUPS if name in field_names(getattr(base, g))]
    if len(owners) == 1:
        return owners[0], name
    if owners:
        raise TypeError(f"option {name!r} is ambiguous: say {' or '.join(f'{g}_{name}' for g in owners)}")
    raise TypeError(f"unknown option {name!r}")


def field_names(options: Any) -> set[str]:
    return {f.name for f in dataclasses.fields(options)}


def explain(doc: Document) -> str:
    """One line per edit (``line:start-end stage/rule  old -> new  reason``) and per flag, in text order.

    Offsets are in the original text; the line number is 1-based.
    """
    lines = []
    for e in doc.edits:
        line = doc.original.count("\n", 0, e.start) + 1
        rule = "+".join(e.rule) if isinstance(e.rule, tuple | list) else e.rule
        lines.append(f"{line}:{e.start}-{e.end} {e.stage}/{rule}  {e.old!r} -> {e.new!r}  {e.reason}")
    for f in doc.flags:
        line = doc.original.count("\n", 0, f.start) + 1
        lines.append(f"{line}:{f.start}-{f.end} flag {f.stage}/{f.rule}  {doc.original[f.start : f.end]!r}  {f.reason}")
    return "\n".join(lines)


__all__ = ["STAGE_NAMES", "clean", "clean_many", "explain", "make_config"]
