"""Lesson text for widgets: the small Markdown that lessons write, turned into the HTML widgets show.

Widget labels (``W.HTML``) are HTML, but lessons write their questions and
feedback the way they write Markdown cells: ```Accept```, ``*always*``,
``**by tag**``, and placeholders such as ``<schema2>``. :func:`rich` renders
that for an ``HTML`` widget:

* code spans (backticks) become ``<code>`` with their content escaped;
* ``**strong**`` and ``*emphasis*`` (``_emphasis_`` too) become ``<b>`` and ``<em>``;
* HTML tags that lessons use on purpose (``<code>``, ``<b>``, ``<pre>``,
  ``<a href>`` …, see :data:`TAGS`) are kept; anything else in angle brackets
  (``<schema2>``, ``<digest>``) is shown as text, never swallowed as a tag;
* ``&`` is escaped unless it starts an entity (``&lt;``, ``&#8230;``).

:func:`plain` gives the text for places that show no HTML (radio button
labels): the same input without the markers. Left out: the rest of Markdown
(lists, links in brackets, headings): widget texts are one paragraph.
"""

from __future__ import annotations

import html
import re

__all__ = ["TAGS", "rich", "plain"]

TAGS = frozenset({"a", "b", "br", "code", "details", "div", "em", "i", "kbd", "li", "ol", "p", "pre", "small",
                  "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "th", "thead", "tr", "tt", "u",
                  "ul"})

_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?/?>")
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]*|#\d+|#x[0-9A-Fa-f]+);")
# Kept as they are: <pre>…</pre> and <code>…</code> written in HTML (their content is already HTML).
_VERBATIM = re.compile(r"<(pre|code)(?:\s[^<>]*)?>.*?</\1>", re.S | re.I)
_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)
_STRONG = re.compile(r"(?<![\w*])\*\*(?=\S)(.+?)(?<=\S)\*\*(?![\w*])", re.S)
_EM = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])|(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])",
                 re.S)


def _escape_text(text: str) -> str:
    """Escape a stretch of prose: known tags stay, other angle brackets and bare ``&`` become text."""
    out, pos = [], 0
    for match in _TAG.finditer(text):
        out.append(_escape_plain(text[pos:match.start()]))
        out.append(match.group(0) if match.group(1).lower() in TAGS else html.escape(match.group(0), quote=False))
        pos = match.end()
    out.append(_escape_plain(text[pos:]))
    return "".join(out)


def _escape_plain(text: str) -> str:
    pieces, pos = [], 0
    for match in _ENTITY.finditer(text):
        pieces.append(html.escape(text[pos:match.start()], quote=False))
        pieces.append(match.group(0))
        pos = match.end()
    pieces.append(html.escape(text[pos:], quote=False))
    return "".join(pieces)


def _emphasis(escaped: str) -> str:
    escaped = _STRONG.sub(lambda m: f"<b>{m.group(1)}</b>", escaped)
    return _EM.sub(lambda m: f"<em>{m.group(1) or m.group(2)}</em>", escaped)


def _prose(text: str) -> str:
    """Code spans, emphasis and escaping for text outside verbatim HTML."""
    out, pos = [], 0
    for match in _CODE_SPAN.finditer(text):
        out.append(_emphasis(_escape_text(text[pos:match.start()])))
        out.append(f"<code>{html.escape(match.group(2).strip(), quote=False)}</code>")
        pos = match.end()
    out.append(_emphasis(_escape_text(text[pos:])))
    return "".join(out)


def rich(text: str) -> str:
    """The HTML an ``HTML`` widget should show for lesson text written as Markdown and/or HTML."""
    text = str(text)
    out, pos = [], 0
    for match in _VERBATIM.finditer(text):
        out.append(_prose(text[pos:match.start()]))
        out.append(match.group(0))
        pos = match.end()
    out.append(_prose(text[pos:]))
    return "".join(out)


def plain(text: str) -> str:
    """The same text without Markdown markers or HTML tags, for labels that show no HTML."""
    text = _CODE_SPAN.sub(lambda m: m.group(2).strip(), str(text))
    text = _STRONG.sub(lambda m: m.group(1), text)
    text = _EM.sub(lambda m: m.group(1) or m.group(2), text)
    text = _TAG.sub(lambda m: "" if m.group(1).lower() in TAGS else m.group(0), text)
    return html.unescape(text)
