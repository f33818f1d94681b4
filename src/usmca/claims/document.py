"""Reading input documents safely: bytes to text, HTML to its main text, boilerplate out, YAML with limits.

Everything here is written for hostile input: a document can be any bytes a user has, so every
path either returns text or raises `InputError` with a one-line message, in bounded time and memory.

Limits and rules (see docs/claims.md, "Input documents"):

- a document is at most 5 MB (`MAX_BYTES`), read from a file without reading more than that;
- text is UTF-8 (a UTF-8 byte-order mark is dropped), or UTF-16 / UTF-32 with a byte-order mark,
  or UTF-16 without one when its NUL bytes show the pattern of mostly-ASCII UTF-16; anything else
  is refused ("not UTF-8", "binary file") with the encoding named where a byte-order mark names it;
- HTML is reduced to its main text: navigation, menus, page headers and footers, side bars, forms and
  cookie banners are dropped, then trafilatura finds the article; when it finds nothing the
  whole remaining text is read; paragraphs are separated by a blank line;
- copyright and page-footer lines are removed from the text (`strip_boilerplate`), and the years of
  copyright notices left inside lines are ignored when the date of the text is inferred
  (`copyright_years`);
- YAML claims refuse anchors and aliases, nesting deeper than `MAX_YAML_DEPTH`, more than
  `MAX_YAML_NODES` nodes and duplicate keys (`usmca.claims.yaml_claims.load_yaml_safely`).
"""

from __future__ import annotations

import codecs
import html
import re
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from usmca import patterns
from usmca.errors import UsmcaError

MAX_BYTES = 5 * 1024 * 1024
MAX_YAML_DEPTH = 50
MAX_YAML_NODES = 10_000


class InputError(UsmcaError):
    """Bad input document: empty, binary, not UTF-8, too large, or malformed claims."""


# ------------------------------------------------------------------------------------ reading
def read_input(path: str, stdin_data: bytes | None = None) -> tuple[str, bytes]:
    """(document name, bytes) of a path, or of stdin for "-"; never reads more than MAX_BYTES + 1 bytes
    (a bigger file, or a device that never ends, is refused by `decode_text`)."""
    if path == "-":
        return "-", stdin_data or b""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{path}: no such file")
    if p.is_dir():
        raise InputError(f"{path}: is a folder, not a document")
    try:
        with p.open("rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as e:
        raise InputError(f"{path}: cannot be read ({e.strerror or e})") from e
    return p.name, data


# ---------------------------------------------------------------------------------- decoding
_BOMS = (  # UTF-32 first: its little-endian mark starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32 LE"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32 BE"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 LE"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 BE"),
)
_OTHER_BOMS = (
    (b"\x84\x31\x95\x33", "GB18030"),
    (b"\xdd\x73\x66\x73", "UTF-EBCDIC"),
    (b"\x2b\x2f\x76\x38", "UTF-7"),
    (b"\x2b\x2f\x76\x39", "UTF-7"),
    (b"\x2b\x2f\x76\x2b", "UTF-7"),
    (b"\x2b\x2f\x76\x2f", "UTF-7"),
    (b"\xf7\x64\x4c", "UTF-1"),
    (b"\x0e\xfe\xff", "SCSU"),
    (b"\xfb\xee\x28", "BOCU-1"),
)
ENCODINGS_ACCEPTED = "UTF-8 (with or without a byte-order mark), UTF-16 or UTF-32"
_SAVE_AS = "save it as UTF-8"


def _sniff_wide(head: bytes) -> tuple[str, str] | None:
    """(codec, label) when the NUL bytes of `head` have the pattern of UTF-32 or UTF-16 text
    (mostly ASCII) without a byte-order mark; None otherwise."""
    n4 = len(head) - len(head) % 4
    if n4 >= 8:
        z = [head[i:n4:4].count(0) for i in range(4)]
        q = n4 // 4
        if z[2] == z[3] == q and z[0] <= q * 0.05:
            return "utf-32-le", "UTF-32 LE"
        if z[0] == z[1] == q and z[3] <= q * 0.05:
            return "utf-32-be", "UTF-32 BE"
    n2 = len(head) - len(head) % 2
    if n2 >= 4:
        even, odd = head[0:n2:2].count(0), head[1:n2:2].count(0)
        h = n2 // 2
        if odd >= h * 0.3 and even <= h * 0.02:
            return "utf-16-le", "UTF-16 LE"
        if even >= h * 0.3 and odd <= h * 0.02:
            return "utf-16-be", "UTF-16 BE"
    return None


_CONTROL = patterns.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _looks_like_text(text: str) -> bool:
    if "\x00" in text:
        return False
    sample = text[:8192]
    return len(_CONTROL.findall(sample)) <= max(2, len(sample) // 100)


def decode_text(data: bytes, name: str) -> str:
    """Validate and decode the bytes of a document (no change to its content beyond a byte-order mark).

    InputError, with the name, for: over MAX_BYTES, empty, binary, a byte-order mark of an encoding
    other than UTF-8/16/32, bytes that are not valid in the encoding found.
    """
    if len(data) > MAX_BYTES:
        raise InputError(f"{name}: {len(data):,} bytes is over the 5 MB limit for a document")
    if not data.strip():
        raise InputError(f"{name}: the document is empty")
    for bom, other in _OTHER_BOMS:
        if data.startswith(bom):
            raise InputError(
                f"{name}: the byte-order mark says {other}, which is not read: {_SAVE_AS} "
                f"(accepted: {ENCODINGS_ACCEPTED})"
            )
    codec: str | None = None
    label: str | None = None
    body = data
    for bom, c, lab in _BOMS:
        if data.startswith(bom):
            codec, label, body = c, lab, data[len(bom) :]
            break
    sniffed = False
    if codec is None and b"\x00" in data[:8192]:
        found = _sniff_wide(data[:8192])
        if found is None:
            raise InputError(f"{name}: this looks like a binary file, not text")
        (codec, label), sniffed = found, True
    if codec is None or codec == "utf-8":
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as e:
            at = e.start + len(data) - len(body)
            raise InputError(
                f"{name}: not UTF-8 text (byte {at}: {data[at : at + 1]!r}); {_SAVE_AS} "
                f"(accepted: {ENCODINGS_ACCEPTED})"
            ) from e
    else:
        width = 4 if codec.startswith("utf-32") else 2
        if len(body) % width:
            if sniffed:
                raise InputError(f"{name}: this looks like a binary file, not text")
            raise InputError(
                f"{name}: {label} text must have a multiple of {width} bytes; this one has "
                f"{len(body):,} after its byte-order mark (the file is cut short)"
            )
        try:
            text = body.decode(codec)
        except UnicodeDecodeError as e:
            if sniffed:
                raise InputError(f"{name}: this looks like a binary file, not text") from e
            at = e.start + len(data) - len(body)
            raise InputError(f"{name}: not valid {label} text (byte {at})") from e
    if not _looks_like_text(text):
        raise InputError(f"{name}: this looks like a binary file, not text")
    if not text.strip():
        raise InputError(f"{name}: the document is empty")
    return text


def is_yaml_name(name: str) -> bool:
    return name.lower().endswith((".yaml", ".yml"))


_HTML_START = patterns.compile(
    r"\s*(?:<\?xml[^>]{0,200}\?>\s*)?<(!doctype html|html|head|body|p|div|article|main|section)\b", re.I
)


def is_html(name: str, text: str) -> bool:
    return name.lower().endswith((".html", ".htm", ".xhtml")) or _HTML_START.match(text[:1000]) is not None


def document_text(text: str, name: str) -> str:
    """The text the claim reader sees: HTML becomes its main text, Markdown loses its markup, and
    copyright / page-footer lines are removed (`strip_boilerplate`). YAML (by name) is returned as is.

    Offsets (claim spans) reported later are offsets into the string returned here.
    """
    if is_yaml_name(name):
        return text
    lower = name.lower()
    if is_html(name, text):
        text = html_text(text)
    elif lower.endswith((".md", ".markdown")):
        text = markdown_text(text)
    return strip_boilerplate(text)


def decode_document(data: bytes, name: str) -> str:
    """Validate and decode a document; HTML becomes its main text, Markdown loses its markup, and
    boilerplate lines go (see `decode_text` and `document_text`)."""
    return document_text(decode_text(data, name), name)


# ---------------------------------------------------------------------------------- Markdown
_BLOCK_START = patterns.compile(r"[ \t]*(?:$|#|[-*+][ \t]|\d+[.)][ \t]|>|\||```|~~~)")


def join_soft_breaks(text: str) -> str:
    """Markdown paragraphs wrapped over several lines are one paragraph: join the lines with spaces
    (tables, code fences and blank lines keep their line breaks)."""
    lines = text.split("\n")
    out = [lines[0]] if lines else []
    fence = lines[0].lstrip().startswith(("```", "~~~")) if lines else False
    for prev, line in zip(lines, lines[1:], strict=False):
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        if (
            not fence
            and prev.strip()
            and line.strip()
            and not _BLOCK_START.match(line)
            and not prev.lstrip().startswith(("|", "```", "~~~", "#"))
            and not prev.endswith("  ")
        ):
            out[-1] = out[-1] + " " + line.lstrip()
        else:
            out.append(line)
    return "\n".join(out)


def markdown_text(text: str) -> str:
    """Markdown without its markup (headings, links, emphasis, quotes, list markers); the patterns are
    bounded so that a hostile text (thousands of unclosed brackets) stays linear."""
    text = join_soft_breaks(text)
    text = re.sub(r"^#+\s*", "", text, flags=re.M)
    text = re.sub(r"!?\[([^\[\]\n]{0,1000})\]\(([^()\[\]\n]{1,2000})\)", r"\1", text)
    text = re.sub(r"(\*\*|__|\*|_)(\S[^*_\n]{0,2000}?)\1", r"\2", text)
    text = re.sub(r"^[ \t]*(?:>[ \t]?)+", "", text, flags=re.M)  # block quotes
    text = re.sub(r"^([ \t]*)(?:[-*+]|\d+[.)])[ \t]+", r"\1", text, flags=re.M)  # list markers
    return text


# -------------------------------------------------------------------------------------- HTML
_SKIP_TAGS = {
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "nav",
    "menu",
    "aside",
    "form",
    "dialog",
    "button",
    "select",
    "footer",
    "iframe",
    "object",
}
_BLOCK_TAGS = {
    "p",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "div",
    "tr",
    "td",
    "th",
    "title",
    "blockquote",
    "section",
    "article",
    "header",
    "footer",
    "figcaption",
    "ul",
    "ol",
    "table",
    "dt",
    "dd",
    "pre",
    "main",
    "figure",
    "caption",
    "address",
    "details",
    "summary",
    "hr",
}
_VOID_TAGS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "param",
    "source",
    "track",
    "wbr",
}
_PROTECTED = {"html", "body", "main", "article"}
_SKIP_ROLES = {
    "navigation",
    "banner",
    "contentinfo",
    "menu",
    "menubar",
    "dialog",
    "alertdialog",
    "search",
    "complementary",
}
_SKIP_WORDS = {
    "nav",
    "navbar",
    "navigation",
    "menu",
    "menubar",
    "submenu",
    "megamenu",
    "cookie",
    "cookies",
    "consent",
    "gdpr",
    "breadcrumb",
    "breadcrumbs",
    "sidebar",
    "footer",
    "masthead",
    "newsletter",
    "skiplink",
    "share",
    "sharing",
    "social",
}


def _boilerplate_attrs(tag: str, attrs: dict[str, str]) -> bool:
    """Whether an element is navigation, a menu, a banner or a cookie notice by its role, class or id."""
    if tag in _PROTECTED:
        return False
    if (attrs.get("role") or "").strip().lower() in _SKIP_ROLES:
        return True
    if attrs.get("aria-hidden", "").lower() == "true" or "hidden" in attrs:
        return True
    names = f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower()
    return any(w in _SKIP_WORDS for token in names.split()[:50] for w in re.split(r"[-_:]+", token))


class _Text(HTMLParser):
    """The text of an HTML page without scripts, navigation, menus, page headers and footers, forms
    or cookie banners (the fallback when trafilatura finds no main text). Not recursive: any depth."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_tag: str | None = None
        self.skip_level = 0
        self.open_main = 0  # inside <article> or <main>: a <header> there is the article's

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if self.skip_tag is not None:
            if tag == self.skip_tag and tag not in _VOID_TAGS:
                self.skip_level += 1
            return
        if tag in ("article", "main"):
            self.open_main += 1
        a = {k.lower(): (v or "") for k, v in attrs}
        page_header = tag == "header" and not self.open_main
        if tag not in _VOID_TAGS and (tag in _SKIP_TAGS or page_header or _boilerplate_attrs(tag, a)):
            self.skip_tag, self.skip_level = tag, 1
            return
        if tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if self.skip_tag is not None:
            if tag == self.skip_tag:
                self.skip_level -= 1
                if self.skip_level <= 0:
                    self.skip_tag = None
            return
        if tag in ("article", "main"):
            self.open_main = max(0, self.open_main - 1)
        if tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self.skip_tag is None:
            # line breaks inside HTML text are only spaces: a wrapped sentence stays one sentence
            self.parts.append(re.sub(r"\s+", " ", data))


def _tidy(text: str) -> str:
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r" ?\n ?", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def parser_text(markup: str) -> str:
    """The HTMLParser reading of a page (see `_Text`), paragraphs separated by a blank line."""
    p = _Text()
    p.feed(markup)
    p.close()
    return _tidy(html.unescape("".join(p.parts)))


_LINK_LISTS = {"ul", "ol", "dl", "div", "p", "table", "section", "span"}


def _link_dense(el: Any) -> bool:
    """Whether nearly all of an element's text is link text (a menu, a list of related links)."""
    text = len(el.text_content().strip())
    if text == 0:
        return False
    links = sum(len(a.text_content().strip()) for a in el.iter("a"))
    return links >= 0.8 * text


def _pruned_tree(markup: str) -> Any:
    """The page as an lxml tree without scripts, navigation, menus, page headers and footers, forms,
    cookie banners and link lists (an element holding half the page's text or more is kept whatever
    its class)."""
    from lxml import html as lxml_html

    parser = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    tree = lxml_html.fromstring(markup.encode("utf-8", "replace"), parser=parser)
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):  # nested past libxml2's limit
        raise ValueError("the page is nested too deeply for lxml")
    total = len(tree.text_content()) or 1
    drop = []
    for el in tree.iter():
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if not tag or tag in _PROTECTED:
            continue
        page_header = tag == "header" and not any(a.tag in ("article", "main") for a in el.iterancestors())
        if tag in _SKIP_TAGS or page_header:
            drop.append(el)
            continue
        by_attrs = _boilerplate_attrs(tag, {str(k).lower(): str(v) for k, v in el.attrib.items()})
        if (by_attrs or (tag in _LINK_LISTS and _link_dense(el))) and len(el.text_content()) < total / 2:
            drop.append(el)
    for el in drop:
        if el.getparent() is not None:
            el.drop_tree()
    return tree


def _trafilatura_text(tree: Any) -> str:
    import trafilatura

    got = trafilatura.extract(
        tree,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        deduplicate=False,
        with_metadata=False,
        output_format="txt",
    )
    return _tidy(re.sub(r"\n+", "\n\n", got)) if got else ""


def html_text(markup: str) -> str:
    """The main text of an HTML page: trafilatura on the page without its navigation, menus, page
    headers and footers, cookie banners and link lists; when trafilatura finds nothing (a short
    page), the HTMLParser reading of that pruned page (of the page itself if lxml cannot read it, as
    when it is nested more than 256 levels deep: the HTMLParser reading has no depth limit).
    Paragraphs are separated by a blank line."""
    try:
        from lxml import html as lxml_html

        tree = _pruned_tree(markup)
        markup = lxml_html.tostring(tree, encoding="unicode")
        got = _trafilatura_text(tree)
    except Exception:  # noqa: BLE001  lxml or trafilatura on a broken page: the parser reading instead
        got = ""
    return got or parser_text(markup)


# ------------------------------------------------------------------------------ boilerplate
_YEAR = r"(?:19|20)\d{2}"
_YEARS = rf"{_YEAR}(?:\s*[-–—]\s*(?:{_YEAR}|\d{{2}}|present|today))?(?:\s*,\s*{_YEAR}(?:\s*[-–—]\s*{_YEAR})?)*"
_MARK = r"(?:©|&copy;|\(c\)|copyright(?:\s*(?:©|\(c\)))?|copr\.)"
_NOTICE = patterns.compile(rf"{_MARK}\s*{_YEARS}", re.I)
_RESERVED = patterns.compile(r"\ball rights reserved\b", re.I)
_PAGE = patterns.compile(r"(?:page|p\.|pág\.|página)\s*\d{1,5}(?:\s*(?:of|/|de)\s*\d{1,5})?", re.I)
_FIGURE = patterns.compile(r"[$%€£]|\d")


def _rest_has_figures(line: str, notice: re.Match[str] | None) -> bool:
    rest = line if notice is None else line[: notice.start()] + line[notice.end() :]
    return _FIGURE.search(rest) is not None


def copyright_years(text: str) -> list[tuple[int, int]]:
    """Spans (start, end) of copyright notices with their years ("© 2025", "(c) 2024-2025",
    "Copyright 2025"): the years there date the page, not the data, so the as-of inference ignores
    them. "(c) 2025" counts only when the rest of its line has no other figure (it may be a list item:
    "(c) 2025 exports rose 3%")."""
    out = []
    for m in _NOTICE.finditer(text):
        if m.group(0).lower().startswith("(c)"):
            a = text.rfind("\n", 0, m.start()) + 1
            b = text.find("\n", m.end())
            line = text[a : b if b >= 0 else len(text)]
            if _FIGURE.search(line[: m.start() - a] + line[m.end() - a :]):
                continue
        out.append(m.span())
    return out


def _is_boilerplate_line(line: str) -> bool:
    s = line.strip().strip("|*_-–—·•").strip()
    if not s or len(s) > 200:
        return False
    if _PAGE.fullmatch(s):
        return True
    notice = _NOTICE.search(s)
    if notice is not None and notice.start() <= 40 and not _rest_has_figures(s, notice):
        return True
    return _RESERVED.search(s) is not None and not _rest_has_figures(s, notice)


def strip_boilerplate(text: str) -> str:
    """The text without its copyright and page-footer lines ("(c) 2025 X", "© 2025", "Copyright
    2024-2025 X. All rights reserved.", "Page 3 of 7"): such a line is removed whole, with its line
    break, so the offsets of what follows move up; claim spans are offsets into the returned text.
    A line that also has other figures (an amount, a percentage) is kept."""
    lines = text.split("\n")
    kept = [line for line in lines if not _is_boilerplate_line(line)]
    if len(kept) == len(lines):
        return text
    return "\n".join(kept)


def mask_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with each span replaced by as many spaces (offsets unchanged)."""
    if not spans:
        return text
    parts, at = [], 0
    for a, b in sorted(spans):
        if a < at:
            a = at
        parts += [text[at:a], " " * max(0, b - a)]
        at = max(at, b)
    parts.append(text[at:])
    return "".join(parts)


# -------------------------------------------------------------------------------------- YAML
# YAML claims are read by usmca.claims.yaml_claims (load_yaml_safely), imported only when a YAML
# document is read: a check of prose never pays for PyYAML's import.


_ISO_DAY = patterns.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_MONTH = patterns.compile(r"\d{4}-\d{2}")


def parse_as_of(value: Any, what: str = "as_of") -> date:
    """A date of a text from YAML or JSON: a date, or text like 2025-07-01 (or 2025-07: the 1st),
    between 1900 and 2100. Numbers (0 is not 1970-01-01), booleans and anything else: ValueError."""
    d: date | None = None
    if isinstance(value, datetime):
        d = value.date()
    elif isinstance(value, date):
        d = value
    elif isinstance(value, str):
        s = value.strip()
        try:
            if _ISO_DAY.fullmatch(s):
                d = date.fromisoformat(s)
            elif _ISO_MONTH.fullmatch(s):
                d = date.fromisoformat(s + "-01")
        except ValueError:
            d = None
    if d is None:
        raise ValueError(
            f"{what}: expected a date like 2025-07-01, found {str(value)[:40]!r}"
            + (" (a number is not a date)" if isinstance(value, int | float) else "")
        )
    if not 1900 <= d.year <= 2100:
        raise ValueError(f"{what}: {d.isoformat()} is not a date between 1900 and 2100")
    return d


__all__ = [
    "ENCODINGS_ACCEPTED",
    "MAX_BYTES",
    "MAX_YAML_DEPTH",
    "MAX_YAML_NODES",
    "InputError",
    "copyright_years",
    "decode_document",
    "decode_text",
    "document_text",
    "html_text",
    "is_html",
    "is_yaml_name",
    "join_soft_breaks",
    "markdown_text",
    "mask_spans",
    "parse_as_of",
    "parser_text",
    "read_input",
    "strip_boilerplate",
]
