"""The on-disk cache of compiled patterns: the same pattern objects as `re`, faster, never different."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from usmca import patterns

SAMPLES = [
    (r"(?P<y>(?:19|20)\d\d)(?!\d)", re.I),
    (r"(?<![\w$])(?:fiscal[\s-]+year|FY)\s?(?P<n>\d{2,4})\b", re.I),
    (r"\bone\s+every\s+(?P<n>\d+)\s+(?:seconds?|minutes?)\b", 0),
    (r"[€£$](?P<v>\d[\d,]*(?:\.\d+)?)\s*(?:bn|billion|m|million)?", re.I | re.M),
]


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("USMCA_PATTERN_CACHE", str(tmp_path / "patterns"))
    patterns.cache_folder.cache_clear()
    yield tmp_path / "patterns"
    patterns.cache_folder.cache_clear()


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.sre"))


@pytest.mark.parametrize(("pattern", "flags"), SAMPLES)
def test_built_and_loaded_patterns_equal_re(cache_dir: Path, pattern: str, flags: int) -> None:
    want = re.compile(pattern, flags)
    built = patterns.compile(pattern, flags)
    assert built == want  # Pattern equality compares the pattern, the flags and the compiled program
    assert len(_entries(cache_dir)) == 1
    loaded = patterns.compile(pattern, flags)
    assert loaded == want and loaded.groupindex == want.groupindex and loaded.groups == want.groups


def test_second_compile_reads_the_cache(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pattern, flags = SAMPLES[1]
    patterns.compile(pattern, flags)

    def no_build(*a: object, **k: object) -> None:
        raise AssertionError("compiled again although the cache holds it")

    monkeypatch.setattr(patterns, "_build", no_build)
    assert patterns.compile(pattern, flags).search("in FY 2024 exports") is not None


def test_damaged_entry_is_ignored_and_rewritten(cache_dir: Path) -> None:
    pattern, flags = SAMPLES[0]
    patterns.compile(pattern, flags)
    (entry,) = _entries(cache_dir)
    blob = bytearray(entry.read_bytes())
    blob[-5] ^= 0xFF
    entry.write_bytes(bytes(blob))
    rx = patterns.compile(pattern, flags)
    assert rx == re.compile(pattern, flags)
    assert entry.read_bytes() != bytes(blob)  # rewritten whole


def test_entry_of_another_pattern_is_refused(cache_dir: Path) -> None:
    """An entry is bound to its pattern: a file moved under another key is not used."""
    (a, fa), (b, fb) = SAMPLES[0], SAMPLES[2]
    patterns.compile(a, fa)
    (entry,) = _entries(cache_dir)
    other = entry.with_name(patterns._key(b, fb) + ".sre")
    other.write_bytes(entry.read_bytes())
    assert patterns.compile(b, fb) == re.compile(b, fb)


def test_off_and_unwritable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pattern, flags = SAMPLES[3]
    monkeypatch.setenv("USMCA_PATTERN_CACHE", "off")
    patterns.cache_folder.cache_clear()
    assert patterns.cache_folder() is None
    assert patterns.compile(pattern, flags) == re.compile(pattern, flags)
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("USMCA_PATTERN_CACHE", str(blocker / "sub"))
    patterns.cache_folder.cache_clear()
    try:
        assert patterns.compile(pattern, flags) == re.compile(pattern, flags)
    finally:
        patterns.cache_folder.cache_clear()


def test_bad_pattern_raises_like_re(cache_dir: Path) -> None:
    with pytest.raises(re.error):
        patterns.compile(r"(unclosed", 0)


def test_longest_first_is_one_order() -> None:
    words = ["may", "june", "july", "sept", "mar", "dec"]
    assert patterns.longest_first(words) == patterns.longest_first(reversed(words))
    assert patterns.longest_first(words) == ["july", "june", "sept", "dec", "mar", "may"]


def test_grammars_are_the_same_in_every_process() -> None:
    """String hashing differs between processes: the grammars (and their cache keys) must not."""
    code = (
        "import hashlib; from usmca.claims import periods, lexicon; "
        "g = periods._grammar(); "
        "parts = [g.big.pattern, lexicon.cue_index()[0].pattern] "
        "+ [p.pattern for c in lexicon.cue_patterns().values() for _, p in c]; "
        "print(hashlib.sha256('\\0'.join(parts).encode()).hexdigest())"
    )
    seen = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "USMCA_PATTERN_CACHE": "off"}
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        seen.add(out.stdout.strip())
    assert len(seen) == 1


def test_prepare_builds_the_grammars_before_a_check() -> None:
    """`prepare()` (run by the web service at start) leaves nothing for the first check to build."""
    from usmca.claims import lexicon, periods
    from usmca.claims.check import prepare

    periods._grammar.cache_clear()
    lexicon.cue_index.cache_clear()
    prepare()
    assert periods._grammar.cache_info().currsize == 1
    assert lexicon.cue_index.cache_info().currsize == 1
    assert periods.find_periods("exports rose in May 2025")
    info = periods._grammar.cache_info()
    assert info.misses == 1 and info.hits >= 1  # the check used the prepared grammar, built nothing


# ------------------------------------------------------------------------------ lexicon data
LEXICON_LIKE = """
scales:
  billion: 1.0e+9
  million: 1000000
ordinals: {1: first, 2: second}
words: [a, "b c", null, true, -3]
"""


def _data_entries(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.yaml.marshal"))


def test_load_yaml_is_yaml_then_read_from_the_cache(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml

    want = yaml.safe_load(LEXICON_LIKE)
    assert patterns.load_yaml(LEXICON_LIKE) == want
    assert len(_data_entries(cache_dir)) == 1
    monkeypatch.setitem(sys.modules, "yaml", None)  # importing PyYAML now fails: only the cache can answer
    got = patterns.load_yaml(LEXICON_LIKE)
    assert got == want and list(got["ordinals"]) == [1, 2]  # integer keys stay integers
    with pytest.raises(ImportError):
        patterns.load_yaml(LEXICON_LIKE + "\nmore: 1\n")  # another text is another entry: parsed


def test_load_yaml_ignores_a_damaged_entry_and_keeps_no_dates(cache_dir: Path) -> None:
    patterns.load_yaml(LEXICON_LIKE)
    (entry,) = _data_entries(cache_dir)
    blob = bytearray(entry.read_bytes())
    blob[-3] ^= 0xFF
    entry.write_bytes(bytes(blob))
    assert patterns.load_yaml(LEXICON_LIKE)["scales"]["billion"] == 1e9
    assert entry.read_bytes() != bytes(blob)  # rewritten whole
    dated = "as_of: 2025-07-01\n"
    from datetime import date

    assert patterns.load_yaml(dated) == {"as_of": date(2025, 7, 1)}
    assert len(_data_entries(cache_dir)) == 1  # a date is not plain data: parsed each time, never cached


def test_a_check_of_prose_does_not_import_pyyaml(tmp_path: Path) -> None:
    """With the cache filled, a new process reads the lexicon without PyYAML; YAML claims still load it."""
    code = (
        "import sys; from usmca.claims.check import check_text, prepare; prepare(); "
        "from usmca.store import open_reader; r = open_reader(None); "
        "check_text('Exports to Mexico were $334 billion in 2024.', r); "
        "print('yaml' in sys.modules)"
    )
    env = {**os.environ, "USMCA_PATTERN_CACHE": str(tmp_path / "cache")}
    runs = [
        subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
        for _ in range(2)
    ]
    assert runs == ["True\n", "False\n"]  # the first fills the cache
    from usmca.claims.check import load_claims_document

    claims, _ = load_claims_document("- metric: trade_value\n  value: 1\n  params: {partner: MX, year: 2024}\n")
    assert claims and "yaml" in sys.modules
