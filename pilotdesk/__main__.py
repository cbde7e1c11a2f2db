"""Run pilotdesk as python -m pilotdesk."""

from pilotdesk.cli import main

main()
