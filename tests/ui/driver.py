"""Driving the app with Streamlit's AppTest: start it, ask, open the staff page, sign in."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block, Button

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


def sign_in(at: AppTest, password: str) -> AppTest:
    """Submit a password on the staff page."""
    next(t for t in at.text_input if t.label == "Staff password").input(password)
    return button(at, "Sign in").click().run()


def button(at: AppTest, label: str) -> Button:
    """The first button with this label."""
    return next(b for b in at.button if b.label == label)


def texts(block: AppTest | Block) -> list[str]:
    """The Markdown sources of every markdown/caption element under a block."""
    return [m.value for m in block.markdown] + [c.value for c in block.caption]
