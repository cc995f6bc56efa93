"""Every way code runs before the user is asked: one table of entry kinds (the one source of truth; the
pre-consent walk, the report's `entry_kind`/`hops` and docs/internals.md follow it).

`system` kinds are roots: the manifest declares them and Android runs them with no user action.
`code` kinds are links: reached code hands an object, a class or an Intent to the system, which then runs
the listed methods of that class (a path event names the kind of each such hop). Method names: `<clinit>`
is the class's static initializer and its superclasses' (the JVM initialises those first); `<init>` the
no-argument constructor; `onActivity*` a prefix; `*` every method the class defines.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .manifest_xml import AUTOSTART_ACTIONS, ApkManifest
from .program import Program

ACTIVITY_START = ("<clinit>", "<init>", "attachBaseContext", "onCreate", "onPostCreate", "onStart", "onResume",
                  "onPostResume", "onWindowFocusChanged", "onAttachedToWindow")

# task objects: made (new-instance), fetched (sget-object INSTANCE) or named (const-class) in reached code and
# run later by whoever they are handed to (Executor, Handler.post, Thread.start, View.post, coroutines)
TASK_METHODS: dict[str, tuple[str, ...]] = {
    "Ljava/lang/Runnable;": ("run",),
    "Ljava/lang/Thread;": ("run",),
    "Ljava/util/TimerTask;": ("run",),
    "Ljava/util/concurrent/Callable;": ("call",),
    "Landroid/os/Handler$Callback;": ("handleMessage",),
    "Landroid/os/Handler;": ("handleMessage",),
    "Landroid/os/AsyncTask;": ("doInBackground", "onPreExecute", "onPostExecute"),
    "Lkotlin/jvm/functions/Function0;": ("invoke",),
    "Lkotlin/jvm/functions/Function1;": ("invoke",),
    "Lkotlin/jvm/functions/Function2;": ("invoke",),
    "Lkotlin/jvm/functions/Function3;": ("invoke",),
    "Lkotlin/jvm/internal/Lambda;": ("invoke",),
    "Lkotlin/coroutines/Continuation;": ("resumeWith", "invokeSuspend"),
    "Lkotlin/coroutines/jvm/internal/BaseContinuationImpl;": ("invokeSuspend",),
    "Lkotlin/coroutines/jvm/internal/SuspendLambda;": ("invokeSuspend", "invoke"),
    "Landroidx/startup/Initializer;": ("create",),
    "Ljava/util/function/Supplier;": ("get",),
    "Ljava/util/function/Consumer;": ("accept",),
}

# base classes by kind, with the framework / library intermediates an APK may extend without shipping them
ACTIVITIES = ("Landroid/app/Activity;", "Landroid/app/ListActivity;", "Landroid/app/TabActivity;",
              "Landroid/app/ExpandableListActivity;", "Landroid/preference/PreferenceActivity;",
              "Landroid/app/NativeActivity;", "Landroidx/activity/ComponentActivity;",
              "Landroidx/fragment/app/FragmentActivity;", "Landroidx/appcompat/app/AppCompatActivity;",
              "Landroid/support/v4/app/FragmentActivity;", "Landroid/support/v7/app/AppCompatActivity;")
SERVICES = ("Landroid/app/Service;", "Landroid/app/IntentService;", "Landroidx/core/app/JobIntentService;",
            "Landroid/support/v4/app/JobIntentService;", "Landroidx/lifecycle/LifecycleService;")
WORKERS = ("Landroidx/work/ListenableWorker;", "Landroidx/work/Worker;", "Landroidx/work/CoroutineWorker;",
           "Landroidx/work/RxWorker;")


@dataclass(frozen=True)
class EntryKind:
    kind: str
    started_by: str                 # "system" (declared in the manifest) | "code" (reached code asks)
    bases: tuple[str, ...]          # the class is, extends or implements one of these
    methods: tuple[str, ...]        # what the system then runs
    how: str                        # what makes it run
    fixture: str                    # the class of tests/fixtures/apk-src/app-gates showing it (ungated; a Gated* twin)


ENTRY_KINDS: tuple[EntryKind, ...] = (
    EntryKind("application", "system", ("Landroid/app/Application;",), ("<clinit>", "<init>", "attachBaseContext", "onCreate"),
              "<application android:name>: the first code of every process", "GateApp"),
    EntryKind("provider", "system", ("Landroid/content/ContentProvider;",), ("<clinit>", "<init>", "attachInfo", "onCreate"),
              "<provider>: created before Application.onCreate", "GateProvider"),
    EntryKind("startup_initializer", "system", ("Landroidx/startup/Initializer;",), ("<clinit>", "<init>", "create"),
              "<meta-data android:value=\"androidx.startup\"> of a provider (its dependencies() first)", "GateInitializer"),
    EntryKind("system_receiver", "system", ("Landroid/content/BroadcastReceiver;",), ("<clinit>", "<init>", "onReceive"),
              "<receiver> for a system broadcast (BOOT_COMPLETED, CONNECTIVITY_CHANGE, PACKAGE_ADDED, USER_PRESENT, any android.* action)",
              "BootReceiver"),
    EntryKind("launcher_activity", "system", ACTIVITIES, ACTIVITY_START,
              "the MAIN/LAUNCHER activity: its whole start up to the first frame", "Splash"),
    EntryKind("static_init", "code", (), ("<clinit>",),
              "new-instance, sget/sput, invoke-static or Class.forName of a class: its <clinit> and its superclasses'", "Statics"),
    EntryKind("activity", "code", ACTIVITIES, ACTIVITY_START,
              "startActivity* with an Intent naming the class (const-class, class-name string, declared action)", "Home"),
    EntryKind("service", "code", SERVICES,
              ("<clinit>", "<init>", "onCreate", "onStartCommand", "onStart", "onBind", "onHandleIntent", "onHandleWork"),
              "startService / startForegroundService / bindService / JobIntentService.enqueueWork / PendingIntent.getService "
              "with an Intent naming the class or a declared action", "SyncService"),
    EntryKind("job", "code", ("Landroid/app/job/JobService;",), ("<clinit>", "<init>", "onCreate", "onStartJob"),
              "JobScheduler.schedule / enqueue of a JobInfo built on a ComponentName naming the class", "SyncJob"),
    EntryKind("worker", "code", WORKERS, ("<clinit>", "<init>", "startWork", "doWork"),
              "a WorkManager work request built on the class (const-class)", "SyncWorker"),
    EntryKind("task", "code", tuple(TASK_METHODS), ("(TASK_METHODS)",),
              "an object made or fetched in reached code and run later: Runnable, Thread, Callable, TimerTask, Handler, "
              "AsyncTask, Kotlin lambdas and coroutines, D8 lambdas", "OpenTask"),
    EntryKind("activity_lifecycle", "code", ("Landroid/app/Application$ActivityLifecycleCallbacks;",), ("onActivity*",),
              "registerActivityLifecycleCallbacks(x)", "Lifecycle"),
    EntryKind("component_callbacks", "code", ("Landroid/content/ComponentCallbacks;", "Landroid/content/ComponentCallbacks2;"),
              ("onConfigurationChanged", "onLowMemory", "onTrimMemory"), "registerComponentCallbacks(x)", "Memory"),
    EntryKind("lifecycle_observer", "code", ("Landroidx/lifecycle/LifecycleObserver;", "Landroidx/lifecycle/DefaultLifecycleObserver;",
                                             "Landroidx/lifecycle/LifecycleEventObserver;",
                                             "Landroidx/lifecycle/FullLifecycleObserver;"), ("*",),
              "Lifecycle.addObserver(x) (ProcessLifecycleOwner, an activity's lifecycle)", "Observer"),
    EntryKind("registered_receiver", "code", ("Landroid/content/BroadcastReceiver;",), ("onReceive",),
              "registerReceiver(x, filter)", "NetReceiver"),
    EntryKind("content_observer", "code", ("Landroid/database/ContentObserver;",), ("onChange",),
              "ContentResolver.registerContentObserver(uri, descendants, x)", "Settings"),
    EntryKind("handler_message", "code", ("Landroid/os/Handler;",), ("handleMessage", "dispatchMessage"),
              "Handler.sendMessage* / sendEmptyMessage* / post* on a handler of the class", "Messages"),
    EntryKind("service_loader", "code", (), ("<clinit>", "<init>"),
              "ServiceLoader.load(I.class): the classes META-INF/services/I names", "PluginImpl"),
    EntryKind("reflection", "code", (), ("*",),
              "Class.forName / loadClass with a name the method builds (values.py)", "Reflected"),
    EntryKind("loaded_code", "code", (), ("*",), "a payload shipped in the APK that the method loads (loaders.py)",
              "apks-hidden/hidden-payload.apk"),
)
BY_KIND = {e.kind: e for e in ENTRY_KINDS}
HOP_KINDS = ("call", "dispatch") + tuple(e.kind for e in ENTRY_KINDS if e.started_by == "code")

# registration calls (by method name) -> the callback kind (its first base is the registration's parameter type)
REGISTRATIONS = {
    "registerActivityLifecycleCallbacks": "activity_lifecycle",
    "registerComponentCallbacks": "component_callbacks",
    "addObserver": "lifecycle_observer",
    "registerReceiver": "registered_receiver",
    "registerContentObserver": "content_observer",
}
HANDLER_SENDS = frozenset({"sendMessage", "sendEmptyMessage", "sendMessageDelayed", "sendEmptyMessageDelayed",
                           "sendMessageAtTime", "sendEmptyMessageAtTime", "sendMessageAtFrontOfQueue", "post",
                           "postDelayed", "postAtTime", "postAtFrontOfQueue"})
# calls that hand an Intent / ComponentName / JobInfo / class to the system -> the component kinds they start
STARTERS = {
    "startActivity": ("activity",), "startActivityForResult": ("activity",), "startActivities": ("activity",),
    "startActivityIfNeeded": ("activity",),
    "startService": ("service",), "startForegroundService": ("service",), "bindService": ("service",),
    "bindIsolatedService": ("service",), "bindServiceAsUser": ("service",), "enqueueWork": ("service",),
    "getService": ("service",), "getForegroundService": ("service",),
    "schedule": ("job",), "enqueue": ("job",),
}
STARTER_CLASSES = ("Landroid/content/Context;", "Landroid/app/PendingIntent;", "Landroid/app/job/JobScheduler;")
SERVICE_LOADER = "Ljava/util/ServiceLoader;"
_SERVICES_RE = re.compile(r"(?:^|[/!])META-INF/services/([A-Za-z0-9_$.]+)$")


def is_system_broadcast(action: str) -> bool:
    return action in AUTOSTART_ACTIONS or action.startswith("android.")


def desc_of(java: str) -> str:
    return "L" + java.replace(".", "/") + ";"


def system_methods(program: Program, cls: str, kind: EntryKind) -> list[tuple[int, int]]:
    """(dex, method) of what the system runs for a class of this kind, as the APK defines it."""
    out: list[tuple[int, int]] = []
    chain = list(program.superclasses(cls))
    names = kind.methods if kind.kind != "task" else sorted({n for ns in TASK_METHODS.values() for n in ns})
    for name in names:
        if name == "<clinit>":
            hits = [program.methods_of(c).get("<clinit>()V") for c in chain]
        elif name == "<init>":
            hits = [program.methods_of(cls).get("<init>()V")]
        elif name == "*":
            hits = list(program.methods_of(cls).values())
        else:
            hits, seen = [], set()
            for c in chain:                       # the nearest definition of each overload
                for np, node in program.methods_of(c).items():
                    n, proto = np.split("(", 1)
                    if (n == name or (name.endswith("*") and n.startswith(name[:-1]))) and np not in seen:
                        seen.add(np)
                        hits.append(node)
        for h in hits:
            if h is not None and h not in out:
                out.append(h)
    return out


def roots(program: Program, amf: ApkManifest | None) -> list[tuple[str, str]]:
    """(class descriptor, entry kind) of every component the system starts on its own, manifest order."""
    out: list[tuple[str, str]] = []
    if amf is None:
        return out
    if amf.application:
        out.append((desc_of(amf.application), "application"))
    for c in amf.components:
        if c.kind == "provider":
            out.append((desc_of(c.name), "provider"))
            out += [(desc_of(name), "startup_initializer") for name, value in c.meta if value == "androidx.startup"]
        elif c.kind == "receiver" and any(is_system_broadcast(a) for a in c.actions):
            out.append((desc_of(c.name), "system_receiver"))
    out += [(desc_of(a), "launcher_activity") for a in amf.launcher_activities()]
    seen, uniq = set(), []
    for r in out:
        if r not in seen:
            seen.add(r)
            uniq.append(r)
    return uniq


@dataclass
class Components:
    """What reached code can start by naming it: APK classes per component kind, declared actions."""
    program: Program
    actions: dict[str, list[tuple[str, str]]]         # intent action -> (class desc, kind) of declared components
    providers: dict[str, tuple[str, ...]]             # ServiceLoader interface desc -> provider class descs

    def kind_of(self, desc: str, wanted: tuple[str, ...], is_a) -> str | None:
        """The first of the `wanted` component kinds the class is (is_a: links.Links.is_a)."""
        for k in wanted:
            if is_a(desc, frozenset(BY_KIND[k].bases)):
                return k
        return None

    @classmethod
    def build(cls, program: Program, amf: ApkManifest | None, names=(), read=None) -> "Components":
        actions: dict[str, list[tuple[str, str]]] = {}
        kinds = {"service": "service", "activity": "activity", "activity-alias": "activity"}
        for c in (amf.components if amf else ()):
            k = kinds.get(c.kind)
            if k:
                for a in c.actions:
                    actions.setdefault(a, []).append((desc_of(c.name), k))
        providers: dict[str, tuple[str, ...]] = {}
        for n in names:
            m = _SERVICES_RE.search(n)
            if not m or read is None:
                continue
            raw = read(n, 1 << 20) or b""
            impls = []
            for line in raw.decode("utf-8", errors="replace").splitlines():
                line = line.split("#", 1)[0].strip()
                if line and re.fullmatch(r"[A-Za-z0-9_$.]+", line):
                    impls.append(desc_of(line))
            providers[desc_of(m.group(1))] = tuple(dict.fromkeys(providers.get(desc_of(m.group(1)), ()) + tuple(impls)))
        return cls(program, actions, providers)
