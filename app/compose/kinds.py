"""What a question asks for, and what kind of sentence could answer it (rules, no model)."""

from __future__ import annotations

import re

from app.answerability.values import NUMBER_WORDS, answer_type, has_type

# Value types come from the answerability layer (money, date, duration, number, …); the shapes
# below are what an extractive answer needs on top: a yes/no verdict, a list, steps, an agent.
SHAPES = ("yesno", "list", "procedure", "agent", "size", "group")

_AUX = (
    r"(is|are|am|was|were|do|does|did|can|could|will|would|should|shall|may|might|must|"
    r"has|have|had|isn't|aren't|don't|doesn't|can't|won't)"
)
_CLAUSE = re.compile(r"[^.?!;,]+")
_YESNO = re.compile(rf"^\s*(?:so|and|but|ok|okay|also|then|hey|hi|well|um)?\s*{_AUX}\b", re.I)
_LIST = re.compile(
    r"\b(list|name (?:all |each )?(?:the|of)|which are|what are (?:the|all|some)|"
    r"what (?:kinds|types|sorts) of|which [a-z-]+[^s\W]s|"
    r"(?:the|all)\s+(?:two|three|four|five|six|\d+)\s+\w+)\b",
    re.I,
)
_PROCEDURE = re.compile(
    r"\b(how (?:do|can|should|would) (?:i|we|you|one)|how to|what steps|which steps|steps to|"
    r"step by step|what should (?:i|we) (?:do|include|record|write|note|jot|track|put)|"
    r"process for|procedure)\b",
    re.I,
)
# "Who can / may use X?" wants a group of people ("anyone with an account", "researchers …").
_WHO_MAY = re.compile(r"\bwho\b", re.I)
_GROUP = re.compile(
    r"\b(anyone|anybody|any holder|holders?|researchers?|educators?|students?|faculty|teams?|"
    r"people|users?|applicants?|PIs?|instructors?|institutions?|organi[sz]ations?|companies|"
    r"startups|nonprofits|eligible)\b",
    re.I,
)
# "Who runs / leads / handles X?" wants an agent; "who can / may / is eligible" wants a group.
_WHO = re.compile(
    r"\bwho(?:'s|se| is| are| was)?\b(?!\s+(?:can|could|may|might|should|must|"
    r"eligible|is eligible|are eligible|qualif\w*|needs?|gets?|counts|is allowed|are allowed)\b)",
    re.I,
)
_AGENT = re.compile(
    r"\b(which|what) (?:federal )?(?:agency|agencies|office|organi[sz]ation|department|body|"
    r"company|companies|center|centre|partner|partners|provider|providers)\b",
    re.I,
)
_COUNT_IN_Q = re.compile(
    r"\b(?:the|all)?\s*(two|three|four|five|six|seven|eight|nine|ten|\d+)\s+(?:main\s+|most\s+"
    r"common\s+|key\s+)?[a-z-]+",
    re.I,
)


# Money asked in other words than the answerability layer knows ("does it bill us anything").
_COST = re.compile(r"\b(bill|billed|bills|invoice\w*|owe|spend|paid|free|expensive|cheap)\b", re.I)
_INNER_WHEN = re.compile(
    r"(?<=[a-z])\s+when\b(?=\s+(?:i|we|you|they|he|she|it|people|someone)\b)", re.I
)
# "How long can the report be?" asks for a size, not a duration.
_SIZE = re.compile(
    r"\bhow (?:long|big|large|short) (?:is|are|can|should|may|must|will)\b.*\bbe\b", re.I
)


def question_shape(question: str) -> str:
    """The answer shape a question wants: a value type, yesno, list, procedure, agent or other."""
    if _SIZE.search(question):
        return "size"
    if _WHO.search(question):
        return "agent"  # before value types: "who is in charge" wants a name, not a price
    if _WHO_MAY.search(question):
        return "group"
    # "what trips people up when they write …": a "when" inside a clause is not a date question.
    value = answer_type(_INNER_WHEN.sub(" ", question))
    if value != "other":
        return value
    if _COST.search(question):
        return "money"
    if _WHO.search(question) or _AGENT.search(question):
        return "agent"
    if _LIST.search(question):
        return "list"
    if _PROCEDURE.search(question):
        return "procedure"
    # Personal context often comes first ("I teach in Ohio, can I …"): any clause may ask.
    if any(_YESNO.match(c.group(0)) for c in _CLAUSE.finditer(question)):
        return "yesno"
    return "other"


def list_size(question: str) -> int:
    """How many items a list question names ("the four focus areas" → 4; 0 when unsaid)."""
    m = _COUNT_IN_Q.search(question)
    if not m:
        return 0
    word = m.group(1).lower()
    return int(NUMBER_WORDS.get(word, word)) if (word.isdigit() or word in NUMBER_WORDS) else 0


_VERDICT = re.compile(
    r"^(yes|no)\b|\b(not|no|never|only|cannot|can't|must|may|required|requires?|eligible|"
    r"allowed|qualif\w+|needs?)\b",
    re.I,
)
_ORG = re.compile(
    r"\b[A-Z]{3,}\b|\b[A-Z][a-z]+[A-Z][A-Za-z]*\b|\b[A-Z][a-z]+ (?:of|for) (?:the )?[A-Z]|"
    r"\b(?:[A-Z][a-z]+ ){2,}[A-Z][a-z]+"
)
# "Led by the NSF Office of …", "run by", "overseen by": an agent named after a passive verb.
_BY_AGENT = re.compile(
    r"\b\w+(?:ed|en|un|wn)\s+by\s+(?:the\s+)?[A-Z]|^(?:The )?[A-Z][\w-]*(?: [A-Z][\w-]*)* "
    r"(?:manages|handles|runs|leads|oversees|operates|hosts|funds|reviews|administers|coordinates)\b"
)
_SIZED = re.compile(r"\b(?:\d[\d,.]*|" + "|".join(NUMBER_WORDS) + r")\s+[a-z]", re.I)
_ENUMERATION = re.compile(r"\w+, [\w -]+,? (?:and|or) \w+")  # "A, B and C"
_STEP = re.compile(r"^(?:first|then|next|finally|after|before|once)\b|\bstep\b", re.I)


def fits_shape(sentence: str, shape: str, line_item: bool, asked: str = "") -> bool:
    """Whether a sentence could hold the kind of answer a question wants."""
    if shape == "yesno":
        return bool(_VERDICT.search(sentence))
    if shape == "agent":
        # A name the question does not already hold, or "led by …".
        low = asked.lower()
        named = any(m.group(0).lower() not in low for m in _ORG.finditer(sentence))
        return named or bool(_BY_AGENT.search(sentence))
    if shape == "group":
        return bool(_GROUP.search(sentence))
    if shape == "size":
        return bool(_SIZED.search(sentence))
    if shape == "list":
        return line_item or bool(_ENUMERATION.search(sentence))
    if shape == "procedure":
        return line_item or bool(_STEP.search(sentence))
    return has_type(sentence, shape)


# A sentence that sends the reader elsewhere ("Check every rule on the official site: https://…")
# is page furniture unless the question asks where to look.
_LINK = re.compile(r"https?://|www\.|\b[\w-]+\.(?:org|gov|edu|com|net)\b|official site", re.I)
_POINT = re.compile(
    r"^(?:>\s*)?(?:always |please |rules change[;,]? )?(?:check|confirm|see|visit|read|browse|"
    r"go to|look at|verify|details|more|use|contact|ask|email|e-mail|write to|refer to)\b",
    re.I,
)
_WHERE = re.compile(r"\b(where|link|url|site|website|web page|page|online|find)\b", re.I)


def names_agent(sentence: str) -> bool:
    """The sentence says who does something ("Led by the NSF Office of …")."""
    return bool(_BY_AGENT.search(sentence))


def is_pointer(sentence: str) -> bool:
    """A line that points at a site instead of stating a fact."""
    if not _LINK.search(sentence):
        return False
    bare = _LINK.sub(" ", re.sub(r"https?://\S+", " ", sentence))
    return bool(_POINT.match(sentence)) or len(bare.split()) < 6


def asks_where(question: str) -> bool:
    """The question wants a place to look (a site, page or link)."""
    return bool(_WHERE.search(question))


def is_record(sentence: str) -> bool:
    """A table row written out as "key: value; key: value; …" rather than a prose fact."""
    return sentence.count(";") >= 2 and len(re.findall(r"\w: ", sentence)) >= 3
