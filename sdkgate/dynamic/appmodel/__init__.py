"""The app model: its dataclasses (types.py), and parsing that rejects bad input with the file and
line (parse.py, one module per section: actions.py, sendspec.py, processes.py), so a model is checked
before a run starts. The simulator (simulator.py) plays it.

An app model (scenarios/models/*.yaml) describes what an app does, not how a phone works:

    schema: sdkgate.appmodel/1
    app:
      package: com.example.recruit
      application: com.example.recruit.App              # Application.onCreate frame
      main_activity: com.example.recruit.ui.MainActivity
      consent_handler: com.example.recruit.privacy.PrivacyDialog   # onAgree / onDisagree / onWithdraw frames
    consent_gated: true          # the app promises: no SDK action at launch before consent (checked here)
    sdks:                        # catalogue ids; class names build the stacks (the catalogue must attribute them)
      umeng_common:
        entry: com.umeng.commonsdk.UMConfigure.init
        classes: [com.umeng.commonsdk.statistics.idtracking.ImeiTracker]
        thread: main             # default thread of this SDK's actions
    features:
      location_job_search: {activity: com.example.recruit.ui.NearbyJobsActivity}
    behaviour:
      launch: [ACTION, ...]      # each new process: Application.onCreate + first screen
      foreground: [...]
      background: [...]
      consent_granted: [...]     # a consent step; each action's `scope:` (default policy) must match the step's
      consent_declined: [...]
      consent_withdrawn: [...]
      feature:
        location_job_search: [...]
    timers:                      # time-driven behaviour, per process start (SDKs read on timers)
      - {after: 5s, every: 30s, actions: [ACTION, ...]}   # `every` optional (one shot without it)
    The simulated device plays timers during `wait` steps and the settle period after the last step.

An ACTION is a mapping with one verb:
    read: API_ID                 # an id of sdkgate/data/sensitive_apis.yaml; args: [...] optional; overload: N
                                 # (index in the row's descriptors); this: {$obj: CLASS, returns: {...}}
    send: {host, scheme: https, path: /, method: POST, data: [categories], encoding: md5-hex-upper+json,
           fields: {category: name}, extra: {name: value}}
    request_permission: [PERMISSION, ...]    # respect_denial: 48h (skip while a denial is that recent)
                                             # api: a permission_request row (default ActivityCompat's)
                                             # then: [ACTIONS] played once all are granted
    write_marker: true|false     # the app records consent (the manifest's markers for `scope`)
    click_consent: accept|decline|withdraw   # app code calls performClick() on its consent control (never consent)
    crash: REASON                # the process dies here (fail-closed tests)
    sleep: 300ms                 # real time passes inside the app
    native: {call: open, path: /sys/class/net/wlan0/address, lib: libjcore.so, java_thread: true}
                                 # a REAL libc call from the SDK's native library (sideverbs.py: calls)
    property: ro.serialno        # SystemProperties.get (reflection) on the device's property store
    exec: "pm list packages"     # Runtime.exec of a command
    file_read: /proc/net/arp     # FileInputStream on a path
    provider: {authority: com.vivo.vms.IdProvider, method: query|call|acquire, path: IdentifierId/OAID}
    bind_service: {action: ..., package: ...}
    probe_packages: [com.tencent.mm, ...]    # PackageManager.getPackageInfo on other packages
and modifiers: by: SDK_ID|first_party (default first_party), when: always|consented|not_consented|
declined|withdrawn|refused, scope: SCOPE, if_granted: PERMISSION, thread: NAME, frames: [extra
frames], repeat: N.

Sends use the values the agent returned to earlier reads (canaries in canary mode), remembered in
the app's storage like SDKs cache identifiers; `encoding` is value transforms (md5-hex[-upper],
sha1-hex[-upper], sha256-hex[-upper], base64, base64url, hex, upper, lower, nosep, plain) and at
most one body container (json, gzip-json, base64-json, protobuf, form, query, text), joined by `+`.
"""
from .parse import load_app_model, parse_app_model
from .types import (BLOCKS, CONTAINERS, MODIFIERS, SCHEMA, VALUE_ENCODINGS, VERBS, WHENS, Action, AppModel, LoadCode,
                    ProcessModel, SdkModel, SendSpec, Timer)

__all__ = ["load_app_model", "parse_app_model", "Action", "AppModel", "LoadCode", "ProcessModel", "SdkModel", "SendSpec",
           "Timer", "BLOCKS", "CONTAINERS", "MODIFIERS", "SCHEMA", "VALUE_ENCODINGS", "VERBS", "WHENS"]
