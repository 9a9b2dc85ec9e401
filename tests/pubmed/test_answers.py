"""An efetch answer cut between records: each part parses on its own, and together they hold
exactly the records of the whole answer, faults included."""

from __future__ import annotations

import io

import pytest

from litdb.errors import InputError
from litdb.pubmed.answers import split_answer
from litdb.pubmed.xml_parser import parse_pubmed_xml
from tests.support.fixtures import fixture, requires_fixtures

pytestmark = requires_fixtures

BULK = "eutils/efetch/hawc-bulk-259-records.xml"


def records(body: bytes) -> list:
    return list(parse_pubmed_xml(io.BufferedReader(io.BytesIO(body)), "efetch answer"))


def failure(body: bytes) -> str:
    with pytest.raises(InputError) as raised:
        records(body)
    return str(raised.value)


@pytest.mark.parametrize("parts", [2, 3, 7])
def test_the_parts_hold_the_records_of_the_whole_answer_in_order(parts: int) -> None:
    body = fixture(BULK).read_bytes()
    whole = records(body)
    pieces = split_answer(body, parts)
    assert len(pieces) == parts
    assert sum(len(p) for p in pieces) < len(body) * 1.1
    assert [r for piece in pieces for r in records(piece)] == whole
    assert len(whole) == 259


def test_a_fault_is_named_at_its_line_in_the_whole_answer() -> None:
    body = fixture(BULK).read_bytes()
    cut_short = body[: len(body) * 9 // 10]
    pieces = split_answer(cut_short, 2)
    assert len(records(pieces[0])) > 100
    message = failure(pieces[1])
    assert message == failure(cut_short)
    assert "line" in message


def test_what_cannot_be_cut_comes_back_whole() -> None:
    one_record = fixture("eutils/efetch/biopython-pubmed1.xml").read_bytes()
    envelope = b"<eFetchResult><ERROR>Empty result - nothing to do</ERROR></eFetchResult>"
    assert split_answer(one_record, 2) == [one_record]
    assert split_answer(envelope, 2) == [envelope]
    assert split_answer(b"", 2) == [b""]
    bulk = fixture(BULK).read_bytes()
    assert split_answer(bulk, 1) == [bulk]
