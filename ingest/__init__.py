"""pilotdesk ingest package."""
