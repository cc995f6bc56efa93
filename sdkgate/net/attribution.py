"""Who a flow belongs to: host -> SDK (catalogue), first party (manifest's app domains), or unknown.

Hosts are matched by the catalogue (sdkgate.catalogue, the one source of SDK domains). The
registrable domain comes from tldextract's bundled public-suffix snapshot: never fetched from the
network, so attribution is the same on an air-gapped machine and reproducible for an auditor.
"""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from functools import lru_cache

from ..catalogue import FIRST_PARTY, UNKNOWN, Catalogue, default_catalogue
from ..manifest import Manifest


@lru_cache(maxsize=1)
def _extractor():
    import tldextract
    # suffix_list_urls=() -> no fetch; cache_dir=None -> no writes under ~/.cache
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def registrable_domain(host: str) -> str:
    """`a.b.umeng.com` -> `umeng.com`; `x.bugly.qq.com` -> `qq.com`; an IP or bare name stays as is."""
    host = (host or "").lower().rstrip(".").strip("[]")
    if not host:
        return ""
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    ext = _extractor()(host)
    return ext.top_domain_under_public_suffix if hasattr(ext, "top_domain_under_public_suffix") and \
        ext.top_domain_under_public_suffix else (ext.registered_domain or host)


def _under(host: str, domain: str) -> bool:
    domain = domain.lower().lstrip(".")
    return host == domain or host.endswith("." + domain)


@dataclass
class Attributor:
    catalogue: Catalogue
    app_domains: tuple[str, ...] = ()

    @classmethod
    def for_manifest(cls, manifest: Manifest | None) -> "Attributor":
        if manifest is None:
            return cls(default_catalogue())
        return cls(manifest.catalogue(), tuple(manifest.app_domains))

    def actor(self, host: str) -> str:
        """SDK id, `first_party` or `unknown`."""
        host = (host or "").lower().rstrip(".")
        if not host:
            return UNKNOWN
        sid = self.catalogue.attribute_host(host)
        if sid:
            # a platform / library row's own host (issue 20) is the app's traffic, never an SDK's
            return FIRST_PARTY if self.catalogue.acting_for_app(sid) else sid
        if any(_under(host, d) for d in self.app_domains):
            return FIRST_PARTY
        return UNKNOWN
