"""A small, explainable feature set computed from a question and what retrieval found."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from app.answerability.names import lookalike_names, names, unknown_names
from app.answerability.text import content_words, focus_words, salience, stem
from app.answerability.values import (
    alternatives,
    answer_type,
    asked_rate,
    asks_bound,
    bound_direction,
    count_nouns,
    counts,
    has_type,
    states_bound_of,
    states_rate,
    years,
)
from index.types import Hit

# Each feature's name and what a low value means, for the reasons shown to people.
FEATURES: dict[str, str] = {
    "dense_top1": "no passage is close in meaning to the question",
    "dense_margin": "no passage stands out from the rest",
    "best_sentence": "no single sentence in the passages matches the question",
    "salient_coverage": "the question's specific words are missing from the passages",
    "rarest_missing": "the question's most specific word is missing from the passages",
    "name_coverage": "names or acronyms in the question are not in the passages",
    "salient_missing": "several specific words of the question are missing from the passages",
    "unknown_name": "the question names something the documents never mention",
    "type_match": "the passages don't state the kind of value asked for (a number, date, price…)",
    "wants_value": "the question asks for a specific number, date, price or limit",
    "bm25_agree": "keyword search and meaning search disagree on the best passage",
    "top_docs": "the best passages come from many different documents",
    "sentence_coverage": "no single sentence holds what the question asks about",
    "focus_coverage": "no sentence states the particular thing asked for",
    "topic": "the question is far from everything the documents talk about",
    "typed_coverage": "no sentence about the question holds the kind of value it asks for",
    "unknown_rarity": "the question names something specific the documents never mention",
    "topic_gap": "the question is about something else entirely",
    "typed_sentence": "no sentence close in meaning to the question holds the kind of value asked",
    "lookalike": "the question names a program or system like, but not, one the documents describe",
    "reader": "no sentence in the passages reads as an answer to the question",
}
# Below this topicality a question is far from the documents as a whole: the 5th percentile of
# answerable dev questions (2026-11-27, 129 questions; off-topic ones sit at 0.07-0.17).
TOPIC_FLOOR = 0.22
_WORD = re.compile(r"[a-z0-9][a-z0-9'\-]*")
CONTEXT_WEIGHT = 0.3  # a context word's share of sentence coverage, against 1 for the question


@dataclass(frozen=True)
class SentenceScore:
    """One sentence of a retrieved passage and its similarity to the question."""

    hit: int  # index into the hits
    text: str
    cosine: float
    reader: float | None = None  # the learned reader's p(answers), for the closest sentences


def _present(word: str, words: set[str], stems: set[str]) -> bool:
    """Whether a question word occurs in a set of passage words (stems and typos forgiven)."""
    if word in words or stem(word) in stems:
        return True
    if len(word) >= 6:
        from rapidfuzz import fuzz, process

        return process.extractOne(word, words, scorer=fuzz.ratio, score_cutoff=88) is not None
    return False


def _setting(sentence: str, hit: Hit) -> str:
    """What a sentence is about beyond its own words: its passage's title and heading, and a
    label just before it ("Anvil AI:" ends the line before "21 nodes with … 80 GB each")."""
    chunk = hit.chunk
    at = chunk.text.find(sentence[:40])
    label = chunk.text[max(0, at - 80) : at] if at > 0 else ""
    return f"{chunk.title} {chunk.heading} {label.rsplit('.', 1)[-1]}"


def compute(
    question: str,
    hits: Sequence[Hit],
    sentences: Sequence[SentenceScore],
    vocabulary: set[str],
    top: int = 3,
    *,
    topic: float | None = None,
    occurs: Callable[[str], bool],
) -> dict[str, float]:
    """The feature vector for one question (a dict in FEATURES order)."""
    dense = sorted((h.dense_score or 0.0 for h in hits), reverse=True)
    top_text = " ".join(h.chunk.search_text for h in hits[:top]).lower()
    words = set(_WORD.findall(top_text))
    words |= {p for w in list(words) if "-" in w for p in w.split("-") if p}
    stems = {stem(w) for w in words}
    q_words = content_words(question)
    weights = {w: 0.15 + salience(w) for w in q_words}
    # Sentence coverage also counts the asker's context a little: "my lab has no grant money,
    # can we apply?" is about funding, but a state or school the documents never name must
    # not sink an answer.
    cov_weights = {w: CONTEXT_WEIGHT * (0.15 + salience(w)) for w in content_words(question, False)}
    cov_weights.update(weights)
    covered = sum(wt for w, wt in weights.items() if _present(w, words, stems))
    salient_cov = covered / sum(weights.values()) if weights else 1.0
    missing = [w for w in weights if not _present(w, words, stems)]
    rarest_missing = max((salience(w) for w in missing), default=0.0)
    salient_missing = sum(1 for w in missing if salience(w) >= 0.4)
    q_names = [n.lower() for n in names(question)]
    name_cov = (
        sum(1 for n in q_names if _present(n, words, stems)) / len(q_names) if q_names else 1.0
    )
    unknown_list = unknown_names(question, vocabulary)
    unknown = bool(unknown_list)
    # How specific the unknown names are: a rare name (a program, a system) weighs more than
    # an everyday word the documents happen not to use, but any unknown name counts half.
    unknown_rarity = max((max(0.5, salience(n.lower())) for n in unknown_list), default=0.0)
    atype = answer_type(question)
    nouns = count_nouns(question)
    ranked = sorted(sentences, key=lambda s: -s.cosine)

    bound = asks_bound(question) and (atype != "other" or bool(nouns))
    asked_years, offered = years(question), alternatives(question)
    rate = asked_rate(question)
    direction = bound_direction(question)

    def typed(text: str, hit: int | None = None) -> bool:
        # "How many students…" needs a number of students, not any number; "the most GPUs…"
        # needs a stated bound, not any count of GPUs.
        if bound and not states_bound_of(text, direction):
            return False
        # "How many node-hours per year…" is answered by a yearly figure, not by one award.
        if rate is not None and not states_rate(text, rate):
            return False
        # "The 40 or the 80 GB card?" is answered by a sentence that names one of the two.
        if offered and not any(
            re.search(rf"(?<![\w.]){re.escape(o)}(?![\d])", text) for o in offered
        ):
            return False
        # A value stated about another year or another thing does not answer: "how many awards
        # in 2026?" is not answered by a count without that year, "how many cores in a Vista
        # node?" not by cores per Delta node. The year and the question's names must be in the
        # sentence or in its setting (passage title, heading, a label just before it).
        around = text
        if hit is not None and (asked_years or q_names):
            around = f"{text} {_setting(text, hits[hit])}"
        if asked_years and not all(y in around for y in asked_years):
            return False
        if q_names and hit is not None:
            seen = set(_WORD.findall(around.lower()))
            seen |= {p for w in list(seen) if "-" in w for p in w.split("-") if p}
            stems = {stem(w) for w in seen}
            # A short name's plural ("GPU" → "GPUs") is too short for the stemmer.
            if not all(_present(n, seen, stems) or f"{n}s" in seen for n in q_names):
                return False
        if nouns:
            return counts(text, nouns)
        return has_type(text, atype)

    asks_type = atype != "other" or bool(nouns) or bool(offered)
    best = ranked[:5]
    type_match = float(any(typed(s.text, s.hit) for s in best)) if asks_type else 1.0
    sentence_cov = typed_cov = typed_sim = 0.0
    focus = {w: 0.15 + salience(w) for w in focus_words(question)}
    focus_cov = 0.0 if focus else 1.0
    for s in ranked[:10]:
        sw = set(_WORD.findall(s.text.lower()))
        ss = {stem(w) for w in sw}
        got = sum(wt for w, wt in cov_weights.items() if _present(w, sw, ss))
        cov = got / sum(cov_weights.values()) if cov_weights else 1.0
        sentence_cov = max(sentence_cov, cov)
        if not asks_type or typed(s.text, s.hit):
            typed_cov = max(typed_cov, cov)
            typed_sim = max(typed_sim, s.cosine)
        if focus:
            hit = sum(wt for w, wt in focus.items() if _present(w, sw, ss))
            focus_cov = max(focus_cov, hit / sum(focus.values()))
    bm25_best = max(range(len(hits)), key=lambda i: hits[i].bm25_score or 0.0, default=0)
    dense_best = max(range(len(hits)), key=lambda i: hits[i].dense_score or 0.0, default=0)
    docs = {h.chunk.doc_id for h in hits[:top]}
    topic_value = topic if topic is not None else (sum(dense) / len(dense) if dense else 0.0)
    return {
        "dense_top1": dense[0] if dense else 0.0,
        "dense_margin": dense[0] - dense[1] if len(dense) > 1 else 0.0,
        "best_sentence": best[0].cosine if best else 0.0,
        "salient_coverage": salient_cov,
        "rarest_missing": -rarest_missing,  # higher is better, like every other feature
        "name_coverage": name_cov,
        "salient_missing": -float(salient_missing),
        "unknown_name": -float(unknown),
        "type_match": type_match,
        "wants_value": -float(atype != "other"),
        "bm25_agree": float(bm25_best == dense_best),
        "top_docs": -math.log(max(1, len(docs))),
        "sentence_coverage": sentence_cov,
        "focus_coverage": focus_cov,
        "typed_coverage": typed_cov,
        # How close the question sits to the documents as a whole: the mean similarity of its
        # nearest chunks (the retriever's topicality; else of the hits). Off-topic questions
        # that share a word with the documents still sit far from all of them.
        "topic": topic_value,
        "unknown_rarity": -unknown_rarity,
        "topic_gap": -max(0.0, TOPIC_FLOOR - topic_value),
        "typed_sentence": typed_sim,
        "lookalike": -float(bool(lookalike_names(question, occurs))),
        # the learned reader (reader.py): how well the best sentence reads as an answer
        "reader": max((s.reader for s in sentences if s.reader is not None), default=0.0),
    }
