"""Parsing streams: the memory a parse needs does not grow with the size of the file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support.corpus import write_corpus
from tests.support.fixtures import requires_fixtures

pytestmark = requires_fixtures

_MEASURE = """
import resource, sys
from pathlib import Path
from litdb.pubmed.files import RecordFile
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
n = 0
with RecordFile(Path(sys.argv[1])) as records:
    for record in records:
        n += 1
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(n, after - before)
"""


def peak_growth_kb(path: Path) -> tuple[int, int]:
    output = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path)], capture_output=True, text=True, check=True
    ).stdout.split()
    return int(output[0]), int(output[1])


def test_parse_memory_is_flat_as_the_file_grows_tenfold(tmp_path: Path) -> None:
    small = write_corpus(tmp_path / "small.xml", 400)
    large = write_corpus(tmp_path / "large.xml", 4_000)
    assert large.stat().st_size > 9 * small.stat().st_size
    small_count, small_growth = peak_growth_kb(small)
    large_count, large_growth = peak_growth_kb(large)
    assert (small_count, large_count) == (400, 4_000)
    # a parser that kept the tree would need ~10x the memory for the large file (100+ MB)
    assert large_growth < small_growth + 20_000, (small_growth, large_growth)
