"""Manifests: every bundled manifest loads; the seed-policy manifest says what the policy says;
broken manifests fail with the file and the line of the problem."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from sdkgate.catalogue import default_catalogue
from sdkgate.errors import InputError
from sdkgate.manifest import load_manifest
from sdkgate.taxonomy import categories

ROOT = Path(__file__).resolve().parents[1]
MANIFESTS = sorted((ROOT / "manifests").glob("*.yaml"))
SEED = ROOT / "manifests" / "zhaopin-jobseeker.yaml"



def test_there_are_manifests():
    assert SEED in MANIFESTS and len(MANIFESTS) >= 2


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.name)
def test_every_manifest_loads(path):
    m = load_manifest(path)
    assert m.package and m.sdks and m.permissions
    cat = default_catalogue()
    for row in m.sdks.values():
        assert row.id in cat.sdks, f"{path.name}: {row.id} has no catalogue row"
        assert row.purpose, f"{path.name}: {row.id} has no purpose"
        for c in row.categories:
            assert c in categories()
    # the app's own classes are first party under the merged catalogue
    assert m.catalogue().attribute_class(m.app_packages[0] + ".MainActivity", m.app_packages) == "first_party"


@pytest.fixture(scope="module")
def seed():
    return load_manifest(SEED)


def test_seed_app_and_consent(seed):
    assert seed.package == "com.zhaopin.social"
    assert seed.policy_version == "2022 V6"
    assert "zhaopin.com" in seed.app_domains
    assert set(seed.consent.scopes) == {"policy", "personalization", "sensitive"}
    assert seed.consent.browse_mode is True
    assert "我同意并确认" in seed.consent.accept_text
    assert seed.never_transmit == ("clipboard",)
    assert seed.allowed_regions == ("CN",)


def test_seed_face_recognition_is_tencent_and_megvii_under_sensitive(seed):
    face = {sid: row for sid, row in seed.sdks.items()
            if default_catalogue().sdks[sid].purpose == "face_identity"}
    assert set(face) == {"tencent_faceid", "megvii_faceid"}
    for row in face.values():
        assert row.consent_scope == "sensitive"
        assert "camera" in row.categories
        assert "android.permission.CAMERA" in row.permissions
        assert row.feature == "face_verification"
    assert "腾讯云计算" in face["tencent_faceid"].vendor and "旷视" in face["megvii_faceid"].vendor


def test_seed_logins_payments_and_carriers(seed):
    assert {"wechat_opensdk", "weibo_sdk", "qq_connect"} <= set(seed.sdks)
    assert {seed.sdks[s].feature for s in ("wechat_opensdk", "weibo_sdk", "qq_connect")} == {"third_party_login"}
    carriers = {"cmic_login", "cucc_login", "ctcc_login"}
    assert carriers <= set(seed.sdks)
    for s in carriers:
        assert seed.sdks[s].feature == "one_click_login"
        assert "device_id.phone_number" in seed.sdks[s].categories
    assert {"wechat_pay", "alipay"} <= set(seed.sdks)
    assert {seed.sdks[s].feature for s in ("wechat_pay", "alipay")} == {"payment"}


def test_seed_sdks_attribute_their_own_code(seed):
    cat = seed.catalogue()
    assert cat.attribute_class("com.tencent.mm.opensdk.modelpay.PayReq") == "wechat_pay"
    assert cat.attribute_class("com.tencent.mm.opensdk.openapi.WXAPIFactory") == "wechat_opensdk"
    assert cat.attribute_class("com.megvii.meglive_sdk.manager.MegLiveManager") == "megvii_faceid"
    assert cat.attribute_class("com.sdk.mobile.manager.login.cucc.OauthManager") == "cucc_login"
    for sid in seed.sdks:
        assert seed.sdk_packages(sid), sid


def test_seed_permission_table(seed):
    perms = seed.permissions
    for p in ("CAMERA", "RECORD_AUDIO", "ACCESS_FINE_LOCATION", "READ_EXTERNAL_STORAGE", "READ_PHONE_STATE"):
        assert f"android.permission.{p}" in perms
    assert perms["android.permission.ACCESS_FINE_LOCATION"].when == "on_feature"
    assert perms["android.permission.ACCESS_FINE_LOCATION"].feature == "location_job_search"
    assert perms["android.permission.RECORD_AUDIO"].feature == "video_interview"
    assert all(row.purpose for row in perms.values())
    # every permission an SDK row names is in the app's table
    for row in seed.sdks.values():
        assert set(row.permissions) <= set(perms), row.id


# ------------------------------------------------------------------ broken manifests
VALID = """\
schema: sdkgate.manifest/1
app:
  package: com.example.broken
  packages: [com.example.broken]
features: [login]
consent:
  scopes: [policy, sensitive]
sdks:
  - id: getui
    purpose: push
    categories: [device_id.android_id]
    consent_scope: policy
  - id: acme_sdk
    name: Acme
    vendor: Acme Inc.
    purpose: analytics
    packages: [com.acme.sdk]
    categories: [network.ip]
    consent_scope: policy
permissions:
  - {permission: android.permission.INTERNET, purpose: net, when: at_start, scope: policy}
  - {permission: android.permission.CAMERA, purpose: photo, feature: login, when: on_feature, scope: sensitive}
constraints:
  never_transmit: [clipboard]
"""

# (name, old text, new text, marker: the line the error must point at contains this, message fragment)
BROKEN = [
    ("malformed_yaml", "  scopes: [policy, sensitive]\n", "  scopes: [policy, sensitive\n", None, "invalid YAML"),
    ("unknown_category", "categories: [network.ip]", "categories: [network.ip, biometric.iris]",
     "categories: [network.ip, biometric.iris]", "unknown category id 'biometric.iris'"),
    ("duplicate_sdk_id", "  - id: acme_sdk\n", "  - id: getui\n", None, "duplicate SDK id 'getui'"),
    ("overlapping_prefixes", "packages: [com.acme.sdk]", "packages: [com.acme.sdk, com.acme]",
     "packages: [com.acme.sdk, com.acme]", "overlaps"),
    ("permission_twice", "android.permission.CAMERA, purpose: photo", "android.permission.INTERNET, purpose: photo",
     "purpose: photo", "named twice"),
    ("unknown_top_level_field", "constraints:\n", "telemetry: true\nconstraints:\n", "telemetry: true",
     "unknown field 'telemetry'"),
    ("unknown_never_transmit", "never_transmit: [clipboard]", "never_transmit: [clipbord]",
     "never_transmit: [clipbord]", "clipbord"),
    ("prefix_of_another_catalogue_sdk", "packages: [com.acme.sdk]", "packages: [com.acme.sdk, com.igexin.sdk]",
     "packages: [com.acme.sdk, com.igexin.sdk]", "catalogue SDK 'getui'"),
    ("unknown_sdk_field", "    purpose: analytics\n", "    purpose: analytics\n    purpse: typo\n", "purpse: typo",
     "unknown field 'purpse'"),
    ("unknown_permission_field", "purpose: net, when: at_start", "purpose: net, wehn: at_start",
     "wehn: at_start", "unknown field 'wehn'"),
]


def test_valid_base_manifest_loads(tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text(VALID, encoding="utf-8")
    m = load_manifest(path)
    assert set(m.sdks) == {"getui", "acme_sdk"}
    assert m.catalogue().attribute_class("com.acme.sdk.Tracker") == "acme_sdk"


@pytest.mark.parametrize("name,old,new,marker,fragment", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_manifest_names_file_and_line(tmp_path, name, old, new, marker, fragment):
    assert old in VALID
    text = VALID.replace(old, new, 1)
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_manifest(path)
    msg = str(info.value)
    assert str(path) in msg
    assert fragment in msg
    m = re.search(r"line (\d+)", msg)
    assert m, msg
    lines = text.splitlines()
    reported = int(m.group(1))
    if marker is not None:
        assert marker in lines[reported - 1], (msg, lines[reported - 1])
    elif name == "duplicate_sdk_id":        # the second occurrence is the one reported
        second = [i + 1 for i, ln in enumerate(lines) if ln.strip() == "- id: getui"][1]
        assert reported == second, msg
    else:                                   # malformed YAML: the parser's position, inside the file
        assert 1 <= reported <= len(lines)
