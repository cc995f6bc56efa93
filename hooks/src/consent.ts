// Permission requests/results and the app's consent markers (method or SharedPreferences key).

import Java from "frida-java-bridge";
import { javaInts } from "./arrays.js";
import { deoptimizeCallers } from "./deopt.js";
import { emit, enter, hookError, leave } from "./emit.js";
import { defaultUse, type ClassUse, type InstallReport } from "./hooks.js";
import { overloadTypes } from "./java.js";
import type { AgentConfig, ApiEntry, MarkerConfig } from "./types.js";

const NAMES_EXTRA = "android.content.pm.extra.REQUEST_PERMISSIONS_NAMES";
const RESULTS_EXTRA = "android.content.pm.extra.REQUEST_PERMISSIONS_RESULTS";

function stringList(v: any): string[] | null {
    if (v === null || v === undefined) return null;
    if (typeof v === "string") return [v];
    try {
        const c = v.$className;
        if (c === "java.lang.String") return [String(v)];
        if (typeof c === "string" && c !== "[Ljava.lang.String;") return null;
    } catch (e) {
        return null;
    }
    const n = v.length;
    if (typeof n !== "number") return null;
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(String(v[i]));
    return out;
}

/** requestPermissions in Activity, ActivityCompat (androidx, support), Fragment and the activity-result launcher. */
export function installPermissionHooks(table: ApiEntry[], report: InstallReport, use: ClassUse = defaultUse,
                                       results = true): void {
    for (const e of table) {
        if (e.kind !== "permission_request") continue;
        for (let i = 0; i < e.descriptors.length; i++) {
            const desc = e.descriptors[i];
            const api = e.smali[i];
            let ov: any;
            try {
                ov = use(e.cls)[e.member].overload(...overloadTypes(desc));
            } catch (err) {
                report.missing.push({ id: e.id, reason: String(err) });
                continue;
            }
            ov.implementation = function (this: any, ...args: any[]): any {
                const token = enter();
                try {
                    if (token >= 0) record(args);
                    return ov.call(this, ...args);
                } finally {
                    leave(token);
                }
            };
            const record = (args: any[]): void => {
                try {
                    let perms: string[] | null = null;
                    let code: number | null = null;
                    for (const a of args) {
                        if (typeof a === "number" && code === null) code = a;
                        else if (perms === null) perms = stringList(a);
                    }
                    // the activity-result launcher also launches plain intents: only permission inputs count
                    if (perms !== null && perms.length > 0 && perms.every((p) => p.includes("permission"))) {
                        emit("permission_request", { api, api_id: e.id, permissions: perms, request_code: code });
                    }
                } catch (err) {
                    hookError(`hook ${e.id}`, err);
                }
            };
            if (!report.hooked.includes(e.id)) report.hooked.push(e.id);
        }
    }
    // Results: every path (Activity, ActivityCompat, Fragment, result API) ends in the Activity's
    // private dispatchRequestPermissionsResult(int, Intent), which carries names and grant results.
    if (!results) return;
    try {
        const ov = Java.use("android.app.Activity").dispatchRequestPermissionsResult.overload("int", "android.content.Intent");
        ov.implementation = function (this: any, code: number, data: any): any {
            try {
                const names = data === null ? null : stringList(data.getStringArrayExtra(NAMES_EXTRA));
                const grants = data === null ? null : javaInts(data.getIntArrayExtra(RESULTS_EXTRA));   // one JNI copy
                const results: Record<string, string> = {};
                if (names !== null) {
                    names.forEach((p, i) => {
                        const g = grants !== null && i < grants.length ? grants[i] : -1;
                        results[p] = g === 0 ? "granted" : "denied";
                    });
                }
                emit("permission_result", { api_id: "perm.activity.dispatchRequestPermissionsResult", request_code: code, results });
            } catch (err) {
                hookError("hook dispatchRequestPermissionsResult", err);
            }
            return ov.call(this, code, data);
        };
        report.hooked.push("perm.activity.dispatchRequestPermissionsResult");
        deoptimizeCallers("perm.activity.dispatchRequestPermissionsResult", report);   // boot-image caller (deopt.ts)
    } catch (err) {
        report.missing.push({ id: "perm.activity.dispatchRequestPermissionsResult", reason: String(err) });
    }
}

const markerState = new Map<string, boolean>();

function transition(id: string, granted: boolean): string {
    const before = markerState.get(id) === true;
    markerState.set(id, granted);
    return granted ? "granted" : before ? "withdrawn" : "declined";
}

function sameValue(a: unknown, want: unknown): boolean {
    if (want === undefined || want === null) return a === true || a === "true";
    return String(a) === String(want);
}

function emitMarker(m: MarkerConfig, marker: string, value: unknown, granted: boolean): void {
    emit("consent_marker", { scope: m.scope, marker, value, transition: transition(marker, granted) });
}

/** Method markers: `pkg.Class.method`, every overload; the first boolean argument says granted or not. */
export function installMethodMarker(m: MarkerConfig, report: InstallReport, use: ClassUse = defaultUse): void {
    const name = m.method as string;
    const dot = name.lastIndexOf(".");
    const cls = name.slice(0, dot);
    const meth = name.slice(dot + 1);
    const id = `method:${name}`;
    try {
        const overloads: any[] = use(cls)[meth].overloads;
        if (overloads.length === 0) throw new Error(`no method ${meth}`);
        for (const ov of overloads) {
            ov.implementation = function (this: any, ...args: any[]): any {
                try {
                    const b = args.find((a) => typeof a === "boolean");
                    const value = b === undefined ? true : b;
                    emitMarker(m, id, value, value === true);
                } catch (err) {
                    hookError(`marker ${id}`, err);
                }
                return ov.call(this, ...args);
            };
        }
        report.hooked.push(id);
    } catch (err) {
        report.missing.push({ id, reason: String(err) });
    }
}

function prefsFile(editor: any): string | null {
    try {
        const name = String(editor["this$0"].value.mFile.value.getName());
        return name.endsWith(".xml") ? name.slice(0, -4) : name;
    } catch (e) {
        return null;
    }
}

/** SharedPreferences markers: writes (put... and remove) of the named key through the framework's EditorImpl. */
function installPrefsMarkers(markers: MarkerConfig[], report: InstallReport): void {
    if (markers.length === 0) return;
    const find = (file: string | null, key: string): MarkerConfig | undefined =>
        markers.find((m) => m.prefs_key === key && (m.prefs_file == null || file === null || m.prefs_file === file));
    const Editor = Java.use("android.app.SharedPreferencesImpl$EditorImpl");
    const puts: [string, string][] = [
        ["putBoolean", "boolean"], ["putString", "java.lang.String"], ["putInt", "int"], ["putLong", "long"],
    ];
    for (const [meth, type] of puts) {
        try {
            const ov = Editor[meth].overload("java.lang.String", type);
            ov.implementation = function (this: any, key: string, value: any): any {
                try {
                    const file = prefsFile(this);
                    const m = find(file, String(key));
                    if (m !== undefined) {
                        const id = `prefs:${m.prefs_file ?? file ?? "?"}/${m.prefs_key}`;
                        emitMarker(m, id, value, sameValue(value, m.value));
                    }
                } catch (err) {
                    hookError(`marker ${meth}`, err);
                }
                return ov.call(this, key, value);
            };
        } catch (err) {
            report.missing.push({ id: `prefs:${meth}`, reason: String(err) });
        }
    }
    try {
        const ov = Editor.remove.overload("java.lang.String");
        ov.implementation = function (this: any, key: string): any {
            try {
                const file = prefsFile(this);
                const m = find(file, String(key));
                if (m !== undefined) emitMarker(m, `prefs:${m.prefs_file ?? file ?? "?"}/${m.prefs_key}`, null, false);
            } catch (err) {
                hookError("marker remove", err);
            }
            return ov.call(this, key);
        };
    } catch (err) {
        report.missing.push({ id: "prefs:remove", reason: String(err) });
    }
    for (const m of markers) report.hooked.push(`prefs:${m.prefs_file ?? "*"}/${m.prefs_key}`);
}

export function installMarkerHooks(cfg: AgentConfig, report: InstallReport, appClasses: boolean): void {
    const markers = cfg.markers ?? [];
    if (appClasses) {
        for (const m of markers) if (m.method) installMethodMarker(m, report);
    } else {
        installPrefsMarkers(markers.filter((m) => !m.method && m.prefs_key), report);
    }
}
