"""SG405: traffic to servers outside the manifest's allowed regions, located with a user's GeoIP
database (MaxMind .mmdb, read with maxminddb; sdkgate ships none).

Only flows with a known server address can be located: the proxy records `ip` on a flow when it
connected upstream (or the host is an IP literal). Offline runs answer locally, so they have no
address; the report says how many flows could not be checked instead of passing them silently.
"""
from __future__ import annotations

import ipaddress
from typing import Iterable

from ..catalogue import UNKNOWN
from ..errors import InputError
from ..events import BadLine, Event
from ..i18n import msg
from ..manifest import Manifest
from ..report import Finding


def _country(rec) -> str | None:
    """ISO code from GeoLite2/GeoIP2-Country or City records (or a flat {"iso_code": ..})."""
    if not isinstance(rec, dict):
        return None
    for key in ("country", "registered_country"):
        sub = rec.get(key)
        if isinstance(sub, dict) and sub.get("iso_code"):
            return str(sub["iso_code"]).upper()
    code = rec.get("iso_code") or rec.get("country_code")
    return str(code).upper() if code else None


def _ip_of(ev: Event) -> str | None:
    ip = ev.get("ip")
    if ip:
        return str(ip)
    host = (ev.get("host") or "").strip("[]")
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        return None


class GeoRules:
    """Engine rule group (methods named after event kinds): `flow`, `send`, `finish`."""

    def __init__(self, mmdb_path: str):
        import maxminddb
        self.path = str(mmdb_path)
        try:
            self.reader = maxminddb.open_database(self.path)
        except FileNotFoundError:
            raise InputError(self.path, None, "GeoIP database not found") from None
        except (maxminddb.InvalidDatabaseError, ValueError, OSError) as exc:
            raise InputError(self.path, None, f"not a readable MaxMind DB (.mmdb): {exc}") from None
        self._cache: dict[str, str | None] = {}
        self.unaddressed: set[str] = set()     # flow ids without a server address
        self.unlocated: set[str] = set()       # addresses the database does not know
        self.checked = 0

    def close(self):
        self.reader.close()

    def locate(self, ip: str) -> str | None:
        if ip not in self._cache:
            try:
                self._cache[ip] = _country(self.reader.get(ip))
            except ValueError:                 # not an IP, or IPv6 in an IPv4-only database
                self._cache[ip] = None
        return self._cache[ip]

    def _check(self, ev: Event, st, personal: bool):
        m: Manifest | None = st.manifest
        if m is None or not m.allowed_regions:
            return
        ip = _ip_of(ev)
        if not ip:
            self.unaddressed.add(str(ev.get("flow_id") or ev.seq))
            return
        if ipaddress.ip_address(ip).is_private or ipaddress.ip_address(ip).is_loopback:
            return
        country = self.locate(ip)
        self.checked += 1
        if country is None:
            self.unlocated.add(ip)
            return
        allowed = {r.upper() for r in m.allowed_regions}
        if country in allowed:
            return
        host = ev.get("host") or ip
        actor = ev.actor or UNKNOWN
        st.sink.add("SG405", ev, actor=actor, category=ev.category if personal else None,
                    key=f"{host}/{country}/{'send' if personal else 'flow'}",
                    severity="violation" if personal else "warning",
                    summary=lambda: msg("{host} ({ip}) is in {country}; allowed: {allowed}", host=host, ip=ip, country=country,
                                allowed=", ".join(sorted(allowed))),
                    ref=f"{host} {ip} {country}", detail={"host": host, "ip": ip, "country": country})

    def flow(self, ev: Event, st):
        self._check(ev, st, personal=False)

    def send(self, ev: Event, st):
        self._check(ev, st, personal=True)

    def finish(self, st):
        m = st.manifest
        if m is None or not m.allowed_regions:
            st.skipped.append(msg("SG405 skipped: the manifest declares no allowed_regions"))
        else:
            if self.unaddressed:
                st.skipped.append(msg("SG405: {n} flow(s) without a server address (offline proxy or no upstream "
                                      "connection) were not located", n=len(self.unaddressed)))
            if self.unlocated:
                st.skipped.append(msg("SG405: {n} address(es) not in {path}: {addresses}", n=len(self.unlocated),
                                      path=str(self.path), addresses=", ".join(sorted(self.unlocated)[:5])))
        self.close()


def geo_findings(events: Iterable[Event | BadLine], manifest: Manifest | None, mmdb_path: str | None
                 ) -> tuple[list[Finding], list[str]]:
    """SG405 on its own: (findings, skipped notes). Without a database the rule is skipped."""
    from .state import RunState
    st = RunState(manifest=manifest)
    if not mmdb_path:
        return [], [msg("SG405 skipped: no GeoIP database given (--geoip FILE.mmdb)")]
    rules = GeoRules(mmdb_path)
    for ev in events:
        if isinstance(ev, Event) and ev.source == "net" and ev.kind in ("flow", "send"):
            getattr(rules, ev.kind)(ev, st)
    rules.finish(st)
    return st.sink.findings(), st.skipped
