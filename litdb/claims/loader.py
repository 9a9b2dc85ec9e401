"""Reading claim definitions (TOML text) into a checked ``ClaimSet``; no file access here.

A file either replaces the built-in claims or, with ``extends = "default"`` at its top, adds to
them (a claim with a built-in id replaces that claim). Any problem (bad TOML, an unknown key, a
duplicate id, a pattern that does not compile, a missing field) is refused with one message
that names the file, the claim and the problem.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import asdict, fields

from litdb.claims.model import Claim, ClaimSet
from litdb.claims.text import compile_terms
from litdb.errors import InputError

_CLAIM_KEYS = {f.name for f in fields(Claim)} - {"context_mesh", "context_terms"} | {"context"}
_REQUIRED = ("id", "label", "seed", "description")
_LIST_KEYS = (
    "mesh",
    "terms",
    "abbreviations",
    "patterns",
    "exclude",
    "supports",
    "contradicts",
    "requires",
    "measures",
)
_CUE_KEYS = ("null_cues", "support_cues", "neutral_cues", "mixed_cues")
_TOP_KEYS = {"claim", "extends", "format", *_CUE_KEYS}
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


class ClaimsError(InputError):
    """A claims file that cannot be used."""


def parse_claims(text: str, source: str, base: ClaimSet | None = None) -> ClaimSet:
    """The claims defined in ``text`` (read from ``source``), on top of ``base`` if it says so."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ClaimsError(f"{source}: not valid TOML: {exc}") from None
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise ClaimsError(f"{source}: unknown top-level key(s) {', '.join(map(repr, unknown))}")
    extends = data.get("extends")
    if extends not in (None, "default"):
        raise ClaimsError(f'{source}: extends must be "default" (got {extends!r})')
    if extends and base is None:
        raise ClaimsError(f'{source}: extends = "default" but there are no default claims')
    entries = data.get("claim", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ClaimsError(f"{source}: 'claim' must be an array of tables ([[claim]])")
    claims: dict[str, Claim] = {}
    for index, entry in enumerate(entries, start=1):
        claim = _claim(entry, source, index)
        if claim.id in claims:
            raise ClaimsError(f"{source}: claim {claim.id!r}: the id is defined twice")
        claims[claim.id] = claim
    cues = {key: _strings(data.get(key, []), source, key, "top level") for key in _CUE_KEYS}
    if extends and base is not None:
        merged = {c.id: c for c in base.claims}
        merged.update(claims)
        claims = merged
        for key in _CUE_KEYS:
            cues[key] = cues[key] or list(getattr(base, key))
    if not claims:
        raise ClaimsError(f"{source}: defines no claim ([[claim]] with id, label, seed, ...)")
    for key in _CUE_KEYS:
        _check_patterns(cues[key], source, "top level", key)
    ordered = tuple(claims.values())
    return ClaimSet(
        ordered,
        _version(ordered, cues),
        source,
        **{key: tuple(values) for key, values in cues.items()},
    )


def _claim(entry: dict, source: str, index: int) -> Claim:
    where = repr(entry["id"]) if isinstance(entry.get("id"), str) else f"number {index}"
    unknown = sorted(set(entry) - _CLAIM_KEYS)
    if unknown:
        raise ClaimsError(
            f"{source}: claim {where}: unknown key(s) {', '.join(map(repr, unknown))}"
        )
    for key in _REQUIRED:
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise ClaimsError(f"{source}: claim {where}: '{key}' is missing or not text")
    if not _ID.match(entry["id"]):
        raise ClaimsError(
            f"{source}: claim {where}: the id must be lower-case letters, digits and dashes"
        )
    lists = {key: _strings(entry.get(key, []), source, key, f"claim {where}") for key in _LIST_KEYS}
    context = entry.get("context", {})
    if not isinstance(context, dict) or set(context) - {"mesh", "terms"}:
        raise ClaimsError(
            f"{source}: claim {where}: 'context' must be a table with 'mesh' and/or 'terms'"
        )
    context_mesh = _strings(context.get("mesh", []), source, "context.mesh", f"claim {where}")
    context_terms = _strings(context.get("terms", []), source, "context.terms", f"claim {where}")
    if not (lists["terms"] or lists["mesh"] or lists["patterns"]):
        raise ClaimsError(
            f"{source}: claim {where}: give at least one of 'terms', 'mesh' or 'patterns'"
        )
    threshold = entry.get("threshold", 3.0)
    if not isinstance(threshold, int | float) or isinstance(threshold, bool) or threshold <= 0:
        raise ClaimsError(f"{source}: claim {where}: 'threshold' must be a positive number")
    for key in ("patterns", "exclude", "supports", "contradicts", "requires", "measures"):
        _check_patterns(lists[key], source, f"claim {where}", key)
    for key, values in (("terms", lists["terms"]), ("context.terms", context_terms)):
        try:
            compile_terms(values)
        except re.error as exc:
            raise ClaimsError(
                f"{source}: claim {where}: a {key} entry is not usable: {exc}"
            ) from None
    return Claim(
        id=entry["id"],
        label=entry["label"].strip(),
        seed=" ".join(entry["seed"].split()),
        description=" ".join(entry["description"].split()),
        context_mesh=tuple(context_mesh),
        context_terms=tuple(context_terms),
        threshold=float(threshold),
        **{key: tuple(value) for key, value in lists.items()},
    )


def _strings(value, source: str, key: str, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ClaimsError(f"{source}: {where}: '{key}' must be a list of non-empty strings")
    return [v.strip() for v in value]


def _check_patterns(values: list[str] | tuple[str, ...], source: str, where: str, key: str) -> None:
    for value in values:
        try:
            re.compile(value)
        except re.error as exc:
            raise ClaimsError(
                f"{source}: {where}: '{key}' pattern {value!r} is not a valid regular expression "
                f"({exc})"
            ) from None


def _version(claims: tuple[Claim, ...], cues: dict[str, list[str]]) -> str:
    canonical = json.dumps({"claims": [asdict(c) for c in claims], **cues}, sort_keys=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]
