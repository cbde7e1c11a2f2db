"""What a question says around its ask: 'we're planning the maintenance window', 'our finance
office wants to know', 'can you …', 'for me'. Such words set the scene or ask politely; they
are not the personal situation or the rule a prose question asks about."""

from __future__ import annotations

import re

from app.tables.headers import Tokens
from app.tables.parts import asks

# A segment between dashes or commas, or a sentence: its own words may ask nothing.
_SEGMENT = re.compile(r"\s+[-–—]+\s+|,\s+|[.;!?]+\s+")
# "X wants to know which …": the lead-in only says who asks.
_LEAD_IN = re.compile(
    r"^(.*?\b(?:want|wants|wanted|need|needs|needed|asked|asks|asking|like|wondering)"
    r" to know)\b",
    re.I,
)
# "can you", "could you please": a polite request, so the modal asks nothing about rules.
_POLITE = {"can", "could", "would", "will"}
# "X has two awards, I think": a hedge on what the asker believes, no personal situation.
_HEDGES = {"think", "guess", "believe", "suppose", "reckon", "gather", "recall", "assume"}
# Words of a rule or a duty: a segment holding one asks something, question word or not
# ("Must my students be citizens - and …").
_RULE = frozenset(
    {"must", "can", "could", "should", "may", "might", "eligible", "allowed", "required"}
    | {"permitted", "qualify", "apply"}
)


# ", in thousands of SUs", ", in $K": the unit the answer is wanted in names the amount asked
_IN_UNIT = re.compile(
    r"^\W*(?:in|as|expressed in|given in)\s+(?:thousands?\b|millions?\b|k\b|\$|usd\b|dollars?\b|"
    r"sus?\b|service units\b|(?:gpu|node|core|cpu)[- ]?(?:hours?|hrs?|h)\b|tb\b|gb\b|credits?\b)",
    re.I,
)


def aside_tokens(text: str) -> frozenset[int]:
    """Token positions of segments that ask nothing, of a lead-in naming who asks, and of
    polite request words ('can you', 'for me')."""
    q = Tokens.of(text)
    out: set[int] = set()
    at = 0
    pieces = [p for p in _SEGMENT.split(text) if p.strip()]
    # "I need the totals by field for a report.": with no segment asking, the request is all
    asking = [asks(p, text) or bool(set(Tokens.of(p).low) & _RULE) for p in pieces]
    for piece, asked in zip(pieces, asking, strict=True):
        pos = text.find(piece, at)
        if pos < 0:
            continue
        at = pos + len(piece)
        first = len(Tokens.of(text[:pos]).low)
        if not asked and any(asking) and not _IN_UNIT.match(piece):
            out |= set(range(first, first + len(Tokens.of(piece).low)))
        elif lead := _LEAD_IN.match(piece):
            out |= set(range(first, first + len(Tokens.of(lead.group(1)).low)))
    for i, w in enumerate(q.low[:-1]):
        if (w in _POLITE and q.low[i + 1] == "you") or (w == "for" and q.low[i + 1] == "me"):
            out |= {i, i + 1}
        if w == "i" and q.low[i + 1] in _HEDGES:
            out |= {i, i + 1}
    return frozenset(out)


def asked_words(q: Tokens, skip: frozenset[int]) -> str:
    """The question's words outside `skip`, spaced for phrase search (' a b c ')."""
    return " " + " ".join(w for i, w in enumerate(q.low) if i not in skip) + " "


def polite_asks(q: Tokens) -> set[str]:
    """The verb a polite request opens with: 'list' of 'can you (please) list …'."""
    out = set()
    for i, w in enumerate(q.low[:-2]):
        if w in _POLITE and q.low[i + 1] == "you":
            j = i + 2 + (q.low[i + 2] == "please")
            out |= set(q.low[j : j + 1])
    return out
