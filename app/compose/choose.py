"""Choose and order the sentences of an extractive answer so the first one answers the question.

Rules, each tested in tests/app/test_compose.py:
- sentences are scored by meaning and word overlap with the question, and preferred when they
  hold the kind of answer asked for (a date for "when", a verdict for "can I", steps for "how do
  I", a name for "who runs");
- a multi-part question gets one cited sentence per part the documents cover, part 1 first;
- a list or steps question takes the neighbouring items of the best list line;
- a sentence that leans on the one before it ("It lasts…") brings it along or is not used;
- repeats of a fact already said, headings, questions, page furniture and pointers to a site
  (unless the question asks where) are not used;
- the answer stays within 1-4 sentences (more only for a list that names its size) and about
  90 words.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from app.answerability.text import split_parts
from app.compose.kinds import (
    asks_where,
    fits_shape,
    is_pointer,
    is_record,
    list_size,
    names_agent,
    question_shape,
)
from app.compose.units import Unit, build_units
from app.compose.words import same_fact, stated_in, terms, unanswered_parts
from index.embedder import Embedder
from index.types import Hit

_PRONOUN_START = re.compile(
    r"^(it|its|it's|this|that|these|those|they|their|them|however|also|such|both|"
    r"there|here|he|she|his|her|instead|otherwise|so|but|and|then)\b",
    re.I,
)
MAX_SENTENCES = 4
MAX_WORDS = 90  # extractive answers stay short; a list of table rows may run longer
_SLACK = 0.2  # how far below the best score a filler sentence may be
TYPE_WEIGHT = 0.12  # a value question (date, number, …) wants a sentence holding that value
RECORD_PENALTY = 0.15  # a table row written out as "key: value; …" answers few prose questions
_SOFT_SHAPES = ("yesno", "procedure", "group")
HEAD_WEIGHT = 1.0  # how much a matching heading lifts its passage's opening sentences
HEAD_FLOOR = 0.5  # heading similarity below this says nothing
SAME_QUESTION = 0.8  # a heading this close asks the question itself: quote it in its own order
_HEAD_DECAY = (1.0, 0.6, 0.3)  # first sentence, second, the rest
# How much better another part must match a shared best sentence before this part is named as
# left open. Chosen on dev (d101-d860, 2026-11-28): 0, 0.05 and 0.1 each named 2 more uncovered
# parts than covered ones (+6/+4, +5/+3, +4/+2); the largest margin names the fewest covered.
SHARED_MARGIN = 0.1


@dataclass(frozen=True)
class Composed:
    """An extractive answer: text with [S#] keys, the keys in order of use, what it leaves open."""

    text: str
    used: list[str]
    uncovered: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Query:
    """One thing to answer: the whole question or one of its parts."""

    text: str
    shape: str
    vec: np.ndarray


def _score(
    q: _Query,
    units: Sequence[Unit],
    cos: np.ndarray,
    head: np.ndarray,
    ranks: Sequence[int],
    where: bool,
    tabular: Sequence[bool],
) -> np.ndarray:
    """Meaning plus word overlap plus a little rank, adjusted for the answer shape wanted.

    `head` is each passage's heading similarity to the question: a FAQ entry whose heading
    asks the same thing opens with the answer, even when the small embedding model does not
    see that sentence as close to the question ("Who can apply?" → "Researchers and …").
    """
    qterms = terms(q.text)
    out = np.empty(len(units))
    for n, u in enumerate(units):
        overlap = len(qterms & terms(u.text)) / max(1, len(qterms))
        s = float(cos[n]) + 0.25 * overlap + 0.04 / ranks[u.hit]
        # A FAQ answer opens with its point; the lines of a slide or list are alike.
        decay = _HEAD_DECAY[1] if u.line_item else _HEAD_DECAY[min(u.pos, 2)]
        s += HEAD_WEIGHT * max(0.0, float(head[u.hit]) - HEAD_FLOOR) * decay
        fits = fits_shape(u.text, q.shape, u.line_item, q.text)
        if q.shape in _SOFT_SHAPES:
            s += 0.06 if fits else 0.0  # a soft preference: many right answers lack the cue
        elif q.shape == "agent":
            s += 0.12 if fits else -0.12
            s += 0.1 if names_agent(u.text) else 0.0
        elif q.shape != "other":
            # A "when" question wants a date, a "how many" a number.
            s += TYPE_WEIGHT if fits else -TYPE_WEIGHT
        if not where and is_pointer(u.text):
            s -= 0.3  # "check the official site" answers nothing unless asked where to look
        if q.shape != "list" and (is_record(u.text) or (tabular[u.hit] and q.shape != "number")):
            # A written-out table row or a count of rows ("3 of the 41 listed awards have …"):
            # the table query answers table questions, and prose questions want prose.
            s -= RECORD_PENALTY
        words = len(u.text.split())
        if words > 45:
            s -= 0.1  # long sentences crowd out the fact
        if u.text.rstrip().endswith(":"):
            s -= 0.1  # an introduction to a list says nothing by itself
        out[n] = s
    return out


def _group(i: int, units: Sequence[Unit], chosen: Sequence[int]) -> list[int] | None:
    """The unit with its antecedent when it starts with a pronoun; None when it has none."""
    if not _PRONOUN_START.match(units[i].text):
        return [i]
    j = units[i].prev
    if j is None or _PRONOUN_START.match(units[j].text):
        return None  # nothing names what "it" is
    return [i] if j in chosen else [j, i]


def _sibling(
    i: int, units: Sequence[Unit], chosen: Sequence[int], shape: str, asked: str, entries: set[int]
) -> bool:
    """The rest of the answer: same passage as the first pick, and of the asked kind or in an
    entry whose heading asks the question (a FAQ answer's second sentence)."""
    if not chosen or units[i].hit != units[chosen[0]].hit:
        return False
    if units[i].hit in entries:
        return True
    if shape in ("other", "yesno"):
        return False
    return fits_shape(units[i].text, shape, units[i].line_item, asked)


def _list_run(i: int, units: Sequence[Unit], size: int) -> list[int]:
    """The best list line with its neighbouring lines of the same passage, in passage order."""
    if not units[i].line_item:
        return [i]
    run = [i]
    j = units[i].prev
    while j is not None and units[j].line_item:
        run.insert(0, j)
        j = units[j].prev
    k = i + 1
    while k < len(units) and units[k].prev == run[-1] and units[k].line_item:
        run.append(k)
        k += 1
    # Items built alike ("Pitfall no. 1: …", "Pitfall no. 2: …") are the list; the lines between
    # them ("Fix: …") are comments on an item.
    first = units[i].text.split()[0].lower()
    alike = [r for r in run if units[r].text.split()[0].lower() == first]
    run = alike if len(alike) >= 2 else run
    size = size or MAX_SENTENCES
    if len(run) <= size:
        return run
    start = max(0, min(run.index(i), len(run) - size))
    return run[start : start + size]


_HEADINGS: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
_HEADINGS_MAX = 4096


def _heading_vectors(heads: list[str], embedder: Embedder) -> np.ndarray:
    """Heading vectors, the ones not seen before embedded in one batch and kept (LRU).

    Headings are few per corpus and recur from question to question; the sentence store holds
    only sentences, so a heading reaches the model once.
    """
    keys = [(embedder.label, h) for h in heads]
    new = sorted({k for k in keys if k not in _HEADINGS and k[1]})
    if new:
        for k, v in zip(new, embedder.encode([h for _, h in new]), strict=True):
            _HEADINGS[k] = v
            if len(_HEADINGS) > _HEADINGS_MAX:
                _HEADINGS.popitem(last=False)
    for k in keys:
        if k[1]:
            _HEADINGS.move_to_end(k)
    zero = np.zeros(embedder.dim, dtype=np.float32)  # no heading (a table row): no lift
    return np.vstack([_HEADINGS[k] if k[1] else zero for k in keys])


def _reading_order(chosen: list[int], units: Sequence[Unit], entries: set[int]) -> list[int]:
    """Sentences of an entry whose heading asks the question, in the entry's own order.

    A FAQ entry states its answer first and qualifies it after; quoting the qualification
    first makes the answer start mid-thought. Other passages keep the order of choice.
    """
    slots: dict[int, list[int]] = {}
    for i in chosen:
        slots.setdefault(units[i].hit if units[i].hit in entries else -1 - i, []).append(i)
    queues = {h: sorted(v, key=lambda i: units[i].pos) for h, v in slots.items()}
    return [queues[units[i].hit if units[i].hit in entries else -1 - i].pop(0) for i in chosen]


_SENTENCE_END = re.compile(r"(?<=[.!])\s+(?=[A-Za-z])")


def _asking_sentence(question: str) -> str:
    """The question sentence after a statement ("X is a sandbox. What rule applies to it?").

    What the asker states sets the topic; the last sentence says what they want to know.
    """
    sentences = _SENTENCE_END.split(question.strip())
    if len(sentences) < 2 or not sentences[-1].rstrip().endswith("?"):
        return ""
    return sentences[-1].strip()


def compose(
    question: str,
    hits: Sequence[Hit],
    keys: Sequence[str],
    embedder: Embedder,
    focus: str = "",
    uncovered: Sequence[str] = (),
) -> Composed:
    """The answer's sentences, the keys they use, and the question parts it leaves open.

    `uncovered` are the parts the decision found no support for: they get no sentence, and
    stay named unless the answer states them after all; a part no answer sentence speaks to
    is named too (see `_left_open`).
    """
    units = build_units(hits)
    if not units:
        return Composed("", [], tuple(uncovered))
    focus = focus or _asking_sentence(question)
    asked = focus or question
    # Parts the documents don't cover get no sentence (matched loosely: the asked sentence of
    # a question splits into shorter parts than the whole question did).
    every = split_parts(asked)
    parts = [p for p in every if not any(p in u or u in p for u in uncovered)]
    if len(every) > 1 and len(parts) == 1:
        # One part is left to answer: it, not the whole question, is what is asked.
        focus = asked = parts[0]
    parts = parts if len(parts) > 1 else []
    queries = [question] + ([focus] if focus else []) + parts
    # A joined unit ("No. Funding is not required.") means what its longer pieces mean: "No."
    # alone carries nothing. Pieces are the index's own sentences, so their vectors are stored.
    meaning = [[p for p in u.pieces if len(p.split()) > 3] or list(u.pieces) for u in units]
    pieces = sorted({p for m in meaning for p in m})
    # The question and its parts were embedded by retrieval, and headings recur from question
    # to question: the embedder's query cache holds them; sentences come from the index store.
    qvecs = np.vstack([embedder.encode_query(q)[0] for q in queries])
    pvecs = embedder.encode(pieces)
    hvecs = _heading_vectors([h.chunk.heading.strip() for h in hits], embedder)
    where = asks_where(asked)
    ranks = [h.rank for h in hits]
    tabular = [h.chunk.kind == "table" for h in hits]
    at = {p: n for n, p in enumerate(pieces)}

    def cos_to(v: np.ndarray) -> np.ndarray:
        c = pvecs @ v
        return np.array([float(np.mean([c[at[p]] for p in m])) for m in meaning])

    def score(q: _Query, headings: bool = True) -> np.ndarray:
        head = hvecs @ q.vec if headings else np.zeros(len(hits))
        return _score(q, units, cos_to(q.vec), head, ranks, where, tabular)

    def score_whole(headings: bool) -> np.ndarray:
        s = score(_Query(question, question_shape(asked), qvecs[0]), headings)
        if focus:
            # What the follow-up itself asks about outweighs the earlier question's topic.
            s = 0.4 * s + 0.6 * score(_Query(focus, question_shape(focus), qvecs[1]), headings)
        return s

    whole = score_whole(True)
    # The heading lift picks the opening sentence; it does not raise the bar for the rest,
    # which is measured without it too.
    flat = score_whole(False)
    part_q = [
        _Query(p, question_shape(p), v)
        for p, v in zip(parts, qvecs[len(queries) - len(parts) :], strict=True)
    ]
    per_part = [score(q) for q in part_q]
    uncovered = (*uncovered, *_shared_best(parts, per_part, units))
    shape = question_shape(asked)
    size = list_size(asked)
    # Only sentences that can stand (a pronoun start needs its antecedent) set the bar.
    order = [int(i) for i in np.argsort(-whole, kind="stable") if _group(int(i), units, [])]
    if not order:
        return Composed("", [], tuple(uncovered))
    best = whole[order[0]]
    flat_best = max(flat[i] for i in order)

    def near(i: int, slack: float) -> bool:
        return bool(whole[i] >= best - slack or flat[i] >= flat_best - slack)

    # Each part's best sentence comes first (part 1 first), then the best of the whole question.
    queue: list[tuple[int, str, int]] = []  # unit, shape wanted, part number (-1: the whole)
    for n, (q, s) in enumerate(zip(part_q, per_part, strict=True)):
        queue += [(int(i), q.shape, n) for i in np.argsort(-s, kind="stable")[:3]]
    queue += [(i, shape, -1) for i in order if near(i, 2 * _SLACK)]
    entries = {h for h, c in enumerate(hvecs @ qvecs[0]) if c >= HEAD_FLOOR}
    chosen: list[int] = []
    done: set[int] = set()
    words = 0
    cap = max(MAX_SENTENCES, size)
    spare: list[int] = []  # an over-long best sentence, used only when nothing else fits
    for i, want, part in queue:
        if part in done or i in chosen:
            continue
        if (
            part < 0
            and not near(i, _SLACK)
            and not _sibling(i, units, chosen, shape, asked, entries)
        ):
            continue
        if any(same_fact(units[i].text, units[j].text) for j in chosen):
            continue
        if not where and is_pointer(units[i].text):
            continue  # navigation ("check the official site") is never the answer
        group = _group(i, units, chosen)
        if group is None:
            continue
        if want in ("list", "procedure") and (part >= 0 or not chosen):
            run = [g for g in _list_run(i, units, size) if g not in chosen]
            group = [g for g in run if not _PRONOUN_START.match(units[g].text)] or group
        n_words = sum(len(units[g].text.split()) for g in group)
        if words + n_words > MAX_WORDS:
            if not chosen and not spare:
                spare = group
            continue
        if len(chosen) + len(group) > cap and chosen:
            continue
        chosen.extend(group)
        words += n_words
        if part >= 0:
            done.add(part)
        if len(chosen) >= cap:
            break
    asks_same = {h for h, c in enumerate(hvecs @ qvecs[0]) if c >= SAME_QUESTION}
    chosen = _reading_order(chosen or spare, units, asks_same)
    out = []
    for i in chosen:
        u = units[i]
        text = u.text.lstrip("> ").rstrip(":;, ")
        text = text if text[-1:] in ".!?" else text + "."
        out.append(f"{text} [{keys[u.hit]}]")
    used = list(dict.fromkeys(keys[units[i].hit] for i in chosen))
    return Composed(" ".join(out), used, _left_open(every, uncovered, out))


def _shared_best(parts: list[str], per_part: list[np.ndarray], units: Sequence[Unit]) -> list[str]:
    """Parts whose best sentence is another part's best, scoring lower there, and not saying
    their own words: one sentence rarely answers two different asks ("What is an SU on X, and
    how many cores does a node of X have?" → "On X one SU is one node-hour.")."""
    best = [int(np.argmax(s)) for s in per_part]
    out = []
    for n, i in enumerate(best):
        rivals = [m for m, j in enumerate(best) if j == i and m != n]
        weaker = any(per_part[m][i] > per_part[n][i] + SHARED_MARGIN for m in rivals)
        if weaker and not stated_in(parts[n], parts, [units[i].text]):
            out.append(parts[n])
    return out


def _left_open(parts: list[str], uncovered: Sequence[str], said: list[str]) -> tuple[str, ...]:
    """The parts the answer leaves open, judged on the parts of the sentence it answered.

    A part the decision left uncovered that the answer states anyway is covered after all; a
    part the answer says nothing about is named rather than letting the answer to the other
    part pass for the whole (never every part).
    """
    left = tuple(u for u in uncovered if not stated_in(u, parts, said))
    if len(parts) > 1 and said:
        extra = [p for p in unanswered_parts(parts, said) if p not in left]
        if len(extra) < len(parts):
            left += tuple(extra)
    return left
