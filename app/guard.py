"""Prompt-injection defences: spot instructions aimed at the assistant, and prompt leaks."""

from __future__ import annotations

import re

_INJECTION = re.compile(
    r"""
    \b(ignore|disregard|forget|override|bypass)\b[^.\n]{0,40}?
        \b(instructions?|rules|prompts?|guidelines|documents|policies|restrictions)\b
    | \bsystem\s+(prompt|override|message)\b
    | \b(developer|god|jailbreak|dan)\s+mode\b
    | \byou\s+are\s+now\b
    | \bpretend\s+(you|to\s+be|that\s+you)\b
    | \b(reveal|print|show|repeat|output|leak)\b[^.\n]{0,30}?
        \b(hidden|system|secret|initial)\b[^.\n]{0,20}?\b(prompt|instructions|rules|settings|keys?)\b
    | \b(ignore|disregard|forget|skip)\s+(all\s+|everything\s+|any\s+|the\s+|your\s+)?
        (above|previous|prior|earlier|preceding|foregoing)
        (\s+(instructions?|rules|text|messages?|prompts?|context|content|directions)\b|\s+and\b
        |\s*[,.;:!]|\s*$)
    | \b(your|the\s+(staff|admin|administrator|system|server))\s+
        ((staff|admin|administrator|system|server)\s+)?(password|api[\s_-]?keys?|secret|credentials)\b
    | \b(act|behave|respond|answer)\s+as\s+(if\s+you|an?\s+(unrestricted|unfiltered|different))
    | \bfrom\s+now\s+on\b[^.\n]{0,40}?\byou\b
    | \b(new|updated|real)\s+instructions?\s*:
    | \b(your|the)\s+(hidden|system|secret|internal|initial|original)\s+
        (prompt|instructions|rules|configuration|settings)\b
    | \b(reveal|print|show|give|tell|list|output|leak|dump|share)s?\b[^.\n]{0,40}?
        \b(api[\s_-]?keys?|passwords?|secret\s+keys?|credentials|access\s+tokens?|env(ironment)?
        \s+variables?)\b
    | \b(repeat|quote|print|output|recite)\b[^.\n]{0,30}?\b(text|words|everything|all)\s+
        (above|before|preceding|so\s+far)\b
    | \bstarting\s+with\s+(the\s+words?\s+)?["'‘“]?you\s+are\b
    | \bwhat\s+(were|was)\s+you\s+(told|given|instructed|programmed)\b
    | \b(full|entire|complete|raw)\s+(text|content|contents)\s+of\s+(every|all|each|the)\b
        [^.\n]{0,30}?\b(documents?|passages?|sources|context|files)\b
    | \b(passages?|documents?|context|sources)\b[^.\n]{0,40}?\b(verbatim|word\s+for\s+word)\b
    | \b(respond|reply|answer)\s+only\s+(in|with)\b
    | \byou\s+are\s+(dan|an?\s+(ai|assistant|model|chatbot)\s+(without|with\s+no)\s+
        (restrictions|rules|limits|filters))\b
    | \b(as|i\s*'?\s*m|i\s+am)\s+(the|your|an?)\s+(program\s+)?(administrator|admin|director|
        officer|developer|operator|owner|moderator)\b[^.\n]{0,60}?\b(you|your)\b
    | (^|[.!;:]\s*|\bplease\s+|\byou\s+(must|should|will|need\s+to|have\s+to)\s+)
        (mark|approve|grant|accept|sign\s+off\s+on)\s+(my|our|this)\s+(request|application|
        allocation|proposal|budget)\b
    | ^\s*(assistant|system)\s*:
    | <!--[^>]{0,300}?\b(assistant|ai|model|bot|reply|respond|answer|approve|ignore)\b
    | \bnote\s+(to|for)\s+(the\s+)?(assistant|ai|model|bot|chatbot|llm)\b
    | \b(message|note|notice|instruction|directive)\s+from\s+(the\s+)?[\w\s-]{0,30}?
        \b(staff|admin|administrator|team|moderator|officer|developer|headquarters)\s*[:,-]
    | \b(reply|respond|answer|say)\s+["'“]?[\w-]+["'”]?\s+(to|for)\s+(every|all|each|any)\s+
        (request|question|message|application)s?\b
    | (^|[.!;:]\s*|\bplease\s+|\byou\s+(must|should|will|need\s+to|have\s+to)\s+)
        (grant|award|allocate|give)\s+(this|the|me|us)\s+(user\s+|applicant\s+)?[\d,.]+
    | \bconfirm\s+(the|their|this|my)\s+(award|approval|allocation)\b
    | \blet\s*'?\s*s\s+role[\s-]?play\b|\brole[\s-]?play(ing)?\s+as\b
    | \b(stay|staying|remain|remaining)\s+in\s+character\b
    | (^|[.!;:,]\s*|\bplease\s+|\band\s+)(award|grant|give|allocate)\s+(my|our)\s+
        (lab|group|team|project|department|students?)\s+[\d,.]+
    | \b(add|insert|append)\s+(a\s+)?(new\s+)?rows?\b[^.\n]{0,40}?\b(that\s+)?(gives?|grants?|
        awards?)\b
    | \byou\s+can\s+(edit|modify|update|change|write\s+to)\s+(the\s+)?[\w\s-]{0,30}?
        \b(table|database|records|index)\b
    | <\s*/?\s*(system|assistant|instructions?)\s*>
    | \b(mark|set|flag|record)\s+(it|this|that|my|our|the)\s+([\w-]+\s+){0,2}?(as\s+)?
        (approved|accepted|granted|awarded|funded)\b
    | \b(authori[sz]e|instruct|order|direct|command)\s+you\s+to\b
    | (^|[.!;:,]\s*|\bplease\s+|\band\s+)(raise|increase|extend|bump|top\s+up|double|change)\s+
        (it|this|my|our|the)\s+([\w-]+\s+){0,3}?(to|by)\s+[\d,.]+
    | \b(reply|respond|answer)\s+with\s+(only|just)\b
    | \b(reply|respond|answer|send\s+me|give\s+me)\s+(with\s+)?an?\s+confirmation\s+
        (number|code)\b
    """,
    re.I | re.M | re.X,
)


def looks_like_injection(text: str) -> bool:
    """True when text tries to instruct the assistant rather than inform the reader."""
    return bool(_INJECTION.search(text))


def leaks_prompt(answer: str, prompt: str, run: int = 8) -> bool:
    """True when the answer repeats a run of `run` consecutive words of the prompt."""
    words = re.findall(r"[a-z0-9']+", prompt.lower())
    grams = {" ".join(words[i : i + run]) for i in range(len(words) - run + 1)}
    said = re.findall(r"[a-z0-9']+", answer.lower())
    return any(" ".join(said[i : i + run]) in grams for i in range(len(said) - run + 1))
