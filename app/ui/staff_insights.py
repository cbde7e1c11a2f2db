"""Staff tabs that read the question log: the log itself, gaps, usage, and reply drafts."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import streamlit as st

from app.config import Settings
from app.store import LoggedAnswer
from app.types import Answer
from app.ui import shared
from app.ui.answer_view import abstain_reason, uncovered_text
from app.ui.clustering import group_similar
from app.ui.markdown_safe import csv_cell, draft_reply, escape_md, file_name

LOG_LIMIT = 5000
# Words, not emoji: they survive CSV exports and fonts without emoji.
THUMBS = {1: "up", -1: "down"}
# Fixed widths for the long texts: sized to their content, one answer pushed Feedback, Comment
# and Sources out of view even in the wide layout (the full texts show on hover or in the CSV).
LOG_COLUMNS: dict[str, Any] = {
    "Time": st.column_config.TextColumn(width=140),
    "Question": st.column_config.TextColumn(width=240),
    "Feedback": st.column_config.TextColumn(width=80),
    "Comment": st.column_config.TextColumn(width=150),
    "Sources": st.column_config.TextColumn(width=150),
    "Answer": st.column_config.TextColumn(width=320),
}


def _day_start(day: dt.date) -> float:
    """Local midnight of a day as a Unix time."""
    return dt.datetime.combine(day, dt.time()).timestamp()


def _cited(citations: list[dict[str, Any]]) -> str:
    """The titles an answer cited, each once, in citation order."""
    titles = [str(c.get("title") or file_name(str(c.get("source") or ""))) for c in citations]
    return "; ".join(dict.fromkeys(t for t in titles if t))


def log_rows(rows: list[LoggedAnswer]) -> list[dict[str, Any]]:
    """The question log as table rows; short columns staff scan first, long texts last."""
    return [
        {
            "Time": dt.datetime.fromtimestamp(r.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            "Question": r.question,
            "Feedback": THUMBS.get(r.feedback_score or 0, ""),
            "Comment": r.feedback_comment,
            "Sources": _cited(r.citations),
            "Not in documents": r.abstained,
            "Why not answered": abstain_reason(r) if r.abstained else "",
            "Answer": r.answer,
            "Backend": r.backend,
            "Latency (ms)": round(r.latency_ms),
            "Channel": r.channel,
        }
        for r in rows
    ]


def log_csv(rows: list[dict[str, Any]]) -> bytes:
    """CSV export; cells that look like formulas are defused."""
    import pandas as pd

    frame = pd.DataFrame([{k: csv_cell(v) for k, v in row.items()} for row in rows])
    return frame.to_csv(index=False).encode("utf-8")


def question_log() -> None:
    """Filterable question log with CSV export."""
    c1, c2, c3, c4 = st.columns(4)
    since = c1.date_input("From", value=None, key="log-from")
    until = c2.date_input("To", value=None, key="log-to")
    answered = c3.selectbox("Answer", ["All", "Answered", "Not in documents"], key="log-abst")
    thumbs = c4.selectbox("Feedback", ["All", "Thumbs up", "Thumbs down"], key="log-fb")
    text = st.text_input("Question contains", key="log-text")
    rows = shared.store().log(
        since=_day_start(since) if isinstance(since, dt.date) else None,
        until=_day_start(until + dt.timedelta(days=1)) if isinstance(until, dt.date) else None,
        abstained=None if answered == "All" else answered == "Not in documents",
        feedback_score={"All": None, "Thumbs up": 1, "Thumbs down": -1}[thumbs],
        text=text.strip(),
        limit=LOG_LIMIT,
    )
    table = log_rows(rows)
    st.caption(
        f"{len(table)} answer{'' if len(table) == 1 else 's'}"
        + (" (newest first; limit reached)" if len(rows) >= LOG_LIMIT else " (newest first)")
    )
    if not table:
        st.info("No questions match these filters yet.")
        return
    st.dataframe(table, hide_index=True, width="stretch", column_config=LOG_COLUMNS)
    st.download_button(
        "Export CSV",
        data=log_csv(table),
        file_name=f"pilotdesk-log-{dt.date.today().isoformat()}.csv",
        mime="text/csv",
        icon=":material/download:",
    )


@st.cache_data(show_spinner="Grouping similar questions…", max_entries=8)
def _groups(questions: tuple[str, ...], threshold: float) -> list[list[int]]:
    """Cluster questions by meaning (cached: embedding them again on every rerun is slow)."""
    vectors = shared.assistant().embedder.encode(list(questions))
    return group_similar(vectors, threshold)


def gaps(s: Settings) -> None:
    """Questions the documents did not answer well, grouped by similarity."""
    rows = [r for r in shared.store().log(limit=LOG_LIMIT) if r.abstained or r.feedback_score == -1]
    st.caption(
        "Questions answered with “not in the documents” or given a thumbs-down, grouped by "
        "meaning: the biggest groups are what the documents should cover next."
    )
    if not rows:
        st.info("No gaps yet: nothing was abstained on or thumbed down.")
        return
    groups = _groups(tuple(r.question for r in rows), s.ui.gap_threshold)
    for n, group in enumerate(groups, 1):
        members = [rows[i] for i in group]
        abstained = sum(1 for m in members if m.abstained)
        down = sum(1 for m in members if m.feedback_score == -1)
        st.markdown(
            f"**{n}. {escape_md(members[0].question.strip() or '(empty question)')}** — "
            f"{len(members)} question(s): "
            f"{abstained} not in documents, {down} thumbs down"
        )
        with st.expander(f"Questions in group {n}"):
            for m in members:
                tag = "not in documents" if m.abstained else "thumbs down"
                note = f" — “{escape_md(m.feedback_comment)}”" if m.feedback_comment else ""
                st.markdown(f"- {escape_md(m.question)} ({tag}){note}")


def usage() -> None:
    """Headline numbers, questions per day, and the most cited documents."""
    import pandas as pd

    rows = shared.store().log(limit=LOG_LIMIT)
    if not rows:
        st.info("No questions yet.")
        return
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Questions", len(rows))
    c2.metric("Not in documents", sum(1 for r in rows if r.abstained))
    c3.metric("Thumbs up", sum(1 for r in rows if r.feedback_score == 1))
    c4.metric("Thumbs down", sum(1 for r in rows if r.feedback_score == -1))
    st.subheader("Questions per day")
    per_day = Counter(dt.date.fromtimestamp(r.created_at) for r in rows)
    days = pd.DataFrame(
        {"questions": list(per_day.values())}, index=pd.to_datetime(list(per_day.keys()))
    ).sort_index()
    st.bar_chart(days, y="questions")
    st.subheader("Most cited documents")
    cited = Counter(
        c.get("title") or file_name(str(c.get("source") or "?")) for r in rows for c in r.citations
    )
    if not cited:
        st.info("No answer has cited a document yet.")
        return
    top = pd.DataFrame(cited.most_common(10), columns=["Document", "Citations"])
    st.dataframe(top, hide_index=True, width="stretch")


def draft() -> None:
    """Ask as staff and copy the answer with its sources as Markdown for an email."""
    with st.form("draft-form"):
        question = st.text_area("Applicant's question", key="draft-q", max_chars=2000)
        asked = st.form_submit_button("Draft a reply", icon=":material/edit_note:")
    if asked and question.strip():
        try:
            # Drafts are not logged: the question log is for what applicants asked.
            st.session_state["draft-answer"] = shared.assistant().ask(question.strip())
        except Exception as exc:
            shared.notice(exc)
            return
    answer: Answer | None = st.session_state.get("draft-answer")
    if answer is None:
        return
    if answer.abstained:
        # A Material icon: an emoji shows as an empty box without an emoji font.
        reason = abstain_reason(answer)
        st.warning(
            "The documents do not cover this; reply from your own knowledge."
            + (f" Why: {escape_md(reason)}." if reason else ""),
            icon=":material/travel_explore:",
        )
    uncovered = uncovered_text(answer)
    if uncovered:
        st.caption(escape_md(uncovered))
    st.caption("Copy with the button at the top right of the box.")
    st.code(draft_reply(answer), language="markdown", wrap_lines=True)
