"""Figures written after their label ("Students: 25", "GPUs x 8", "Q: How many GPUs? A: 8")
rewritten as a count before its noun ("25 students"), the form the parser reads."""

from __future__ import annotations

import re

# Items a job repeats over, as a form labels them ("Scenarios: 200", "Samples: 600 genomes").
_ITEM_LABELS = "scenarios|samples|conditions|sites|languages|regions|subjects|genomes|datasets"
_LABEL = (
    r"((?:students|learners|participants)(?: per (?:term|semester|offering|section|cohort|class))?|"
    r"gpus?(?: per (?:run|job|trial|task|experiment))?|nodes(?: per (?:run|job))?|"
    r"cores(?: per (?:run|job|task))?|runs|weeks|epochs|"
    r"(?:configurations|configs|seeds|jobs|experiments|replicates|simulations|repetitions|"
    r"trials)(?: to \w+| planned)?|"
    r"(?:hours?|h) per (?:run|week|student per week|job|trial|task|experiment)|"
    # the items a job repeats over, listed as a form's field ("Scenarios: 200")
    + _ITEM_LABELS
    + r"|tasks|cohorts|chapters|checkpoints)"
)


def relabel(t: str) -> str:
    """Figures after their label ("Students: 25", "GPUs x 8", "8 of them") → "25 students"."""
    # A pasted config ("gpus_per_trial": 2): the key in words, its quotes dropped.
    t = re.sub(
        r"[\"']([a-z][a-z0-9]*(?:_[a-z0-9]+)*)[\"']\s*:",
        lambda m: m.group(1).replace("_", " ") + ":",
        t,
    )
    t = re.sub(r"\b([a-z]+(?:_[a-z]+)+)\s*[:=]", lambda m: m.group(1).replace("_", " ") + ":", t)

    # A questionnaire: "Q: How many GPUs? A: 8" is "8 gpus"; "How long is one run? A: 2 days"
    # is "each run takes 2 days".
    # A transcript: "host: how many posts? attendee: 2 million." is "2 million posts."
    t = re.sub(
        r"\bhow many ([a-z]+(?: [a-z]+)?)\s*\?\s*(?:[a-z]{1,12}\s*:\s*)?"
        r"(\d+(?:\.\d+)?(?:\s*(?:thousand|million|billion)\b)?)(?![\w.]*\d)",
        r"\2 \1.",
        t,
    )
    # "runs this quarter: two ablations and then the final model, so three": the sum said
    t = re.sub(
        r"(\bruns?\b[^.;\n/]{0,80}?),?\s+so\s+(\d+)(?![\d.]|\s*(?:[a-z-]+[- ])?(?:gpus?|hours?|"
        r"hrs?|h|days?|weeks?|gb|tb|nodes?|cores?|x|times|%|percent)\b)",
        r"\1; \2 runs in all",
        t,
    )
    # "each of the 22 autosomes is one job on 40 cores": as many jobs as items
    t = re.sub(
        r"\beach of (?:the |our |these )?(\d+) (?:[a-z-]+ ){0,2}?[a-z-]+s "
        r"(?:is|gets|becomes|runs as) (?:1|one|a|its own|a single) (job|run|task)\b",
        r"\1 \2s, each",
        t,
    )
    # "so 9 runs", "that makes 9 runs": the total the writer worked out themselves
    t = re.sub(r"\b(?:so|that makes|that is|i\.e\.)\s+(\d+)\s+runs\b", r"\1 runs in all", t)
    # "6 ablation runs + 2 final runs": the runs of each kind added up
    t = re.sub(
        r"(?<![\w.])(\d+)\s+(?:[a-z-]+\s+)?runs?\s*(?:\+|plus)\s*(\d+)\s+(?:[a-z-]+\s+)?runs?\b",
        lambda m: f"{int(m[1]) + int(m[2])} runs in all",
        t,
    )
    # "Q: How many students are in the class? A: 12 each term": the noun right after "how many"
    t = re.sub(
        r"\bhow many ([a-z]+)(?:\s+(?!how\b)[a-z]+){1,6}\s*\?\s*(?:[a-z]{1,12}\s*:\s*)?"
        r"(\d+(?:\.\d+)?(?:\s*(?:thousand|million|billion)\b)?)(?![\w.]*\d)",
        r"\2 \1.",
        t,
    )
    t = re.sub(
        r"\bhow long (?:is|does|will) (?:1|each|a|every) (run|job|epoch)(?: take| last)?\s*\?\s*"
        r"a\s*:\s*",
        r"each \1 takes ",
        t,
    )
    # "Wall time per run: 20 h", "GPU time per student per week: 2.5 hrs": the figure first.
    t = re.sub(
        # (a unit is not part of the label: "so 1 core; time per run: 3 h")
        r"\b(?:(?!(?:cores?|gpus?|nodes?|cpus?)\b)[a-z-]+\s+){0,3}?"
        r"(per (?:student per week|student|run|job|week|epoch|fold|seed|replicate|simulation|"
        r"trial|sample|scenario|genome|sequence|subject|patient|chapter|document|file|image))"
        # (a unit that starts the next label is not this figure's: "GPUs per job: 2 hours per
        # job: 5.5" of a form whose lines were joined)
        r"\s*[:=]\s*((?:about |approximately |roughly |~\s*)?\d+(?:\.\d+)?\s*"
        r"(?:hours?|hrs?|h|days?|minutes?|mins?)\b(?!\s+per\s+[a-z]+\s*[:=]))",
        r", \2 \1",  # the comma keeps the field before it ended
        t,
    )

    def swap(m: re.Match[str]) -> str:
        # "8 GPUs x 24 h" is a product, and in "GPUs: 24 students" 24 counts students.
        if m.group(2) in ("x", "×") and re.search(r"\d\s*$", t[: m.start()]):
            return m.group(0)
        return f"{m.group(3)} {m.group(1)}"

    t = re.sub(
        # "number of runs: about 10": a hedge may stand between the label and its figure.
        rf"\b{_LABEL}\s*(:|=|x|×)\s*(?:about |approximately |roughly |around |~\s*)?"
        # A pasted form loses its line breaks: the next "Label:" ends the figure too.
        # (or the next numbered item of a form: "gpus per job: 2 5. typical job length")
        r"(\d+(?:\.\d+)?)(?!\.?\d)"
        r"(?=[ \t]*(?:[.,;()/|\n*•]|$|and\b|-\s|[a-z][\w -]{0,30}:|\d{1,2}[.)]\s))",
        swap,
        t,
    )

    # "Samples: 600 whole human genomes": the count first, what the items are after it
    t = re.sub(
        # (not "train on these genomes: 8 GPUs per run", where the colon opens the figures)
        r"(?<!these )(?<!the )(?<!our )(?<!on )(?<!of )"
        r"\b(" + _ITEM_LABELS + r")"
        r"\s*:\s*(\d+(?:\.\d+)?)\s+(?!gpus?\b|nodes?\b|cores?\b)(?=[a-z])",
        r"\2 \1 of ",
        t,
    )

    # "train.py --epochs 3": a command-line flag says how many epochs a run has
    t = re.sub(r"--epochs?[= ](\d+)\b", r"\1 epochs", t)

    # "params: 1.3 b", "tokens: 26 b": a size after its label is "1.3b parameters".
    t = re.sub(
        r"\b(params|parameters|model size|tokens|training tokens)\s*[:=]\s*(\d+(?:\.\d+)?)\s*"
        r"(b|bn|billion|m|million|t|trillion)\b",
        lambda m: f"{m[2]}{m[3]} {'tokens' if 'token' in m[1] else 'parameters'}",
        t,
    )

    def them(m: re.Match[str]) -> str:
        nouns = re.findall(r"\b(gpus|nodes|runs|students)\b", t[max(0, m.start() - 60) : m.start()])
        return f"{m.group(1)} {nouns[-1]}" if nouns else m.group(0)

    return re.sub(r"\b(\d+) of them\b", them, t)
