"""Numbers as people write them → digits, before the workload rules read the text.

"eight GPUs", "twenty-four hours", "a couple of runs", "2,000,000 documents" and "20–30 hours"
all become plain digits, so every rule in parse.py matches one form. Readings that are a
choice (a vague count, the end of a range) are returned as notes, so the plan can say so
instead of inventing a number silently.
"""

from __future__ import annotations

import re

from ingest.cells import NUMBER_TENS as _TENS
from ingest.cells import NUMBER_UNITS as _UNITS
from ingest.cells import words_value as _words_value

# "million" stays a word here: sizes ("7 million parameters") read it themselves
_SCALES = {"hundred": 100, "thousand": 1000}
_WORD = "|".join([*_UNITS, *_TENS, *_SCALES, "a", "an", "and"])
# A run of number words: "forty", "twenty-four", "two hundred and fifty", "a hundred".
_RUN = re.compile(rf"\b(?:{_WORD})(?:[\s-]+(?:{_WORD}))*\b")
# A unit of time, or of device time ("GPU-day", "node-hour"), that a share of one may precede.
_TIMED = r"(?:(?:gpu|node|core|cpu)[- ]?)?(?:hours?|days?|weeks?|h\b)"
# Phrases that stand for a count; "a couple of" is vague, so its reading is noted.
_PHRASES = (
    (re.compile(r"\b(?:a\s+)?couple\s+(?:of\s+)?"), "2 ", "“a couple of” is read as 2"),
    (re.compile(r"\ba\s+pair\s+of\s+"), "2 ", ""),
    (re.compile(r"\b(?:a\s+)?dozen\b\s*(?:of\s+)?"), "12 ", ""),
    (re.compile(r"\bhalf\s+a\s+million\b"), "500000", ""),
    (re.compile(r"\bhalf\s+a\s+billion\b"), "500000000", ""),
    (re.compile(r"\b(?:a|one)\s+single\s+|\bsingle\s+(?=\d+\s*gb\b)"), "1 ", ""),
    (re.compile(r"\btwice\b"), "2 times", ""),
    (re.compile(r"\bhalf\s+(?:of\s+)?an?\s+(?=" + _TIMED + ")"), "0.5 ", ""),
    # "a quarter of a GPU-day", "three quarters of an hour": a share of one unit of time
    (re.compile(r"\b(?:a|one)\s+quarter\s+of\s+an?\s+(?=" + _TIMED + ")"), "0.25 ", ""),
    (re.compile(r"\bthree[- ]quarters\s+of\s+an?\s+(?=" + _TIMED + ")"), "0.75 ", ""),
    (re.compile(r"\b(?:a|one)\s+third\s+of\s+an?\s+(?=" + _TIMED + ")"), "0.3333 ", ""),
    (re.compile(r"\bthrice\b"), "3 times", ""),
)
# "a"/"an" counts only directly before a device, a run or a time unit ("an H100", "a day").
# Not "a GPU cluster" (a place, not a count) nor "3 hours a day" (a rate).
_ONE = re.compile(
    r"\b(?:a|an)\s+(?=(?:nvidia\s+)?(?:h100|gh200|a100|a40|v100|l40s|gpu|node|device|"
    r"accelerator|superchip|cs-2|cerebras)\b(?![\w-]*\s+(?:cluster|system|partition|server|queue)))"
    r"|\b(?:(?<=for )|(?<=takes )|(?<=lasts )|(?<=needs )|(?<=about )|(?<=roughly ))"
    r"(?:a|an)\s+(?=(?:hour|day|week)\b)"  # "each run takes a day"
)
_RANGE = re.compile(
    r"(?<![\w.])(?:between\s+(\d+(?:\.\d+)?)\s+and|(\d+(?:\.\d+)?)\s*(?:-|–|—|to))"
    r"\s*(\d+(?:\.\d+)?)(?![\w.])(?=\s*[a-z])"
)


def _replace_run(m: re.Match[str]) -> str:
    """One run of number words → digits; words that are not a number stay as they were."""
    words = [w for w in re.split(r"[\s-]+", m.group(0)) if w]
    # Leading/trailing "a", "an", "and" belong to the sentence, not to the number.
    lead: list[str] = []
    while words and words[0] in ("a", "an", "and") and not (len(words) > 1 and words[1] in _SCALES):
        lead.append(words.pop(0))
    trail: list[str] = []
    while words and words[-1] in ("a", "an", "and"):
        trail.insert(0, words.pop())
    value = _words_value(words) if words else None
    if value is None:
        # "four one-day workshops", "two three-hour labs": two numbers side by side
        if len(words) == 2 and all(w in _UNITS or w in _TENS for w in words):
            said = [str(_UNITS[w]) if w in _UNITS else str(_TENS[w]) for w in words]
            return " ".join([*lead, *said, *trail])
        return m.group(0)
    return " ".join([*lead, str(value), *trail])


def _plain(m: re.Match[str], scale: float) -> str:
    """A number times a scale, written without a decimal point when it is whole."""
    value = float(m.group(1)) * scale
    return f"{value:.0f}" if value == int(value) else f"{value:g}"


_ROW = re.compile(r"^\s*\|?\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|?\s*$")
# A budget table's line number before its label: "C.2 | GPUs per job | 8", "3 | Runs | 5".
_CODED = re.compile(r"^\s*\|?\s*(?:[a-z]{0,2}\.?\d+(?:\.\d+)*[.)]?|#)\s*\|(.*)$", re.I)
_HEADS = ("item", "parameter", "field", "key", "description", "line", "quantity", "value")


def _rows_as_fields(text: str) -> str:
    """A pasted two-column table ("| GPUs per run | 4 |") read as fields ("4 GPUs per run.")."""
    out = []
    for line in text.splitlines():
        line = line.replace("||", "|")  # a wiki's "|| label || value ||"
        if "|" in line and set(line.strip()) <= set("|-: "):
            continue  # the rule under a table's header
        coded = _CODED.match(line)
        m = _ROW.match(coded.group(1) if coded else line)
        if m and "|" in line:
            label, value = m.group(1), m.group(2)
            if label.lower() in _HEADS or value.lower() in _HEADS:
                continue  # the header row
            # A bare figure goes before its label, as people write it ("8 GPUs per job"); a
            # figure with its unit ("40 GB") or words stays a field.
            bare = re.fullmatch(r"~?\s*\d+(?:[.,]\d+)*", value.strip())
            # "dialects | 7, one job per dialect": the figure first, the rest after it
            lead = re.fullmatch(r"(~?\s*\d+(?:\.\d+)?)\s*([,(;].*)", value.strip())
            if lead and not bare:
                out.append(f"{lead[1]} {label} {lead[2]}.")
                continue
            out.append(f"{value} {label}." if bare else f"{label}: {value}.")
            continue
        out.append(line)
    return "\n".join(out)


def table_rows_as_items(text: str) -> str:
    """A pasted table of three or more columns (tabs or pipes, header first) as listed items:
    "LR sweep | 4 | 6 | 5" under "Phase | GPUs | Hours per run | Runs" becomes
    "- LR sweep: 4 GPUs, 6 Hours per run, 5 Runs"."""
    out: list[str] = []
    header: list[str] | None = None
    lines = text.splitlines()
    # A pasted CSV ("job_name,model,gpus_per_job,hours_per_job,repeats"): commas split cells
    # when a header of short names starts it and the next line has as many cells.
    commas = _csv_block(lines)
    for n, line in enumerate(lines):
        if n in commas:
            line = line.replace("_", " ").replace(",", "\t")
        cells = [c.strip() for c in re.split(r"\t|\|", line.strip().strip("|"))]
        if len(cells) < 3 or set(line.strip()) <= set("|-: \t"):
            header = None if len(cells) < 3 else header
            out.append(line)
            continue
        if header is None:
            header = cells
            out.append(line)
            continue
        pairs = [f"{v} {h}" for h, v in zip(header[1:], cells[1:], strict=False) if v]
        out.append(f"- {cells[0]}: {', '.join(pairs)}")
    return "\n".join(out)


def _csv_block(lines: list[str]) -> set[int]:
    """Line numbers of a comma-separated table: a header of short names, then rows as wide."""
    out: set[int] = set()
    for n, line in enumerate(lines):
        head = line.split(",")
        if len(head) < 3 or "\t" in line or "|" in line or n in out:
            continue
        if not all(re.fullmatch(r"[A-Za-z][\w #%/().-]{0,30}", c.strip()) for c in head):
            continue
        rows = [
            k
            for k in range(n + 1, len(lines))
            if len(lines[k].split(",")) == len(head) or lines[k].lstrip().startswith("#")
        ]
        rows = [k for k in rows if not lines[k].lstrip().startswith("#")]
        if rows and rows[0] == n + 1:
            out |= {n, *rows}
    return out


def _dozens(m: re.Match[str]) -> str:
    """'two dozen' → '24'."""
    n = m.group(1)
    return str(12 * (int(n) if n.isdigit() else _UNITS[n]))


# "for 45 days. oh wait - actually 60 days": the speaker's correction replaces the figure.
_CORRECTION = re.compile(
    r"(?:\b(?:oh|no|sorry|wait)\b[\s,.!-]*)*\bactually,?\s+"
    r"(?:make (?:that|it)\s+|it'?s\s+|it is\s+)?(\d+(?:\.\d+)?)\s*([a-z][\w-]*)"
)


def _corrected(t: str, notes: list[str]) -> str:
    """Apply corrections: the last figure before "actually N unit" with that unit becomes N."""
    pos = 0
    while m := _CORRECTION.search(t, pos):
        value, unit = m.group(1), m.group(2).removesuffix("s")
        before = t[: m.start()]
        same = r"(?<![\w.])\d+(?:\.\d+)?(?=\s*" + re.escape(unit) + r"s?\b)"
        earlier = list(re.finditer(same, before))
        if not earlier:
            pos = m.end()  # "it is actually 3 things": nothing earlier to correct
            continue
        e = earlier[-1]
        notes.append(f"the corrected figure {value} {m.group(2)} is read")
        head = before[: e.start()] + value + before[e.end() :].rstrip(" ,.-") + "."
        t, pos = head + t[m.end() :], len(head)
    return t


def _slurm(t: str) -> str:
    """A pasted job script's directives in words: '--nodes=2' → '2 nodes', '--time=30:00:00' →
    '30 hours per run', '--gpus-per-node=4' → '4 gpus per node'."""

    def hours(m: re.Match[str]) -> str:
        days = int(m.group(1) or 0)
        h = days * 24 + int(m.group(2)) + int(m.group(3) or 0) / 60
        return f" {h:g} hours per run "

    t = re.sub(r"(?:--time|-t)[= ]\s*(?:(\d+)-)?(\d{1,3}):(\d\d)(?::\d\d)?", hours, t)
    t = re.sub(r"(?:--nodes|-n)[= ]\s*(\d+)\b", r" \1 nodes ", t)
    t = re.sub(r"--(?:gpus-per-node|gres=gpu(?::[\w-]+)?)[=:]\s*(\d+)\b", r" \1 gpus per node ", t)
    t = re.sub(r"--gpus[= ]\s*(\d+)\b", r" \1 gpus ", t)
    nodes, per = re.search(r" (\d+) nodes ", t), re.search(r" (\d+) gpus per node ", t)
    if nodes and per:  # the directives sit on separate lines: say them as one run's size
        t += f" ({nodes[1]} nodes with {per[1]} gpus each)"
    return t


def normalize(text: str) -> tuple[str, list[str]]:
    """Lower-cased text with numbers as digits, and notes on readings that were a choice."""
    t = " ".join(_rows_as_fields(text).lower().split()).replace("×", " x ").replace("·", "-")
    # "LR in {1e-5, 2e-5, 5e-5}": a set of settings is that many values
    t = re.sub(r"\{([^{}]{1,80})\}", lambda m: f"{len(m.group(1).split(','))} values", t)
    if "#sbatch" in t:
        t = _slurm(t)
    notes: list[str] = []
    t = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", t)  # 2,000,000 → 2000000
    t = re.sub(r"\s*(?:\.{3,}|…+)\s*(?=\S)", ": ", t)  # "params ...... 1.3 b": a dotted leader
    # "1e10 tokens", "2.4k steps": written-out magnitudes become plain numbers.
    t = re.sub(r"(?<![\w.])(\d+(?:\.\d+)?)e(\d{1,2})\b", lambda m: _plain(m, 10 ** int(m[2])), t)
    t = re.sub(r"(?<![\w.])(\d+(?:\.\d+)?)k\b", lambda m: _plain(m, 1000), t)
    t = re.sub(r"\b(?:a|one)\s+fortnight\b", "2 weeks", t)
    # "two dozen", "3 dozen": that many twelves (before "a dozen" is read as 12).
    t = re.sub(r"\b(\d+|two|three|four|five|six)\s+dozen\b", _dozens, t)
    for pattern, digits, note in _PHRASES:
        if pattern.search(t):
            t = pattern.sub(digits, t)
            if note:
                notes.append(note)
    t = re.sub(r"≈\s*", "about ", t)  # "Each run ≈ 20 h"
    # "1.5 × 10^10 tokens", "2x10^9": a figure in scientific notation, written out
    t = re.sub(
        r"(?<![\w.])(\d+(?:\.\d+)?)\s*[×x*]\s*10\s*\^\s*(\d{1,2})\b",
        lambda m: f"{float(m[1]) * 10 ** int(m[2]):.0f}",
        t,
    )
    t = re.sub(r"\bzero-?([123])\b", r"zero\1", t)  # DeepSpeed's ZeRO-3 names a stage, not 0–3
    # "40 milion abstracts": a scale word typed with a letter short or over
    t = re.sub(r"\b(?:milion|millon|milllion|mllion)\b", "million", t)
    t = re.sub(r"\b(?:bilion|billon|billlion)\b", "billion", t)
    # "80 thousand reports": digits before a scale word ("million" stays a word: sizes use it).
    t = re.sub(
        r"(?<![\w.])(\d+(?:\.\d+)?)\s+(hundred|thousand)\b",
        lambda m: _plain(m, 100 if m[2] == "hundred" else 1000),
        t,
    )
    t = _RUN.sub(_replace_run, t)
    # "a day and a half": one and a half of the unit
    t = re.sub(r"\b(?:an?|1)\s+(day|hour|week)\s+and\s+a\s+half\b", r"1.5 \1s", t)
    # "two-and-a-half days", "3 and a half hours": the number and its half
    t = re.sub(r"(?<![\w.])(\d+)[- ]and[- ]a[- ]half\b", lambda m: f"{int(m.group(1)) + 0.5:g}", t)
    t = _ONE.sub("1 ", t)

    def upper(m: re.Match[str]) -> str:
        low, high = m.group(1) or m.group(2), m.group(3)
        if float(high) <= float(low):  # not a range: a date (2025-11) or a list
            return m.group(0)
        # "weeks 1-4", "chapters 3-5": which ones, not how many
        if re.search(
            r"\b(?:weeks?|wks?|days?|chapters?|sections?|modules?|units?|lectures?)\s*$",
            m.string[: m.start()],
        ):
            return m.group(0)
        notes.append(f"the range {low}–{high} is read as its upper end, {high}")
        return high

    t = re.sub(r"\b(\d+) and a half\b", r"\1.5", t)  # "2 and a half days"
    # "~1/2 day", "3/4 of an hour": a fraction before a unit of time.
    t = re.sub(
        r"(?<![\w/.])([1-9])/([2-9])(?![\d/])(?=\s*(?:of\s+an?\s+)?(?:(?:gpu|node|core|cpu)[- ]?)?"
        r"(?:days?|hours?|hrs?|h\b|weeks?))",
        lambda m: f"{int(m[1]) / int(m[2]):g}",
        t,
    )
    t = re.sub(r"(?<=\d) of an? (?=(?:day|hour|week)\b)", " ", t)

    # "2 or 3 experiments": a choice of counts is read as its upper end, like a range.
    def choice(m: re.Match[str]) -> str:
        notes.append(f"“{m[1]} or {m[2]}” is read as its upper end, {m[2]}")
        return m[2]

    t = re.sub(
        r"(?<![\w.])(\d+)\s+or\s+(\d+)(?=\s+(?:[\w-]+\s+)?(?:runs|experiments|trials|seeds|jobs|"
        r"repeats|replicates|passes|rounds)\b)",
        lambda m: choice(m) if int(m[2]) > int(m[1]) else m[0],
        t,
    )
    t = _corrected(t, notes)
    t = _RANGE.sub(upper, t)
    return t, notes
