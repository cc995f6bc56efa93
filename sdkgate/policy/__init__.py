"""Reading privacy policies into draft manifests (`sdkgate manifest from-policy`)."""
from __future__ import annotations

from .draft import Draft, draft_from_policy

__all__ = ["Draft", "draft_from_policy"]
