"""Everything that speaks NCBI: file and E-utilities formats, the HTTP session and the client."""
