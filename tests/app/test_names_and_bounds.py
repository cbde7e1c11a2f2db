"""Question analysis added for the round-4 features: names the documents never use, look-alike
program names, bounds, and the question without the asker's context.

Every example is written here; none is copied from an evaluation file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from app.answerability.names import lookalike_names, unknown_names
from app.answerability.text import without_context
from app.answerability.values import asks_bound, states_bound
from index.retrieve import Retriever
from index.store import load_index

VOCAB = {"gpu", "gpus", "api", "delta", "nairr", "pilot", "secure", "doe", "report"}


def test_dates_and_hyphenated_parts_are_not_unknown_names() -> None:
    assert unknown_names("Can I apply in March or by Friday, or in Q3?", VOCAB) == []
    assert unknown_names("Is the Delta API-only mode on?", VOCAB) == []
    assert unknown_names("Is the Zephyr cluster bigger than Delta?", VOCAB) == ["Zephyr"]


def _occurs(text: str) -> Callable[[str], bool]:
    """A phrase test over one fixed text."""
    flat = " ".join(text.lower().split())
    return lambda phrase: " ".join(phrase.lower().split()) in flat


DOCS = _occurs(
    "the national ai research resource pilot. nairr secure is run by doe and nih. "
    "the delta gpu system. the jetstream2 llm service."
)


@pytest.mark.parametrize(
    ("question", "found"),
    [
        ("Who can join the Brazilian AI Research Resource?", ["Brazilian AI Research Resource"]),
        ("Does the Norwegian NAIRR Secure take medical data?", ["Norwegian NAIRR Secure"]),
        ("Is the DOE NAIRR Secure enclave open?", []),  # DOE is named by the documents too
        ("Does the Jetstream2 LLM API stream tokens?", []),  # a longer name, same head
        ("Is the National AI Research Resource Pilot free?", []),
        ("What does Delta GPU cost?", []),
    ],
)
def test_lookalike_names_keep_a_known_head_under_a_new_qualifier(
    question: str, found: list[str]
) -> None:
    assert lookalike_names(question, DOCS) == found


def test_the_index_answers_phrase_questions(sample_index: Path) -> None:
    retriever = Retriever(load_index(sample_index), None)  # type: ignore[arg-type]
    assert retriever.has_phrase("NAIRR Pilot")
    assert not retriever.has_phrase("pilot NAIRR banana")


def test_a_bound_question_needs_a_stated_bound() -> None:
    assert asks_bound("What is the most GPUs one allocation may hold?")
    assert asks_bound("What's the page limit for the report?")
    assert not asks_bound("How many GPUs does Delta have?")
    assert states_bound("A request may ask for up to 50,000 GPU-hours.")
    assert not states_bound("Delta has 200 GPUs in 50 nodes.")


def test_the_question_without_the_askers_context() -> None:
    q = "I'm a postdoc in Ohio. Do I need a grant to apply?"
    assert without_context(q) == "Do I need a grant to apply?"
    assert without_context("Can my students use it?") == "Can my students use it?"
    assert without_context("I'm new here. Hi!") == "I'm new here. Hi!"  # too little left


def test_an_affiliation_or_a_mid_sentence_aside_is_context_not_a_name() -> None:
    from app.answerability.names import names

    assert names("Can staff at a Danish university apply for time?") == []
    assert names("Does it matter that I'm a Chilean citizen working in Madrid?") == []
    # A place-like word before a program's name is not an affiliation.
    assert "Danish" in names("Is the Danish AI Research Resource open?")
