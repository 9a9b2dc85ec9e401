"""An efetch answer cut into smaller answers between records, so that several parser processes
can read one answer at once.

Each part is a PubMed XML document of its own: the answer's prolog and root start tag, a run of
whole records, the root end tag. Parts after the first also get as many line breaks as the
records before them took, so a parser names the line of a fault as it is in the whole answer.
"""

from __future__ import annotations

from litdb.pubmed.xml_parser import root_tag

_ROOT = "PubmedArticleSet"
_RECORD_START = b"<PubmedArticle>"


def split_answer(body: bytes, parts: int) -> list[bytes]:
    """``body`` as up to ``parts`` answers of about equal size, in record order.

    An answer that is not a ``<PubmedArticleSet>`` (an error envelope, say), or too short to
    cut, comes back whole. A cut falls where a ``<PubmedArticle>`` start tag begins: PubMed XML
    holds no comments or CDATA in which that text could appear otherwise, and if it ever did,
    the part would not parse and its records would be asked for again, as for any broken answer.
    """
    first = body.find(_RECORD_START)
    if parts < 2 or first < 0 or root_tag(body[:first]) != _ROOT:
        return [body]
    cuts = [first]
    for part in range(1, parts):
        cut = body.find(_RECORD_START, max(len(body) * part // parts, cuts[-1] + 1))
        if cut < 0:
            break
        cuts.append(cut)
    if len(cuts) == 1:
        return [body]
    head = body[:first]
    end = f"</{_ROOT}>\n".encode("ascii")
    answers = []
    for index, start in enumerate(cuts):
        stop = cuts[index + 1] if index + 1 < len(cuts) else len(body)
        lines = body.count(b"\n", first, start)
        tail = body[start:stop] if stop == len(body) else body[start:stop] + end
        answers.append(head + b"\n" * lines + tail)
    return answers
