"""Question text analysis: content words, salience, names, personal context, answer type, parts."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'\-]*|\d[\d,.]*")
# Function words carry no topic; the list is general English, not drawn from any eval file.
_FUNCTION_TEXT = """
    a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its
    itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves
    also may might must shall tell know please want wondering need get got thanks hi hello
    anyone someone somebody something anything like really actually still kind sort lot lots bit
    maybe exactly currently today ok okay yes yeah
"""
_FUNCTION = frozenset(_FUNCTION_TEXT.split())
# A clause about the asker ("I'm a postdoc in Ohio, …", "my university is in …") is context.
_CONTEXT = re.compile(
    r"(?:^|[.;!?,]\s*|\b(?:that|if|since|because|though|although|when|while)\s+)"
    r"(?:i\s*'?\s*m|i am|i work|i teach|i lead|i run|i study|we are|we're|"
    r"i'm|my|our|as an?|i have|i've)\b[^.?!;,]*",
    re.I,
)
# "in Ohio", "from Lisbon", and an affiliation named by place: "a Norwegian university".
_PLACE = re.compile(
    r"\b(?:in|from|at|based in|located in)\s+((?:[A-Z][a-z]+\s?){1,3})"
    r"|\b(?:an?|the|our|my)\s+([A-Z][a-z]+)\s+(?=(?:university|universities|institute|college|"
    r"lab|laboratory|company|firm|hospital|school|start-?up|agency|ministry|centre|center)\b)"
)
_NAME = re.compile(
    r"\b([A-Z][A-Za-z0-9]*[A-Z0-9][A-Za-z0-9-]*|[A-Za-z]+\d[A-Za-z0-9-]*|[A-Z][a-z]{2,})\b"
)
_PART_SPLIT = re.compile(
    r"(?<=\?)\s+|;\s+|,?\s+(?:and|also|plus|but|[+&])\s+(?=(?:can|could|do|does|did|is|are|am|"
    r"will|would|should|may|must|what|how|when|where|who|which|why|whether|if|i|we)\b)"
    # an enumerated list of asks: "(1) … (2) …", "1) … 2) …", a bullet or number on a new line
    r"|[,;:]?\s*\((?:\d{1,2}|[a-e])\)\s+|(?:[,;:]\s*|\s+)(?:\d{1,2}|[a-e])\)\s+"
    r"|\s*\n\s*(?:[-*•]|\d{1,2}[.)])\s+",
    re.I,
)
# A comma before a new question clause lists asks: "when was it posted, when's it due".
# ("which" is left out: after a comma it usually starts a relative clause.)
_COMMA_ASK = re.compile(
    r",\s+(?=(?:can|could|do|does|did|is|are|will|would|should|what|what's|whats|how|when|"
    r"when's|where|who|why)\s+(?:i|we|you|they|it|there|the|a|an|my|our|your|their|this|that|"
    r"each|every|one|much|many|long|is|are|does|do|counts?|happens?)\b)",
    re.I,
)
# "… and is there an appeal": the joining word belongs to neither part.
_PART_LEAD = re.compile(r"^(?:and|also|plus|but|or|so|then)\s+", re.I)
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
            r"approval rate)\b|\bwhat share\b",
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

FUNCTION_WORDS = _FUNCTION


def stem(word: str) -> str:
    """A crude English stem so 'allocations' meets 'allocation'."""
    w = word.lower().strip("'-.,")
    for suffix in ("'s", "ies", "es", "s", "ing", "ed"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            return w[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return w


def without_context(question: str) -> str:
    """The question with clauses about the asker removed (itself when little would be left)."""
    spans = [m.span() for m in _CONTEXT.finditer(question)]
    if not spans:
        return question
    keep, last = [], 0
    for a, b in spans:
        keep.append(question[last:a])
        last = b
    keep.append(question[last:])
    rest = re.sub(r"\s+", " ", " ".join(keep)).strip(" ,.;")
    return rest if len(rest.split()) >= 3 else question


def context_spans(question: str) -> list[tuple[int, int]]:
    """Character spans that describe the asker rather than what is asked."""
    spans = [m.span() for m in _CONTEXT.finditer(question)]
    spans += [m.span(1) if m.group(1) else m.span(2) for m in _PLACE.finditer(question)]
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
        if token.lower() in _FUNCTION or _CALENDAR.fullmatch(token):
            continue
        out.append(token)
    return out


# Months, weekdays and quarters name dates, not programs or systems.
_CALENDAR = re.compile(
    r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday|q[1-4])"
)


_NAME_RUN = re.compile(r"\b(?:[A-Z][\w-]*|AI)(?:\s+(?:[A-Z][\w-]*))+")


def lookalike_names(question: str, occurs: Callable[[str], bool]) -> list[str]:
    """Multi-word names the documents never use, though they use the same name's tail.

    "the Brazilian AI Research Resource" when the documents say "National AI Research
    Resource": the same head with another qualifier, so a program the documents do not
    describe. `occurs` tells whether the documents hold a phrase.
    """
    spans = context_spans(question)
    out = []
    for m in _NAME_RUN.finditer(question):
        if any(a <= m.start() < b for a, b in spans):
            continue
        words = m.group(0).split()
        if before_is_sentence_start(question, m.start()) and len(words) < 3:
            continue  # "What Delta…": a capitalised first word is not part of a name
        if occurs(" ".join(words)):
            continue
        # The head of a name comes last: the documents name the same thing with another
        # qualifier in front ("National" for "Brazilian"). A qualifier they also use ("DOE" beside
        # "NAIRR Secure") may name the same thing, so one of them must be new to them.
        for i in range(1, len(words) - 1):
            if occurs(" ".join(words[i:])):
                if any(not occurs(w.removesuffix("'s")) for w in words[:i]):
                    out.append(m.group(0))
                break
    return out


def before_is_sentence_start(question: str, at: int) -> bool:
    """Whether a position starts the question or a sentence in it."""
    before = question[:at].rstrip()
    return not before or before[-1] in ".?!:"


def unknown_names(question: str, vocabulary: set[str]) -> list[str]:
    """Names in the question the corpus never uses; a hyphenated name is judged by its parts."""
    out = []
    for name in names(question):
        # Only the parts that look like names count: "API-only" is known when "API" is.
        parts = [p for p in name.split("-") if len(p) > 1 and not p.islower()] or [name]
        known = all(p.lower() in vocabulary or p.lower().rstrip("s") in vocabulary for p in parts)
        if not known:
            out.append(name)
    return out


@lru_cache(maxsize=20000)
def salience(word: str) -> float:
    """How specific a word is in general English: 0 for 'the', ~5 for a rare or made-up word."""
    from wordfreq import zipf_frequency

    return max(0.0, 7.0 - zipf_frequency(word, "en")) / 7.0


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
            if w in _FUNCTION or w in {"much", "many", "long", "per", "number", "time"}:
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


def years(question: str) -> list[str]:
    """Calendar years the question asks about (not ones in the asker's own context)."""
    spans = context_spans(question)
    return [
        m.group(0)
        for m in re.finditer(r"\b(?:19|20)\d\d\b", question)
        if not any(a <= m.start() < b for a, b in spans)
    ]


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


def split_parts(question: str) -> list[str]:
    """The separate questions in a multi-part question (one item when it has one part)."""
    raw = [piece for p in _PART_SPLIT.split(question) for piece in _comma_asks(p)]
    parts: list[str] = []
    lead = ""
    for n, piece in enumerate(raw):
        asking = asks(piece)
        piece = _PART_LEAD.sub("", piece.strip(" ,;:?"))
        if len(piece.split()) < 3:
            continue
        if not asking and n < len(raw) - 1:
            lead = f"{lead} {piece}".strip()  # "Three quick ones:" introduces the next ask
            continue
        if not asking and parts:
            parts[-1] += f". {piece}"  # "… ask for? Trying to see if 200k is too much." is context
            continue
        parts.append(f"{lead}, {piece}" if lead else piece)
        lead = ""
    return parts if len(parts) > 1 else [question]


def _comma_asks(text: str) -> list[str]:
    """Split at commas that start a new ask; a lead-in with no ask ("If we win,") stays on."""
    out: list[str] = []
    lead = ""
    for piece in _COMMA_ASK.split(text):
        piece = f"{lead}, {piece}" if lead else piece
        if asks(piece):
            out.append(piece)
            lead = ""
        else:
            lead = piece
    if lead:
        out.append(lead)
    return out


# The words a question opens with: question words, and verbs (or "any") that can ask.
_WH_WORDS = r"what|what's|whats|which|who|who's|whom|how|when|where|why"
_ASK_VERBS = r"is|are|does|do|did|can|could|will|would|should|may|must|any"
_ASK = re.compile(rf"\b({_WH_WORDS}|{_ASK_VERBS})\b", re.I)
_WH = re.compile(rf"\b({_WH_WORDS})\b", re.I)
# A verb asks only where it opens the clause ("is there…", "and can we…"): inside a statement
# ("If our hours are used up, …", "we are planning …") it asks nothing.
_VERB_ASKS = re.compile(
    rf"(?:^|[.!?:,]\s+)\W*(?:(?:and|also|plus|but|or|so|then)\s+)?(?:{_ASK_VERBS}|am|has|have)\b",
    re.I,
)


def asks(text: str) -> bool:
    """Whether a piece of a question asks something: a question mark, a question word, or a verb
    that opens it."""
    t = text.strip()
    return t.endswith("?") or bool(_WH.search(t) or _VERB_ASKS.search(t))


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
