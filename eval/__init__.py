"""pilotdesk eval package."""
