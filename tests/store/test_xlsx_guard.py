"""A workbook that would decompress beyond the limit is refused from its zip directory, before parsing."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from usmca.errors import DataFormatError
from usmca.sources import base, detect_source
from usmca.sources.base import check_zip_size, read_xlsx


def test_zip_bomb_is_refused_before_parsing(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * 3_000_000)
    assert bomb.stat().st_size < 50_000
    with pytest.raises(DataFormatError, match="too large once decompressed") as e:
        check_zip_size(bomb, limit=1_000_000)
    assert e.value.found == "3,000,000 bytes"
    check_zip_size(bomb, limit=5_000_000)


def test_the_limit_guards_every_xlsx_read(shared_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = shared_data / "census_ft900_exhibits" / "exh1.xlsx"
    assert len(read_xlsx(path, header=None)) > 0  # under the default 200 MB
    monkeypatch.setattr(base, "XLSX_MAX_UNZIPPED", 10_000)
    with pytest.raises(DataFormatError, match="zip bomb"):
        read_xlsx(path, header=None)
    with pytest.raises(DataFormatError, match="zip bomb"):
        detect_source(path)  # not "unknown source": the reason is given
