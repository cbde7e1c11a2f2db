"""The staff view: sign-in, then the question log, gaps, usage, documents and reply drafts."""

from __future__ import annotations

import datetime as dt
import math
import time

import streamlit as st

from app.config import Settings
from app.ui import plan_page, shared, staff_changes, staff_docs, staff_insights
from app.ui.staff_auth import Attempt, StaffGate

GATE = "staff_gate"


def main() -> None:
    """Render the staff page."""
    s = shared.settings()
    st.set_page_config(layout="wide")  # the log and documents tables need the width
    st.title("Staff view")
    secret = s.staff.password
    if secret is None or not secret.get_secret_value():
        st.info(
            "The staff view is disabled because no staff password is configured. Set the "
            "environment variable PILOTDESK\\_STAFF\\_\\_PASSWORD (or `password` under "
            "`[staff]` in pilotdesk.toml) and restart.",
            icon=":material/lock:",
        )
        return
    gate = _gate(s)
    if not gate.signed_in(time.time()):
        _sign_in(gate, s)
        return
    _header(gate)
    log, gaps, usage, docs, draft, changed = st.tabs(
        ["Question log", "Gaps", "Usage", "Documents", "Draft a reply", "What changed"]
    )
    with log:
        staff_insights.question_log()
    with gaps:
        staff_insights.gaps(s)
    with usage:
        staff_insights.usage()
    with docs:
        staff_docs.documents(s)
    with draft:
        staff_insights.draft()
        plan_page.attach_to_draft()
    with changed:
        staff_changes.what_changed(s)


def _gate(s: Settings) -> StaffGate:
    """This session's sign-in state."""
    gate = st.session_state.get(GATE)
    if not isinstance(gate, StaffGate):
        gate = StaffGate(
            max_attempts=s.staff.max_attempts,
            lockout_s=s.staff.lockout_seconds,
            session_s=s.staff.session_minutes * 60,
        )
        st.session_state[GATE] = gate
    return gate


def _sign_in(gate: StaffGate, s: Settings) -> None:
    """The password form; wrong guesses are counted and eventually slowed down."""
    if gate.expired:
        st.info("Your staff session expired. Please sign in again.")
    with st.form("staff-sign-in", clear_on_submit=True):
        # No key: the password never lands in session state, and the form clears it.
        entered = st.text_input("Staff password", type="password")
        submitted = st.form_submit_button("Sign in", icon=":material/login:")
    if submitted:
        assert s.staff.password is not None
        result = gate.attempt(entered, s.staff.password, time.time())
        if result is Attempt.OK:
            st.rerun()
        if result is Attempt.WRONG:
            left = gate.remaining_attempts()
            more = f" {left} attempt(s) left before a wait." if left else ""
            st.error(f"Wrong password.{more}")
    wait = gate.wait_seconds(time.time())
    if wait > 0:
        st.warning(f"Too many wrong passwords. Try again in {math.ceil(wait)} seconds.")


def _header(gate: StaffGate) -> None:
    """Who is signed in until when, and a sign-out button."""
    until = dt.datetime.fromtimestamp(gate.signed_in_until).strftime("%H:%M")
    left, right = st.columns([4, 1])
    left.caption(f"Signed in as staff until {until}.")
    if right.button("Sign out", icon=":material/logout:"):
        gate.sign_out()
        st.rerun()
