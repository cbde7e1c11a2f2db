"""Exceptions raised while reading sources."""


class LoadError(Exception):
    """A source could not be read; the message is the one-line reason shown in the summary."""
