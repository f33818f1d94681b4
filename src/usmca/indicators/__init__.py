"""Named indicators: figures computed from the store, each with its query log (see docs/architecture.md)."""
