"""Extractive composition rules on passages written for these tests, with the real embedder."""

from __future__ import annotations

import re

import pytest

from app.answer import Assistant
from app.compose.choose import compose
from app.compose.kinds import is_pointer, list_size, question_shape
from app.config import Settings
from index.embedder import Embedder
from index.types import Hit
from ingest.types import Chunk

KEY = re.compile(r"\s*\[S\d+\]")


def hits_of(*passages: tuple[str, str]) -> list[Hit]:
    """Hits in the given order from (heading, text) pairs."""
    out = []
    for n, (heading, text) in enumerate(passages):
        chunk = Chunk(
            id=f"c{n}",
            doc_id="d",
            text=text,
            title="Grant handbook",
            source="handbook.md",
            url="https://example.org/handbook",
            kind="markdown",
            locator=f"§ {heading}",
            heading=heading,
        )
        out.append(Hit(chunk, 1.0 / (n + 1), n + 1, "hybrid"))
    return out


def answer(question: str, hits: list[Hit], embedder: Embedder, **kw: object) -> list[str]:
    """The answer's sentences, each checked to end with a key of a real hit."""
    keys = [f"S{i + 1}" for i in range(len(hits))]
    got = compose(question, hits, keys, embedder, **kw)  # type: ignore[arg-type]
    text, used = got.text, got.used
    sentences = re.findall(r".+?\[S\d+\]", text)
    assert sentences and "".join(sentences).strip() == text.strip()
    assert set(used) <= set(keys)
    return [KEY.sub("", s).strip() for s in sentences]


TRIAL = (
    "How long does a trial award last?",
    "How long does a trial award last?\nA trial award lasts 4 months. It can be renewed once "
    "if the team explains why.\nCan I extend it further?\nCheck the program site, "
    "https://example.org/trials, for current rules.",
)
REVIEW = (
    "Who reviews requests",
    "Requests are reviewed by a panel of the Office of Shared Computing. Panels meet every "
    "month and score each request on readiness.",
)


def test_heading_question_and_pointer_lines_are_never_chosen(embedder: Embedder) -> None:
    got = answer("how long do trial awards run for?", hits_of(TRIAL, REVIEW), embedder)
    assert got[0] == "A trial award lasts 4 months."
    joined = " ".join(got)
    assert "?" not in joined and "https://" not in joined
    # A pointer that echoes the question's words is still not an answer ...
    lure = (
        "Trial awards",
        "Check https://example.org/trials for the current rules on trial award length.\n"
        "A trial award lasts 4 months.",
    )
    got = answer("what are the rules on trial award length?", hits_of(lure), embedder)
    assert got == ["A trial award lasts 4 months."]
    # ... unless the question asks where to look.
    got = answer("where can I find the rules on trial award length?", hits_of(lure), embedder)
    assert any("https://example.org/trials" in s for s in got)
    assert is_pointer("Check the program site, https://example.org/trials, for current rules.")
    assert not is_pointer("A trial award lasts 4 months.")


def test_pronoun_start_brings_the_sentence_that_names_it(embedder: Embedder) -> None:
    text = (
        "The sandbox tier is a small award for trying out code. It gives each team 500 GPU-hours "
        "and one month of support."
    )
    got = answer("how many GPU-hours come with a sandbox?", hits_of(("Sandbox", text)), embedder)
    i = next(n for n, s in enumerate(got) if s.startswith("It gives"))
    assert i > 0 and got[i - 1].startswith("The sandbox tier is")


def test_pronoun_start_without_its_antecedent_is_dropped(embedder: Embedder) -> None:
    # The sentence before "It gives…" is a question, so nothing names "it": not quoted.
    text = "Is there a sandbox tier?\nIt gives each team 500 GPU-hours and one month of support."
    other = ("Tiers", "The sandbox tier offers a small amount of compute for trying out code.")
    got = answer(
        "how many GPU-hours come with a sandbox?", hits_of(("Sandbox", text), other), embedder
    )
    assert not any(s.startswith("It ") for s in got)


def test_each_part_of_a_two_part_question_gets_its_own_cited_sentence(
    embedder: Embedder,
) -> None:
    q = "How long does a trial award last, and who reviews the requests?"
    got = answer(q, hits_of(TRIAL, REVIEW), embedder)
    assert got[0] == "A trial award lasts 4 months."  # part 1 first
    assert any("Office of Shared Computing" in s for s in got[1:])


def test_uncovered_part_gets_no_sentence(embedder: Embedder) -> None:
    q = "How long does a trial award last, and who reviews the requests?"
    got = answer(q, hits_of(TRIAL, REVIEW), embedder, uncovered=("who reviews the requests",))
    assert not any("Office of Shared Computing" in s for s in got)


def test_answer_stays_under_the_length_cap(embedder: Embedder) -> None:
    # Four different facts about reports, each long: all relevant, not all fit in ~90 words.
    text = (
        "Award reports describe the compute actually used during the award, broken down by "
        "system, month and job type, together with any problems met while porting code. "
        "Award reports also list every paper, data set, trained model and software release "
        "that came out of the award, with links to public copies wherever they exist. "
        "Award reports explain how the results compare with the goals stated in the original "
        "request and which milestones slipped, with the reasons for each delay. "
        "Award reports name the students and early-career researchers trained through the "
        "award and the courses or workshops that used its resources."
    )
    got = answer("what do award reports describe?", hits_of(("Reports", text)), embedder)
    assert 1 <= len(got) <= 4
    assert sum(len(s.split()) for s in got) <= 90  # the documented cap (MAX_WORDS)


def test_a_fact_said_twice_is_said_once(embedder: Embedder) -> None:
    a = ("Trial awards", "A trial award lasts 4 months.")
    b = ("Overview", "Each trial award lasts 4 months in total.")
    got = answer("how long is a trial award?", hits_of(a, b), embedder)
    assert sum("4 months" in s for s in got) == 1


def test_when_question_prefers_the_sentence_with_a_date(embedder: Embedder) -> None:
    text = (
        "The spring round is reviewed by a panel of five outside experts. "
        "Spring submissions end on March 14, 2026."
    )
    got = answer("when does the spring round close?", hits_of(("Spring round", text)), embedder)
    assert "March 14, 2026" in got[0]


def test_who_runs_question_prefers_the_sentence_that_names_an_agent(embedder: Embedder) -> None:
    text = (
        "The shared computing pilot started in 2024 and runs until 2027.\n"
        "- It is a test of a national service.\n"
        "- Led by the Office of Shared Computing (OSC).\n"
        "- It offers GPUs, storage and training."
    )
    got = answer(
        "who's in charge of the shared computing pilot?", hits_of(("About", text)), embedder
    )
    assert "Office of Shared Computing" in got[0]


def test_list_question_takes_the_neighbouring_items_in_order(embedder: Embedder) -> None:
    text = (
        "Four focus areas\n- Open - the track for open research.\n- Secure - privacy-preserving "
        "systems for sensitive data.\n- Software - tools and platforms.\n- Classroom - resources "
        "for teaching."
    )
    other = (
        "History",
        "The focus areas of the program were chosen by the program office in 2024 after a "
        "public consultation.",
    )
    got = answer(
        "what are the four focus areas?", hits_of(("Four focus areas", text), other), embedder
    )
    assert [s.split()[0] for s in got[:4]] == ["Open", "Secure", "Software", "Classroom"]


def test_yes_no_verdict_and_abbreviation_splits_stay_with_their_sentence(
    embedder: Embedder,
) -> None:
    faq = ("Do I need a grant to apply?", "No. A grant is not required to apply.")
    slide = ("Pitfalls", "Pitfall no. 1: asking for a system the code cannot use.")
    got = answer("do i have to already hold a grant?", hits_of(faq, slide), embedder)
    assert got[0] == "No. A grant is not required to apply."
    got = answer("what is the first pitfall?", hits_of(slide, faq), embedder)
    assert got[0] == "Pitfall no. 1: asking for a system the code cannot use."


def test_a_statement_then_a_question_answers_the_question(embedder: Embedder) -> None:
    award = ("Example award", "Award GX-2291 set up a teaching sandbox for a data science course.")
    rule = (
        "Teaching rules",
        "Students in a teaching award must sign the acceptable-use policy before they log in.",
    )
    q = "GX-2291 is a teaching sandbox. What must its students do before logging in?"
    got = answer(q, hits_of(award, rule), embedder)
    assert any("acceptable-use policy" in s for s in got)


@pytest.mark.parametrize(
    ("question", "shape"),
    [
        ("who runs the program?", "agent"),
        ("Who is eligible to apply?", "group"),
        ("I teach in Ohio, can my students use it?", "yesno"),
        ("when is the letter of intent due?", "date"),
        ("how long can the final report be?", "size"),
        ("name all the focus areas", "list"),
        ("how do I apply for a trial award?", "procedure"),
        ("does it bill us anything?", "money"),
    ],
)
def test_question_shapes(question: str, shape: str) -> None:
    assert question_shape(question) == shape


def test_list_size_reads_the_number_the_question_names() -> None:
    assert list_size("what are the four focus areas?") == 4
    assert list_size("What are the 2 most common pitfalls?") == 2
    assert list_size("what are the focus areas?") == 0


def test_ui_example_question_opens_with_the_direct_answer(
    sample_settings: Settings, embedder: Embedder
) -> None:
    got = Assistant(sample_settings, embedder).ask(
        "Who is eligible to request NAIRR Pilot resources?"
    )
    assert not got.abstained
    first = re.split(r"\[S\d+\]", got.text)[0].lower()
    assert "researchers and educators based in the" in first
    assert "office hours" not in first


def test_a_part_the_answer_states_is_not_named_as_uncovered() -> None:
    """'what is the smallest charge' is stated by a chosen sentence; 'refunds' is not."""
    from app.compose.words import stated_in

    parts = ["what does one credit buy", "what is the smallest charge per job", "are refunds given"]
    said = [
        "One credit buys an hour of one GPU. [S1]",
        "The smallest charge per job is 1 credit. [S1]",
    ]
    assert stated_in(parts[1], parts, said)
    assert not stated_in(parts[2], parts, said)
    assert not stated_in("are they given", parts, said)  # too few words of its own to tell


def test_a_part_no_answer_sentence_speaks_to_is_named() -> None:
    """The answer covers the duration; nothing in it touches the transfer part."""
    from app.compose.words import unanswered_parts

    parts = [
        "How long does a research award run",
        "can we transfer unused hours to another cluster",
    ]
    said = ["A research award runs for 12 months. [S1]"]
    assert unanswered_parts(parts, said) == [parts[1]]
    # A statement about the asker is no part to name, and a part the answer speaks to is kept.
    statement = ["I teach statistics at a college in Ohio", "how long does a research award run"]
    assert unanswered_parts(statement, said) == []


def test_a_count_of_table_rows_comes_after_prose_for_a_prose_question(embedder: Embedder) -> None:
    """A written-out count from a table ("3 of the 41 listed awards have …") answers a count
    question first, and comes after the prose for any other question."""
    counts = Chunk(
        id="tab-1",
        doc_id="tab",
        text="3 of the 41 listed awards have resource Nimbus cluster. 7 of the 41 listed awards "
        "have resource Cirrus cloud.",
        title="Awards table",
        source="awards.csv",
        url="https://example.org/awards",
        kind="table",
        locator="summary",
        heading="How many awards are listed for each resource",
    )
    prose = hits_of(
        ("Acknowledging support", "Papers that used the Nimbus cluster should acknowledge grant "
         "XYZ-123. Talks may show the logo."),
        ("Nimbus", "The Nimbus cluster has 40 GPU nodes."),
    )  # fmt: skip
    hits = [*prose, Hit(counts, 1.0, 3, "hybrid")]
    got = answer("What does the Nimbus cluster have?", hits, embedder)
    assert got[0] == "The Nimbus cluster has 40 GPU nodes."
    assert "listed awards" in got[-1], got
    counted = answer("How many awards list the Nimbus cluster?", hits, embedder)
    assert counted[0] == "3 of the 41 listed awards have resource Nimbus cluster."


def test_a_part_whose_best_sentence_answers_another_part_is_left_open() -> None:
    """Two asks, one best sentence: the ask it matches less, saying none of its own words there,
    is named as left open; an ask whose own words the sentence holds is not."""
    import numpy as np

    from app.compose.choose import _shared_best
    from app.compose.units import Unit

    units = [
        Unit("On Nimbus one SU is one node-hour on a regular compute node.", 0, 0, (), False),
        Unit("Accounts are created within two days of an award.", 1, 0, (), False),
    ]
    parts = ["What does one SU mean on Nimbus", "how many cores does a regular Nimbus node have"]
    scores = [np.array([0.8, 0.2]), np.array([0.55, 0.3])]
    assert _shared_best(parts, scores, units) == [parts[1]]
    assert _shared_best(parts, [np.array([0.8, 0.2]), np.array([0.75, 0.3])], units) == []
    stated = ["What does one SU mean on Nimbus", "what is a regular compute node on Nimbus"]
    assert _shared_best(stated, scores, units) == []


def test_a_part_stated_in_other_word_forms_is_not_named() -> None:
    """'salaries' states 'salary', 'funded' states 'funding': endings do not hide a part."""
    from app.compose.words import stated_in

    parts = ["do awards include money", "could an award cover a student salary"]
    said = ["No cash is paid out: awards cannot cover student salaries. [S1]"]
    assert stated_in(parts[1], parts, said)
    assert not stated_in(parts[1], parts, ["Awards are compute time, not money. [S1]"])
