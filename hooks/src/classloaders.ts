// Classes that are not in the app's first class loader. `Java.perform` fixes the app's class loader once (the
// LoadedApk's PathClassLoader at bindApplication); SDK classes a packer decrypts in attachBaseContext, plugin
// DexClassLoader classes and libraries loaded later are not found there, and their rows would stay missing for
// the whole run. Rows whose class no loader had yet are kept here and retried through
// `Java.ClassFactory.get(loader)` on every class-loader creation (loaders.ts) and when the Application is about
// to be created (Instrumentation.callApplicationOnCreate: a packer has swapped the loader by then). Each row
// records where it was finally hooked (`where`): "boot", "app", or the loader that had it.
// Which rows are tried in the boot class path first: `isFramework`, which keeps the support library
// (android.support.*, android.arch.*, android.databinding.*) and app libraries under com.android.* (billingclient,
// volley, installreferrer ...) out of it; a framework guess that is wrong still falls through to the app's loader.

import Java from "frida-java-bridge";
import { installMethodMarker, installPermissionHooks } from "./consent.js";
import { hookError } from "./emit.js";
import { installApiHooks, type ClassUse, type InstallReport } from "./hooks.js";
import { nowMs } from "./clock.js";
import type { AgentConfig, ApiEntry, MarkerConfig } from "./types.js";

const FRAMEWORK = /^(android|java|javax|dalvik|libcore|sun|com\.android\.(internal|org|okhttp|i18n|icu|ims|id))\./;
const APP_UNDER_FRAMEWORK = /^android\.(support|arch|databinding)\./;

/** Tried in the boot class path (before the app's loader exists)? */
export function isFramework(cls: string): boolean {
    return FRAMEWORK.test(cls) && !APP_UNDER_FRAMEWORK.test(cls);
}

/** The lookup failed because the class is not in that loader (not: the overload is absent on this API level). */
export function classMissing(reason: string): boolean {
    return /ClassNotFoundException|NoClassDefFoundError|Didn't find class/.test(reason);
}

const pendingRows = new Map<string, ApiEntry>();          // id -> row (api and permission rows)
const pendingMarkers = new Map<string, MarkerConfig>();   // "method:pkg.Cls.m" -> marker
let config: AgentConfig = {};
let announce = false;                                      // after configure: late hooks are sent as status messages

function markerId(m: MarkerConfig): string {
    return `method:${m.method}`;
}

/** Move the rows whose class was not found from `report.missing` to the retry set; returns them. */
export function deferMissing(rows: ApiEntry[], markers: MarkerConfig[], report: InstallReport): ApiEntry[] {
    const missingClass = new Set(report.missing.filter((m) => classMissing(m.reason)).map((m) => m.id));
    const hooked = new Set(report.hooked);
    for (const id of hooked) {              // found meanwhile (a framework guess the app's loader had)
        pendingRows.delete(id);
        pendingMarkers.delete(id);
    }
    const deferred: ApiEntry[] = [];
    for (const e of rows) {
        if (missingClass.has(e.id) && !hooked.has(e.id)) {
            pendingRows.set(e.id, e);
            deferred.push(e);
        }
    }
    for (const m of markers) if (m.method && missingClass.has(markerId(m))) pendingMarkers.set(markerId(m), m);
    report.missing = report.missing.filter((m) => !(missingClass.has(m.id) && (pendingRows.has(m.id) || pendingMarkers.has(m.id))));
    return deferred;
}

export function pendingIds(): string[] {
    return [...pendingRows.keys(), ...pendingMarkers.keys()];
}

/** Install what `rows` need through `use`; the ids hooked go to `report` with `where`. */
export function installVia(rows: ApiEntry[], markers: MarkerConfig[], use: ClassUse, where: string,
                           report: InstallReport): void {
    const part: InstallReport = { hooked: [], missing: [], limits: [] };
    installApiHooks(rows.filter((e) => e.kind !== "permission_request"), config, part, use);
    installPermissionHooks(rows.filter((e) => e.kind === "permission_request"), part, use, false);
    for (const m of markers) installMethodMarker(m, part, use);
    report.where = report.where ?? {};
    for (const id of part.hooked) {
        if (!report.hooked.includes(id)) report.hooked.push(id);
        report.where[id] = where;
    }
    report.missing.push(...part.missing);
    report.limits.push(...part.limits);
}

/** The run's config (canaries, package) for every later install; call before the first installVia. */
export function initRetries(cfg: AgentConfig): void {
    config = cfg;
}

/** From now on hooks installed late are announced to the host (status "hooked"). */
export function startRetries(): void {
    announce = true;
}

/** A new class loader (or the Application's, after attachBaseContext): hook the rows it has. */
export function retryIn(loader: any, where: string): void {
    if (pendingRows.size === 0 && pendingMarkers.size === 0) return;
    if (loader === null || loader === undefined) return;
    try {
        const factory = Java.ClassFactory.get(loader);
        const use: ClassUse = (cls) => factory.use(cls);
        const rep: InstallReport = { hooked: [], missing: [], limits: [] };
        installVia([...pendingRows.values()], [...pendingMarkers.values()], use, where, rep);
        for (const id of rep.hooked) {
            pendingRows.delete(id);
            pendingMarkers.delete(id);
        }
        if (rep.hooked.length > 0 && announce) {
            // still missing for a reason other than the class (an overload this API level lacks): reported once
            const missing = rep.missing.filter((m) => !classMissing(m.reason));
            send({ type: "status", status: "hooked", t: nowMs(), hooked: rep.hooked, missing, where: rep.where,
                   pending: pendingIds() });
        }
    } catch (e) {
        hookError(`class loader retry (${where})`, e);
    }
}

/** Packers replace the app's class loader in attachBaseContext; the Application's is the one in use after. */
export function installApplicationRetry(report: InstallReport): void {
    try {
        const ov = Java.use("android.app.Instrumentation").callApplicationOnCreate.overload("android.app.Application");
        ov.implementation = function (this: any, app: any): any {
            try {
                retryIn(app.getClassLoader(), "app (the Application's class loader after attachBaseContext)");
            } catch (e) {
                hookError("callApplicationOnCreate retry", e);
            }
            return ov.call(this, app);
        };
        report.hooked.push("loader.Instrumentation.callApplicationOnCreate");
    } catch (e) {
        report.missing.push({ id: "loader.Instrumentation.callApplicationOnCreate", reason: String(e) });
    }
}
