"""The manifest must describe the app it judges (issue 20): its `app.package` against the APK's package.

A mismatch is bad input (exit 2) naming both, said once and early, unless the user states that the build was
renamed (`--allow-package-mismatch`): then the declarations judge it and the report says so."""
from __future__ import annotations

from .errors import InputError
from .i18n import msg

FLAG = "--allow-package-mismatch"


def check_package(apk: str, apk_package: str | None, manifest, allow: bool = False) -> str | None:
    """None when they agree (or either is unknown); a note when they differ and `allow`; else InputError."""
    if manifest is None or not apk_package or apk_package == manifest.package:
        return None
    if not allow:
        raise InputError(str(apk), None, f"the APK is {apk_package} but the manifest {manifest.path} declares "
                         f"{manifest.package}: they describe different apps (a renamed build: give {FLAG})")
    return msg("package mismatch allowed ({flag}): the APK is {apk}, the manifest declares {manifest}", flag=FLAG,
               apk=apk_package, manifest=manifest.package)


def apk_package(apk: str) -> str | None:
    """The package an APK's AndroidManifest.xml names (None when it cannot be read: the scan says why)."""
    from .static.container import Archive, Budget, Limits
    from .static.manifest_xml import parse_manifest_xml
    try:
        arc = Archive.open(apk, apk, Budget(Limits()))
    except InputError:
        return None
    try:
        return parse_manifest_xml(arc.read("AndroidManifest.xml")).package or None
    except Exception:  # noqa: BLE001 - an unreadable manifest is the scan's to report
        return None
    finally:
        arc.zf.close()
