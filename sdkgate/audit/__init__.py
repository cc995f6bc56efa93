"""The auditor's table: what a manifest declares against what the evidence shows (`sdkgate manifest diff`)."""
from __future__ import annotations
