"""Page: the applicant chat."""

from app.ui.chat_page import main

main()
