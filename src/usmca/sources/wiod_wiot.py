"""WIOD world input-output tables, 2013 release (`wiot_YYYY.RData`), stored as dense arrays.

Publisher: World Input-Output Database (University of Groningen), a research database, not an
agency: evidence from it is labelled "research model". 41 regions x 35 sectors, 1995-2011,
US$ million at basic prices. The reader is `usmca.sources.wiod.read_wiot`.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from usmca.sources.base import ParsedFile, SourceInfo, parsed, register
from usmca.tables import WIOD_LICENCE

# The 2013 release was published in April 2012 and updated in November 2013.
VINTAGE = date(2013, 11, 1)


def detect(path: Path) -> bool:
    return bool(re.fullmatch(r"wiot_?(\d{4})\.rdata", path.name.lower()))


def parse(path: Path) -> ParsedFile:
    from usmca.sources.wiod import read_wiot

    table = read_wiot(path)
    p = parsed(
        SOURCE,
        path,
        VINTAGE,
        {},
        notes=[f"WIOD 2013 release, year {table.year}", "value added = gross output - intermediate inputs"],
        release="WIOD 2013 release (November 2013)",
    )
    p.io = table
    return p


SOURCE = register(
    SourceInfo(
        id="wiod.wiot",
        agency="World Input-Output Database (University of Groningen)",
        title="World Input-Output Tables, 2013 release (41 regions x 35 sectors, US$ million)",
        url="https://www.rug.nl/ggdc/valuechain/wiod/wiod-2013-release",
        licence=WIOD_LICENCE,
        citation=(
            "Timmer, M. P., Dietzenbacher, E., Los, B., Stehrer, R. and de Vries, G. J. (2015), An "
            "Illustrated User Guide to the World Input-Output Database: the Case of Global Automotive "
            "Production, Review of International Economics 23: 575-605 (WIOD 2013 release)"
        ),
        table="io_tables",
        detect=detect,
        parse=parse,
        kind="model",
        parser_version="2",  # 2: stored as dense arrays with label vectors (usmca.store.io_arrays)
    )
)
