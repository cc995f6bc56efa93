"""`from-policy` on the seed policy reproduces the SDK rows and permissions of manifests/zhaopin-jobseeker.yaml
that the policy body states. The seed lives beside the clone (../shared/seed/, as in CI); it is not copied
into the repository. SDKGATE_SHARED points elsewhere (a worktree whose parent has no shared/)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from sdkgate.manifest import load_manifest
from sdkgate.policy import draft_from_policy

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("SDKGATE_SHARED") or REPO.parent / "shared")
SEED = SHARED / "seed" / "000_f164ea4b3e301197.txt"
MANIFEST = REPO / "manifests" / "zhaopin-jobseeker.yaml"

pytestmark = pytest.mark.skipif(not SEED.is_file(), reason=f"seed policy not found at {SEED} (CI keeps ../shared "
                                                           "beside the clone; set SDKGATE_SHARED)")

# Rows and permissions of the hand-written manifest that the policy BODY does not state, and why.
NOT_IN_BODY = {
    # 1.1.3 (5) lists network information as data collected ("网络状态", "WiFi 信息", "蓝牙"), never as a
    # permission asked for; the permission table (附件 2.1) that would name them is not in the seed text.
    "android.permission.INTERNET": "no sentence names network access as a permission",
    "android.permission.ACCESS_NETWORK_STATE": "network state is listed as data (1.1.3 (5)), not as a permission",
    "android.permission.ACCESS_WIFI_STATE": "Wi-Fi SSID/BSSID are listed as data (1.1.3 (5)), not as a permission",
    "android.permission.BLUETOOTH": "Bluetooth is listed as data (1.1.3 (5)), not as a permission",
    "android.permission.READ_PHONE_STATE": "device identifiers are listed as data (1.1.3 (1)), no 电话 permission named",
    "android.permission.CHANGE_NETWORK_STATE": "carrier one-click login (1.2.3.2) does not name the permission",
}


@pytest.fixture(scope="module")
def pair():
    return draft_from_policy(SEED, package="com.zhaopin.social"), load_manifest(MANIFEST)


def test_seed_sdk_rows(pair):
    d, m = pair
    rows = {s.id: s for s in d.sdks}
    # every SDK row of the manifest is stated in the body (3.1, 1.2.3.1-1.2.3.4) and found, nothing else
    assert set(rows) == set(m.sdks)
    for sid, row in rows.items():
        assert row.line > 0 and row.purpose, sid
    # 3.1: face recognition entrusted to two vendors named by their legal names; ID number and face image
    for sid in ("tencent_faceid", "megvii_faceid"):
        assert {"identity.id_number", "identity.face"} <= set(rows[sid].categories)
        assert rows[sid].line == 347
    # The manifest also lists `camera` for the face SDKs: the body says the face image goes to them, not
    # that they use the camera (that comes from the permission table, 1.2.1.7).
    assert "camera" not in rows["tencent_faceid"].categories
    # 1.2.3.2: the carriers' one-click login supplies the phone number
    for sid in ("cmic_login", "cucc_login", "ctcc_login"):
        assert set(rows[sid].categories) >= {"device_id.phone_number"}
        assert set(rows[sid].categories) <= set(m.sdks[sid].categories)
    # 1.2.3.1/1.2.3.3: login and payment return server-side profile data: no device category
    for sid in ("wechat_opensdk", "weibo_sdk", "qq_connect", "wechat_pay"):
        assert rows[sid].categories == [] == list(m.sdks[sid].categories)
    # Alipay: the body says the (masked) phone number comes back from Alipay (1.2.3.3); the manifest
    # declares no device category. The draft keeps it, as a human reading the sentence would.
    assert rows["alipay"].categories == ["device_id.phone_number"]
    # "微信"/"QQ"/"移动" are read from the words around them: marked as guesses
    assert rows["wechat_opensdk"].confidence == "low" and rows["cmic_login"].confidence == "low"


def test_seed_permissions(pair):
    d, m = pair
    found = {p.permission: p for p in d.permissions}
    stated = set(m.permissions) - set(NOT_IN_BODY)
    assert set(found) == stated
    assert found["android.permission.GET_TASKS"].confidence == "high"       # written as the constant (1.1.3 (3))
    for p in ("android.permission.CAMERA", "android.permission.RECORD_AUDIO",
              "android.permission.READ_EXTERNAL_STORAGE", "android.permission.WRITE_EXTERNAL_STORAGE"):
        assert found[p].line == 189 and "1.2.1.7" in found[p].purpose


def test_seed_draft_validates(pair, tmp_path):
    d, _ = pair
    out = tmp_path / "zhaopin.yaml"
    out.write_text(d.to_yaml(), "utf-8")
    m = load_manifest(out)
    assert m.policy_version == "2022 V6"
    assert m.raw["consent"]["accept"]["text"] == ["我同意并确认"]      # 前言: 当您点击“我同意并确认”时
    assert m.consent.browse_mode is True                               # 前言 3: 「浏览」模式
