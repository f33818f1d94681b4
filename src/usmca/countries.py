"""Country names, codes and demonyms to ISO3, the way trade texts and agency files spell them."""

from __future__ import annotations

import difflib
import logging
import re
from dataclasses import dataclass
from functools import lru_cache

from usmca.errors import UsmcaError

# Names agencies use that country_converter does not resolve (or resolves to several).
OVERRIDES: dict[str, str | None] = {
    "gaza strip administered by israel": "PSE",
    "west bank administered by israel": "PSE",
    "netherlands antilles": "ANT",
    "world": "WLD",
    "world total": "WLD",
    "total": "WLD",
    "united states": "USA",
    "u.s.": "USA",
    "us": "USA",
    "america": "USA",
    "korea, south": "KOR",
    "south korea": "KOR",
    "korea, north": "PRK",
    "north korea": "PRK",
    "burma": "MMR",
    "macedonia": "MKD",
    "heard and mcdonald islands": "HMD",
    "pitcairn islands": "PCN",
    "vatican city": "VAT",
    "kosovo": "XKX",
    "micronesia": "FSM",
    "federated states of micronesia": "FSM",
    "virgin islands of the united states": "VIR",
    "british indian ocean territories": "IOT",
    "french southern and antarctic lands": "ATF",
    "saint martin": "MAF",
    "sint maarten": "SXM",
    # Historical entities and residual codes in Census Schedule C (country.xlsx).
    "ussr": "SUN",
    "yugoslavia (former)": "YUG",
    "serbia and montenegro": "SCG",
    "unidentified countries": "XUN",  # user-assigned code
    "international organizations": "XIO",  # user-assigned code
}

# Census Schedule C country codes whose names country_converter cannot resolve on its own
# (census.country, census.api).
SCHEDULE_C_ISO3: dict[int, str] = {
    1220: "CAN",
    2010: "MEX",
    5700: "CHN",
    5082: "PSE",
    5083: "PSE",
    5160: "XNZ",  # Iraq-Saudi Arabia Neutral Zone: no ISO code; a user-assigned one
}

DEMONYMS: dict[str, str] = {
    "mexican": "MEX",
    "mexicans": "MEX",
    "canadian": "CAN",
    "canadians": "CAN",
    "chinese": "CHN",
    "american": "USA",
    "americans": "USA",
    "japanese": "JPN",
    "korean": "KOR",
    "koreans": "KOR",
    "south korean": "KOR",
    "south koreans": "KOR",
    "german": "DEU",
    "germans": "DEU",
    "indian": "IND",
    "indians": "IND",
    "swiss": "CHE",
    "dutch": "NLD",
    "british": "GBR",
    "french": "FRA",
    "vietnamese": "VNM",
    "taiwanese": "TWN",
    "brazilian": "BRA",
    "brazilians": "BRA",
    "guatemalan": "GTM",
    "guatemalans": "GTM",
    "honduran": "HND",
    "hondurans": "HND",
    "venezuelan": "VEN",
    "venezuelans": "VEN",
    "cuban": "CUB",
    "cubans": "CUB",
}

# How prose names countries (besides demonyms): the claim reader's place words.
TEXT_NAMES: dict[str, str] = {
    "united states": "USA",
    "u.s.": "USA",
    "america": "USA",
    "usa": "USA",
    "the states": "USA",
    "mexico": "MEX",
    "canada": "CAN",
    "china": "CHN",
    "japan": "JPN",
    "south korea": "KOR",
    "korea": "KOR",
    "india": "IND",
    "switzerland": "CHE",
    "the netherlands": "NLD",
    "netherlands": "NLD",
    "germany": "DEU",
    "united kingdom": "GBR",
    "britain": "GBR",
    "the uk": "GBR",
    "uk": "GBR",
    "u.k.": "GBR",
    "great britain": "GBR",
    "the u.k.": "GBR",
    "france": "FRA",
    "brazil": "BRA",
    "vietnam": "VNM",
    "viet nam": "VNM",
    "taiwan": "TWN",
    "italy": "ITA",
    "singapore": "SGP",
    "ireland": "IRL",
    "belgium": "BEL",
    "australia": "AUS",
    "spain": "ESP",
    "israel": "ISR",
    "malaysia": "MYS",
    "thailand": "THA",
    "colombia": "COL",
    "chile": "CHL",
    "peru": "PER",
    "argentina": "ARG",
    "guatemala": "GTM",
    "honduras": "HND",
    "el salvador": "SLV",
    "hong kong": "HKG",
    "saudi arabia": "SAU",
    "united arab emirates": "ARE",
    "philippines": "PHL",
    "indonesia": "IDN",
    "venezuela": "VEN",
    "cuba": "CUB",
    "haiti": "HTI",
    "ecuador": "ECU",
    "nicaragua": "NIC",
    "dominican republic": "DOM",
    "turkey": "TUR",
    "russia": "RUS",
    "ukraine": "UKR",
    "poland": "POL",
    "sweden": "SWE",
    "norway": "NOR",
    "austria": "AUT",
    "denmark": "DNK",
    "new zealand": "NZL",
    "south africa": "ZAF",
    "nigeria": "NGA",
    "egypt": "EGY",
    "pakistan": "PAK",
    "bangladesh": "BGD",
    "costa rica": "CRI",
    "panama": "PAN",
}
# Groups of countries prose names (not single partners; the reader leaves them to frames that know them).
TEXT_GROUPS: dict[str, str] = {
    "european union": "EU",
    "the eu": "EU",
    "eu": "EU",
    "usmca partners": "USMCA",
    "nafta partners": "USMCA",
    "latin america": "LAC",
    "latin american": "LAC",
    "asia": "ASIA",
    "the rest of the world": "WLD",
    "the world": "WLD",
}

NAMES: dict[str, str] = {
    "USA": "United States",
    "MEX": "Mexico",
    "CAN": "Canada",
    "CHN": "China",
    "JPN": "Japan",
    "KOR": "South Korea",
    "DEU": "Germany",
    "IND": "India",
    "CHE": "Switzerland",
    "NLD": "Netherlands",
    "GBR": "United Kingdom",
    "FRA": "France",
    "TWN": "Taiwan",
    "VNM": "Vietnam",
    "BRA": "Brazil",
    "WLD": "World",
    "EU": "the European Union",
    "CAFTA-DR": "the CAFTA-DR countries",
}


@lru_cache(maxsize=1)
def _coco():  # type: ignore[no-untyped-def]
    logging.getLogger("country_converter").setLevel(logging.CRITICAL)
    import country_converter as coco

    return coco.CountryConverter()


_NOT_FOUND = "\x00not found"


@lru_cache(maxsize=4096)
def to_iso3(name: str) -> str | None:
    """ISO3 code for a country name, ISO2/ISO3 code or demonym; None if unknown or ambiguous."""
    key = re.sub(r"\s+", " ", name.strip()).lower()
    if not key:
        return None
    if key in OVERRIDES:
        return OVERRIDES[key]
    if key in DEMONYMS:
        return DEMONYMS[key]
    if re.fullmatch(r"[a-z]{3}", key) and key.upper() in NAMES:
        return key.upper()
    src = None
    if re.fullmatch(r"[a-z]{2}", key):
        src = "ISO2"
    elif re.fullmatch(r"[a-z]{3}", key):
        src = "ISO3"
    # not_found=None would make country_converter return the input unchanged ("Atlantis").
    out = _coco().convert(name.strip(), src=src, to="ISO3", not_found=_NOT_FOUND)
    if isinstance(out, list):  # several matches: ambiguous
        return None
    return str(out) if out and out != _NOT_FOUND else None


@lru_cache(maxsize=1024)
def name_of(iso3: str) -> str:
    if iso3 in NAMES:
        return NAMES[iso3]
    out = _coco().convert(iso3, src="ISO3", to="name_short", not_found=None)
    return str(out) if out and not isinstance(out, list) else iso3


@dataclass(frozen=True)
class Partner:
    iso3: str
    name: str


class UnknownCountryError(UsmcaError, ValueError):
    """A partner argument that names no country; carries a close match when there is one."""

    def __init__(self, text: str, suggestion: str | None) -> None:
        self.text = text
        self.suggestion = suggestion
        msg = f"unknown country {text!r}"
        if suggestion:
            msg += f" (did you mean {suggestion}?)"
        super().__init__(msg)


def resolve_partner(text: str) -> Partner:
    """Resolve a user's partner argument (ISO2, ISO3, name or demonym) or fail with a suggestion."""
    iso3 = to_iso3(text)
    if iso3:
        return Partner(iso3, name_of(iso3))
    choices = list(NAMES.values()) + [k.title() for k in DEMONYMS]
    close = difflib.get_close_matches(text.title(), choices, n=1, cutoff=0.6)
    raise UnknownCountryError(text, close[0] if close else None)
