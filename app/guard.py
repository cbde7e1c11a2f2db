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
    | ^\s*(assistant|system)\s*:
    | <\s*/?\s*(system|assistant|instructions?)\s*>
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
