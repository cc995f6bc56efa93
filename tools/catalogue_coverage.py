#!/usr/bin/env python3
"""Signature-kind coverage of the SDK catalogue, measured on the repository's fixture APKs.

    tools/catalogue_coverage.py

For each kind (packages, components, meta_data, permissions, native_libs, jni, assets): how many catalogue
rows carry it, and on the fixtures (tests/fixtures/apks*/, the split set scanned as one app) how many SDK
presences it found, and how many it alone found. The numbers go into the header of sdkgate/data/sdks.yaml.
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KINDS = ("packages", "components", "meta_data", "permissions", "native_libs", "jni", "assets")


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from loguru import logger
    logger.remove()
    from sdkgate.catalogue import bundled_catalogue
    from sdkgate.static import scan_apk

    cat = bundled_catalogue()
    rows = Counter(k for s in cat.sdks.values() for k in KINDS if getattr(s, k))
    fx = ROOT / "tests" / "fixtures"
    apps = [(p, ()) for p in sorted(fx.glob("apks*/*.apk"))]
    sp = fx / "apks-hidden" / "splits"
    apps.append((sp / "split-base.apk", (str(sp / "split_feature_sdk.apk"), str(sp / "split_config.arm64_v8a.apk"))))
    found, alone, total = Counter(), Counter(), 0
    for apk, splits in apps:
        for e in scan_apk(apk, splits=splits).events:
            if e.kind != "sdk_present" or e.actor == "unknown":
                continue
            total += 1
            by = [k for k in KINDS if e.get(k)]
            found.update(by)
            if len(by) == 1:
                alone[by[0]] += 1
    print(f"# Signature kinds (tools/catalogue_coverage.py on the {len(apps)} fixture apps, {total} SDK presences):")
    for k in KINDS:
        print(f"#   {k:<12} {rows[k]:>3} of {len(cat.sdks)} rows; found {found[k]:>2} of {total} presences"
              f"{f', {alone[k]} of them by this kind alone' if alone[k] else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
