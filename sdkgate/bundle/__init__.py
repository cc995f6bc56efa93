"""Evidence bundles: seal a folder (`write_bundle`), sign it, pack it, verify it later."""
from .bundle import BUNDLE_FILE, SCHEMA, SIG_FILE, salted_hash, sha256_file, write_bundle  # noqa: F401
from .pack import pack_zip  # noqa: F401
