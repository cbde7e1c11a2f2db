"""Question text: content and focus words, salience, the asker's context, and splitting a
question into its parts."""

from __future__ import annotations

import re
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
_PART_SPLIT = re.compile(
    r"(?<=\?)\s+|;\s+|,?\s+(?:and|also|plus|but|[+&])\s+(?=(?:(?:roughly|about|approximately|"
    r"exactly|also|then)\s+)?(?:can|could|do|does|did|is|are|am|will|would|should|may|must|what|how|"
    r"when|where|who|which|why|whether|if|i|we)\b)"
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
# The markers of a numbered or lettered list of asks: "(1)", "2)", "(b)", "c)".
_ENUMERATED = re.compile(r"(?:^|[\s,;:])\(?(?:\d{1,2}|[a-e])\)\s+", re.I)
# "… and is there an appeal": the joining word belongs to neither part.
_PART_LEAD = re.compile(r"^(?:and|also|plus|but|or|so|then)\s+", re.I)

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


@lru_cache(maxsize=20000)
def salience(word: str) -> float:
    """How specific a word is in general English: 0 for 'the', ~5 for a rare or made-up word."""
    from wordfreq import zipf_frequency

    return max(0.0, 7.0 - zipf_frequency(word, "en")) / 7.0


def split_parts(question: str) -> list[str]:
    """The separate questions in a multi-part question (one item when it has one part)."""
    raw = [piece for p in _PART_SPLIT.split(question) for piece in _comma_asks(p)]
    # "I need: (a) the due date, (b) the award size": each item of a numbered list is an ask
    listed = len(_ENUMERATED.findall(question)) >= 2
    parts: list[str] = []
    lead = ""
    for n, piece in enumerate(raw):
        asking = asks(piece) or (listed and n > 0)
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
