"""Repeats said apart from the count of runs, which multiply it.

People describe one unit of work and then, often in another sentence, how often it is done
again: "repeat everything with 5 random seeds", "each essay is scored under 5 rubric
conditions", "passes: x2", "an adapter for each of six languages". The readers in runs.py take
the first phrasing they recognise; a repeat count said elsewhere that no reading used would
otherwise be dropped and the estimate come out several times too small. Seeds, replicates,
passes and conditions are repeats by their meaning; "for each of N things" repeats whatever a
run is. A count already read (the runs, a count such as GPUs or epochs, a figure or noun in a
note, or another figure of its sentence that divides the runs) is not multiplied again.
"""

from __future__ import annotations

import re
from typing import Any

from app.plan.figures import num

# "5 random seeds", "3 seeds", "5 rubric conditions", "2 passes"; "passes: x2" in a list.
_REPEATS = re.compile(
    r"(?<![\w.])(\d+)\s+(?!more\b|extra\b|additional\b|other\b|further\b)(?:[a-z]+\s+)?"
    r"(seeds|replicates|repeats|repetitions|conditions|passes)\b"
    r"|\b(passes|seeds|repeats|replicates)\s*[:=]\s*(?:x|×)?\s*(\d+)\b",
    re.IGNORECASE,
)
# "5 runs total", "10 runs in all", "altogether 12 runs": the runs said as a total
_TOTAL = re.compile(
    r"(?<![\w.])\d+\s+(?:[a-z]+\s+)?(?:runs|jobs|experiments|trainings)\s+"
    r"(?:in\s+)?(?:total|all|altogether|overall)\b"
    r"|\b(?:in total|altogether|in all|overall)\b[^.;]{0,15}?(?<![\w.])\d+\s+(?:runs|jobs)\b",
    re.IGNORECASE,
)
# "for each of six languages (…)", "for every one of the 18 hurricanes"
_ITEMS = re.compile(
    r"\b(?:for|at|in) (?:each|every)(?: one)? of (?:the |our |these |those )?(\d+)\s+"
    r"((?:[\w-]+\s+){0,2}?[a-z]+s)\b",
    re.IGNORECASE,
)
# Where a sentence (or a field of a pasted form) ends: not the point inside "2.4".
_SENTENCE_END = re.compile(r"(?<!\d)\.(?!\d)|[;|\n!?]")
# "for each one we do three seeds", "for each of them, 2 runs": repeats of items said before
_EACH_ONE = re.compile(
    r"\bfor (?:each|every) (?:one|1|of (?:them|these|those))\b[^.;]{0,30}?(?<![\w.])\d+\s+"
    r"(?:[a-z]+\s+)?(?:seeds|runs|repeats|replicates|trials)\b",
    re.IGNORECASE,
)
_COUNTED = re.compile(r"(?<![\w.])(\d+)\s+((?:[\w-]+\s+){0,2}?[a-z]+s)\b")
# ", x3 seeds", "× 2 data mixes": a count after a multiplication sign
_TIMES_N = re.compile(
    r"(?:^|[,;(]|\band)\s*(?:x|×)\s*(\d+)\s+((?:[\w-]+\s+){0,2}?[a-z]+s)\b", re.IGNORECASE
)
# "5 experiments at each site": runs said per item, the items counted elsewhere
_AT_EACH = re.compile(
    r"(?<![\w.])\d+\s+(?:[\w-]+\s+)?(?:runs|jobs|experiments|trials|simulations|models)\s+"
    r"(?:at|in|for|on|from|per)\s+(?:each|every)\s+([a-z]{3,}?)\b",
    re.IGNORECASE,
)
# "retrained every month for 6 months", "re-run each quarter for 4 quarters"
_AGAIN_EVERY = re.compile(
    r"\b(?:re-?train\w*|re-?run\w*|re-?fit\w*|repeat\w*|redone|redo)\s+(?:(?:again|once)\s+)?"
    r"(?:every|each|once a|once per)\s+(week|month|quarter|day|year)\s+for\s+(?:the\s+)?"
    r"(?:next\s+|following\s+)?(\d+)\s+(?:weeks|months|quarters|days|years)\b",
    re.IGNORECASE,
)
# ", for 4 candidate architectures" closing a list of counts
_FOR_N = re.compile(r",\s*for\s+(\d+)\s+((?:[\w-]+\s+){0,2}?[a-z]+s)\b", re.IGNORECASE)
# "the whole thing is repeated for both the 2024 and the 2025 seasons"
_BOTH = re.compile(
    r"\b(?:repeat\w*|again|redo\w*|re-?run\w*)\b[^.;]{0,40}?\bfor both\b[^.;]{0,40}?\b([a-z]+s)\b",
    re.IGNORECASE,
)
# "per site: 5 folds …", "runtime per language", "3 days per training campaign": the work said
# for one item, the items counted elsewhere ("both imaging sites", "14 languages")
_PER_ITEM = re.compile(r"\bper\s+(?:[a-z]+\s+)?([a-z]{3,})\b", re.IGNORECASE)
# What a "per" measures rather than a block of work: units, runs and the things processed.
_NOT_BLOCK = re.compile(
    r"^(?:gpu|node|core|cpu|card|device|hour|minute|second|day|week|month|year|run|job|fold|"
    r"seed|epoch|step|batch|image|page|token|file|sample|item|record|document|student|learner|"
    r"participant|person|user|trial|experiment|parameter|instance|task|query|request|call|word|"
    r"frame|clip|video|patient|subject|model|adapter|configuration|config|setting|variant)$"
)
# "about 3 GB per replicate", "$40 per site": a size or a price per item, not work per item
_SIZE_BEFORE = re.compile(r"(?:\b(?:[gtmkp]i?b|usd|dollars?|credits?|%)|\$\s*[\d.,]+)\s*$", re.I)
_TOTAL_UNIT = re.compile(
    r"\b(?:gpu|node|core|cpu)[- ]?(?:hours?|days?|weeks?)\b|\bsus?\b|\bservice units\b", re.I
)
# ", x2 (coarse stage, then fine stage)": a multiplication sign with the reason in brackets
_TIMES_BARE = re.compile(r"[,;]\s*(?:x|×)\s*(\d+)\s*(?=\(|[.;]|$)", re.IGNORECASE)
# "then double it", "triple that": the whole set again
_DOUBLE = re.compile(
    r"\b(double|triple)\s+(?:it|that|this|everything|the (?:runs|jobs|total|lot))\b",
    re.IGNORECASE,
)
# "40 checkpoints of a 13B model, each under 3 prompt templates": items, each run M ways
_EACH_UNDER = re.compile(
    r"(?<![\w.])(\d+)\s+((?:[\w-]+\s+){0,2}?[a-z]{3,}s)\b[^.;]{0,60}?,\s*each\s+(?:under|with|in|"
    r"at|on|across|using|for)\s+(\d+)\s+((?:[\w-]+\s+){0,2}?[a-z]{3,}s)\b",
    re.IGNORECASE,
)
# "6 tasks and each task gets 4 seeds": the items, each given its own runs
_EACH_GETS = re.compile(
    r"(?<![\w.])(\d+)\s+((?:[\w-]+\s+)?([a-z]{3,}?)s)\s*(?:,|and|;)\s*(?:then\s+)?each\s+"
    r"([a-z]{3,})\s+(?:gets|has|uses|needs|with|takes|runs)\b",
    re.IGNORECASE,
)
# Counts of people or outputs are context, never repeats of the work.
_PEOPLE = re.compile(
    r"(?:students?|authors?|people|persons?|members?|staff|papers?|gpus?|nodes?|cores?|cards?|"
    r"devices?|users?|years?|months?|weeks?|days?|hours?)$"
)


def repeats_on_top(t: str, f: dict[str, Any]) -> None:
    """Multiply the runs by each repeat count the reading so far has not used."""
    if f.get("task") == "classroom":
        return  # a course's sections and offerings are read by courses.py
    if _TOTAL.search(t):
        return  # "5 runs total (3 data mixes, then 2 seeds)": the breakdown is in the total
    runs = int(f.get("runs") or 1)
    # counts already read (not sizes or hours: "half a day" is 12 h, no count of 12 things)
    counts = ("gpus", "nodes", "epochs", "students", "cpu_cores", "sections", "weeks")
    used = {float(runs)} | {float(f[k]) for k in counts if isinstance(f.get(k), int | float)}
    said = (x for note in f["assumed"] for x in re.findall(r"(?<![\w.,])\d[\d,]*(?:\.\d+)?", note))
    used |= {num(x.replace(",", "")) for x in said}  # "2,400,000" is one figure, not 2
    notes = " ".join(f["assumed"]).lower()
    seen: set[tuple[float, str]] = set()
    found: list[tuple[float, str, int]] = []
    per_item: set[int] = set()  # items that "for each one" says the runs repeat over
    for m in _REPEATS.finditer(t):
        n, noun = (num(m.group(1)), m.group(2)) if m.group(1) else (num(m.group(4)), m.group(3))
        found.append((n, noun.lower(), m.start()))
    for m in _ITEMS.finditer(t):
        if not _PEOPLE.search(m.group(2).split()[-1]):
            found.append((num(m.group(1)), m.group(2).lower(), m.start()))
    for m in _EACH_ONE.finditer(t):
        # "a dozen environments, and for each one we do three seeds": the items said before
        items = list(_COUNTED.finditer(t[: m.start()]))
        if items and not _PEOPLE.search(items[-1].group(2).split()[-1]):
            found.append((num(items[-1].group(1)), items[-1].group(2).lower(), items[-1].start()))
            per_item.add(items[-1].start())
    for m in _TIMES_N.finditer(t):
        # "5 folds per configuration, x3 seeds": a multiplication sign says it multiplies
        if not _PEOPLE.search(m.group(2).split()[-1]):
            found.append((num(m.group(1)), m.group(2).lower(), m.start()))
            per_item.add(m.start())
    for m in _FOR_N.finditer(t):
        # "… per configuration, for 4 candidate architectures": what the runs are per
        lo, _ = _sentence(t, m.start())
        per = re.findall(r"\bper\s+([a-z]{3,}(?:\s+[a-z]{3,})?)", t[lo : m.start()])
        # "one model per enzyme family, for five enzyme families": the runs readers counted those
        last = m.group(2).split()[-1]
        per_words = {w[:5] for p in per for w in p.split()}
        if per and last[:5] not in per_words and not _PEOPLE.search(last):
            found.append((num(m.group(1)), m.group(2).lower(), m.start()))
            per_item.add(m.start())
    for m in _AT_EACH.finditer(t):
        # "5 experiments at each site" … "Sites: 2 hospitals": the work again at every site
        noun = m.group(1)
        sites = re.search(rf"\b{noun}s?\s*[:=]\s*(\d+)\b", t) or re.search(
            rf"(?<![\w.])(\d+)\s+(?:[\w-]+\s+)?{noun}s\b", t
        )
        if sites and not _PEOPLE.search(noun):
            found.append((num(sites.group(1)), f"{noun}s", m.start()))
            per_item.add(m.start())
    for m in _AGAIN_EVERY.finditer(t):
        # "retrained every month for 6 months": the whole set once per period
        found.append((num(m.group(2)), f"{m.group(1)}s", m.start()))
        per_item.add(m.start())
    for m in _BOTH.finditer(t):
        found.append((2.0, m.group(1).lower(), m.start()))  # "repeated for both seasons"
    for m in _PER_ITEM.finditer(t if f.get("total_amount") is None else ""):
        # a total said per item is multiplied by amounts.py; a size "per replicate" is output
        noun = m.group(1).lower()
        if _NOT_BLOCK.match(noun) or _PEOPLE.search(noun) or _SIZE_BEFORE.search(t[: m.start()]):
            continue
        if _TOTAL_UNIT.search(t[m.end() : m.end() + 60]):
            continue  # "per cohort it's 2.5 GPU-days": a total per item, which amounts.py counts
        many = re.search(rf"(?<![\w.])(\d+|both)\s+(?:[\w-]+\s+){{0,2}}?{noun}(?:s|es)\b", t)
        if many:  # checked like any count: a sentence whose figures made the runs fed them
            n = 2.0 if many.group(1) == "both" else num(many.group(1))
            found.append((n, f"{noun}s", many.start()))
    explicit: set[int] = set()  # "x2 (…)", "double it": a multiplication said as one
    for m in _TIMES_BARE.finditer(t):
        found.append((num(m.group(1)), "repeats", m.start()))
        explicit.add(m.start())
    for m in _DOUBLE.finditer(t):
        found.append((2.0 if m.group(1).lower() == "double" else 3.0, "repeats", m.start()))
        explicit.add(m.start())
    per_item |= explicit
    for m in _EACH_UNDER.finditer(t):
        # one product, checked like any count ("12 experiments: 4 ablations, each with 3
        # seeds" said the 12 already)
        if not _PEOPLE.search(m.group(2).split()[-1]) and not _PEOPLE.search(m.group(4)):
            pair = f"{m.group(2).lower()} × {m.group(3)} {m.group(4).lower()}"
            found.append((num(m.group(1)) * num(m.group(3)), pair, m.start()))
    for m in _EACH_GETS.finditer(t):
        if m.group(4).lower().startswith(m.group(3).lower()[:4]) and not _PEOPLE.search(m.group(3)):
            found.append((num(m.group(1)), m.group(2).lower(), m.start()))
            per_item.add(m.start())
    for n, noun, at in found:
        if n < 2 or n > 1000 or (n in used and at not in explicit) or (n, noun) in seen:
            continue
        if at not in per_item and _fed_runs(t, at, n, runs):
            continue
        if any(w[:5] in notes for w in noun.split() if len(w) >= 4):
            continue  # a note already reads it ("one run for each partner" of 12 clinics)
        seen.add((n, noun))
        before = runs
        runs *= int(n)
        f["assumed"].append(f"{before} run(s) × {n:g} {noun} are read as {runs} runs")
    if seen:
        f["runs"] = runs


def _sentence(t: str, at: int) -> tuple[int, int]:
    """The bounds of the sentence (or form field) around a position."""
    bounds = [0, *(m.end() for m in _SENTENCE_END.finditer(t)), len(t)]
    return max(b for b in bounds if b <= at), min(b for b in bounds if b > at)


def _fed_runs(t: str, at: int, n: float, runs: int) -> bool:
    """Whether the sentence holding a repeat count is where the runs were read: another figure
    in it divides the runs ("one adapter per language for 12 languages, each with 2 seeds" gave
    24 runs; "five runs (three seeds and two variants)" gave 5)."""
    lo, hi = _sentence(t, at)
    figures = {num(x) for x in re.findall(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])", t[lo:hi])}
    return any(m > 1 and m == int(m) and runs % int(m) == 0 for m in figures - {n})
