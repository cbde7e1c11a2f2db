"""Answerability on the sample corpus: context is not a reason, parts, follow-ups, reasons shown.

The questions here are written for these tests (none is copied from an evaluation file).
"""

from __future__ import annotations

from app.answer import Assistant
from app.answerability.features import FEATURES
from app.config import Settings
from app.types import Turn
from index.embedder import Embedder


def test_personal_context_does_not_cause_a_refusal(
    sample_settings: Settings, embedder: Embedder
) -> None:
    assistant = Assistant(sample_settings, embedder)
    plain = assistant.ask("Can community college faculty ask for classroom resources?")
    framed = assistant.ask(
        "I'm an adjunct at a community college in Nebraska. Can community college faculty ask "
        "for classroom resources?"
    )
    assert not plain.abstained and not framed.abstained, framed.abstain_reason


def test_a_multi_part_question_answers_what_it_can_and_names_the_rest(
    sample_settings: Settings, embedder: Embedder
) -> None:
    answer = Assistant(sample_settings, embedder).ask(
        "How long does a startup project last, and what is the parking fee at the NSF building?"
    )
    assert not answer.abstained
    assert answer.uncovered and "parking" in answer.uncovered[0]
    assert "3 months" in answer.text and answer.citations


def test_the_uncovered_part_is_sent_to_the_configured_programs_office_hours(
    sample_settings: Settings, embedder: Embedder
) -> None:
    ui = sample_settings.ui.model_copy(update={"program_name": "Campus Compute"})
    settings = sample_settings.model_copy(update={"ui": ui})
    answer = Assistant(settings, embedder).ask(
        "How long does a startup project last, and what is the parking fee at the NSF building?"
    )
    assert answer.uncovered and "Campus Compute office hours" in answer.text
    assert "NAIRR Pilot office hours" not in answer.text


def test_a_follow_up_skips_an_off_topic_turn(sample_settings: Settings, embedder: Embedder) -> None:
    history = [
        Turn("user", "Who won the football game last night?"),
        Turn("assistant", "I can only help with the NAIRR Pilot.", abstained=True),
    ]
    answer = Assistant(sample_settings, embedder).ask("and when are progress reports due?", history)
    assert "football" not in answer.standalone_question
    assert not answer.abstained


def test_a_refusal_says_why(sample_settings: Settings, embedder: Embedder) -> None:
    answer = Assistant(sample_settings, embedder).ask("Which lasagna recipe wins most contests?")
    assert answer.abstained and answer.citations == ()
    # The reason is said in words a person understands: the answerability model's own reasons.
    assert answer.abstain_reason
    assert any(r in answer.abstain_reason for r in FEATURES.values()), answer.abstain_reason


def test_the_uncovered_part_is_named_when_it_comes_first(
    sample_settings: Settings, embedder: Embedder
) -> None:
    answer = Assistant(sample_settings, embedder).ask(
        "What is the parking fee at the NSF building, and how long does a research allocation last?"
    )
    assert not answer.abstained, answer.abstain_reason
    assert answer.uncovered and "parking fee" in answer.uncovered[0]
    assert "12 months" in answer.text and answer.citations


def test_off_topic_questions_sit_far_from_the_documents(
    sample_settings: Settings, embedder: Embedder
) -> None:
    retriever = Assistant(sample_settings, embedder).retriever()
    near = retriever.topicality("How long does a research allocation last?")
    # After a search the figure comes from the dense list it fetched: the same number.
    retriever.search("How long does a research allocation last?")
    assert retriever.topicality("How long does a research allocation last?") == near
    far = retriever.topicality("What is a good marinade for grilled salmon?")
    assert 0.0 < far < near <= 1.0


def test_a_table_line_quoted_in_prose_gives_way_to_the_whole_table_result() -> None:
    from app.citations import drop_cited

    text = "2 rows match. [S1] A startup lasts 3 months. [S2] Both. [S1] [S3] End. [S4]"
    assert drop_cited(text, "S1") == "A startup lasts 3 months. [S2] End. [S4]"
    assert drop_cited("Only prose. [S2]", "S1") == "Only prose. [S2]"


def test_the_refusal_names_the_configured_program(
    sample_settings: Settings, embedder: Embedder
) -> None:
    # A deployment on another program's documents sets ui.program_name and api.office_hours_url.
    s = sample_settings.model_copy(deep=True)
    s.ui.program_name = "EuroHPC access calls"
    s.api.office_hours_url = "https://example.org/help"
    answer = Assistant(s, embedder).ask("What's a good marinade for grilled salmon?")
    assert answer.abstained
    assert "EuroHPC access calls documents" in answer.text and "NAIRR" not in answer.text
    assert "https://example.org/help" in answer.text


def test_a_follow_up_to_a_table_question_builds_on_it(
    sample_settings: Settings, embedder: Embedder
) -> None:
    # The earlier turn is answered by the table planner, not by the answerability model, and
    # still counts as the on-topic turn the follow-up is merged with.
    history = [
        Turn("user", "Tally the Oregon awards."),  # the model alone would not call it answered
        Turn("assistant", "2 allocations where state = OR."),
    ]
    answer = Assistant(sample_settings, embedder).ask("and what about California?", history)
    assert "Oregon" in answer.standalone_question
    assert not answer.abstained and answer.hits[0].retriever == "table"
    assert "state = CA" in answer.text
