"""Helpers shared by the tests: paths to the shared fixtures, XML builders, the CLI runner."""
