"""Extractive composition: which sentences of the retrieved passages answer a question."""
