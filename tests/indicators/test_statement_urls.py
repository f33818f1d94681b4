"""Every cited official figure links to the publishing agency's own page (never null, never our repo)."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
import yaml

from usmca.sources.statements import bundled_files

OFFICIAL_HOSTS = (".gov", ".gob.mx", ".gc.ca", ".canada.ca")


def _records() -> list[tuple[str, dict]]:
    out = []
    for path in bundled_files():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out += [(path.name, rec) for rec in data["official_statements"]]
    return out


@pytest.mark.parametrize(("file", "rec"), _records(), ids=lambda v: v["id"] if isinstance(v, dict) else v)
def test_statement_has_official_url(file: str, rec: dict) -> None:
    url = rec.get("url")
    assert url, f"{file}: {rec['id']} has no URL"
    parts = urlparse(url)
    assert parts.scheme == "https", f"{file}: {rec['id']}: {url} is not https"
    host = parts.hostname or ""
    assert host.endswith(OFFICIAL_HOSTS), f"{file}: {rec['id']}: {host} is not a government host"
    assert "github" not in host


def test_there_are_statements() -> None:
    assert len(_records()) >= 20
