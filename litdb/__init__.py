"""litdb: a citation-tracking literature database for checking health claims against PubMed."""

__version__ = "0.1.0"
