"""Jinja2 templates (HTML report)."""
