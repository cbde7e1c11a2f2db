"""Amounts written with a scale word ("4 million", "36m") and the count of what counted items
belong to ("14 sites x 36 mosaics", "12 interviews with 36 chapters each"): shared by the
rate readers in rates.py."""

from __future__ import annotations

import re

from app.plan.figures import N, count_of, num

_SCALE = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9, "b": 1e9}
# A scale word after a figure ("4 million", "36m"): its group goes to `scaled`.
SIZE = r"(?:\s*(thousand|million|billion|bn|k|m)\b)?"
# "20b tokens": a bare "b" scales tokens only ("1.55b parameters" counts no items)
SIZE_TOKENS = r"(?:\s*(thousand|million|billion|bn|b|k|m)\b)?"


def scaled(figure: str, scale: str | None) -> float:
    """A figure times the scale word that follows it, if any."""
    return num(figure) * _SCALE.get(scale or "", 1.0)


def parent_count(t: str, m: re.Match[str]) -> tuple[float, str, tuple[int, int] | None]:
    """How many of what the counted items belong to, and where that count was said: '14 sites x
    36 mosaics (each)', 'the 1800 novels average 30 chapters'. (1, '', None) when the count
    stands alone."""
    start = max(0, m.start() - 60)
    before = t[start : m.start()]
    # "14 field sites x 36 monthly mosaics": a grid of the two counts.
    if g := re.search(N + SIZE + r"\s+((?:[\w-]+\s+){0,2}?[a-z]+s)\s*(?:x|by)\s*$", before):
        times, what = scaled(g.group(1), g.group(2)), g.group(3)
        # "20 prompts x 500 images each x 6 styles": a third count crossed after the amount.
        if h := re.match(
            r"\s+(?:each\s+)?(?:x|by)\s*" + N + r"\s+((?:[\w-]+\s+){0,2}?[a-z]+s)\b", t[m.end() :]
        ):
            what = f"({times:g} {what} × {h.group(1)} {h.group(2)})"
            times *= num(h.group(1))
            return times, what, (start + g.start(), m.end() + h.end())
        return times, what, (start + g.start(), start + g.end())
    # "12 interviews with 36 chapters each": the count for each of the items before "with"
    if (g := re.search(N + SIZE + r"\s+((?:[\w-]+\s+){0,2}?[a-z]+s)\s+with\s*$", before)) and (
        re.match(r"\s+each\b", t[m.end() :])
    ):
        return scaled(g.group(1), g.group(2)), g.group(3), (start + g.start(), start + g.end())
    # "2.4 million articles per language, in three languages": the count for each of those.
    inline = re.match(
        r"\s+(?:for|in)\s+(?:each|every)\s+of\s+(?:the\s+|our\s+)?" + N + r"\s+(?:[\w-]+\s+){0,2}"
        r"([a-z]{3,}s)\b",
        t[m.end() :],
    )
    if inline:  # "50 members for each of the 4 emission scenarios"
        return num(inline.group(1)), inline.group(2), (m.end(), m.end() + inline.end())
    after = re.match(r"\s+(?:per|for each|in each)\s+([a-z]{3,}?)s?\b", t[m.end() :])
    if after:
        c = count_of(after.group(1), t)
        if c is not None:
            return num(c.group(1)), f"{after.group(1)}s", c.span()
    # "the novels average 30 chapters", "each with 30 chapters", "on average a book has 22
    # chapters": a count per earlier item, the nearest earlier count of another thing.
    if re.search(
        r"\b(?:averag\w*|each (?:with|has|have|of which has)|with an average of|"
        # "14 sites each recorded about 300 hours of footage"
        r"each\s+(?:recorded|collected|produced|generated|holds|contains|yields|gave|logged)"
        r"(?:\s+(?:about|roughly|around|approximately|~))?|"
        r"(?:a|an|each|every|one)\s+[a-z]+\s+(?:has|have|holds|contains|contributed|provided|"
        r"produced|yields|gives|generated)(?:\s+(?:about|roughly|around|~))?)\s*$",
        before,
    ):
        earlier = list(re.finditer(N + SIZE + r"\s+(?:[\w-]+\s+){0,2}?([a-z]+s)\b", t[: m.start()]))
        if earlier:
            e = earlier[-1]
            return scaled(e.group(1), e.group(2)), e.group(3), e.span()
    return 1.0, "", None
