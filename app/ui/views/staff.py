"""Page: the password-protected staff view."""

from app.ui.staff_page import main

main()
