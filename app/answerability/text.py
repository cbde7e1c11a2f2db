"""Question text analysis: content words, salience, names, personal context, answer type, parts."""

from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'\-]*|\d[\d,.]*")
# Function words carry no topic; the list is general English, not drawn from any eval file.
_FUNCTION = frozenset(
    {
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "also",
        "may",
        "might",
        "must",
        "shall",
        "tell",
        "know",
        "please",
        "want",
        "wondering",
        "need",
        "get",
        "got",
        "thanks",
        "hi",
        "hello",
        "anyone",
        "someone",
        "somebody",
        "something",
        "anything",
        "like",
        "really",
        "actually",
        "still",
        "kind",
        "sort",
        "lot",
        "lots",
        "bit",
        "maybe",
        "exactly",
        "currently",
        "today",
        "ok",
        "okay",
        "yes",
        "yeah",
    }
)
# A clause about the asker ("I'm a postdoc in Ohio, …", "my university is in …") is context.
_CONTEXT = re.compile(
    r"(?:^|[.;!?,]\s*)(?:i\s*'?\s*m|i am|i work|i teach|i lead|i run|i study|we are|we're|"
    r"i'm|my|our|as an?|i have|i've)\b[^.?!;,]*",
    re.I,
)
_PLACE = re.compile(r"\b(?:in|from|at|based in|located in)\s+((?:[A-Z][a-z]+\s?){1,3})")
_NAME = re.compile(
    r"\b([A-Z][A-Za-z0-9]*[A-Z0-9][A-Za-z0-9-]*|[A-Za-z]+\d[A-Za-z0-9-]*|[A-Z][a-z]{2,})\b"
)
_PART_SPLIT = re.compile(
    r"\?\s+|;\s+|,?\s+(?:and|also|plus|but)\s+(?=(?:can|could|do|does|did|is|are|will|would|"
    r"should|may|must|what|how|when|where|who|which|why|whether|if|i|we)\b)",
    re.I,
)
_MONEY_Q = r"\b(cost|costs|price|prices|fee|fees|pay|charge|charged|dollars?)\b|\$"
_NUMBER_Q = (
    r"\b(how (many|much|big|large)|what is the (maximum|minimum|limit|number)|"
    r"maximum|minimum|limit|cap|percent|percentage|rate)\b"
)
_ATYPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("contact", re.compile(r"\b(phone|telephone|e-?mail address|contact|call|fax)\b", re.I)),
    ("percent", re.compile(r"\b(percent|percentage|rate|ratio|share of)\b", re.I)),
    ("time", re.compile(r"\b(what time|which day|weekday|what day|hours of|o'clock)\b", re.I)),
    ("money", re.compile(_MONEY_Q, re.I)),
    ("date", re.compile(r"\b(when|what date|which date|deadline|due|by what day)\b", re.I)),
    ("duration", re.compile(r"\bhow (long|many (days|weeks|months|years|hours))\b", re.I)),
    ("number", re.compile(_NUMBER_Q, re.I)),
)

FUNCTION_WORDS = _FUNCTION


def stem(word: str) -> str:
    """A crude English stem so 'allocations' meets 'allocation'."""
    w = word.lower().strip("'-.,")
    for suffix in ("'s", "ies", "es", "s", "ing", "ed"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            return w[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return w


def context_spans(question: str) -> list[tuple[int, int]]:
    """Character spans that describe the asker rather than what is asked."""
    spans = [m.span() for m in _CONTEXT.finditer(question)]
    spans += [m.span(1) for m in _PLACE.finditer(question)]
    return spans


def content_words(question: str, drop_context: bool = True) -> list[str]:
    """The topic words of a question (lower case), personal context removed."""
    spans = context_spans(question) if drop_context else []
    out = []
    for m in _WORD.finditer(question):
        if any(a <= m.start() < b for a, b in spans):
            continue
        w = m.group(0).lower().strip("'-.,")
        if len(w) > 1 and w not in _FUNCTION:
            out.append(w)
    return out


def names(question: str) -> list[str]:
    """Capitalised names, acronyms and codes outside personal context (not a sentence start)."""
    spans = context_spans(question)
    out = []
    for m in _NAME.finditer(question):
        if any(a <= m.start() < b for a, b in spans):
            continue
        before = question[: m.start()].rstrip()
        token = m.group(1)
        if (not before or before[-1] in ".?!:") and token[1:].islower():
            continue  # an ordinary capitalised first word
        if token.lower() in _FUNCTION:
            continue
        out.append(token)
    return out


@lru_cache(maxsize=20000)
def salience(word: str) -> float:
    """How specific a word is in general English: 0 for 'the', ~5 for a rare or made-up word."""
    from wordfreq import zipf_frequency

    return max(0.0, 7.0 - zipf_frequency(word, "en")) / 7.0


_HOW_MANY = re.compile(r"\bhow many ([a-z-]+)", re.I)


def count_noun(question: str) -> str:
    """The thing counted in a "how many X" question ('' when there is none)."""
    m = _HOW_MANY.search(question)
    return stem(m.group(1)) if m else ""


def counts(text: str, noun: str) -> bool:
    """Whether a sentence gives a number of `noun` ("up to 40 students", "students: 40")."""
    pattern = (
        rf"\b\d[\d,]*\s+(\w+\s+){{0,2}}{re.escape(noun)}|{re.escape(noun)}\w*\W+(\w+\W+){{0,2}}\d"
    )
    return bool(re.search(pattern, text, re.I))


def answer_type(question: str) -> str:
    """What kind of answer the question wants: money, date, duration, number or other."""
    for name, pattern in _ATYPES:
        if pattern.search(question):
            return name
    return "other"


_TYPED = {
    "contact": re.compile(
        r"\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}|[\w.+-]+@[\w-]+\.[\w.]+|\bhelp ?desk\b|\bticket", re.I
    ),
    "percent": re.compile(r"\d\s?%|\bpercent\b|\b\d+ (in|of|out of) (\d+|every)\b", re.I),
    "time": re.compile(
        r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b"
        r"|\b\d{1,2}(:\d\d)?\s?(am|pm|a\.m\.|p\.m\.)|\b(noon|midnight)\b|\b\d{1,2}:\d\d\b",
        re.I,
    ),
    "money": re.compile(
        r"\$\s?\d|\b\d[\d,.]*\s?(dollars|usd)\b|\bfree\b|no cost|at no charge", re.I
    ),
    "date": re.compile(
        r"\b(january|february|march|april|may|june|july|august|september|october|november|"
        r"december|20\d\d|\d{4}-\d\d-\d\d|quarterly|monthly|annually|rolling|any time)\b",
        re.I,
    ),
    "duration": re.compile(
        r"\b\d+\s*(-\s*)?(day|week|month|year|hour)s?\b"
        r"|\b(one|two|three|six|twelve)\s+(days?|weeks?|months?|years?)\b",
        re.I,
    ),
    "number": re.compile(r"\d"),
}


def has_type(text: str, atype: str) -> bool:
    """Whether a sentence holds a value of the wanted type."""
    pattern = _TYPED.get(atype)
    return True if pattern is None else bool(pattern.search(text))


def split_parts(question: str) -> list[str]:
    """The separate questions in a multi-part question (one item when it has one part)."""
    parts = [p.strip(" ,;?") for p in _PART_SPLIT.split(question)]
    parts = [p for p in parts if len(p.split()) >= 3]
    return parts if len(parts) > 1 else [question]


_ASK = re.compile(
    r"\b(what|what's|whats|which|who|who's|whom|how|when|where|why|is|are|does|do|can|could|"
    r"will|should|may|must)\b",
    re.I,
)


# Words that only shape a question ("how much", "how long", "per"); the answer type covers them.
_QUESTION_WORDS = frozenset({"much", "many", "long", "per", "big", "large", "often", "soon"})


def focus_words(question: str, n: int = 3) -> list[str]:
    """The first content words after the question word: what is asked about ("age limit")."""
    spans = context_spans(question)
    m = _ASK.search(question)
    start = m.end() if m else 0
    out: list[str] = []
    for w in _WORD.finditer(question, start):
        if any(a <= w.start() < b for a, b in spans):
            continue
        word = w.group(0).lower().strip("'-.,")
        if len(word) > 1 and word not in _FUNCTION | _QUESTION_WORDS and not word.isdigit():
            out.append(word)
        if len(out) == n:
            break
    return out


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
