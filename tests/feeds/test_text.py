"""HTML to plain text, as the rules engine and alerts read it."""

from __future__ import annotations

import pytest

from feeds import html_to_text
from feeds.text import truncate


@pytest.mark.parametrize(("html", "text"), [
    ("<p>Tom   Blomqvist\n joins <b>Action Express</b>.</p><p>Second paragraph.</p>",
     "Tom Blomqvist joins Action Express.\n\nSecond paragraph."),
    ("Line one<br>line two<br/><br/>line three", "Line one\nline two\nline three"),
    ("<ul><li>Derani</li><li>Aitken</li></ul>After", "Derani\nAitken\n\nAfter"),
    ("P&eacute;rez &amp; Sainz &#8217;24 &lt;tag&gt; &nbsp;x", "Pérez & Sainz ’24 <tag> x"),
    ("<script>alert('@everyone')</script><style>p{}</style>Visible", "Visible"),
    ("<div><h2>Title</h2>Body <a href='/x'>link</a> text</div>", "Title\n\nBody link text"),
    ("plain text, no markup", "plain text, no markup"),
    ("<p>\ue000forged\ue001 markers</p>", "forged markers"),
    ("<p></p><div>  </div>", ""),
    ("", ""),
    ("tab\there\u200bzero\x00width", "tab herezerowidth"),
])
def test_html_to_text(html: str, text: str) -> None:
    assert html_to_text(html) == text


def test_truncate_cuts_on_a_word_near_the_limit() -> None:
    assert truncate("short", 10) == "short"
    assert truncate("Blomqvist joins Action Express", 18) == "Blomqvist joins…"
    assert len(truncate("Blomqvist joins Action Express", 20)) <= 20
    assert truncate("x" * 50, 10) == "x" * 9 + "…"
