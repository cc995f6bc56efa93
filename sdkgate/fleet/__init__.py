"""Fleet scale: scan results in a database (SQLite or PostgreSQL), scans on Dask, fleet reports (docs/fleet.md)."""
