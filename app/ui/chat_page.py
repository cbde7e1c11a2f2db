"""The applicant chat: streamed answers with their sources, feedback and example questions."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from pathlib import PurePath
from typing import Any

import streamlit as st

from app.config import Settings
from app.types import Answer, Turn
from app.ui import shared
from app.ui.answer_view import abstain_reason, applicant_notes, uncovered_text
from app.ui.markdown_safe import citation_line, escape_md, latest_as_of, link

MESSAGES = "messages"
CONVERSATION = "conversation_id"
PENDING = "pending_question"
TOO_LONG = "too_long_question"
FOCUS = "focus_requests"
BACKEND = "backend_choice"
# Focus the chat box, and after an answer show that answer's first line (Streamlit scrolls to
# the bottom while streaming). Our own constant script: no user text is ever put into it.
_FOCUS_JS = """<script>
(() => {
  const doc = window.parent.document;
  let tries = 0;
  const run = () => {
    const box = doc.querySelector('[data-testid="stChatInputTextArea"]');
    if (!box) return void (tries++ < 50 && setTimeout(run, 100));  // not rendered yet
    const answers = doc.querySelectorAll('[data-testid="stChatMessage"]');
    const last = answers[answers.length - 1];
    box.focus({preventScroll: true});
    // After the page settles (Streamlit keeps a chat pinned to the bottom while it grows).
    if (SCROLL && last) {
      setTimeout(() => {
        if (last.getBoundingClientRect().top < 0) last.scrollIntoView({block: "start"});
      }, 600);
    }
  };
  run();
})();
</script>"""


def main() -> None:
    """Render the chat page."""
    s = shared.settings()
    shared.warm_up()
    backend = _sidebar(s)
    st.title("Ask about the NAIRR Pilot")
    messages: list[dict[str, Any]] = st.session_state.setdefault(MESSAGES, [])
    # chat_input is pinned to the bottom wherever it is called; reading it first lets the
    # welcome disappear in the same run as the first question.
    # No max_chars: the browser would drop a long paste without a word; it is checked below.
    typed = st.chat_input("Ask about eligibility, resources or how to apply…")
    question = _checked(typed, s) if typed is not None else st.session_state.pop(PENDING, None)
    if messages or question:
        # On a phone the sidebar (and its button) is folded away: offer a fresh start here too.
        st.button("New conversation", on_click=_reset, icon=":material/add_comment:", key="new-top")
    if not messages and not question:
        _welcome(s)
    for i, message in enumerate(messages):
        # A question without a reply was cut short by a newer one (Streamlit reruns on input).
        unanswered = message["role"] == "user" and (
            i + 1 == len(messages) or messages[i + 1]["role"] == "user"
        )
        _show_message(message, s, unanswered)
    _too_long_offer(s)
    if question:
        _ask(question, messages, backend, s)
    _focus(scroll=bool(question))


def _checked(typed: str, s: Settings) -> str | None:
    """The typed question, or None after saying why it cannot be asked as it is."""
    question = typed.strip()
    if not question:
        st.toast("Type a question first: an empty message was not sent.", icon=":material/info:")
        return None
    limit = s.api.max_question_chars
    if len(question) > limit:
        st.session_state[TOO_LONG] = question
        return None
    st.session_state.pop(TOO_LONG, None)
    return question


def _too_long_offer(s: Settings) -> None:
    """Say that a pasted question is over the limit and offer to ask its beginning."""
    question = st.session_state.get(TOO_LONG)
    if not question:
        return
    limit = s.api.max_question_chars
    st.warning(
        f"Your question is {len(question):,} characters long; questions can be up to "
        f"{limit:,}. Shorten it, or ask with only the first {limit:,} characters.",
        icon=":material/content_cut:",
    )
    st.button(
        f"Ask the first {limit:,} characters",
        key="ask-truncated",
        on_click=_ask_truncated,
        args=(question[:limit].strip(),),
    )


def _ask_truncated(question: str) -> None:
    """Queue the shortened question (button callback)."""
    st.session_state.pop(TOO_LONG, None)
    _queue(question)


def _focus(scroll: bool) -> None:
    """Run the focus script; a changing counter makes Streamlit run it again on each rerun."""
    n = st.session_state[FOCUS] = st.session_state.get(FOCUS, 0) + 1
    script = _FOCUS_JS.replace("SCROLL", "true" if scroll else "false")
    st.html(f"<!-- {n} -->{script}", unsafe_allow_javascript=True, width=1)


def _sidebar(s: Settings) -> str:
    """Backend, corpus date, links; returns the backend profile to answer with."""
    with st.sidebar:
        st.button(
            "New conversation",
            on_click=_reset,
            icon=":material/add_comment:",
            width="stretch",
        )
        backend = s.backend.default
        if s.ui.allow_backend_switch:
            usable = [n for n, p in s.backend.profiles.items() if p.offline or p.model]
            if backend not in usable:
                usable.insert(0, backend)
            backend = st.selectbox(
                "Answer backend", usable, index=usable.index(backend), key=BACKEND
            )
        offline = backend in s.backend.profiles and s.backend.profiles[backend].offline
        how = "quotes the documents, no AI model" if offline else "a language model"
        st.markdown(f"**Answers by:** {escape_md(backend)} ({how})")
        m = shared.manifest()
        if m is None:
            # Never a server path here: the operator knows where the index lives.
            st.warning(
                "No documents indexed yet. The operator can add them with: pilotdesk ingest data/",
                icon=":material/inbox:",
            )
        else:
            as_of = latest_as_of([d.as_of for d in m.documents.values()])
            date = f", newest as of {escape_md(as_of)}" if as_of else ""
            st.markdown(f"**Documents:** {len(m.documents)}{date}")
        st.page_link("views/sources.py", label="Sources list", icon=":material/library_books:")
        if _office_hours_differs(s):
            st.markdown(link(f"{s.ui.program_name} office hours", s.api.office_hours_url))
        st.markdown(link("Official NAIRR Pilot site", s.ui.official_site_url))
        st.caption(
            "Answers come only from the listed documents, which are not official. "
            "Check anything important on the official site."
        )
    return backend


def _office_hours_differs(s: Settings) -> bool:
    """True when a separate office-hours page is configured (not just the site again)."""
    office = s.api.office_hours_url.strip().rstrip("/")
    return bool(office) and office != s.ui.official_site_url.strip().rstrip("/")


def _reset() -> None:
    """Start a new conversation (forget messages and the conversation id)."""
    st.session_state[MESSAGES] = []
    st.session_state.pop(CONVERSATION, None)


def _queue(question: str) -> None:
    """Ask an example question on the next run."""
    st.session_state[PENDING] = question


def _welcome(s: Settings) -> None:
    """A short greeting with clickable example questions."""
    with st.chat_message("assistant"):
        st.markdown(
            "Hello! I answer questions about the **NAIRR Pilot** — who can apply, which "
            "computing resources fit your work, and how to request them — from the program's "
            "documents, and I list the sources under every answer. When the documents don't "
            "cover a question I say so and point you to office hours."
        )
        st.markdown("Try one of these:")
        for i, example in enumerate(s.ui.examples):
            st.button(escape_md(example), key=f"example-{i}", on_click=_queue, args=(example,))


def _show_message(message: dict[str, Any], s: Settings, unanswered: bool = False) -> None:
    """Re-render one stored message of this session."""
    with st.chat_message(message["role"]):
        if message["role"] == "user":
            st.markdown(escape_md(message["content"]))
            if unanswered:
                st.caption("Not answered: a newer question interrupted it. Ask it again if needed.")
        elif "error" in message:
            shared.show_notice(message["error"])
        else:
            _show_answer(message["answer"], s)
            _show_extras(message["answer"], saved=message.get("saved", False))


def _show_answer(answer: Answer, s: Settings) -> None:
    """The answer text; not-in-the-documents answers look different and point to people."""
    if not answer.abstained:
        st.markdown(escape_md(shared.scrub(answer.text)))
        return
    st.warning(escape_md(shared.scrub(answer.text)), icon=":material/travel_explore:")
    reason = abstain_reason(answer)
    if reason:
        st.caption(f"Why: {escape_md(reason)}")
    site = link("the official NAIRR Pilot site", s.ui.official_site_url)
    if _office_hours_differs(s):
        office = link(f"Ask at {s.ui.program_name} office hours", s.api.office_hours_url)
        st.markdown(f"{office} · or check {site}")
    else:
        st.markdown(f"Check {site}")


def _show_extras(answer: Answer, saved: bool) -> None:
    """Sources with expandable passages, notes, and the feedback controls."""
    if answer.standalone_question and answer.standalone_question != answer.question:
        st.caption(f"Searched the documents for: {escape_md(answer.standalone_question)}")
    if answer.citations:
        st.markdown("**Sources**")
        for c in answer.citations:
            st.markdown(shared.scrub(citation_line(c)))
            name = c.title or PurePath(c.source).name
            with st.expander(f"Passage {escape_md(c.key)}: {escape_md(shared.scrub(name))}"):
                st.caption(escape_md(shared.scrub(c.snippet)))
    uncovered = uncovered_text(answer)
    if uncovered:
        st.caption(escape_md(uncovered))
    for note in applicant_notes(answer.warnings):
        st.caption(f"Note: {escape_md(shared.scrub(note))}")
    if saved:
        _feedback(answer.id)


def _feedback(answer_id: str) -> None:
    """Thumbs up/down and an optional comment, stored with the answer."""
    key = f"fb-{answer_id}"
    st.feedback("thumbs", key=key, on_change=_store_feedback, args=(answer_id,))
    if st.session_state.get(key) is None:
        return
    sent = st.session_state.get(f"fbsent-{answer_id}")
    if sent:
        st.caption(escape_md(sent))
    with st.form(key=f"fbform-{answer_id}", clear_on_submit=True, border=False):
        st.text_input("Comment (optional)", key=f"fbc-{answer_id}", max_chars=2000)
        st.form_submit_button("Send comment", on_click=_store_comment, args=(answer_id,))


def _score(answer_id: str) -> int | None:
    """The thumbs value as the store's score: +1 up, -1 down, None unset."""
    value = st.session_state.get(f"fb-{answer_id}")
    return None if value is None else (1 if value == 1 else -1)


def _store_feedback(answer_id: str) -> None:
    """Store a thumbs click (widget callback)."""
    score = _score(answer_id)
    if score is None:
        return
    try:
        shared.store().add_feedback(answer_id, score)
        st.session_state[f"fbsent-{answer_id}"] = "Thanks for the feedback."
    except Exception as exc:
        st.session_state[f"fbsent-{answer_id}"] = shared.notice_text(exc)


def _store_comment(answer_id: str) -> None:
    """Store the comment with the chosen thumbs (form callback)."""
    comment = str(st.session_state.get(f"fbc-{answer_id}", "")).strip()
    score = _score(answer_id)
    if not comment or score is None:
        return
    try:
        shared.store().add_feedback(answer_id, score, comment)
        st.session_state[f"fbsent-{answer_id}"] = "Thanks, your comment was sent to the staff."
    except Exception as exc:
        st.session_state[f"fbsent-{answer_id}"] = shared.notice_text(exc)


def _history(messages: list[dict[str, Any]], turns: int) -> list[Turn]:
    """Earlier question/answer pairs of this conversation (failed questions are left out)."""
    out: list[Turn] = []
    for q, a in itertools.pairwise(messages):
        if q["role"] == "user" and "answer" in a:
            out += [Turn("user", q["content"]), Turn("assistant", a["answer"].text)]
    return out[-turns:] if turns else []


def _ask(question: str, messages: list[dict[str, Any]], backend: str, s: Settings) -> None:
    """Show the question, stream the answer, store it, and keep both in the session."""
    history = _history(messages, s.ui.history_turns)
    messages.append({"role": "user", "content": question})
    with st.chat_message("user"):
        st.markdown(escape_md(question))
    with st.chat_message("assistant"):
        try:
            answer, latency_ms = _stream(question, history, backend)
        except Exception as exc:
            messages.append({"role": "assistant", "error": shared.notice(exc)})
            return
        saved = _record(answer, latency_ms)
        messages.append({"role": "assistant", "answer": answer, "saved": saved})
        _show_extras(answer, saved)


def _stream(question: str, history: list[Turn], backend: str) -> tuple[Answer, float]:
    """Stream the answer into the page, then replace it by its final rendering."""
    t0 = time.perf_counter()
    events = shared.assistant().stream(question, history, backend=backend)
    with st.spinner(f"Searching the {shared.settings().ui.program_name} documents…"):
        first = next(events)  # the first piece waits for retrieval (and the model, once)
    final: list[Answer] = []

    def pieces() -> Iterator[str]:
        for event in itertools.chain([first], events):
            if isinstance(event, Answer):
                final.append(event)
            else:
                yield escape_md(shared.scrub(event))

    box = st.empty()
    with box.container():
        st.write_stream(pieces())
    if not final:
        raise RuntimeError("the answer stream ended without a final answer")
    answer = final[-1]
    with box.container():
        _show_answer(answer, shared.settings())
    return answer, (time.perf_counter() - t0) * 1000


def _record(answer: Answer, latency_ms: float) -> bool:
    """Store the answer in this session's conversation; a store failure only disables feedback."""
    try:
        db = shared.store()
        cid = db.ensure_conversation(st.session_state.get(CONVERSATION), channel="ui")
        st.session_state[CONVERSATION] = cid
        db.record_answer(cid, answer, latency_ms, channel="ui")
        return True
    except Exception as exc:
        shared.log.error("could not store an answer", exc_info=exc)
        st.caption("This answer could not be saved, so feedback on it is unavailable.")
        return False
