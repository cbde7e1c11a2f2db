"""The composition root: the `pilotdesk` command line, above ingest, index, app and eval."""
