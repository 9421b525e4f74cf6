"""Feed HTML to plain text: what the rules engine reads and what alerts quote."""

from __future__ import annotations

import re

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


def collapse_whitespace(text: str) -> str:
    return _SPACES.sub(" ", _CONTROL.sub("", text)).strip()


def html_to_text(html: str) -> str:
    """Visible text of an HTML fragment: entities decoded, whitespace collapsed, paragraphs
    separated by a blank line and <br>/list items by a line break."""
    if not html or not html.strip():
        return ""
    if "<" not in html and "&" not in html:
        return collapse_whitespace(html)
    tree = LexborHTMLParser(_MARKERS.sub("", html))
    tree.strip_tags(_DROPPED)
    root = tree.body
    if root is None:
        return ""
    for node in root.css(",".join(_BLOCKS)):
        node.insert_before(_PARAGRAPH)
        node.insert_after(_PARAGRAPH)
    for node in root.css(",".join(_LINES)):
        node.insert_before(_LINE)
    return _layout(root.text(deep=True))


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
