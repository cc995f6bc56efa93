"""Inventory facts as a person reads them, the same in every format: an SDK's catalogue category, whether a
permission is one Android calls dangerous (a runtime prompt guards it)."""
from __future__ import annotations

KIND_ZH = {"analytics": "统计分析", "push": "推送", "ads": "广告", "crash": "崩溃监测", "login": "登录",
           "payment": "支付", "map_location": "地图定位", "face_identity": "人脸/身份", "oaid": "设备标识",
           "utility": "工具", "share": "分享", "social": "社交", "attribution": "归因"}


def kind_label(kind: str, lang: str = "en") -> str:
    return KIND_ZH.get(kind, kind) if lang == "zh" else str(kind).replace("_", " ")


def is_dangerous(level: str | None) -> bool:
    """`dangerous` among the protection level's flags (`dangerous`, `dangerous|instant`, ...)."""
    return "dangerous" in str(level or "").split("|")


def website(sdk_id: str) -> str:
    from ..catalogue import default_catalogue
    sdk = default_catalogue().sdks.get(sdk_id)
    return sdk.website if sdk is not None else ""
