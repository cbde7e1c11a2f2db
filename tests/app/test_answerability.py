"""The learned answerability decision: stored model, reasons, context and parts."""

from __future__ import annotations

import json

import pytest

from app.answerability.features import FEATURES, SentenceScore, compute
from app.answerability.model import MODEL_PATH, load_model, parse_model
from app.answerability.names import names
from app.answerability.text import content_words, split_parts
from app.answerability.values import (
    alternatives,
    answer_type,
    asked_rate,
    count_nouns,
    counts,
    has_type,
    years,
)
from app.errors import ConfigError
from index.types import Hit
from ingest.types import Chunk


def test_stored_model_matches_the_features_and_explains_itself() -> None:
    model = load_model()
    assert set(model.features) <= set(FEATURES) and 0 < model.threshold < 1
    good = {f: 1.0 for f in model.features}
    bad = {f: -1.0 for f in model.features}
    assert model.probability(good) > model.probability(bad)
    reasons = model.reasons(bad)
    assert reasons and all(r in FEATURES.values() for r in reasons)


def test_a_stale_model_file_names_the_command_to_fix_it() -> None:
    data = json.loads(MODEL_PATH.read_text())
    data["features"] = [*data["features"][:-1], "no_such_feature"]
    with pytest.raises(ConfigError, match="pilotdesk eval calibrate"):
        parse_model(data, "test")


def test_personal_context_is_not_what_is_asked() -> None:
    q = "I'm a postdoc in Ohio at Kent State, can I request classroom resources?"
    words = content_words(q)
    assert "ohio" not in words and "postdoc" not in words and "classroom" in words
    assert "Ohio" not in names(q)


def test_multi_part_questions_split_into_parts() -> None:
    parts = split_parts("How long does a startup project last, and can I extend it?")
    assert len(parts) == 2 and parts[1].startswith("can I extend")
    assert split_parts("What is a startup project?") == ["What is a startup project?"]


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        # Asks listed with commas, each opening with its own question word.
        ("For the storage call: when does it open, how much can we ask for, and who reviews it?",
         ["For the storage call: when does it open", "how much can we ask for", "who reviews it"]),
        # A doubled question mark, and a joining word left at the start of the next part.
        ("is the training free?? and is there a certificate at the end",
         ["is the training free", "is there a certificate at the end"]),
        # A lead-in with no ask of its own stays with the ask it introduces.
        ("If our team wins an award, what do we owe the program?",
         ["If our team wins an award, what do we owe the program?"]),
        # After a comma, "which" starts a relative clause, not a new ask.
        ("Does Anvil, which sits at Purdue, take classroom requests?",
         ["Does Anvil, which sits at Purdue, take classroom requests?"]),
    ],
)  # fmt: skip
def test_parts_split_at_commas_that_open_a_new_ask(question: str, parts: list[str]) -> None:
    """A comma before a new question clause separates asks; other commas do not."""
    assert split_parts(question) == parts


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        # Items of a lettered list are asks even when none has a question word.
        ("About the storage call I need: (a) the opening date, (b) the page limit",
         ["About the storage call I need, the opening date", "the page limit"]),
        ("Two things on the classroom track:\n1) the course cap\n2) how long the award lasts",
         ["Two things on the classroom track, the course cap", "how long the award lasts"]),
        # A hedge between the joining word and the question word: "and roughly how many".
        ("What does the pilot offer, and roughly how many teams got awards?",
         ["What does the pilot offer", "roughly how many teams got awards"]),
        ("which models are hosted + about how fast is each one?",
         ["which models are hosted", "about how fast is each one"]),
        # One lettered item alone is no list: "(a) and" inside a sentence splits nothing new.
        ("Is option (a) the same as the startup track?",
         ["Is option (a) the same as the startup track?"]),
    ],
)  # fmt: skip
def test_listed_asks_and_hedged_asks_are_parts(question: str, parts: list[str]) -> None:
    """A numbered or lettered list of asks, and 'and roughly how …', separate the parts."""
    assert split_parts(question) == parts


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How many pages may the summary have if it is due in May?", "number"),  # first cue wins
        ("What usually goes wrong when people fill in the form?", "other"),  # "when" not asked
        ("When is the next review round?", "date"),
        ("Who is in charge of the secure track?", "other"),  # "in charge" is not a price
        ("What does an hour of GPU time cost?", "money"),
        ("What is the total dollar value of the awards?", "amount"),
        ("Which time zone do the sessions use?", "time"),
        ("What is the maximum team size?", "number"),
        ("How much does a GPU hour cost?", "money"),  # "how much" gives way to the price cue
        ("How much time does a review take?", "duration"),
        ("What is the cutoff date for the next call?", "date"),
        ("Which CUDA version do the login nodes have?", "version"),
        ("Is the pilot the final version of the program?", "other"),  # no version asked for
        ("What clock speed do the CPUs on the big-memory nodes run at?", "speed"),
        ("What score does a proposal need?", "number"),
        ("What is the most nodes one job may use?", "number"),
        ("What is the most common mistake in a request?", "other"),
        ("What's the longest a job may run?", "duration"),
    ],
)
def test_answer_type_follows_the_question_word(question: str, kind: str) -> None:
    assert answer_type(question) == kind


def test_typed_values_are_recognised_in_sentences() -> None:
    assert count_nouns("How many pages can the abstract be?") == ["page"]
    assert count_nouns("What is the word limit?") == ["word"]
    assert count_nouns("How much memory does each GPU have?") == ["memory"]
    assert count_nouns("How much time does a review take?") == []
    assert counts("The final report has no more than three pages.", ["page"])
    assert not counts("The final report is due at the end.", ["page"])
    assert has_type("Reports are due at 1, 3 and 9 months after the award.", "date")
    assert has_type("Sessions run Tuesdays at 2 pm ET.", "time")
    assert not has_type("See Smith et al. for details.", "time")  # "et" is not a time zone
    assert has_type("All resources are free of charge.", "money")
    assert not has_type("All resources are free of charge.", "amount")  # free is no dollar figure
    assert has_type("A GPU instance is charged 4 SUs per vCPU-hour.", "money")
    assert has_type("The stack ships with CUDA 12.4.", "version")
    assert not has_type("Each node has 96 GB and 4 GPUs.", "version")
    assert has_type("Cores run at 2.9 GHz; links carry 200 Gbps.", "speed")
    assert not has_type("Each node has 128 cores.", "speed")


def test_a_noun_in_a_hyphenated_unit_is_not_a_count_of_it() -> None:
    """'How many nodes …' is not answered by an amount of node-hours."""
    nouns = count_nouns("How many nodes does the cluster have?")
    assert not counts("One service unit is one node-hour on a compute node.", nouns)
    assert not counts("The biggest award was 30000 node-hours.", nouns)
    assert counts("The cluster has 560 nodes.", nouns)
    assert counts("Nodes in all: 96.", nouns)
    assert not counts("It has 3 GPU-enabled nodes.", count_nouns("How many GPUs are there?"))


def _typed_match(question: str, title: str, sentence: str) -> float:
    chunk = Chunk("c1", "d1", sentence, title, "specs.md", "https://example.org", "spec", "§ 1")
    hit = Hit(chunk, 1.0, 1, "hybrid", dense_score=0.7)
    found = [SentenceScore(0, sentence, 0.7)]
    return compute(question, [hit], found, set(), occurs=lambda _: True)["type_match"]


def test_a_value_about_another_named_system_does_not_answer() -> None:
    """Cores per node of one cluster do not answer how many cores another cluster's nodes have."""
    question = "How many CPU cores are in each Kestrel node?"
    other = "On the Osprey GPU nodes each GPU comes with 16 CPU cores."
    assert _typed_match(question, "Osprey user guide", other) == 0.0
    same = "Each node has 2 CPUs with 52 CPU cores in all."
    assert _typed_match(question, "Kestrel user guide", same) == 1.0  # the name in the heading
    assert _typed_match(question, "Systems", "A Kestrel node has 104 CPU cores.") == 1.0
    # A short name in the plural, and a label that ends the line before the sentence.
    gpu_question = "How much memory does each GPU in Kestrel have?"
    assert _typed_match(gpu_question, "Kestrel", "Nodes carry 4 GPUs of 80 GB each.") == 1.0


def test_a_label_before_the_sentence_says_what_it_is_about() -> None:
    chunk_text = (
        "Osprey: 8 nodes with 2 GPUs of 40 GB each. Kestrel:\n12 nodes with 4 GPUs of 80 GB."
    )
    chunk = Chunk("c1", "d1", chunk_text, "Specs", "specs.md", "https://example.org", "spec", "§ 1")
    hit = Hit(chunk, 1.0, 1, "hybrid", dense_score=0.7)
    sentence = "12 nodes with 4 GPUs of 80 GB."
    found = [SentenceScore(0, sentence, 0.7)]
    question = "How much memory do the GPUs in Kestrel have?"
    assert compute(question, [hit], found, set(), occurs=lambda _: True)["type_match"] == 1.0


def test_a_year_asked_about_or_figures_offered_as_a_choice_must_be_in_the_sentence() -> None:
    assert years("How many requests were funded in 2023?") == ["2023"]
    assert years("I'm a postdoc since 2021 in Ohio; can I apply?") == []  # the asker's context
    assert alternatives("Is the card the 24 or the 48 GB model?") == ["24", "48"]
    assert alternatives("Can one run use 2 or more nodes?") == []
    q = "How many requests were funded in 2023?"
    assert _typed_match(q, "Awards", "12 requests were funded in 2022.") == 0.0
    assert _typed_match(q, "Awards", "In 2023, 30 requests were funded.") == 1.0
    q = "Are the cluster's cards the 24 or the 48 GB model?"
    assert _typed_match(q, "Cluster", "The cluster has 8 cards per node.") == 0.0
    assert _typed_match(q, "Cluster", "Its cards have 48 GB each.") == 1.0


def test_a_rate_asked_for_needs_a_rate_stated() -> None:
    assert asked_rate("How many node-hours does the center give out per year?") == "year"
    assert asked_rate("What is charged per GPU-hour?") is None  # a unit, not a rate asked for
    q = "How many node-hours does Kestrel hand out per year?"
    assert _typed_match(q, "Kestrel", "The largest Kestrel award was 9000 node-hours.") == 0.0
    assert _typed_match(q, "Kestrel", "Kestrel gives out about 2 million node-hours a year.") == 1.0
    assert answer_type("What accuracy did the model reach?") == "percent"


def test_a_bound_asked_one_way_is_not_answered_by_one_the_other_way() -> None:
    q = "What is the smallest number of credits one may request?"
    assert _typed_match(q, "Credits", "The largest request so far asked for 9000 credits.") == 0.0
    assert _typed_match(q, "Credits", "Requests start at a minimum of 500 credits.") == 1.0
    assert _typed_match(q, "Credits", "Requests are limited to 500 credits or more.") == 1.0


def test_a_digit_inside_a_name_is_no_count() -> None:
    nouns = count_nouns("How many hours can a user get per month?")
    assert not counts("Use is tracked in hours of CS-2 time.", nouns)
    assert counts("A user gets 20 hours a month.", nouns)


def test_a_quantity_named_by_its_unit_counts_as_the_quantity() -> None:
    """'How much memory …' is answered by '80 GB each', which never says 'memory'."""
    nouns = count_nouns("How much memory does each card in the new partition have?")
    assert counts("8 cards of 80 GB each and 1 TB of host RAM.", nouns)
    assert not counts("8 cards in every node.", nouns)


def test_an_enumerated_list_of_asks_is_split_and_its_lead_in_joins_the_first() -> None:
    from app.answerability.text import split_parts

    parts = split_parts(
        "Two things for our lab: (1) is a startup project free, (2) how long does it run?"
    )
    assert parts == ["Two things for our lab, is a startup project free", "how long does it run"]
    bullets = split_parts("Quick list:\n- can postdocs apply\n- what does a report contain?")
    assert bullets == ["can postdocs apply", "what does a report contain"]  # 2 words say nothing


def test_a_condition_or_statement_is_not_a_part_of_its_own() -> None:
    from app.answerability.text import asks, split_parts

    q = "If our team runs out of hours early in the year, what happens next?"
    assert split_parts(q) == [q]
    assert not asks("we are two people at a small college")
    assert asks("we are two people at a small college. Are we eligible")
    assert asks("i shelve my instance, does it still cost anything")
    assert split_parts("how long is a report + can it have figures") == [
        "how long is a report",
        "can it have figures",
    ]
    q = "How long can a startup project run? Asking because our funding ends in May."
    assert split_parts(q) == [q]  # a statement after the question is its context
    assert split_parts("i use jax, does the testbed support it? also who runs the testbed") == [
        "i use jax, does the testbed support it",
        "who runs the testbed",
    ]


def test_a_calendar_question_needs_a_date_not_a_length_of_time() -> None:
    from app.answerability.values import answer_type, has_type

    q = "By what date must the renewal form reach the office?"
    assert answer_type(q) == "calendar"
    assert not has_type("Awards last 12 months from the start.", "calendar")
    assert has_type("Forms are due March 3, 2026.", "calendar")
    assert has_type("Requests are reviewed on a rolling basis.", "calendar")
    assert answer_type("When are the progress reports due?") == "date"  # a relative time will do


def test_only_and_within_bound_a_figure_not_a_phrase() -> None:
    from app.answerability.values import states_bound

    assert not states_bound("Illustration only: 4 GPUs x 10 hours = 40 GPU-hours.")
    assert not states_bound("Over the years the program has grown.")
    assert states_bound("Each team may hold only 2 projects at a time.")
    assert states_bound("The work must finish within 12 months.")
    assert states_bound("Requests of up to 5,000 GPU-hours are reviewed quickly.")
