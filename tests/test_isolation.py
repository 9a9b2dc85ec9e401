"""The suite never reaches the network: E-utilities traffic goes to the stand-in on 127.0.0.1."""

from __future__ import annotations

import pytest
import requests

from litdb.errors import PubMedError
from litdb.pubmed.eutils import EutilsClient
from litdb.pubmed.http import Identity, RetryPolicy


def test_a_request_to_ncbi_itself_is_refused_inside_the_tests() -> None:
    with pytest.raises(requests.exceptions.ConnectionError, match="do not reach the network"):
        requests.get("http://130.14.29.110/entrez/eutils/einfo.fcgi", timeout=2)


def test_litdb_pointed_at_a_public_address_fails_like_an_unreachable_server() -> None:
    client = EutilsClient(
        "http://130.14.29.110/entrez/eutils/",
        Identity(tool="litdb-tests"),
        retry=RetryPolicy(attempts=1),
    )
    with pytest.raises(PubMedError, match="cannot connect"):
        client.esearch("fibromyalgia")
