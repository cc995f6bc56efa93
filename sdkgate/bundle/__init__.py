"""Evidence bundles: seal a folder (`write_bundle`), sign it, pack it, verify it later."""
from .bundle import BUNDLE_FILE, SCHEMA, SIG_FILE, salted_hash, sha256_file, write_bundle  # noqa: F401
from .pack import pack_zip  # noqa: F401


def seal(out, *, apk=None, sign_key=None, make_zip: bool = False) -> None:
    """Finish an evidence folder: bundle.json (unless the runner wrote it), the signature, the zip."""
    from pathlib import Path
    out = Path(out)
    if (out / "report.json").is_file() and not (out / BUNDLE_FILE).is_file():
        write_bundle(out, apk=apk)
    if sign_key and (out / BUNDLE_FILE).is_file():
        from .sign import sign_bundle
        sign_bundle(out, sign_key)
    if make_zip and (out / BUNDLE_FILE).is_file():
        pack_zip(out)
