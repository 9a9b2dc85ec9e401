"""The few error types litdb raises on purpose; the CLI turns each into a line and exit code."""


class LitdbError(Exception):
    """An expected failure with a message a user can act on."""

    exit_code = 1


class UsageError(LitdbError):
    """The command was called with options that cannot work together or do not parse."""

    exit_code = 2


class InputError(LitdbError):
    """A file given to litdb cannot be read as what it claims to be."""


class NotFoundError(LitdbError):
    """A PMID, run or claim that the database does not hold."""


class DatabaseError(LitdbError):
    """The database cannot be opened, migrated or written."""


class PubMedError(LitdbError):
    """NCBI E-utilities failed in a way retries did not mend."""
