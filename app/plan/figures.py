"""The small readers every workload module shares: a bare number, a duration, a rate's tail."""

from __future__ import annotations

import re

# A number standing alone (numbers.normalize has turned words into digits): not the "100" of
# "V100", and never the start of a longer number (the "8" of "80 GB").
N = r"(?<![\w.])(\d+(?:\.\d+)?)(?![\d.]*\d)"


# Up to two describing words before a counted noun, none of them a unit ("8 hours per site" is
# no count of sites).
DESCRIBE = (  # ("1 model by language" is no count of languages)
    r"(?:(?!(?:per|each|by|for|of|hours?|hrs?|h|minutes?|mins?|days?|weeks?)\b)[\w-]+\s+){0,2}?"
)


def count_of(noun: str, text: str) -> re.Match[str] | None:
    """The first count of a noun said elsewhere: '12 regions', '3 aircraft families' (group 1)."""
    word = (
        # "campus" read lazily as "campu" still finds "campuses"
        re.escape(noun[:-1]) + r"(?:y|ies)"
        if noun.endswith("y")
        else re.escape(noun) + "(?:e?s|ses)?"
    )
    # "a 9-task benchmark" counts tasks too
    return (
        first(N + r"\s+" + DESCRIBE + word + r"\b", text)
        or first(N + "-" + word + r"\b", text)
        # a list of labels and figures: "ckpts -> 40", "Benchmarks: 6", "seeds = 3",
        # "Checkpoints to evaluate: 14" (not "students per section: 30": a count of each)
        or first(
            r"\b" + word + r"(?:\s+(?!per\b|each\b|an?\b)[a-z]+){0,2}\s*(?:->|→|=|:|\.{3,})\s*" + N,
            text,
        )
    )


def num(s: str) -> float:
    """A number written with digits (normalize has removed thousands separators)."""
    return float(s)


def first(pattern: str, text: str) -> re.Match[str] | None:
    """First match, case-insensitive."""
    return re.search(pattern, text, re.IGNORECASE)


_HOURS_IN = {"s": 1 / 3600, "m": 1 / 60, "h": 1.0, "d": 24.0, "w": 168.0}


def hours_of(value: str, unit: str) -> float:
    """A duration in hours (a week is 168 h: running around the clock)."""
    return num(value) * _HOURS_IN["m" if unit.startswith("min") else unit[0]]


# A duration that is a rate ("3 hours a week"), a deadline ("within 2 weeks") or an amount of
# data ("500 hours of audio") is not the length of a run.
RATE = re.compile(
    r"\s*(?:per|a|an|each|every)\s+(?:\d|(?:(?!x\d)\w+\s+)?(?:week|day|month|student|document|sample|"
    r"item|image|query|querie|prompt|file|example|record|page|token|learner|participant|"
    r"trainee|attendee|person)s?\b)|\s*/\s*(?:week|wk|day|month|student)\b"
)  # "3 hours a week", "2 hours per 1000 documents", "2 GPU hrs/week": rates, not run lengths

# What people call one repetition of the work: a run, a job, a pass over the data, a batch…
RUN_NOUN = (
    r"(?:training\s+)?(?:run|job|experiment|trial|pass|batch|attempt|benchmark|round|iteration|"
    r"sweep|replicate|repetition|fit|try|tries|simulation|configuration|config)"
)

# Who a course serves, in the words people use ("per student", "each trainee").
LEARNER = r"(?:student|learner|participant|trainee|attendee|camper|person)"


# "5 random seeds", "3 trial runs": one describing word may stand before the noun.
# "10 cross-validation runs", "3 different random seed(s)": up to two describing words.
# "on 1 gpu it runs at 30x": a pronoun before "runs" makes it a verb, not a count of runs.
_NOT_TIME = r"(?!(?:hours?|hrs?|h|days?|weeks?|minutes?|mins?|per|each|an?|it|this|that|which)\b)"
RUNS = (
    r"\s*(?:" + _NOT_TIME + r"[a-z]+(?:-[a-z0-9]+)*[\s-]+){0,2}"
    r"(?:runs|experiments|trials|seeds?|jobs|configurations|configs|passes|batches|"
    r"attempts|benchmarks|rounds|iterations|sweeps|replicates|repetitions|repeats|ablations|"
    # "the card runs out (of memory)" counts no runs.
    r"restarts|folds|variants|tests|fits|tries|simulations|cycles|sessions)\b(?!\s+out\b)"
)
