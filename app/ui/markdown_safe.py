"""Text from users and documents rendered as literal text, never as Markdown or HTML."""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from pathlib import PurePath
from urllib.parse import quote, urlsplit

from app.types import Answer, Citation

# Every ASCII punctuation character may be backslash-escaped in CommonMark, and escaping all
# of them also disarms Streamlit's extensions (:color[...] directives, $math$, raw HTML).
_PUNCT = re.compile("([" + re.escape(string.punctuation) + "])")
# Characters a URL keeps; parentheses, brackets, quotes, spaces and <> are percent-encoded so
# a link target can neither end the Markdown link early nor inject markup.
_URL_SAFE = ":/?#@!$&*+,;=%~-._"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_md(text: str) -> str:
    """Escape text so Streamlit's Markdown shows it literally, keeping its line breaks."""
    escaped = _PUNCT.sub(r"\\\1", text.replace("\r\n", "\n"))
    # A trailing double space is a hard line break; plain newlines would be joined.
    return "  \n".join(escaped.split("\n"))


def safe_url(url: str) -> str | None:
    """Return an http(s) URL fit for a Markdown link target, or None for anything else."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return quote(url, safe=_URL_SAFE)


def link(label: str, url: str) -> str:
    """A Markdown link with an escaped label, or just the escaped label for unsafe URLs."""
    target = safe_url(url)
    return f"[{escape_md(label)}]({target})" if target else escape_md(label)


def file_name(source: str) -> str:
    """A document's source as people may see it: a URL as is, a file by its name only."""
    if source.startswith(("http://", "https://")):
        return source
    return PurePath(source.replace("\\", "/")).name or source


def citation_line(c: Citation) -> str:
    """One source under an answer: key, title (linked when it has a URL), locator, date.

    A file without a URL shows its title and file name, never the path it was read from.
    """
    name = file_name(c.source)
    parts = [f"**\\[{escape_md(c.key)}\\]**", link(c.title or name, c.url)]
    if c.locator:
        parts.append(f"— {escape_md(c.locator)}")
    if c.as_of:
        parts.append(f"· as of {escape_md(c.as_of)}")
    if not safe_url(c.url) and name and name != c.title:
        parts.append(f"· {escape_md(name)}")
    return " ".join(parts)


def draft_reply(answer: Answer) -> str:
    """The answer and its sources as plain Markdown for an email (shown in a code box)."""
    lines = [answer.text.strip(), ""]
    if answer.citations:
        lines.append("Sources:")
        for c in answer.citations:
            title = c.title.replace("[", "(").replace("]", ")") or file_name(c.source)
            target = safe_url(c.url)
            where = f"[{title}]({target})" if target else title
            extra = ", ".join(x for x in (c.locator, f"as of {c.as_of}" if c.as_of else "") if x)
            lines.append(f"- [{c.key}] {where}" + (f" ({extra})" if extra else ""))
    return "\n".join(lines).strip() + "\n"


def csv_cell(value: object) -> object:
    """Keep spreadsheet programs from running a cell as a formula (CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def latest_as_of(dates: Sequence[str]) -> str:
    """The newest ISO date among documents (empty when none carries one)."""
    return max((d for d in dates if d), default="")
