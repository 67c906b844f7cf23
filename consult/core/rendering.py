"""The one path from user Markdown to stored, sanitised HTML.

markdown-it-py parses with raw HTML off; bleach then keeps only an allowlist of tags,
attributes and link protocols. The result is stored next to the source at write time
and is the only user-derived markup templates may mark safe.
"""
import re
from functools import lru_cache
from html import escape, unescape

import bleach
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "blockquote", "pre", "code", "em", "strong", "s", "del", "ins",
    "ul", "ol", "li", "a", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
})
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "rel"],
    "ol": ["start"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"

#: Headings in user text start at level 3: the page owns h1 and h2.
_HEADING_SHIFT = {f"h{n}": f"h{min(n + 2, 6)}" for n in range(1, 7)}


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("js-default", {"html": False, "linkify": True, "typographer": False})
    md.enable(["table", "strikethrough", "linkify"])
    md.validateLink = lambda url: True  # bleach decides which protocols survive

    def heading_open(renderer, tokens, idx, options, env):
        token = tokens[idx]
        token.tag = _HEADING_SHIFT.get(token.tag, token.tag)
        return renderer.renderToken(tokens, idx, options, env)

    def heading_close(renderer, tokens, idx, options, env):
        token = tokens[idx]
        token.tag = _HEADING_SHIFT.get(token.tag, token.tag)
        return renderer.renderToken(tokens, idx, options, env)

    def image(renderer, tokens, idx, options, env):
        # Images are not embedded (no third-party requests from our pages): show a link.
        token = tokens[idx]
        alt = escape(renderer.renderInlineAsText(token.children or [], options, env) or token.attrGet("src") or "")
        return f'<a href="{escape(token.attrGet("src") or "")}">{alt}</a>'

    md.add_render_rule("image", image)
    md.add_render_rule("heading_open", heading_open)
    md.add_render_rule("heading_close", heading_close)
    return md


def _set_rel(attrs, new=False):
    href_key = (None, "href")
    if href_key in attrs:
        attrs[(None, "rel")] = LINK_REL
    return attrs


@lru_cache(maxsize=1)
def _cleaner() -> bleach.Cleaner:
    return bleach.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[lambda source: bleach.linkifier.LinkifyFilter(
            source, callbacks=[_set_rel], skip_tags=["pre", "code"], parse_email=False)],
    )


def clean_source(source: str | None) -> str:
    """Markdown as stored: line endings normalised and NUL characters dropped (no database keeps them)."""
    return (source or "").replace("\r\n", "\n").replace("\x00", "")


def render_markdown(source: str | None) -> str:
    """Markdown text in, sanitised HTML out. Empty input gives an empty string."""
    if not source or not source.strip():
        return ""
    html = _parser().render(source)
    return _cleaner().clean(html).strip()


_BLOCK_END = re.compile(r"</(p|li|h[3-6]|blockquote|pre|tr)>")
_BREAK = re.compile(r"<br\s*/?>")
_TAG = re.compile(r"<[^>]+>")


def html_to_text(html: str | None) -> str:
    """Stored HTML as the plain text a reader sees (block ends become new lines)."""
    text = _BREAK.sub("\n", _BLOCK_END.sub("\n", html or ""))
    return unescape(_TAG.sub("", text)).strip()


def html_blocks(html: str | None) -> list[str]:
    """The paragraphs, list items and headings of stored HTML as plain text, spaces collapsed
    (a source line wrapped inside a paragraph stays one paragraph)."""
    text = _BREAK.sub(" ", _BLOCK_END.sub("\x00", html or ""))
    blocks = (" ".join(unescape(_TAG.sub(" ", part)).split()) for part in text.split("\x00"))
    return [block for block in blocks if block]
