"""Realistic Java stacks (innermost first) for the simulated app's calls: the frames a real ART stack
shows for each trigger (launch, resume, consent tap, feature, permission result) and actor (first party
or an SDK's own classes), so attribution on simulated runs is tested against what a phone reports."""
from __future__ import annotations

import zlib

from ..apitable import by_id
from ..catalogue import FIRST_PARTY
from ..scenario.backend import StepFailed
from .appmodel import Action, AppModel
from ..i18n import msg

LOOPER = [
    "android.os.Handler.dispatchMessage(Handler.java:106)",
    "android.os.Looper.loopOnce(Looper.java:201)",
    "android.os.Looper.loop(Looper.java:288)",
    "android.app.ActivityThread.main(ActivityThread.java:7872)",
    "java.lang.reflect.Method.invoke(Native Method)",
    "com.android.internal.os.RuntimeInit$MethodAndArgsCaller.run(RuntimeInit.java:548)",
    "com.android.internal.os.ZygoteInit.main(ZygoteInit.java:936)",
]
WORKER = [
    "java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1167)",
    "java.util.concurrent.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:641)",
    "java.lang.Thread.run(Thread.java:920)",
]


def _file(cls: str, obfuscated: bool) -> str:
    if obfuscated:
        return "SourceFile"
    return cls.rsplit(".", 1)[-1].split("$")[0] + ".java"


def frame(cls_method: str, line_no: int, obfuscated: bool = False) -> str:
    cls = cls_method.rsplit(".", 1)[0]
    return f"{cls_method}({_file(cls, obfuscated)}:{line_no})"


class StackBuilder:
    """Realistic Java stacks (innermost first) for a call made by an actor from a trigger."""

    def __init__(self, model: AppModel):
        self.m = model
        self.loaded: dict[str, list[str]] = {}   # actor -> classes it loaded at run time (simloading.py)

    def trigger(self, trigger: str, detail: str = "") -> list[str]:
        m = self.m
        if trigger == "launch":
            return [frame(f"{m.application}.onCreate", 22),
                    "android.app.Instrumentation.callApplicationOnCreate(Instrumentation.java:1277)",
                    "android.app.ActivityThread.handleBindApplication(ActivityThread.java:6759)",
                    "android.app.ActivityThread.access$1500(ActivityThread.java:256)",
                    "android.app.ActivityThread$H.handleMessage(ActivityThread.java:2091)", *LOOPER]
        if trigger in ("foreground", "background"):
            cb = "onResume" if trigger == "foreground" else "onStop"
            return [frame(f"{m.main_activity}.{cb}", 61),
                    f"android.app.Instrumentation.callActivityOn{cb[2:]}(Instrumentation.java:1456)",
                    f"android.app.Activity.perform{cb[2:]}(Activity.java:8250)", *LOOPER]
        if trigger.startswith("consent_"):
            cb = {"consent_granted": "onAgree", "consent_declined": "onDisagree",
                  "consent_withdrawn": "onWithdraw"}[trigger]
            return [frame(f"{m.consent_handler}.{cb}", 48), frame(f"{m.consent_handler}.onClick", 35),
                    "android.view.View.performClick(View.java:7448)",
                    "android.view.View.performClickInternal(View.java:7425)",
                    "android.view.View$PerformClick.run(View.java:28305)", *LOOPER]
        if trigger == "feature":
            act = m.features.get(detail) or f"{m.package}.ui.FeatureActivity"
            return [frame(f"{act}.onClick", 77),
                    "android.view.View.performClick(View.java:7448)",
                    "android.view.View.performClickInternal(View.java:7425)",
                    "android.view.View$PerformClick.run(View.java:28305)", *LOOPER]
        if trigger == "permission":
            act = m.features.get(detail) or m.main_activity
            return [frame(f"{act}.onRequestPermissionsResult", 90),
                    "android.app.Activity.dispatchRequestPermissionsResult(Activity.java:8598)",
                    "android.app.Activity.dispatchActivityResult(Activity.java:8448)", *LOOPER]
        if trigger == "timer":      # a Handler.postDelayed / Timer callback: nothing of the app's UI below
            return ["android.os.Handler.handleCallback(Handler.java:938)", *LOOPER]
        return list(LOOPER)

    def actor_frames(self, a: Action) -> list[str]:
        if a.frames:
            return list(a.frames)
        if a.frames_from_loaded:
            return self.loaded_frames(a)
        if a.by == FIRST_PARTY:
            return [frame(f"{self.m.package}.util.DeviceHelper.collect", 31)]
        sdk = self.m.sdks[a.by]
        inner = [frame(f"{c}.a", 12 + i, obfuscated=True) for i, c in enumerate(sdk.classes[:2])]
        return inner + [frame(sdk.entry, 40, obfuscated=True)]

    def loaded_frames(self, a: Action) -> list[str]:
        """Frames of the classes the action's SDK loaded (innermost first), as a plugin's own thread shows."""
        classes = self.loaded.get(a.by) or []
        if not classes:
            raise StepFailed(msg("line {line}: frames_from_loaded, but {sdk} has loaded no code yet (load_code first)",
                                 line=a.line, sdk=a.by))
        return [frame(f"{c}.a", 20 + i, obfuscated=True) for i, c in enumerate(classes[:2])]

    def build(self, a: Action, api_frame: str | None, trigger: str, detail: str, thread: str) -> list[str]:
        top = [api_frame] if api_frame else []
        if thread != "main":
            # asynchronous SDK work: the app's frames are not on this thread's stack
            return top + self.actor_frames(a) + WORKER
        return top + self.actor_frames(a) + self.trigger(trigger, detail)


def api_frame(api_id: str) -> str:
    api = by_id()[api_id]
    cls = api.cls
    return f"{cls}.{api.member}({cls.rsplit('.', 1)[-1].split('$')[0]}.java:{zlib.crc32(api_id.encode()) % 900 + 100})"
