"""SG900 traffic not observed: every destination the app reached must be in the proxy's evidence."""
from __future__ import annotations

from sdkgate.rules import evaluate

from .conftest import Log

LISTEN = [{"mode": "regular", "type": "regular", "host": "127.0.0.1", "port": 8080}]


def _log(partial=True) -> Log:
    log = Log()
    log.agent()
    log.add("step", "capture", 1, mode="proxy" if partial else "wireguard", partial=partial, allow_quic=False,
            unpin=False, listeners=LISTEN)
    return log


def _connect(log, t, ip, port, proto="tcp", host=None, actor="jpush", **kw):
    return log.add("hook", "net_connect", t, ip=ip, port=port, protocol=proto, host=host, call="connect",
                   actor=actor, **kw)


def test_unobserved_destination_names_ip_port_protocol_and_actor():
    log = _log()
    _connect(log, 100, "203.0.113.7", 7000)
    rep = evaluate(log.events, None)
    assert rep.verdict == "incomplete"
    assert "traffic not observed: 203.0.113.7:7000/tcp by jpush" in rep.incomplete
    assert any(f.rule == "SG900" and "203.0.113.7:7000/tcp" in f.message for f in rep.findings)


def test_connections_to_the_proxy_and_matched_flows_are_observed():
    log = _log(partial=False)
    _connect(log, 100, "127.0.0.1", 8080)                                    # the proxy itself
    _connect(log, 110, "198.51.100.4", 443, host="ulogs.umeng.com", actor="umeng_common")
    log.add("net", "flow", 900, host="ulogs.umeng.com", dst="ulogs.umeng.com:443", scheme="https", actor="umeng_common")
    _connect(log, 120, "198.51.100.9", 443)
    log.add("net", "flow", 950, host="x.jpush.cn", ip="198.51.100.9", dst="198.51.100.9:443", scheme="https")
    rep = evaluate(log.events, None)
    assert rep.verdict == "not_judged", rep.incomplete      # no manifest: never a pass, but nothing unseen
    assert not any("partial" in s for s in rep.skipped)


def test_a_flow_long_before_the_connect_does_not_count_and_ports_must_agree():
    log = _log()
    log.add("net", "flow", 100, host="a.jpush.cn", ip="198.51.100.9", dst="198.51.100.9:443")
    _connect(log, 60_000, "198.51.100.9", 443)
    _connect(log, 60_100, "198.51.100.9", 5223)
    log.add("net", "flow", 61_000, host="a.jpush.cn", ip="198.51.100.9", dst="198.51.100.9:443")
    rep = evaluate(log.events, None)
    assert rep.incomplete == ["traffic not observed: 198.51.100.9:5223/tcp by jpush"]
    assert any("partial" in s for s in rep.skipped)


def test_quic_refused_is_not_a_gap_but_allowed_quic_is_never_observed():
    log = _log()
    _connect(log, 100, "198.51.100.9", 443, proto="udp", blocked="quic")
    assert evaluate(log.events, None).verdict == "not_judged"
    log2 = _log()
    _connect(log2, 100, "198.51.100.9", 443, proto="udp", host="q.umeng.com", actor="umeng_common")
    log2.add("net", "flow", 200, host="q.umeng.com", ip="198.51.100.9", dst="198.51.100.9:443")
    rep = evaluate(log2.events, None)
    assert rep.incomplete and rep.incomplete[0].startswith("traffic not observed: 198.51.100.9:443/udp by umeng_common")
    assert "QUIC" in rep.incomplete[0]


def test_without_any_capture_every_reach_is_unobserved():
    log = Log()
    log.agent()
    _connect(log, 100, "10.0.0.8", 80, actor="unknown")
    assert evaluate(log.events, None).incomplete == ["traffic not observed: 10.0.0.8:80/tcp by unknown"]


def test_native_caller_is_named_when_the_actor_is_unknown():
    log = _log()
    _connect(log, 100, "203.0.113.9", 9000, actor="unknown", native_module="libjcore230.so")
    assert evaluate(log.events, None).incomplete == [
        "traffic not observed: 203.0.113.9:9000/tcp by unknown [native: libjcore230.so]"]


PROXY_ONLY = "capture partial: no agent evidence; traffic that bypasses the proxy, QUIC and values transformed before sending cannot be excluded"


def test_proxy_evidence_without_the_agent_is_never_a_pass():
    """Issue 22 §3: a standalone proxy's net.jsonl (no agent, no net_connect coverage) reads incomplete,
    clean or not; the reason names what the proxy cannot see."""
    log = Log()
    log.add("net", "flow", 100, host="ulogs.umeng.com", dst="ulogs.umeng.com:443", scheme="https", actor="umeng_common")
    rep = evaluate(log.events, None)
    assert rep.verdict == "incomplete" and rep.incomplete == [PROXY_ONLY]
    log.send(150, "umeng_common", "device_id.imei", "ulogs.umeng.com")        # a finding does not hide the gap
    assert PROXY_ONLY in evaluate(log.events, None).incomplete


def test_with_a_full_capture_mode_the_reason_names_only_what_remains_unseen():
    for mode in ("wireguard", "transparent"):
        log = Log()
        log.add("step", "capture", 1, mode=mode, partial=False, allow_quic=False, unpin=False, listeners=LISTEN)
        log.add("net", "flow", 100, host="x.jpush.cn", dst="198.51.100.9:443", scheme="https")
        rep = evaluate(log.events, None)
        assert rep.incomplete == ["capture partial: no agent evidence; QUIC and values transformed before sending "
                                  "cannot be excluded"], mode


def test_an_agent_without_socket_hooks_gives_no_coverage_but_one_with_them_does():
    log = Log()
    log.add("hook", "agent_status", 0, status="loaded", net=[])
    log.add("net", "flow", 100, host="x.jpush.cn", dst="198.51.100.9:443", scheme="https")
    assert evaluate(log.events, None).incomplete == [PROXY_ONLY]
    log2 = Log()
    log2.add("hook", "agent_status", 0, status="loaded", net=["connect", "sendto"])
    log2.add("net", "flow", 100, host="x.jpush.cn", dst="198.51.100.9:443", scheme="https")
    r = evaluate(log2.events, None)
    assert not r.incomplete and r.verdict == "not_judged"      # everything seen; no manifest, so no verdict
