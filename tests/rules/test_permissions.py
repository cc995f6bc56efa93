from sdkgate.rules import evaluate

from .conftest import rule_ids, rules_of


def _req(log, t, perms, actor="first_party", source="hook"):
    return log.add(source, "permission_request", t, actor=actor, permissions=perms, api_id="perm.activity.requestPermissions")


def test_permission_not_in_table_SG301_static_and_dynamic(log, demo_manifest):
    log.add("static", "permission_declared", 0, permission="android.permission.READ_CONTACTS")
    log.add("static", "permission_declared", 0, permission="android.permission.INTERNET")
    r = evaluate(log.events, demo_manifest)
    sg301 = [f for f in r.findings if f.rule == "SG301"]
    assert [f.detail["permission"] for f in sg301] == ["android.permission.READ_CONTACTS"]


def test_request_before_consent_SG302_and_at_start_SG304(log, demo_manifest):
    log.agent()
    log.add("step", "lifecycle", 0, what="launch")
    _req(log, 50, ["android.permission.ACCESS_FINE_LOCATION"])
    r = evaluate(log.events, demo_manifest)
    assert {"SG302", "SG304"} <= rule_ids(r)


def test_request_on_feature_after_consent_is_fine(log, demo_manifest):
    log.agent()
    log.add("step", "lifecycle", 0, what="launch")
    log.consent(100, "granted")
    log.marker(100, "granted")
    log.add("step", "feature", 200, feature="location_job_search")
    _req(log, 250, ["android.permission.ACCESS_FINE_LOCATION"])
    r = evaluate(log.events, demo_manifest)
    assert r.verdict == "pass", [f.message for f in r.findings]


def test_rerequest_within_48h_SG303_but_not_after(log, demo_manifest):
    log.agent()
    log.add("step", "lifecycle", 0, what="launch")
    log.consent(100, "granted")
    log.marker(100, "granted")
    log.add("step", "feature", 200, feature="location_job_search")
    _req(log, 250, ["android.permission.ACCESS_FINE_LOCATION"])
    log.add("step", "permission_result", 300, results={"android.permission.ACCESS_FINE_LOCATION": "denied"})
    log.add("step", "lifecycle", 400, what="relaunch")
    log.add("step", "feature", 500, feature="location_job_search")
    _req(log, 600, ["android.permission.ACCESS_FINE_LOCATION"])
    r = evaluate(log.events, demo_manifest)
    assert ("SG303", "first_party", None) in rules_of(r)
    # the same, but 49 hours pass before the relaunch
    log2 = type(log)()
    for ev in log.events[:7]:
        log2.events.append(ev)
    log2.seq = {"hook": 3, "step": 6}
    log2.seq = {s: sum(1 for e in log2.events if e.source == s) for s in ("hook", "step")}
    log2.add("step", "lifecycle", 350, what="clock", advance_ms=49 * 3600 * 1000)
    log2.add("step", "lifecycle", 400, what="relaunch")
    log2.add("step", "feature", 500, feature="location_job_search")
    _req(log2, 600, ["android.permission.ACCESS_FINE_LOCATION"])
    r2 = evaluate(log2.events, demo_manifest)
    assert "SG303" not in rule_ids(r2), [f.message for f in r2.findings]
    assert r2.verdict == "pass", (r2.incomplete, [f.message for f in r2.findings])
