// sdkgate Frida agent. Loaded into the spawned process before it is resumed; the host calls
// rpc.exports.configure(config) (still before resume), which installs every hook at once:
//   - one hook per overload of each sensitive-API table entry (table.generated.ts, generated at
//     build time from sdkgate/data/sensitive_apis.yaml), with arg filters and canary mode;
//   - permission request/result hooks and the manifest's consent marker hooks.
// Events are batched (queue.ts) and sent as {type: "batch", ...}; health as {type: "status", ...}.
// The agent only observes calls the app makes: it never reads the clipboard, location etc. itself.

import Java from "frida-java-bridge";
import { nowMs, startMs } from "./clock.js";
import { installMarkerHooks, installPermissionHooks } from "./consent.js";
import { installDeriveHooks } from "./derive.js";
import { installNativeDerive } from "./derivenative.js";
import { javaDepth, state } from "./emit.js";
import { defaultUse, installApiHooks, type InstallReport } from "./hooks.js";
import { initJava, javaStack } from "./java.js";
import { installNativeHooks } from "./native.js";
import { installConsentControlHook } from "./ui.js";
import { installImplementationHooks } from "./impls.js";
import { installInputHooks } from "./input.js";
import { detectToolkits, installWebViewHooks, uiReport } from "./toolkit.js";
import { drainLoads, installLoaderHooks } from "./loaders.js";
import { deferMissing, initRetries, installApplicationRetry, installVia, isFramework, pendingIds, startRetries }
    from "./classloaders.js";
import { installJavaSocketHooks, installNetGuard } from "./netguard.js";
import { installAppUnpin, installUnpin } from "./unpin.js";
import { API_TABLE, UNHOOKABLE } from "./table.generated.js";
import type { AgentConfig, ApiEntry } from "./types.js";

let configured = false;

function configure(cfg: AgentConfig): Record<string, unknown> {
    if (configured) throw new Error("agent already configured");
    configured = true;
    state.queue.opts = {
        batchMax: Math.max(1, cfg.batch_max ?? 200),
        flushMs: cfg.flush_ms ?? 50,
        queueMax: Math.max(0, cfg.queue_max ?? 100000),
    };
    state.stackLimit = cfg.stack_limit ?? 64;
    const report: InstallReport = { hooked: [], missing: [], limits: UNHOOKABLE.slice() };
    const net = installNetGuard(cfg);                      // native socket hooks: with or without Java
    const unpin: string[] = [];
    if (!Java.available) {
        return { t: nowMs(), java: false, hooked: [], missing: [], limits: ["no Java runtime in this process"], net };
    }
    const table = (API_TABLE as ApiEntry[]).filter((e) => e.kind !== "native");
    const framework = table.filter((e) => isFramework(e.cls));
    const appSide = table.filter((e) => !isFramework(e.cls) && e.cls !== "");
    const methodMarkers = (cfg.markers ?? []).filter((m) => m.method);
    initRetries(cfg);
    // native side-channel hooks (native.ts): installed now, filtered in C
    installNativeHooks(API_TABLE as ApiEntry[], cfg, report, javaDepth);
    // Framework classes are in the boot class path: hook them now, before the first app instruction.
    Java.performNow(() => {
        initJava(cfg.stack_mode);
        installApiHooks(framework, cfg, report);
        installPermissionHooks(framework, report);
        installMarkerHooks(cfg, report, false);
        installConsentControlHook(cfg, report);
        installInputHooks(cfg.package ?? "", (n) => javaStack(n).frames, report);
        installWebViewHooks(report);
        installLoaderHooks(cfg, report);
        installApplicationRetry(report);
        installJavaSocketHooks(net);
        installDeriveHooks(cfg.canaries ?? {}, net);
        if (cfg.unpin === true) unpin.push(...installUnpin());
    });
    const rowIds = new Set(framework.map((e) => e.id));
    report.where = Object.fromEntries(report.hooked.filter((id) => rowIds.has(id)).map((id) => [id, "boot"]));
    // a framework guess the boot class path does not have (a vendor class, a library): the app's loader next
    const notInBoot = deferMissing(framework, [], report);
    installNativeDerive(net);                              // the app's crypto library (EVP_*, MD5_*, SHA*_, AES_*)
    // SDK/app classes need the app's class loader: Java.perform runs as soon as it exists (at once
    // when it already does; otherwise later, and the result arrives as a "hooked" status message).
    // What that loader does not have either is retried in every later class loader (classloaders.ts).
    const pending: InstallReport = { hooked: [], missing: [], limits: [], where: {} };
    let inConfigure = true;
    let ran = false;
    Java.perform(() => {
        const rows = appSide.concat(notInBoot);
        installVia(rows, methodMarkers, defaultUse, "app", pending);
        deferMissing(rows, methodMarkers, pending);
        if (cfg.unpin === true) unpin.push(...installAppUnpin());
        installImplementationHooks(table, cfg);     // interface/abstract rows: their loaded implementations
        detectToolkits();                           // which consent observation applies (ui.ts, toolkit.ts)
        startRetries();
        ran = true;
        if (!inConfigure) send({ type: "status", status: "hooked", t: nowMs(), ...pending, pending: pendingIds(),
                                 ui: uiReport() });
    });
    inConfigure = false;
    const all = ran ? merge(report, pending) : report;
    return { t: nowMs(), t0: startMs(), java: true, app_hooks: ran ? "installed" : "deferred", ...all, net, unpin,
        ...(ran ? { ui: uiReport() } : {}), pending: pendingIds() };
}

function merge(a: InstallReport, b: InstallReport): InstallReport {
    return { hooked: a.hooked.concat(b.hooked), missing: a.missing.concat(b.missing), limits: a.limits.concat(b.limits),
             where: { ...(a.where ?? {}), ...(b.where ?? {}) } };
}

Object.assign(rpc.exports, {
    configure,
    flush(): Record<string, number> {
        drainLoads();                       // loaded code read/sent off the app's thread: done before the flush
        state.queue.flush();
        return { ...state.queue.stats(), errors: state.errors };
    },
    stats(): Record<string, number> {
        return { ...state.queue.stats(), errors: state.errors };
    },
    now(): number {
        return nowMs();
    },
});
