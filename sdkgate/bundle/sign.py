"""Optional detached Ed25519 signature over `bundle.json` (which holds every file's hash).

`bundle.sig` is the raw 64-byte signature, so it can also be checked without sdkgate:
`openssl pkeyutl -verify -pubin -inkey key.pub -rawin -in bundle.json -sigfile bundle.sig`.
Keys: PEM (PKCS#8 / SubjectPublicKeyInfo, e.g. `openssl genpkey -algorithm ed25519`) or OpenSSH.
"""
from __future__ import annotations

from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ..errors import InputError
from .bundle import BUNDLE_FILE, SIG_FILE


def _read(path: str | Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(str(path), None, "key file not found") from None
    except OSError as exc:
        raise InputError(str(path), None, f"cannot read key: {exc}") from None


def load_private_key(path: str | Path) -> Ed25519PrivateKey:
    data = _read(path)
    key = None
    for loader in (serialization.load_pem_private_key, serialization.load_ssh_private_key):
        try:
            key = loader(data, password=None)
            break
        except (ValueError, TypeError):
            continue
    if not isinstance(key, Ed25519PrivateKey):
        raise InputError(str(path), None, "not an unencrypted Ed25519 private key (PEM PKCS#8 or OpenSSH); "
                         "make one with: openssl genpkey -algorithm ed25519 -out key.pem")
    return key


def load_public_key(path: str | Path) -> Ed25519PublicKey:
    data = _read(path)
    key = None
    for loader in (serialization.load_pem_public_key, serialization.load_ssh_public_key):
        try:
            key = loader(data)
            break
        except (ValueError, TypeError):
            continue
    if key is None:
        try:   # a private key given where the public one was expected still identifies the public key
            key = load_private_key(path).public_key()
        except InputError:
            pass
    if not isinstance(key, Ed25519PublicKey):
        raise InputError(str(path), None, "not an Ed25519 public key (PEM or OpenSSH); "
                         "derive it with: openssl pkey -in key.pem -pubout -out key.pub")
    return key


def sign_bundle(out_dir: str | Path, key_path: str | Path) -> Path:
    """Write `bundle.sig` next to `bundle.json` (call after write_bundle)."""
    root = Path(out_dir)
    key = load_private_key(key_path)
    sig = key.sign((root / BUNDLE_FILE).read_bytes())
    path = root / SIG_FILE
    path.write_bytes(sig)
    return path


def check_signature(out_dir: str | Path, pub: Ed25519PublicKey) -> str | None:
    """None when `bundle.sig` is a valid signature of `bundle.json` by `pub`, else the problem."""
    root = Path(out_dir)
    sig_path = root / SIG_FILE
    if not sig_path.is_file():
        return f"{SIG_FILE} missing: the bundle is not signed"
    try:
        pub.verify(sig_path.read_bytes(), (root / BUNDLE_FILE).read_bytes())
    except InvalidSignature:
        return f"{SIG_FILE}: signature does not match {BUNDLE_FILE} with this key (wrong key or altered bundle)"
    return None
