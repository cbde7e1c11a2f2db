"""pilotdesk index package."""
