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


# ----- plain markup read without a parser -----------------------------------------------------

# Each of these must read as lexbor reads it. Most take the fast path; the others are the
# markup where HTML's tree building closes, reopens or moves elements, which must go to the
# parser (a <p> ended by a list, a nested <a>, misnested bold, tables, comments...).
TRICKY = [
    "<p>Tom <b>Blomqvist</b> joins <a href=\"/x?a=1&amp;b=2\" title='a>b'>AXR</a>.</p>",
    "<P CLASS=lead>Upper<BR>case</P><Br/>x", "<ul>\n<li>one</li>\n<li>two<br/>2b</li></ul>tail",
    "<p>ends at the list<ul><li>item</li></ul>", "<p>a<li>b</p>", "<p>a<li>b</li>",
    "<p>x<dd>y</dd>", "<p>a<div>b</div>c</p>",
    "<li>a<li>b", "<li>a<span><li>b</span>", "<ul><li>a<ul><li>b</li></ul></li></ul>",
    "<dl><dt>Team<dd>Action Express<dt>Car<dd>31</dl>", "<h2>a<h3>b</h3></h2>c",
    "<a href=1>x<a href=2>y</a></a>", "<b><i>misnested</b> still</i> text",
    "<p>x<hr>y</p>", "<hr/>z", "<table><tr><td>cell</td></tr></table>after",
    "<p>a<!-- hidden <p> -->b</p>", "<pre>\nkept</pre>", "a < b and c > d",
    "<p>&eacute;&amp;&nbsp;&notit; &#8217;&#x2019;&#128; &#0; &#xD800; &#1114112;</p>",
    "<p>&#xFDD0; and &#xFFFE; and &#x1FFFF; are kept by HTML</p>", "<p>&#x0000FFFE;</p>",
    "<p>&amp</p><p>&copy2024 &copy;</p>", "x\x00y<b>z</b>", "<p>\r\nwindows\rline</p>",
    "<p\tclass=x\n>whitespace in tags</p >", "<p class=x/>self-closing p<br / >",
    "<span a=`b`>tick</span>", "<p>\u00a0nbsp\u2003em</p>", "<custom-el>x</custom-el>",
    "<summary>s</summary><details>d</details><address>a</address><figure>f</figure>",
    "</p>stray end tag", "<script>x</script>y", "<img src=x alt=hidden>shown<wbr>word",
    "<p><b><b><b><b>deep</b></b></b></b></p>", "<font color=red>old</font> <tt>school</tt>",
]


@pytest.mark.parametrize("html", TRICKY)
def test_plain_markup_reads_as_the_parser_reads_it(html: str) -> None:
    from feeds.text import _layout, _parsed_layout, _simple_layout

    fast = _simple_layout(html)
    if fast is not None:
        assert _layout(fast) == _layout(_parsed_layout(html))


def test_generated_markup_reads_as_the_parser_reads_it() -> None:
    """Seeded random fragments of the fast path's elements, well nested or not."""
    import random

    from feeds.text import _layout, _parsed_layout, _simple_layout

    rng = random.Random(12)
    tags = ["p", "div", "span", "a", "b", "em", "br", "hr", "img", "li", "ul", "ol", "h2",
            "h3", "dl", "dt", "dd", "blockquote", "section", "code", "table", "pre", "i"]
    texts = ["Tom", " Blomqvist ", "\n", "&amp;", "&nbsp;", "&#8217;", "&#xFFFE;", "x y",
             "a<b", ">", "&lt;p&gt;", "\t"]
    fast_ones = 0
    for _ in range(3000):
        parts = []
        for _ in range(rng.randint(1, 12)):
            roll = rng.random()
            if roll < 0.4:
                parts.append(f"<{rng.choice(tags)}{rng.choice(['', ' href=x', ' /'])}>")
            elif roll < 0.7:
                parts.append(f"</{rng.choice(tags)}>")
            else:
                parts.append(rng.choice(texts))
        html = "".join(parts)
        fast = _simple_layout(html)
        if fast is not None:
            fast_ones += 1
            assert _layout(fast) == _layout(_parsed_layout(html)), html
    assert fast_ones > 300  # the comparison above is not vacuous


@pytest.mark.parametrize("html", [
    "<p>Practice times and weather for the weekend.</p>",
    "<p>Tom <b>Blomqvist</b> joins <a href=\"https://x.example/a?b=1&amp;c=2\">AXR</a>.</p>"
    "<p>Derani &amp; Aitken stay&#8217;s.</p><ul><li>one</li><li>two</li></ul>",
    "Line one<br>line two<br/><br/>line three",
])
def test_typical_summaries_take_the_fast_path(html: str) -> None:
    from feeds.text import _simple_layout

    assert _simple_layout(html) is not None
