"""Page: what the assistant's answers come from."""

from app.ui.sources_page import main

main()
