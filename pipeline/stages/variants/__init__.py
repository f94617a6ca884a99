"""Name/term variant normalisation (the ``variants`` stage), split by concern.

* :mod:`.stage` — mentions, forms, grouping and the stage itself;
* :mod:`.boundaries` — mention boundaries the tokeniser gets wrong (トリ + ー, a dash, ぺ);
* :mod:`.evidence` — what a rewrite needs besides looking alike (orthographic,
  dictionary, bilingual, lexicon); similarity alone earns a flag;
* :mod:`.source` — bilingual evidence from the aligned English source, and its veto;
* :mod:`.canonical` — the spelling a group ends in (lexicon, else the
  article's majority; the dictionary only breaks ties);
* :mod:`.decide` — which forms are rewritten, to what, on what evidence; one decision per name;
* :mod:`.select` — non-overlapping edits out of the proposals, in n log n.

See ``docs/variants.md``.
"""

from pipeline.stages.variants.stage import (
    STAGE,
    Cluster,
    Form,
    Mention,
    VariantOptions,
    add_arguments,
    clear_caches,
    cluster_forms,
    collect_forms,
    compare_kana,
    compare_latin,
    find_mentions,
    fold_kana,
    load_alternations,
    normalise_variants,
    options_from_args,
    spelling_counts,
)

__all__ = [
    "STAGE",
    "Cluster",
    "Form",
    "Mention",
    "VariantOptions",
    "add_arguments",
    "clear_caches",
    "cluster_forms",
    "collect_forms",
    "compare_kana",
    "compare_latin",
    "find_mentions",
    "fold_kana",
    "load_alternations",
    "normalise_variants",
    "options_from_args",
    "spelling_counts",
]
