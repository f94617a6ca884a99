"""The HTML report: one self-contained page to review a cleaning.

* side by side, sentence by sentence (rows of :mod:`pipeline.review.rows`):
  the original with deletions marked, the cleaned text with insertions
  marked, and the stage, rule and reason of every change (inline and on
  hover);
* a table of edits per stage and rule (linking to the first change of each),
  the variant groups the ``variants`` stage found, the flags kept;
* jump links between changes (↑ ↓ in each changed row; keys ``n``/``p``),
  and a checkbox that hides the unchanged rows (pure CSS).

Safety: every string from the input (text, ids, sources, rules, reasons,
annotations) goes through :func:`html.escape`; links are only ``#`` anchors
the report makes itself; class names derived from stage names are reduced to
``[a-z0-9-]``.  A Content-Security-Policy meta allows no network and only the
page's own style and script, by SHA-256 hash, so even a slip in escaping
would run nothing.

Size: unchanged text is plain text inside one cell per row; only changes get
elements, so a 200 KB article stays a page of a few thousand rows.

>>> from pipeline.document import Document
>>> page = render_report([Document("<script>alert(1)</script>", source="x.txt")])
>>> "<script>alert(1)" in page, "&lt;script&gt;alert(1)" in page
(False, True)
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

from pipeline.document import Document, Edit, Flag
from pipeline.review.diff import describe_change, show_invisible
from pipeline.review.rows import Row, build_rows, row_pieces
from pipeline.review.stats import collect_stats

STYLE = """
:root{--del:#ffd7d5;--ins:#c9f2d0;--line:#d0d7de;--muted:#57606a;--flag:#fff3bf}
*{box-sizing:border-box}
body{font:14px/1.6 "Noto Sans CJK JP","Noto Sans JP","Hiragino Sans","Yu Gothic",system-ui,sans-serif;margin:0;color:#1f2328;background:#fff}
header,section.doc{padding:12px 20px}
header{border-bottom:1px solid var(--line);background:#f6f8fa}
h1{font-size:18px;margin:0 0 4px}h2{font-size:16px;margin:18px 0 6px;word-break:break-all}
.meta{color:var(--muted);margin:2px 0}
table{border-collapse:collapse}
table.sum td,table.sum th,table.var td,table.var th{border:1px solid var(--line);padding:2px 8px;text-align:left}
table.sum td.n{text-align:right;font-variant-numeric:tabular-nums}
table.sbs{width:100%;table-layout:fixed;margin-top:8px}
table.sbs th{position:sticky;top:0;background:#fff;border-bottom:2px solid var(--line);text-align:left;padding:4px 6px;z-index:1}
table.sbs td{vertical-align:top;border-bottom:1px solid #eaeef2;padding:4px 6px;white-space:pre-wrap;overflow-wrap:anywhere}
col.ln{width:4.5em}col.why{width:28%}
td.ln{color:var(--muted);font-size:12px;white-space:nowrap}
td.ln a{text-decoration:none;padding:0 2px}
tr.same td.o,tr.same td.c{color:#444}
tr.chg td.o,tr.chg td.c{background:#fbfcfd}
tr.flg td.why{background:var(--flag)}
tr:target td{outline:2px solid #0969da;outline-offset:-2px}
del{background:var(--del);text-decoration:line-through;text-decoration-color:#cf222e}
ins{background:var(--ins);text-decoration:none}
mark.sup{background:#e7d8ff;text-decoration:line-through}
sup{color:var(--muted);font-size:10px;margin:0 1px}
.removed{color:#cf222e;font-style:italic}
td.why{white-space:normal;font-size:12.5px}
div.en{color:#555;font-size:12.5px;margin-top:.3em;white-space:normal}
td.why ol,td.why ul{margin:0;padding-left:1.4em}
.tag{font-family:ui-monospace,monospace;font-size:11.5px;padding:0 3px;border-radius:3px;background:#eaeef2}
.s-dedup{border-bottom:2px solid #cf222e}.tag.s-dedup{background:#ffd7d5}
.s-variants{border-bottom:2px solid #0969da}.tag.s-variants{background:#ddf4ff}
.s-markup{border-bottom:2px solid #9a6700}.tag.s-markup{background:#fff1c2}
.s-blocks{border-bottom:2px solid #8250df}.tag.s-blocks{background:#fbefff}
q{quotes:"«" "»"}
label.only{margin-left:12px;font-size:13px}
body:has(#only:checked) tr.same{display:none}
.keys{color:var(--muted);font-size:12px;margin-left:12px}
"""

# The page's own script: keys n/p jump to the next/previous change; the address
# REPORT.html#changed opens with "changed rows only" ticked.  It also marks the
# page as ready (the browser test uses that as a positive control).
SCRIPT = """
(function () {
  document.documentElement.setAttribute("data-report", "ready");
  if (location.hash === "#changed") { document.getElementById("only").checked = true; }
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.chg, tr.flg"));
  document.addEventListener("keydown", function (ev) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey || (ev.key !== "n" && ev.key !== "p")) return;
    var t = ev.target && ev.target.tagName;
    if (t === "INPUT" || t === "TEXTAREA" || t === "SELECT") return;
    var top = 40, i, r, target = null;
    if (ev.key === "n") {
      for (i = 0; i < rows.length; i++) { r = rows[i].getBoundingClientRect(); if (r.height && r.top > top + 2) { target = rows[i]; break; } }
    } else {
      for (i = rows.length - 1; i >= 0; i--) { r = rows[i].getBoundingClientRect(); if (r.height && r.top < top - 2) { target = rows[i]; break; } }
    }
    if (target) { location.hash = "#" + target.id; }
  });
})();
"""


def csp_hash(source: str) -> str:
    """The CSP source expression allowing exactly this inline script or style."""
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy() -> str:
    return (
        f"default-src 'none'; script-src {csp_hash(SCRIPT)}; style-src {csp_hash(STYLE)}; "
        "img-src 'none'; font-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'"
    )


def esc(s: Any) -> str:
    """Escape any value for element content and double- or single-quoted attributes."""
    return escape(str(s), quote=True)


def stage_class(stage: str) -> str:
    """A CSS class for a stage name, whatever the input says.

    >>> stage_class('dedup'), stage_class('" onload=x'), stage_class('')
    ('s-dedup', 's-onloadx', 's-')
    """
    return "s-" + re.sub(r"[^a-z0-9-]", "", stage.lower())[:24]


def edit_title(e: Edit) -> str:
    text = f"{e.stage}/{e.rule}: {e.reason}\n{describe_change(e.old, e.new)}"
    for s in e.supersedes:
        text += f"\nsupersedes {s.stage}/{s.rule}: {s.reason} ({describe_change(s.old, s.new)})"
    return text


def _old_html(doc: Document, e: Edit) -> str:
    """The deleted text, with the rewrites it supersedes marked inside it."""
    if not e.supersedes:
        return esc(show_invisible(e.old))
    parts: list[str] = []
    pos = e.start
    for s in sorted(e.supersedes, key=lambda x: (x.start, x.end)):
        if s.start < pos or s.end > e.end:
            continue
        parts.append(esc(show_invisible(doc.original[pos : s.start])))
        title = f"superseded {s.stage}/{s.rule}: {s.reason}\n{describe_change(s.old, s.new)}"
        parts.append(f'<mark class="sup" title="{esc(title)}">{esc(show_invisible(s.old))}</mark>')
        pos = s.end
    parts.append(esc(show_invisible(doc.original[pos : e.end])))
    return "".join(parts)


def _why_item(e: Edit, n: int | None) -> str:
    num = f"<sup>{n}</sup>" if n is not None else ""
    item = (
        f'<li>{num}<span class="tag {stage_class(e.stage)}">{esc(e.stage)}/{esc(e.rule)}</span> '
        f"{esc(e.reason)} {_change_html(e)}"
    )
    if e.supersedes:
        item += "<ul>" + "".join("<li>supersedes " + _why_item(s, None)[4:] for s in e.supersedes) + "</ul>"
    return item + "</li>"


def _change_html(e: Edit) -> str:
    """``«old» → «new»``, ``«old» removed`` or ``«new» inserted``."""
    old = f"<q>{esc(show_invisible(_short(e.old)))}</q>"
    new = f"<q>{esc(show_invisible(_short(e.new)))}</q>"
    if not e.new:
        return f"{old} removed"
    if not e.old:
        return f"{new} inserted"
    return f"{old} → {new}"


def _short(s: str, limit: int = 80) -> str:
    return s if len(s) <= limit else s[:limit] + f"… ({len(s)} chars)"


def _flag_item(f: Flag) -> str:
    return (
        f'<li class="flag">⚑ <span class="tag">{esc(f.stage)}/{esc(f.rule)}</span> {esc(f.reason)} <em>(kept)</em></li>'
    )


def row_english(doc: Document, row: Row) -> list[str]:
    """The English sentences aligned to the sentences of a row (empty without an English source)."""
    alignment = doc.annotations.get("alignment")
    if not isinstance(alignment, dict) or not doc.sentences:
        return []
    english = [e.get("text", "") for e in alignment.get("english") or [] if isinstance(e, dict)]
    inside = {i for i, s in enumerate(doc.sentences) if s.start < row.end and s.end > row.start}
    out: list[str] = []
    for bead in alignment.get("beads") or []:
        if isinstance(bead, dict) and inside & set(bead.get("ja") or ()):
            out.extend(english[i] for i in bead.get("en") or () if isinstance(i, int) and 0 <= i < len(english))
    return list(dict.fromkeys(out))


def render_row(doc: Document, row: Row, anchor: str | None, prev: str | None, nxt: str | None) -> str:
    """One ``<tr>``: line number and jump links, original, cleaned, reasons."""
    orig: list[str] = []
    clean: list[str] = []
    pieces = [(p.text, p.edit) for p in row_pieces(doc, row)]
    if pieces and pieces[-1][1] is None:
        pieces[-1] = (pieces[-1][0].rstrip(), None)
    n = 0
    cleaned_visible = False
    for text, e in pieces:
        if e is None:
            orig.append(esc(text))
            clean.append(esc(text))
            cleaned_visible = cleaned_visible or bool(text.strip())
            continue
        n += 1
        title = esc(edit_title(e))
        cls = stage_class(e.stage)
        if e.old:
            orig.append(f'<del class="{cls}" title="{title}">{_old_html(doc, e)}</del><sup>{n}</sup>')
        else:
            orig.append(f'<sup title="{title}">{n}</sup>')
        if e.new:
            clean.append(f'<ins class="{cls}" title="{title}">{esc(show_invisible(e.new))}</ins><sup>{n}</sup>')
            cleaned_visible = cleaned_visible or bool(e.new.strip())
        else:
            clean.append(f'<sup title="{title}">{n}</sup>')
    if row.edits and not cleaned_visible:
        clean.insert(0, '<span class="removed">(removed) </span>')
    why = ""
    if row.edits or row.flags:
        items = [_why_item(e, i) for i, e in enumerate(row.edits, 1)] + [_flag_item(f) for f in row.flags]
        why = "<ol>" + "".join(items) + "</ol>"
    english = row_english(doc, row)
    if english:
        orig.append(f'<div class="en" lang="en" title="the aligned English source">EN: {esc(" ".join(english))}</div>')
    cls = "chg" if row.edits else ("flg" if row.flags else "same")
    ident = f' id="{anchor}"' if anchor else ""
    ln = str(row.line)
    if anchor:
        up = f'<a href="#{prev}" title="previous change">↑</a>' if prev else '<a href="#top" title="top">↑</a>'
        down = f'<a href="#{nxt}" title="next change">↓</a>' if nxt else '<a href="#top" title="top">↑</a>'
        ln = f"{up}{ln}{down}"
    return f'<tr class="{cls}"{ident}><td class="ln">{ln}</td><td class="o">{"".join(orig)}</td><td class="c">{"".join(clean)}</td><td class="why">{why}</td></tr>\n'


def _rule_table(rules: Sequence[dict[str, Any]], first: dict[tuple[str, str], str]) -> str:
    if not rules:
        return '<p class="meta">No edits.</p>'
    out = [
        '<table class="sum"><thead><tr><th>stage</th><th>rule</th><th>edits</th><th>superseded</th>'
        "<th>chars removed</th><th>chars added</th><th>first</th></tr></thead><tbody>"
    ]
    for r in rules:
        anchor = first.get((r["stage"], r["rule"]))
        link = f'<a href="#{anchor}">go</a>' if anchor else ""
        out.append(
            f'<tr><td><span class="tag {stage_class(r["stage"])}">{esc(r["stage"])}</span></td><td>{esc(r["rule"])}</td>'
            f'<td class="n">{r["edits"]}</td><td class="n">{r["superseded"]}</td><td class="n">{r["chars_removed"]}</td>'
            f'<td class="n">{r["chars_added"]}</td><td>{link}</td></tr>'
        )
    out.append("</tbody></table>")
    return "".join(out)


def variant_clusters(doc: Document) -> list[tuple[str, list[tuple[str, Any]]]]:
    """``(canonical, [(form, count), ...])`` of the variants annotation, tolerating odd shapes."""
    ann = doc.annotations.get("variants")
    clusters = ann.get("clusters") if isinstance(ann, dict) else None
    out: list[tuple[str, list[tuple[str, Any]]]] = []
    for c in clusters if isinstance(clusters, list) else []:
        if not isinstance(c, dict):
            continue
        forms = c.get("forms")
        if isinstance(forms, dict):
            pairs = list(forms.items())
        elif isinstance(forms, list):
            pairs = [(f, "") for f in forms]
        else:
            pairs = []
        out.append((str(c.get("canonical", "")), [(str(f), n) for f, n in pairs]))
    return out


def _variant_table(doc: Document) -> str:
    clusters = variant_clusters(doc)
    if not clusters:
        return ""
    rows = []
    for canonical, forms in clusters:
        shown = "、".join(f"{esc(f)}{' ×' + esc(n) if n != '' else ''}" for f, n in forms)
        rows.append(f"<tr><td><b>{esc(canonical)}</b></td><td>{shown}</td></tr>")
    return (
        f"<details open><summary>Variant groups ({len(clusters)})</summary>"
        '<table class="var"><thead><tr><th>canonical</th><th>forms found (count)</th></tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table></details>"
    )


def render_document(doc: Document, index: int, stats: dict[str, Any], counter: list[int], total_changes: int) -> str:
    """The section of one document; ``counter`` numbers the changes across the page."""
    rows = build_rows(doc)
    body: list[str] = []
    first: dict[tuple[str, str], str] = {}
    for row in rows:
        anchor = prev = nxt = None
        if row.edits or row.flags:
            k = counter[0]
            counter[0] += 1
            anchor = f"c{k}"
            prev = f"c{k - 1}" if k > 0 else None
            nxt = f"c{k + 1}" if k + 1 < total_changes else None
            for e in row.edits:
                first.setdefault((e.stage, e.rule), anchor)
        body.append(render_row(doc, row, anchor, prev, nxt))
    name = doc.source or doc.id or f"document {index + 1}"
    meta = (
        f"{stats['chars_in']} → {stats['chars_out']} characters · sentences kept {stats['sentences_kept']}, "
        f"removed {stats['sentences_removed']} · {stats['edits']} edits · {stats['flags']} flags"
    )
    return (
        f'<section class="doc" id="doc{index}"><h2>{esc(name)}</h2>'
        f'<p class="meta">id {esc(doc.id)} · {meta}</p>'
        f"<details open><summary>Edits per stage and rule</summary>{_rule_table(stats['rules'], first)}</details>"
        f"{_variant_table(doc)}"
        '<table class="sbs"><colgroup><col class="ln"><col><col><col class="why"></colgroup>'
        "<thead><tr><th>line</th><th>original</th><th>cleaned</th><th>why</th></tr></thead><tbody>\n"
        + "".join(body)
        + "</tbody></table></section>\n"
    )


def count_marked_rows(doc: Document) -> int:
    return sum(1 for r in build_rows(doc) if r.edits or r.flags)


def render_report(docs: Iterable[Document], title: str = "Cleaning report", csp: bool = True) -> str:
    """The whole page.  ``csp=False`` leaves out the policy (tests use it to show escaping alone suffices)."""
    docs = list(docs)
    stats = collect_stats(docs)
    total_changes = sum(count_marked_rows(d) for d in docs)
    counter = [0]
    sections = [
        render_document(d, i, s, counter, total_changes)
        for i, (d, s) in enumerate(zip(docs, stats["documents"], strict=True))
    ]
    t = stats["total"]
    index = ""
    if len(docs) > 1:
        index = (
            "<details><summary>Documents</summary><ol>"
            + "".join(f'<li><a href="#doc{i}">{esc(d.source or d.id)}</a></li>' for i, d in enumerate(docs))
            + "</ol></details>"
        )
        index += f"<details><summary>All edits per stage and rule</summary>{_rule_table(t['rules'], {})}</details>"
    policy = f'<meta http-equiv="Content-Security-Policy" content="{esc(content_security_policy())}">' if csp else ""
    first_change = '<a href="#c0">first change ↓</a>' if total_changes else "no changes"
    return (
        '<!DOCTYPE html>\n<html lang="ja"><head><meta charset="utf-8">'
        f'{policy}<meta name="referrer" content="no-referrer">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{STYLE}</style></head>\n"
        f'<body id="top"><header><h1>{esc(title)}</h1>'
        f'<p class="meta">{t["documents"]} document{"s" * (t["documents"] != 1)} · {t["chars_in"]} → {t["chars_out"]} characters · '
        f"sentences kept {t['sentences_kept']}, removed {t['sentences_removed']} · {t['edits']} edits · {t['flags']} flags · "
        f'{first_change}<label class="only"><input type="checkbox" id="only"> changed rows only</label>'
        '<span class="keys">keys: n next change, p previous</span></p></header>\n'
        f"<main>{index}{''.join(sections)}</main><script>{SCRIPT}</script></body></html>\n"
    )
