"""The sources list: every indexed document, so applicants can see what answers come from."""

from __future__ import annotations

import streamlit as st

from app.ui import shared
from app.ui.markdown_safe import escape_md, file_name, latest_as_of, link, safe_url


def main() -> None:
    """Render the list of indexed documents."""
    s = shared.settings()
    st.title("Sources")
    m = shared.manifest()
    if m is None:
        st.info(
            "No documents are indexed yet. The operator can add them with: pilotdesk ingest data/",
            icon=":material/inbox:",
        )
        return
    docs = sorted(m.documents.values(), key=lambda d: (d.kind, d.title.lower()))
    as_of = latest_as_of([d.as_of for d in docs])
    st.markdown(
        f"Answers are drawn only from these {len(docs)} documents"
        + (f" (newest as of {escape_md(as_of)})" if as_of else "")
        + ". They are sample material, not official; the official site is "
        f"[nairrpilot.org]({safe_url(s.ui.official_site_url) or 'https://nairrpilot.org'})."
    )
    # A list, not a canvas grid: links stay real links at every width, and wrap on a phone.
    for d in docs:
        details = [x for x in (d.kind, f"as of {d.as_of}" if d.as_of else "") if x]
        details.append(f"{d.chunks} passage{'' if d.chunks == 1 else 's'}")
        name = d.title or file_name(d.source)
        title = link(name, d.url) if safe_url(d.url) else f"{escape_md(name)}"
        st.markdown(f"- **{title}** — {escape_md(', '.join(details))}")
