"""Feed HTML to plain text: what the rules engine reads and what alerts quote."""

from __future__ import annotations

import re
from html import unescape

from selectolax.lexbor import LexborHTMLParser

# Private-use characters stand in for breaks while the HTML's own whitespace is collapsed;
# any that arrive in the input are removed first so a feed cannot forge a break.
_PARAGRAPH = "\ue000"
_LINE = "\ue001"
_MARKERS = re.compile(f"[{_PARAGRAPH}{_LINE}]")

_BLOCKS = (
    "p", "div", "section", "article", "header", "footer", "aside", "main", "nav",
    "blockquote", "pre", "figure", "figcaption", "table", "ul", "ol", "dl", "form",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "address", "details", "summary",
)
_LINES = ("br", "li", "tr", "dt", "dd")
_DROPPED = ["script", "style", "noscript", "template", "iframe", "object", "embed",
            "svg", "math", "head", "title", "button", "select", "textarea"]

_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")


# The fast path (_simple_layout) reads markup this plain without a parser: these elements
# only, no comments, no tables, each end tag closing the element open last. Where HTML's
# tree building would move anything (an implied end tag, a misnested or nested <a>), the
# fragment goes to lexbor instead, so both give the same text.
_FAST_BLOCKS = frozenset(_BLOCKS) - {"pre", "table", "form", "hr"}
_FAST_LINES = frozenset({"li", "dt", "dd"})
_FAST_VOID = {"br": _LINE, "hr": _PARAGRAPH * 2, "img": "", "wbr": ""}
_FAST_INLINE = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "data", "del", "dfn", "em", "font",
    "i", "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub",
    "sup", "time", "tt", "u", "var",
})
# Every block and list item above is one of HTML's "special" elements (where the search for
# an open <li> stops), and its start tag ends an open <p> ("close a p element"), as <hr>'s.
_SPECIAL = _FAST_BLOCKS | _FAST_LINES
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_HTML_SPACE = "[ \t\n\f\r]"
_TAG = re.compile(
    f"<(/?)([A-Za-z][A-Za-z0-9]*)(?:{_HTML_SPACE}+[^ \t\n\f\r\"'<>/=]+(?:{_HTML_SPACE}*="
    f"{_HTML_SPACE}*(?:\"[^\"]*\"|'[^']*'|[^ \t\n\f\r\"'=<>`]+))?)*{_HTML_SPACE}*/?>")

_NUMERIC_REFERENCE = re.compile("&#(?:[xX]0*([0-9a-fA-F]+)|0*([0-9]+))")


def collapse_whitespace(text: str) -> str:
    return _SPACES.sub(" ", _CONTROL.sub("", text)).strip()


def html_to_text(html: str) -> str:
    """Visible text of an HTML fragment: entities decoded, whitespace collapsed, paragraphs
    separated by a blank line and <br>/list items by a line break."""
    if not html or not html.strip():
        return ""
    if "<" not in html and "&" not in html:
        return collapse_whitespace(html)
    html = _MARKERS.sub("", html)
    raw = _simple_layout(html)
    return _layout(raw if raw is not None else _parsed_layout(html))


def _parsed_layout(html: str) -> str:
    """The fragment's text with break markers where its blocks and lines start and end."""
    tree = LexborHTMLParser(html)
    tree.strip_tags(_DROPPED)
    root = tree.body
    if root is None:
        return ""
    for node in root.css(",".join(_BLOCKS)):
        node.insert_before(_PARAGRAPH)
        node.insert_after(_PARAGRAPH)
    for node in root.css(",".join(_LINES)):
        node.insert_before(_LINE)
    return root.text(deep=True)


def _simple_layout(html: str) -> str | None:
    """What _parsed_layout gives, for plain markup (see _FAST_BLOCKS) read without a
    parser; None for anything else. Most feed summaries are a paragraph or two with a link
    and some bold: this reads one in a fifth of the time lexbor takes to build its tree."""
    if "\x00" in html or ("&#" in html and _refers_to_a_noncharacter(html)):
        return None
    pieces: list[str] = []
    open_elements: list[str] = []
    at = 0
    for tag in _TAG.finditer(html):
        text = html[at:tag.start()]
        if "<" in text:
            return None
        pieces.append(unescape(text) if "&" in text else text)
        at = tag.end()
        closing, name = tag.group(1), tag.group(2).lower()
        if closing:
            if not open_elements or open_elements[-1] != name:
                return None
            open_elements.pop()
            if name in _FAST_BLOCKS:
                pieces.append(_PARAGRAPH)
            continue
        if name in _FAST_VOID:
            if name == "hr" and "p" in open_elements:
                return None
            pieces.append(_FAST_VOID[name])
            continue
        if not (name in _FAST_BLOCKS or name in _FAST_LINES or name in _FAST_INLINE):
            return None
        if ((name in _SPECIAL and "p" in open_elements)
                or (name in _HEADINGS and open_elements and open_elements[-1] in _HEADINGS)
                or (name == "a" and "a" in open_elements)
                or (name in _FAST_LINES and _closes_a_list_item(name, open_elements))):
            return None  # HTML would end an element here that the markup leaves open
        open_elements.append(name)
        pieces.append(_PARAGRAPH if name in _FAST_BLOCKS else
                      _LINE if name in _FAST_LINES else "")
    text = html[at:]
    if "<" in text:
        return None
    pieces.append(unescape(text) if "&" in text else text)
    return "".join(pieces)


def _refers_to_a_noncharacter(html: str) -> bool:
    """html.unescape drops U+FDD0-U+FDEF and U+xFFFE/U+xFFFF where HTML keeps them."""
    for reference in _NUMERIC_REFERENCE.finditer(html):
        digits = reference.group(1) or reference.group(2)
        if len(digits) > 8:
            continue  # past U+10FFFF: U+FFFD either way
        point = int(digits, 16) if reference.group(1) else int(digits)
        if 0xFDD0 <= point <= 0xFDEF or (point & 0xFFFE == 0xFFFE and point <= 0x10FFFF):
            return True
    return False


def _closes_a_list_item(name: str, open_elements: list[str]) -> bool:
    """An <li> (<dt>, <dd>) start tag ends the open one it meets before a special element."""
    kin = ("li",) if name == "li" else ("dt", "dd")
    for element in reversed(open_elements):
        if element in kin:
            return True
        if element in _SPECIAL and element not in ("address", "div", "p"):
            return False
    return False


def _layout(raw: str) -> str:
    flat = _SPACES.sub(" ", _CONTROL.sub("", raw))
    paragraphs = []
    for block in flat.split(_PARAGRAPH):
        lines = [line.strip() for line in block.split(_LINE)]
        text = "\n".join(line for line in lines if line)
        if text:
            paragraphs.append(text)
    return "\n\n".join(paragraphs)


def truncate(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary when one is near, with an ellipsis."""
    if len(text) <= limit:
        return text
    if limit <= 1:
        return text[:limit]
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit * 0.8:
        cut = cut[:space]
    return cut.rstrip() + "…"
