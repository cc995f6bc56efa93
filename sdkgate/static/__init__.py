"""Static APK analysis: SDK inventory, sensitive call sites, process-start code, pre-consent paths.

`scan_apk(path, manifest)` returns static events (see docs/internals.md); the rule engine judges them.
"""
from .container import Limits  # noqa: F401
from .paths import Bounds  # noqa: F401
from .scanner import ScanOptions, ScanResult, scan_apk  # noqa: F401
