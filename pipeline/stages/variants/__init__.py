"""Name/term variant normalisation (the ``variants`` stage), split by concern.

In the order of the algorithm:

* :mod:`.options` — the options and their command-line flags;
* :mod:`.alternations` — the alternation table and the kana key it folds to;
* :mod:`.mentions` — runs of katakana and Latin tokens (the hot loop);
* :mod:`.forms` — distinct spellings and the comparison of two of them;
* :mod:`.clusters` — grouping forms (complete linkage over a neighbour index);
* :mod:`.stage` — the stage itself: mentions -> forms -> clusters -> decisions -> edits;
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

from pipeline.stages.variants.alternations import fold_kana, load_alternations
from pipeline.stages.variants.clusters import Cluster, cluster_forms
from pipeline.stages.variants.forms import Form, collect_forms, compare_kana, compare_latin
from pipeline.stages.variants.mentions import Mention, clear_caches, find_mentions, spelling_counts
from pipeline.stages.variants.options import STAGE, VariantOptions, add_arguments, options_from_args
from pipeline.stages.variants.stage import normalise_variants

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
