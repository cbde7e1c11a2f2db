"""Exceptions raised by the index, each with a message that says what to do."""


class IndexError_(Exception):
    """Base class for index problems."""


class IndexNotFound(IndexError_):
    """No index has been built at the configured location."""


class IndexMismatch(IndexError_):
    """The index was built with other settings than the ones configured now."""


class IndexWriteError(IndexError_):
    """A new index version could not be written; the previous one is untouched."""


class EmbeddingModelError(IndexError_):
    """The embedding model could not be loaded."""
