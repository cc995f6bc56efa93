"""Scenarios: device-neutral step lists, the runner that plays them on a backend, and the Backend protocol."""
