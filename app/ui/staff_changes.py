"""Staff "What changed": the last refreshes, with a readable diff of each changed page."""

from __future__ import annotations

import streamlit as st

from app.changes import recent_changes
from app.config import Settings
from app.ui.markdown_safe import escape_md, link


def what_changed(s: Settings, limit: int = 10) -> None:
    """List recent refreshes (newest first): changed pages with diffs, added, removed, failed."""
    records = recent_changes(s.paths.index_dir, limit)
    if not records:
        st.info(
            "No refresh has run yet. `pilotdesk refresh` re-checks every web page and crawled "
            "site; the README shows how to run it from cron or a systemd timer."
        )
        return
    for i, r in enumerate(records):
        head = (
            f"{r.at.replace('T', ' ').rstrip('Z')} UTC — {len(r.changed)} changed, "
            f"{len(r.added)} added, {len(r.removed)} removed, {len(r.failed)} failed "
            f"of {r.checked} checked"
        )
        with st.expander(head, expanded=i == 0 and bool(r.changed or r.added or r.removed)):
            for c in r.changed:
                dates = f"as of {c.old_as_of or '?'} → {c.new_as_of or '?'}"
                st.markdown(f"**{link(c.title or c.url, c.url)}** — {escape_md(dates)}")
                st.code(c.diff or "(no line-level difference)", language="diff")
            for label, urls in (("Added", r.added), ("Removed", r.removed)):
                if urls:
                    st.markdown(f"{label}: " + ", ".join(link(u, u) for u in urls))
            for f in r.failed:
                st.caption(escape_md(f"Not checked, kept as it was: {f['url']} ({f['reason']})"))
