"""The staff view: sign-in, then the question log, gaps, usage, documents and reply drafts.

Signing in posts the password to the /staff/login route (app/ui/staff_routes.py), which sets
a signed, expiring, HttpOnly cookie; this page verifies it on every run, so a reload or a new
tab keeps the session. Wrong guesses are counted per client address in the shared store.
"""

from __future__ import annotations

import datetime as dt
import math
import time

import streamlit as st
from pydantic import SecretStr

from app.config import Settings
from app.ui import plan_page, shared, staff_changes, staff_docs, staff_insights
from app.ui.staff_auth import COOKIE, Throttle, attempts_left_text, token_expiry
from app.ui.staff_routes import LOGIN_PATH, LOGOUT_PATH, client_address

# The verified token, kept for this browser session and checked again on every run.
TOKEN = "staff_token"

_SIGN_IN_FORM = f"""
<form method="post" action="{LOGIN_PATH}" style="display:flex;gap:.5rem;align-items:end;
 flex-wrap:wrap;margin:.5rem 0 1rem">
  <label style="display:flex;flex-direction:column;gap:.25rem">Staff password
    <input type="password" name="password" autocomplete="current-password" required
     style="padding:.45rem .6rem;min-width:16rem;border:1px solid #bbb;border-radius:.4rem">
  </label>
  <button type="submit" style="padding:.5rem 1rem;min-height:44px;border-radius:.4rem;
   border:1px solid #888;cursor:pointer">Sign in</button>
</form>
"""
_SIGN_OUT_FORM = f"""
<form method="post" action="{LOGOUT_PATH}" style="margin:0;text-align:right">
  <button type="submit" style="padding:.35rem .9rem;min-height:44px;border-radius:.4rem;
   border:1px solid #888;cursor:pointer">Sign out</button>
</form>
"""


def main() -> None:
    """Render the staff page."""
    s = shared.settings()
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
    until = _session(secret)
    if until is None:
        _sign_in(s)
        return
    _header(until)
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


def _session(secret: SecretStr) -> float | None:
    """When this staff session ends, from the cookie (or this session's copy); None if none."""
    now = time.time()
    for token in (st.context.cookies.get(COOKIE), st.session_state.get(TOKEN)):
        until = token_expiry(token, secret, now)
        if until is not None:
            st.session_state[TOKEN] = token
            return until
    st.session_state.pop(TOKEN, None)
    return None


def _sign_in(s: Settings) -> None:
    """The password form (posted to the login route) and what the last attempt did."""
    outcome = st.query_params.get("signin", "")
    throttle = Throttle(s.staff.max_attempts, s.staff.lockout_seconds)
    client = client_address(st.context.ip_address)
    left, wait = throttle.state(shared.store(), client, time.time())
    if outcome == "out":
        st.success("You are signed out.")
    elif outcome == "wrong" and wait <= 0:
        more = f" {attempts_left_text(left)} before a wait." if left else ""
        st.error(f"Wrong password.{more}")
    elif st.session_state.pop("staff_had_session", False):
        st.info("Your staff session expired. Please sign in again.")
    if wait > 0:
        _countdown(throttle, client)
    st.html(_SIGN_IN_FORM)
    st.caption(
        f"Sessions last {s.staff.session_minutes} minutes and survive reloads. After "
        f"{s.staff.max_attempts} wrong passwords from one address, each further try waits "
        "longer."
    )


def _countdown(throttle: Throttle, client: str) -> None:
    """The lockout message, updated every second until the wait is over."""

    @st.fragment(run_every=1.0)
    def tick() -> None:
        _, wait = throttle.state(shared.store(), client, time.time())
        if wait <= 0:
            st.success("You can try again now.")
            return
        secs = math.ceil(wait)
        st.warning(
            f"Too many wrong passwords from this address. Try again in {secs} second"
            f"{'' if secs == 1 else 's'}.",
            icon=":material/timer:",
        )

    tick()


def _header(until: float) -> None:
    """Until when staff is signed in, and a sign-out button."""
    st.session_state["staff_had_session"] = True
    left, right = st.columns([4, 1], vertical_alignment="center")
    left.caption(f"Signed in as staff until {dt.datetime.fromtimestamp(until):%H:%M}.")
    with right:
        st.html(_SIGN_OUT_FORM)
