"""Streamlit entry point (`pilotdesk ui` runs it through launcher.py): chat, sources,
request planner and the staff view."""

from __future__ import annotations

import streamlit as st

# File pages (not callables) so AppTest.switch_page can reach each one in the tests.
pages = [
    st.Page("views/ask.py", title="Ask", icon=":material/chat:", default=True),
    st.Page("views/sources.py", title="Sources", icon=":material/library_books:"),
    st.Page("views/plan.py", title="Plan a request", icon=":material/calculate:"),
    st.Page("views/staff.py", title="Staff", icon=":material/lock:"),
]
page = st.navigation(pages)
# One layout per page, set once before it renders: setting it again inside a page made the
# staff view flip between centred and wide on every rerun, cutting off table columns.
st.set_page_config(
    page_title="NAIRR Pilot help desk",
    page_icon=":material/forum:",
    layout="wide" if page.url_path == "staff" else "centered",
)
page.run()
