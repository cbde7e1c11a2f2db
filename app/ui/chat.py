"""Streamlit entry point (`pilotdesk ui`): the chat, the sources list and the staff view."""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="NAIRR Pilot help desk", page_icon="💬", layout="centered")
# File pages (not callables) so AppTest.switch_page can reach each one in the tests.
pages = [
    st.Page("views/ask.py", title="Ask", icon=":material/chat:", default=True),
    st.Page("views/sources.py", title="Sources", icon=":material/library_books:"),
    st.Page("views/staff.py", title="Staff", icon=":material/lock:"),
]
st.navigation(pages).run()
