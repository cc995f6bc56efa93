"""JSON: the report contract `sdkgate.report/1`."""
from __future__ import annotations

import json

from ..report import Report


class JsonFormat:
    name = "json"
    binary = False

    def render(self, report: Report, lang: str = "en") -> str:
        return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"


FORMAT = JsonFormat()
