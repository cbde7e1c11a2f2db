"""pilotdesk app package."""
