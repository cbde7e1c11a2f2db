"""What kind of value a question asks for, and whether a sentence holds one."""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.answerability.text import FUNCTION_WORDS, context_spans, stem

_MONEY_Q = r"\b(cost|costs|fee|fees|pay|(?<!in )charged?)\b"
# A figure in dollars: "free" answers what something costs, not its price or dollar value.
_AMOUNT_Q = r"\b(dollars?|usd|price|prices|priced|dollar value|budget|how much money)\b|\$"
_NUMBER_Q = r"\b(how (many|big|large)|number of)\b"
# Words that hint at a number but name no kind of value: used only when nothing else does.
_WEAK_NUMBER_Q = re.compile(
    r"\b(how much|maximum|minimum|max|min|limit|cap|largest|biggest|smallest|total|scores?)\b"
    # "the most GPUs an allocation may hold" wants a figure; "the most common mistake" does not.
    r"|\bthe most\s+(?!(?:common|important|popular|useful|likely|recent|relevant|suitable|"
    r"appropriate|helpful|frequent|often)\b)[a-z-]+s\b",
    re.I,
)
# Question cues for each answer type. The cue that comes first in the question wins ("how many
# pages … is due" asks for a number, not a date); on a tie the order here decides.
_ATYPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("contact", re.compile(r"\b(phone|telephone|e-?mail address|contact details|fax)\b", re.I)),
    (
        "percent",
        re.compile(
            r"\b(percent|percentage|ratio|share of|acceptance rate|success rate|"
            r"approval rate|accuracy|error rate)\b|\bwhat share\b",
            re.I,
        ),
    ),
    ("time", re.compile(r"\b(what time|weekday|o'clock|time ?zone)\b", re.I)),
    ("amount", re.compile(_AMOUNT_Q, re.I)),
    ("money", re.compile(_MONEY_Q, re.I)),
    (
        "duration",
        re.compile(
            r"\bhow (long|much time|many (days|weeks|months|years|hours))\b"
            r"|\bthe (longest|shortest)\b",
            re.I,
        ),
    ),
    # "By what date…", "which day…": a day on the calendar, not a length of time.
    (
        "calendar",
        re.compile(r"\b(what|which) (date|day)\b|\bby what (date|day)\b|\bon what date\b", re.I),
    ),
    # "when" asks for a date only as a question word, not in "what trips people up when…".
    (
        "date",
        re.compile(
            r"(?:^|[,;:.?!]\s*|\b(?:and|but|or|so|then)\s+)when\b|\b(what date|which date|"
            r"what day|which day|deadline|due|by what day|how soon|dates?)\b",
            re.I,
        ),
    ),
    # "Which PyTorch version…" is answered by a version, not by any sentence about PyTorch.
    ("version", re.compile(r"\b(which|what)\b[^?.,;]{0,30}\bversions?\b|\bversion number\b", re.I)),
    # "What clock speed…", "is the network 200 or 400 Gbps?": a figure with a rate unit.
    ("speed", re.compile(r"\b(clock speed|clock rate|frequency|ghz|mhz|gbps|bandwidth)\b", re.I)),
    ("number", re.compile(_NUMBER_Q, re.I)),
)


# "how many GPUs…", "the number of students…", "a word limit", "the maximum node count".
_COUNTED = re.compile(
    r"\b(?:how many|how much|number of|(?:maximum|minimum|max|min)(?: number of)?)"
    r"\s+((?:[a-z0-9][a-z0-9'\-]*\s+){0,2}[a-z0-9][a-z0-9'\-]*)"
    r"|\b([a-z][a-z\-]*)\s+(?:limit|cap|count)s?\b",
    re.I,
)
_NUMBER_WORD = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    r"forty|fifty|hundred|thousand|dozen|a few|several)"
)


def count_nouns(question: str) -> list[str]:
    """The things a question wants a number of, as stems ([] when it wants none)."""
    out: list[str] = []
    for m in _COUNTED.finditer(question):
        phrase = (m.group(1) or m.group(2) or "").lower().split()
        for w in phrase:
            if w in FUNCTION_WORDS or w in {"much", "many", "long", "per", "number", "time"}:
                break  # the noun phrase ends at the first function word
            out.append(stem(w))
    return out


# Quantities stated by their unit rather than by name: "how much memory" is answered by
# "80 GB each", which never says "memory".
_MEASURED = {
    stem(word): unit
    for word, unit in {
        "memory": r"[kmgtp]i?b|bytes?|gigabytes?|terabytes?|megabytes?",
        "storage": r"[kmgtp]i?b|bytes?|gigabytes?|terabytes?|petabytes?",
        "ram": r"[kmgt]i?b|gigabytes?|terabytes?",
        "vram": r"[kmgt]i?b|gigabytes?",
        "hbm": r"[kmgt]i?b|gigabytes?",
        "disk": r"[kmgtp]i?b|gigabytes?|terabytes?",
        "bandwidth": r"[kmgt]bps|[kmgt]b/s|gigabits?",
    }.items()
}  # keyed by stem, as count_nouns gives its nouns


def counts(text: str, noun: str | Sequence[str]) -> bool:
    """Whether a sentence gives a number of `noun` ("up to 40 students", "three pages")."""
    nouns = [noun] if isinstance(noun, str) else list(noun)
    # A digit inside a name ("CS-2", "A100") is no count.
    num = rf"(?<![\w-])(?:\d[\d,.]*|{_NUMBER_WORD})"
    for n in nouns:
        unit = _MEASURED.get(n)
        if unit and re.search(rf"\b{num}\s*(?:{unit})\b", text, re.I):
            return True
        # A noun joined to the next word by a hyphen modifies it: "45000 node-hours" is an
        # amount of time, not a number of nodes; "3 GPU-enabled nodes" counts nodes.
        n = re.escape(n) + r"[a-z]*(?![\w-])"
        pattern = rf"\b{num}\s+(?:[\w\-]+\s+){{0,2}}{n}|\b{n}\W+(?:[\w\-]+\W+){{0,2}}{num}\b"
        if re.search(pattern, text, re.I):
            return True
    return False


def answer_type(question: str) -> str:
    """What kind of answer the question wants: the type whose cue comes first, or 'other'."""
    found = [
        (m.start(), i, name)
        for i, (name, pattern) in enumerate(_ATYPES)
        for m in [pattern.search(question)]
        if m
    ]
    if found:
        return min(found)[2]
    return "number" if _WEAK_NUMBER_Q.search(question) else "other"


_DATE = (
    r"\b(january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|20\d\d|\d{4}-\d\d-\d\d|quarterly|"
    r"monthly|annually|rolling|any time|anytime)\b"
)
_DURATION = (
    rf"\b(?:\d+|{_NUMBER_WORD})\s*(?:-\s*|to\s+\S+\s+)?(?:days?|weeks?|months?|years?|hours?)\b"
)
_TYPED = {
    "contact": re.compile(
        r"\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}|[\w.+-]+@[\w-]+\.[\w.]+|\bhelp ?desk\b|\bticket", re.I
    ),
    "percent": re.compile(r"\d\s?%|\bpercent\b|\b\d+ (in|of|out of) (\d+|every)\b", re.I),
    "time": re.compile(
        r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b"
        r"|\b\d{1,2}(:\d\d)?\s?(am|pm|a\.m\.|p\.m\.)|\b(noon|midnight)\b|\b\d{1,2}:\d\d\b"
        r"|(?-i:\b(?:ET|EST|EDT|CT|CST|PT|PST|PDT|MT|UTC|GMT)\b)"
        r"|\b(eastern|central|pacific|mountain) time\b",
        re.I,
    ),
    "amount": re.compile(r"\$\s?\d|\b\d[\d,.]*\s?(dollars|usd|million|billion)\b", re.I),
    "money": re.compile(
        r"\$\s?\d|\b\d[\d,.]*\s?(dollars|usd)\b|\bfree\b|no cost|at no charge"
        r"|\bcosts?\b[^.]{0,30}\bnothing\b"
        # Charges are often stated in the resource's own unit: "4 SUs per vCPU-hour".
        r"|\b\d[\d,.]*\s?(sus?|service units?|credits?)\b",
        re.I,
    ),
    # A "when" is answered by a date, a relative time ("at 1, 3 and 9 months") or "rolling".
    "date": re.compile(rf"{_DATE}|{_DURATION}", re.I),
    # "What date…" is answered by a date or by "rolling"/"any time", not by "12 months".
    "calendar": re.compile(_DATE, re.I),
    # "How long can the report be?" is answered by a length as well as by a time.
    "duration": re.compile(
        rf"{_DURATION}|\b(?:\d+|{_NUMBER_WORD})\s+(?:\w+\s+)?(?:pages?|paragraphs?|words?)\b",
        re.I,
    ),
    "number": re.compile(rf"\d|\b{_NUMBER_WORD}\b", re.I),
    "version": re.compile(r"\b(?:v|version\s*)\d|\b\d+\.\d+(?:\.\d+)?\b(?!\s*(?:gb|tb|%))", re.I),
    "speed": re.compile(
        r"\b\d[\d,.]*\s?(?:[kmgt]hz|[kmgt]b(?:ps|/s)|[kmgt]bit/s|gigabits?|gt/s)\b", re.I
    ),
}


# A question for a bound ("the most GPUs an allocation may hold", "the longest a job may run")
# is answered by a sentence that states a bound, not by any figure of the right kind.
_BOUND_Q = re.compile(
    r"\b(?:maximum|minimum|max|min|most|least|longest|shortest|smallest|largest|biggest|"
    r"limits?|caps?|allowed|permitted|at most|at least|up to)\b",
    re.I,
)
_BOUND = re.compile(
    r"\b(?:maximum|minimum|max|min|up to|at most|at least|no more than|no fewer than|no less "
    r"than|not (?:to )?exceed|exceed|limit(?:ed)?|caps?|capped|allowed|permitted|longest|"
    r"shortest|smallest|largest|as many as|as few as|or (?:more|fewer|less))\b"
    # "only", "under", "within"… bound a figure that follows ("within 12 months", "only 2
    # nodes"), not a phrase ("Illustration only", "over the years").
    r"|\b(?:under|over|within|beyond|only)\s+(?:up to\s+|about\s+|a\s+|an\s+|one\s+)?\d",
    re.I,
)


# Which way a bound points: "the smallest amount allowed" is not answered by "the largest award".
_LOW = r"minimum|min|least|smallest|shortest|lowest|fewest"
_HIGH = r"maximum|max|most|largest|biggest|longest|highest"
_LOW_SAID = re.compile(
    rf"\b(?:{_LOW}|at least|no fewer than|no less than|as few as|or more)\b", re.I
)
_HIGH_SAID = re.compile(
    rf"\b(?:{_HIGH}|up to|at most|no more than|not (?:to )?exceed|exceed|capped|caps?|as many as|"
    r"or (?:fewer|less))\b|\b(?:under|within|only)\s+(?:about\s+|a\s+|an\s+|one\s+)?\d",
    re.I,
)


def bound_direction(question: str) -> str | None:
    """'low' for a question about a minimum, 'high' for a maximum, None when not one way."""
    low = re.search(rf"\b(?:{_LOW}|at least)\b", question, re.I)
    high = re.search(rf"\b(?:{_HIGH}|at most|up to)\b", question, re.I)
    if bool(low) == bool(high):
        return None
    return "low" if low else "high"


def states_bound_of(text: str, direction: str | None) -> bool:
    """Whether a sentence states a limit, and one the right way when a way is asked."""
    if not states_bound(text):
        return False
    if direction is None:
        return True
    same, other = (_LOW_SAID, _HIGH_SAID) if direction == "low" else (_HIGH_SAID, _LOW_SAID)
    # A limit that points only the other way ("the largest award" for "the smallest amount").
    return bool(same.search(text)) or not other.search(text)


def years(question: str) -> list[str]:
    """Calendar years the question asks about (not ones in the asker's own context)."""
    spans = context_spans(question)
    return [
        m.group(0)
        for m in re.finditer(r"\b(?:19|20)\d\d\b", question)
        if not any(a <= m.start() < b for a, b in spans)
    ]


_RATE_UNITS = (
    r"year|month|week|day|hour|student|learner|user|node|gpu|job|project|team|semester|term"
)


def asked_rate(question: str) -> str | None:
    """The unit of a rate the question asks for ("node-hours … per year" → "year"), if any."""
    m = re.search(
        rf"\b(?:per|a|each|every)\s+({_RATE_UNITS})(?![\w-])\s*\??\s*$"
        rf"|\bper\s+({_RATE_UNITS})(?![\w-])",
        question,
        re.I,
    )
    return (m.group(1) or m.group(2)).lower() if m else None


def states_rate(text: str, unit: str) -> bool:
    """Whether a sentence states a figure per that unit ("1 SU per GPU-hour", "yearly")."""
    adverb = {"year": "yearly|annual(?:ly)?", "month": "monthly", "week": "weekly", "day": "daily",
              "minute": "rpm", "second": "rps"}  # fmt: skip
    also = adverb.get(unit, "")
    pattern = rf"\b(?:per|a|an|each|every)\s+(?:[\w-]+\s+)?[\w-]*{unit}s?\b|/\s*{unit}\b"
    return bool(re.search(pattern + (rf"|\b(?:{also})\b" if also else ""), text, re.I))


def alternatives(question: str) -> list[str]:
    """Figures offered as a choice ("the 40 or the 80 GB card?"): an answer names one of them."""
    m = re.search(r"(?<![\w.-])(\d[\d,.]*)\s*(?:[a-z]+\s+)?or\s+(?:the\s+)?(\d[\d,.]*)\b", question)
    return [m.group(1), m.group(2)] if m else []


def asks_bound(question: str) -> bool:
    """Whether the question asks for a limit (the most, the least, a cap)."""
    return bool(_BOUND_Q.search(question))


def states_bound(text: str) -> bool:
    """Whether a sentence states a limit."""
    return bool(_BOUND.search(text))


def has_type(text: str, atype: str) -> bool:
    """Whether a sentence holds a value of the wanted type."""
    pattern = _TYPED.get(atype)
    return True if pattern is None else bool(pattern.search(text))


# Spelled-out numbers, for comparing "three months" with "3 months".
NUMBER_WORDS = {
    "zero": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
    "thirteen": "13",
    "fourteen": "14",
    "fifteen": "15",
    "sixteen": "16",
    "seventeen": "17",
    "eighteen": "18",
    "nineteen": "19",
    "twenty": "20",
    "thirty": "30",
    "forty": "40",
    "fifty": "50",
    "sixty": "60",
    "seventy": "70",
    "eighty": "80",
    "ninety": "90",
    "hundred": "100",
}
