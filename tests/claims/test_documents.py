"""Hostile documents and YAML: bounded time and memory, one-line errors, never a traceback.

Encodings (UTF-16/32 with and without a byte-order mark), HTML boilerplate (navigation, menus,
footers, cookie banners), copyright footers that must not date the text, and YAML bombs.
"""

from __future__ import annotations

import codecs
import json
import time
import tracemalloc
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import usmca.cli
from usmca.claims.check import check_path, check_text, infer_as_of, load_claims_yaml
from usmca.claims.document import (
    MAX_BYTES,
    MAX_YAML_DEPTH,
    MAX_YAML_NODES,
    InputError,
    copyright_years,
    decode_document,
    decode_text,
    html_text,
    parse_as_of,
    parser_text,
    read_input,
    strip_boilerplate,
)
from usmca.claims.yaml_claims import load_yaml_safely
from usmca.cli import app
from usmca.store import Store, open_reader
from usmca.store.reader import Reader

runner = CliRunner()
CLAIM = "U.S. exports to Canada were $349.4 billion in 2024."

BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""
VALID_CLAIMS = "- metric: trade_value\n  params: {partner: MX, year: 2024}\n  value: 3.35e11\n"


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reader]:
    r = open_reader(Store(tmp_path_factory.mktemp("docs") / "no-store"))  # the bundled snapshot
    yield r
    r.close()


@pytest.fixture
def fast(monkeypatch: pytest.MonkeyPatch, reader: Reader) -> None:
    monkeypatch.setattr(usmca.cli, "_reader", lambda *a, **k: reader)


def cli_check(path: Path, *args: str) -> Any:
    return runner.invoke(app, ["check", str(path), *args])


def one_line_error(res: Any) -> str:
    """The CLI's error: exit 2, exactly one line on stderr starting with 'error:', nothing on stdout."""
    assert res.exit_code == 2, res.output
    assert res.stdout == ""
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith("error:") and "Traceback" not in res.stderr
    return str(lines[0])


# ------------------------------------------------------------------------------------------ YAML
def test_billion_laughs_is_refused_fast_and_small() -> None:
    tracemalloc.start()
    t0 = time.perf_counter()
    with pytest.raises(InputError) as e:
        load_yaml_safely(BILLION_LAUGHS, "bomb.yaml")
    elapsed = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert elapsed < 1.0
    assert peak < 50 * 1024 * 1024
    assert "bomb.yaml, line 1" in str(e.value) and "anchors" in str(e.value)


def test_an_alias_alone_is_refused_with_its_line() -> None:
    with pytest.raises(InputError) as e:
        load_yaml_safely("x: 1\ny: *x\n", "c.yaml")
    assert "line 2" in str(e.value) and "aliases" in str(e.value)


@pytest.mark.parametrize("depth", [500, 5000])
@pytest.mark.parametrize("style", ["flow", "block", "mapping"])
def test_deep_nesting_is_refused_without_recursion_error(depth: int, style: str) -> None:
    doc = {
        "flow": "[" * depth + "]" * depth,
        "block": "- " * depth + "x\n",
        "mapping": "{a: " * depth + "1" + "}" * depth,
    }[style]
    t0 = time.perf_counter()
    with pytest.raises(InputError) as e:
        load_yaml_safely(doc, "deep.yaml")
    assert time.perf_counter() - t0 < 1.0
    assert f"nested deeper than {MAX_YAML_DEPTH} levels" in str(e.value)


def test_nesting_up_to_the_limit_is_read() -> None:
    doc = load_yaml_safely("[" * (MAX_YAML_DEPTH - 1) + "1" + "]" * (MAX_YAML_DEPTH - 1), "ok.yaml")
    for _ in range(MAX_YAML_DEPTH - 2):
        doc = doc[0]
    assert doc == [1]


def test_duplicate_keys_name_the_key_and_both_lines() -> None:
    with pytest.raises(InputError) as e:
        load_yaml_safely("- metric: trade_value\n  value: 1\n  metric: trade_ratio\n", "dup.yaml")
    msg = str(e.value)
    assert "duplicate key 'metric'" in msg and "line 3" in msg and "first at line 1" in msg
    with pytest.raises(InputError, match="duplicate key 'a'"):
        load_yaml_safely("{a: 1, b: 2, a: 3}", "dup.yaml")


def test_too_many_nodes_is_refused() -> None:
    doc = "\n".join(f"- {i}" for i in range(MAX_YAML_NODES + 5))
    with pytest.raises(InputError, match="more than 10,000 YAML nodes"):
        load_yaml_safely(doc, "many.yaml")
    assert len(load_yaml_safely("\n".join(f"- {i}" for i in range(100)), "few.yaml")) == 100


@pytest.mark.parametrize(
    "doc, words",
    [
        ("x: 2025-13-45\n", "line 1: this value cannot be read"),
        ("x: 1\ny: " + "9" * 5000 + "\n", "line 2: this value cannot be read"),
        ("a: !!python/object/apply:os.system [ls]\n", "not valid YAML"),
    ],
)
def test_values_that_cannot_be_built_are_input_errors(doc: str, words: str) -> None:
    with pytest.raises(InputError) as e:
        load_yaml_safely(doc, "v.yaml")
    assert words in str(e.value)


def test_valid_yaml_keeps_lines_and_claims_load() -> None:
    doc = load_yaml_safely("claims:\n  - metric: trade_value\n    params: {partner: MX}\n", "c.yaml")
    assert doc["__line__"] == 1 and doc["claims"][0]["__line__"] == 2
    claims = load_claims_yaml(VALID_CLAIMS)
    assert [(c.metric, c.params, c.line) for c in claims] == [("trade_value", {"partner": "MX", "year": 2024}, 1)]


@pytest.mark.parametrize("value", [0, 20250701, True, "July", "2025-13-01", "1970", 2.5])
def test_as_of_that_is_not_a_date_is_refused(value: Any) -> None:
    with pytest.raises(ValueError, match="as_of"):
        parse_as_of(value)
    with pytest.raises(InputError, match=r"claims.yaml, line 1: as_of: "):
        load_claims_yaml(
            f"as_of: {json.dumps(value)}\nclaims:\n" + VALID_CLAIMS.replace("- ", "  - ", 1).replace("\n  ", "\n    ")
        )


def test_as_of_dates_are_read() -> None:
    assert parse_as_of("2025-07-01") == parse_as_of(date(2025, 7, 1)) == parse_as_of("2025-07") == date(2025, 7, 1)
    with pytest.raises(ValueError, match="between 1900 and 2100"):
        parse_as_of("1850-01-01")


def test_yaml_as_of_dates_the_claims(tmp_path: Path, reader: Reader) -> None:
    p = tmp_path / "dated.yaml"
    p.write_text("as_of: 2025-07-01\nclaims:\n  - metric: trade_value\n    params: {partner: MX, year: 2024}\n")
    assert check_path(str(p), reader).as_of == "2025-07-01"
    assert check_path(str(p), reader, as_of=date(2025, 10, 1)).as_of == "2025-10-01"  # --as-of wins


@pytest.mark.parametrize(
    "name, body, words",
    [
        ("bomb.yaml", BILLION_LAUGHS, "anchors"),
        ("deep.yaml", "[" * 5000 + "]" * 5000, "nested deeper than 50"),
        ("deep2.yaml", "- " * 500 + "x\n", "nested deeper than 50"),
        ("dup.yaml", '- metric: trade_value\n  "[/x]": 1\n  "[/x]": 2\n', "duplicate key '[/x]'"),  # no rich markup
        ("asof.yaml", "as_of: 0\nclaims:\n  - metric: trade_value\n", "as_of: expected a date"),
    ],
)
def test_cli_prints_one_line_and_exits_two(fast: None, tmp_path: Path, name: str, body: str, words: str) -> None:
    p = tmp_path / name
    p.write_text(body)
    t0 = time.perf_counter()
    line = one_line_error(cli_check(p))
    assert time.perf_counter() - t0 < 5
    assert words in line and name in line


# ------------------------------------------------------------------------------------- encodings
TEXT = f"{CLAIM}\nMéxico y Canadá.\n"


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
        TEXT.encode("utf-16-le"),
        TEXT.encode("utf-16-be"),
        codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"),
        codecs.BOM_UTF32_BE + TEXT.encode("utf-32-be"),
        TEXT.encode("utf-32-le"),
        TEXT.encode("utf-8-sig"),
    ],
    ids=["utf16le-bom", "utf16be-bom", "utf16le", "utf16be", "utf32le-bom", "utf32be-bom", "utf32le", "utf8-bom"],
)
def test_wide_encodings_are_read(data: bytes) -> None:
    assert decode_text(data, "t.txt") == TEXT
    assert decode_document(data, "t.txt") == TEXT


def test_utf16_file_is_checked_by_the_cli(fast: None, tmp_path: Path) -> None:
    p = tmp_path / "wide.txt"
    p.write_bytes(CLAIM.encode("utf-16"))
    res = cli_check(p, "--format", "json")
    assert res.exit_code == 0, res.output
    assert [c["metric"] for c in json.loads(res.stdout)["claims"]] == ["trade_value"]


@pytest.mark.parametrize(
    "data, words",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary file"),
        (b"abc\x00def", "binary file"),
        (b"text\n" * 3000 + b"\x00\x01\x02", "binary file"),  # a NUL past the first 8 KB
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le") + b"x", "UTF-16 LE text must have a multiple of 2 bytes"),
        (b"\x84\x31\x95\x33abc", "says GB18030"),
        ("Exportaciones a México".encode("latin-1"), "not UTF-8 text (byte 17"),
        (codecs.BOM_UTF16_LE, "the document is empty"),
        (codecs.BOM_UTF16_LE + "  \n".encode("utf-16-le"), "the document is empty"),
    ],
)
def test_bad_encodings_have_clear_messages(data: bytes, words: str) -> None:
    with pytest.raises(InputError) as e:
        decode_text(data, "x.txt")
    assert words in str(e.value) and str(e.value).startswith("x.txt: ")


def test_read_input_never_reads_more_than_the_limit(tmp_path: Path) -> None:
    zero = Path("/dev/zero")
    if zero.exists():  # a file that never ends
        name, data = read_input(str(zero))
        assert len(data) == MAX_BYTES + 1
        with pytest.raises(InputError, match="over the 5 MB limit"):
            decode_text(data, name)
    p = tmp_path / "big.txt"
    p.write_bytes(b"a" * (MAX_BYTES + 100))
    assert len(read_input(str(p))[1]) == MAX_BYTES + 1


# ------------------------------------------------------------------------------ copyright footers
FOOTED = "In June 2025, Southwest border apprehensions fell to about 6,000.\n\n(c) 2025 Chamber of Commerce\n"


def test_a_copyright_footer_does_not_date_the_text(reader: Reader) -> None:
    # without the copyright mark, "2025" is a year the text cites, and dates it in 2026
    assert infer_as_of(FOOTED.replace("(c) ", ""))[0] == date(2026, 1, 1)
    assert infer_as_of(FOOTED) == (date(2025, 7, 1), "inferred from 'June 2025'")
    assert check_text(FOOTED, reader).as_of == "2025-07-01"  # the raw text: the notice is ignored
    decoded = decode_document(FOOTED.encode(), "footed.txt")  # the read text: the line is gone
    assert "Chamber" not in decoded and check_text(decoded, reader).as_of == "2025-07-01"


def test_cli_as_of_ignores_the_footer(fast: None, tmp_path: Path) -> None:
    p = tmp_path / "footed.md"
    p.write_text(FOOTED + "\nCopyright © 2024-2026 Trade Watch. All rights reserved.\n\nPage 1 of 1\n")
    res = cli_check(p, "--format", "json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["as_of"] == "2025-07-01"


@pytest.mark.parametrize(
    "line, removed",
    [
        ("(c) 2025 Chamber of Commerce", True),
        ("© 2025", True),
        ("Copyright 2024-2025 Trade Watch Inc. All rights reserved.", True),
        ("All rights reserved.", True),
        ("Page 3 of 7", True),
        ("Reuters © 2026 Thomson", True),
        ("(c) 2025 exports to Mexico rose 3%", False),  # a list item with a claim, not a notice
        ("Exports rose 5% in 2024. All rights reserved.", False),
        ("Mexico bought $335 billion of U.S. goods in 2024.", False),
    ],
)
def test_strip_boilerplate(line: str, removed: bool) -> None:
    text = f"First line.\n{line}\nLast line."
    assert strip_boilerplate(text) == ("First line.\nLast line." if removed else text)


def test_copyright_years_are_spans_of_the_notices() -> None:
    text = "Exports rose in 2024. © 2026 Trade Watch\n(c) 2025 exports rose 3%\nCopyright 2023-2025 X"
    spans = copyright_years(text)
    assert [text[a:b] for a, b in spans] == ["© 2026", "Copyright 2023-2025"]


# ------------------------------------------------------------------------------------------ HTML
PAGE = f"""<!DOCTYPE html>
<html><head><title>Trade Watch</title></head>
<body>
<header><div class="logo">Trade Watch</div>
  <nav><ul><li><a href="/top">Top 10 partners</a></li><li><a href="/outlook">2026 outlook</a></li></ul></nav>
</header>
<div id="cookie-banner" class="cookie-consent">We and our 412 partners use cookies.</div>
<div class="menu"><a href="/top">Top 10 partners</a> | <a href="/outlook">2026 outlook</a></div>
<ul class="quick-links"><li><a href="/a">Top 10 partners</a></li><li><a href="/b">2026 outlook</a></li></ul>
<main><article>
  <h1>Northern neighbour</h1>
  <p>{CLAIM}</p>
  <p>The figures come from the Census Bureau.</p>
</article></main>
<aside>Top 10 partners in 2026 outlook</aside>
<footer><p>(c) 2026 Trade Watch. All rights reserved.</p><p>Top 10 partners | 2026 outlook</p></footer>
</body></html>
"""


def _all_sentences(report: Any) -> str:
    return " ".join([c.sentence for c in report.claims] + [n.sentence for n in report.not_checked])


def test_html_navigation_never_reaches_the_claims(reader: Reader) -> None:
    text = decode_document(PAGE.encode(), "page.html")
    assert CLAIM in text
    for junk in ("Top 10", "2026", "cookies", "Trade Watch"):
        assert junk not in text
    report = check_text(text, reader, document="page.html")
    assert [(c.metric, c.params["partner"]) for c in report.claims] == [("trade_value", "CAN")]
    everything = _all_sentences(report)
    assert "Top 10" not in everything and "2026" not in everything and "412" not in everything
    assert report.as_of == "2025-01-01"  # from the claim's 2024, not 2027 from a "2026 outlook" menu


def test_html_fallback_reading_also_drops_navigation(monkeypatch: pytest.MonkeyPatch) -> None:
    import trafilatura

    monkeypatch.setattr(trafilatura, "extract", lambda *a, **k: None)  # trafilatura finds nothing
    text = html_text(PAGE)
    assert CLAIM in text and "The figures come from the Census Bureau." in text
    for junk in ("Top 10", "2026", "cookies", "412"):
        assert junk not in text
    # the HTMLParser alone (a page lxml cannot read): tags, roles and classes, not link density
    text = parser_text(PAGE.replace("quick-links", "quick-links nav-list"))
    assert CLAIM in text
    for junk in ("Top 10", "2026", "cookies", "412"):
        assert junk not in text


def test_a_short_snippet_is_read_and_keeps_paragraph_breaks() -> None:
    # trafilatura finds nothing in so short a page: the parser reading is used
    snippet = f"<p>{CLAIM}</p><p>Second paragraph</p><nav>Top 10 partners</nav>"
    assert decode_document(snippet.encode(), "-") == f"{CLAIM}\n\nSecond paragraph"
    long_page = "<html><body><article>" + "".join(f"<p>Paragraph {i} says little.</p>" for i in range(40))
    assert "Paragraph 0 says little.\n\nParagraph 1 says little." in html_text(long_page + "</article></body></html>")


def test_deeply_nested_html_is_read() -> None:
    page = "<div>" * 5000 + f"<p>{CLAIM}</p>" + "</div>" * 5000
    t0 = time.perf_counter()
    assert decode_document(page.encode(), "deep.html") == CLAIM
    assert time.perf_counter() - t0 < 5


def test_hostile_markdown_stays_linear() -> None:
    for body in ("[" * 200_000, "[a](" * 100_000, "_a" * 100_000 + "*" * 100_000):
        t0 = time.perf_counter()
        decode_document(body.encode(), "x.md")
        assert time.perf_counter() - t0 < 2, body[:10]
    assert decode_document(b"See [the data](https://census.gov/x) **now**.", "x.md") == "See the data now."


# ------------------------------------------------------------------------------------------- API
@pytest.fixture(scope="module")
def client(reader: Reader) -> Any:
    from fastapi.testclient import TestClient

    from usmca.api import create_app

    return TestClient(create_app(reader=reader))


@pytest.mark.parametrize(
    "body, words",
    [
        ({"yaml": BILLION_LAUGHS}, "anchors"),
        ({"yaml": "[" * 5000 + "]" * 5000}, "nested deeper than 50"),
        ({"yaml": "- metric: trade_value\n  metric: trade_value\n"}, "duplicate key 'metric'"),
        ({"yaml": "as_of: 0\nclaims:\n  - metric: trade_value\n"}, "as_of: expected a date"),
    ],
)
def test_api_yaml_bombs_are_422(client: Any, body: dict[str, Any], words: str) -> None:
    r = client.post("/api/check", json=body)
    assert r.status_code == 422, r.text
    assert words in r.json()["detail"]


@pytest.mark.parametrize("as_of", [0, 1751328000, "0", True])
def test_api_as_of_that_is_not_a_date_is_422(client: Any, as_of: Any) -> None:
    r = client.post("/api/check", json={"text": CLAIM, "as_of": as_of})
    assert r.status_code == 422, r.text
    assert "as_of" in r.text and "1970" not in r.text


def test_api_empty_request_is_422_saying_what_to_give(client: Any) -> None:
    r = client.post("/api/check", json={})
    assert r.status_code == 422
    assert "exactly one of 'text' or 'yaml'" in r.text
    ok = client.post("/api/check", json={"text": PAGE, "as_of": "2025-07-01"})
    assert ok.status_code == 200, ok.text
    assert [c["metric"] for c in ok.json()["claims"]] == ["trade_value"]
