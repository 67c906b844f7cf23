"""The one Markdown → sanitised HTML function: hostile input comes out inert."""
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consult.core.rendering import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "![x](javascript:alert(1))",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<iframe src=//evil.example></iframe>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<<script>script>alert(1)<</script>/script>",
    "<b onmouseover=alert(1)>bold</b>",
    "```\n</code><script>alert(1)</script>\n```",
    "`<script>`",
    "<!-- <script>alert(1)</script> -->",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "[x](https://example.org \"title\\\" onmouseover=\\\"alert(1)\")",
    "\u202eevil\u202c <scr\u200bipt>alert(1)</script>",
    "<form action=//evil.example><button>Go</button></form>",
    "<meta http-equiv=refresh content=0;url=//evil.example>",
    "<object data=javascript:alert(1)>",
    "[a](https://example.org)<style>*{display:none}</style>",
]

class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def assert_inert(html: str):
    """Every element and attribute is allowlisted and every link is http(s) or mailto."""
    parser = _Elements()
    parser.feed(html)
    parser.close()
    for tag, attrs in parser.elements:
        assert tag in ALLOWED_TAGS, f"tag {tag} leaked: {html}"
        for name, value in attrs.items():
            assert name in ALLOWED_ATTRIBUTES.get(tag, ()), f"attribute {name} on {tag} leaked: {html}"
            if name == "href":
                assert value.startswith(("http://", "https://", "mailto:")), f"bad link {value}: {html}"
    assert "<script" not in html.lower()


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_input_comes_out_inert(source):
    assert_inert(render_markdown(source))


@given(st.text(max_size=400))
@settings(max_examples=300, deadline=None)
def test_any_text_comes_out_inert(source):
    assert_inert(render_markdown(source))


@given(st.lists(st.sampled_from(HOSTILE + ["*a*", "**b**", "[l](https://x.org)", "\n\n", "- item\n", "> q\n"]),
                max_size=8))
@settings(max_examples=200, deadline=None)
def test_mixtures_of_hostile_and_normal_markdown_come_out_inert(parts):
    assert_inert(render_markdown("".join(parts)))


def test_ordinary_markdown_renders():
    html = render_markdown("# Title\n\nSome **bold** and *italic*.\n\n- one\n- two\n\n1. first\n\n> quote\n\n`code`")
    assert "<h3>Title</h3>" in html  # user headings start below the page's own
    assert "<strong>bold</strong>" in html and "<em>italic</em>" in html
    assert "<ul>" in html and "<ol>" in html and "<blockquote>" in html and "<code>code</code>" in html


def test_links_are_marked_as_user_content():
    html = render_markdown("See [the project](https://www.interregeurope.eu/ecoc-sme/) and https://example.org")
    assert html.count('rel="nofollow ugc noopener"') == 2
    assert 'href="https://example.org"' in html


def test_mailto_links_survive_and_raw_html_is_text():
    assert 'href="mailto:contact@example.org"' in render_markdown("[mail](mailto:contact@example.org)")
    assert render_markdown("<b>x</b>") == "<p>&lt;b&gt;x&lt;/b&gt;</p>"


def test_tables_render():
    html = render_markdown("| a | b |\n|---|:-:|\n| 1 | 2 |")
    assert "<table>" in html and "<td>2</td>" in html and "style" not in html


def test_images_become_links_not_embeds():
    assert render_markdown("![a map](https://example.org/map.png)") == \
        '<p><a href="https://example.org/map.png" rel="nofollow ugc noopener">a map</a></p>'


def test_romanian_diacritics_pass_through():
    assert render_markdown("Acțiuni de stimulare a creșterii — Timișoara") == \
        "<p>Acțiuni de stimulare a creșterii — Timișoara</p>"


@pytest.mark.parametrize("empty", [None, "", "   ", "\n\n"])
def test_empty_input_gives_empty_output(empty):
    assert render_markdown(empty) == ""
