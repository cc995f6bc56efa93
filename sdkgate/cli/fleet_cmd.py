"""`sdkgate fleet report|query`: the fleet database (sdkgate/fleet/)."""
from ..fleet.cli import group as command

__all__ = ["command"]
