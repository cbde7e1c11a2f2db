"""Driving the app with Streamlit's AppTest: start it, ask, open the staff page, sign in."""

from __future__ import annotations

import time
from pathlib import Path

from pydantic import SecretStr
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block, Button

from app.ui.staff_auth import issue_token
from app.ui.staff_page import TOKEN

REPO = Path(__file__).resolve().parents[2]
APP = REPO / "app" / "ui" / "chat.py"
# The first run imports sentence-transformers and loads the model (AppTest's default is 3 s).
TIMEOUT = 120
PASSWORD = "correct horse battery staple"


def start_app() -> AppTest:
    """The app on its default page (the chat), after one run."""
    return AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()


def ask(at: AppTest, question: str) -> AppTest:
    """Type a question into the chat input and run."""
    return at.chat_input[0].set_value(question).run()


def staff_page(at: AppTest) -> AppTest:
    """Switch to the staff page and run."""
    return at.switch_page("views/staff.py").run()


def sign_in(at: AppTest, password: str = PASSWORD) -> AppTest:
    """Hold a staff session token, as a browser that signed in holds the cookie, and run.

    AppTest cannot send cookies, so the token goes where the page keeps a verified one; the
    page checks it exactly as it checks the cookie. The sign-in route has its own tests.
    """
    at.session_state[TOKEN] = issue_token(SecretStr(password), time.time(), 3600)
    return at.run()


def button(at: AppTest, label: str) -> Button:
    """The first button with this label."""
    return next(b for b in at.button if b.label == label)


def texts(block: AppTest | Block) -> list[str]:
    """The Markdown sources of every markdown/caption element under a block."""
    return [m.value for m in block.markdown] + [c.value for c in block.caption]
