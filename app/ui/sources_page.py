"""The sources list: every indexed document, so applicants can see what answers come from."""

from __future__ import annotations

import streamlit as st

from app.ui import shared
from app.ui.markdown_safe import escape_md, latest_as_of, safe_url


def main() -> None:
    """Render the list of indexed documents."""
    s = shared.settings()
    st.title("Sources")
    m = shared.manifest()
    if m is None:
        st.info(
            escape_md(
                f"No documents are indexed yet. Run: pilotdesk ingest data/ --index "
                f"{s.paths.index_dir}"
            ),
            icon="📭",
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
    rows = [
        {
            "Title": d.title or d.source,
            "Kind": d.kind,
            "As of": d.as_of,
            # Only http(s) targets become links; anything else is left out.
            "Link": safe_url(d.url),
            "Passages": d.chunks,
        }
        for d in docs
    ]
    st.dataframe(
        rows,
        hide_index=True,
        width="stretch",
        column_config={"Link": st.column_config.LinkColumn("Link")},
    )
