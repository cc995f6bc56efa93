// Hooks for every entry of the sensitive-API table (generated from sdkgate/data/sensitive_apis.yaml).

import Java from "frida-java-bridge";
import { plant } from "./canary.js";
import { apiLevel, notOnThisLevel } from "./device.js";
import { emit, enter, hookError, leave } from "./emit.js";
import { overloadTypes, splitDescriptor } from "./java.js";
import { summarize } from "./redact.js";
import { API_TABLE } from "./table.generated.js";
import type { AgentConfig, ApiEntry } from "./types.js";

/** Table patterns: `*` is any run of characters (the native filter in native.ts uses the same rule). */
export function globMatch(p: string, s: string): boolean {
    let pi = 0, si = 0, star = -1, back = 0;
    while (si < s.length) {
        if (p[pi] === "*") { star = pi++; back = si; }
        else if (pi < p.length && p[pi] === s[si]) { pi++; si++; }
        else if (star >= 0) { pi = star + 1; si = ++back; }
        else return false;
    }
    while (p[pi] === "*") pi++;
    return pi === p.length;
}

function targetFor(kind: string, texts: (string | null)[]): { t: ApiEntry; text: string } | null {
    for (const t of API_TABLE as ApiEntry[]) {
        if (t.kind !== kind) continue;
        for (const text of texts) {
            if (text === null) continue;
            if (t.patterns.some((p) => globMatch(p, text))) return { t, text };
        }
    }
    return null;
}

function listText(v: any): string | null {
    if (v === null || v === undefined) return null;
    if (Array.isArray(v)) return v.map((x) => argText(x) ?? "").join(" ");
    try {
        if (typeof v.toArray === "function") {
            const a = v.toArray();
            return Array.from(a as ArrayLike<any>).map((x) => argText(x) ?? "").join(" ");
        }
    } catch (e) { /* not a list */ }
    return argText(v);
}

function intentTexts(v: any): (string | null)[] {
    const out: (string | null)[] = [];
    for (const get of [() => v.getAction(), () => v.getPackage(), () => v.getComponent().getPackageName()]) {
        try {
            const x = get();
            out.push(x === null || x === undefined ? null : String(x));
        } catch (e) { out.push(null); }
    }
    return out;
}

/** A matched call (arg_filter.match): the target its argument names, and the text that matched. */
function matchTarget(e: ApiEntry, self: any, args: any[]): { t: ApiEntry; text: string } | null {
    const f = e.arg_filter!;
    const v = f.index < 0 ? self : args[f.index];
    switch (f.match) {
        case "command":
            return targetFor("command", [f.index < 0 ? listText(v.command()) : listText(v)]);
        case "service":
            return targetFor("service", intentTexts(v));
        case "setting": {
            const s = argText(v);
            return s === null ? null : targetFor("setting", [`${f.namespace ?? "system"}/${s}`]);
        }
        case "provider": {
            const s = argText(v);
            if (s === null) return null;
            return targetFor("provider", [f.authority_prefix && !s.includes("://") ? f.authority_prefix + s : s]);
        }
        default:
            return targetFor(f.match!, [argText(v)]);
    }
}

export interface InstallReport {
    hooked: string[];
    missing: { id: string; reason: string }[];
    limits: string[];
    where?: Record<string, string>;     // row id -> the class loader it was hooked in (boot, app, a later loader)
}

/** How a class is looked up: Java.use (the default factory) or a later loader's factory (classloaders.ts). */
export type ClassUse = (cls: string) => any;
export const defaultUse: ClassUse = (cls) => Java.use(cls);

function argText(v: any): string | null {
    if (v === null || v === undefined) return null;
    if (typeof v === "string") return v;
    try {
        return String(v.toString());
    } catch (e) {
        return null;
    }
}

/** Does this call count for the entry? Returns the clear-text summary of the filtered argument. */
function filterMatch(e: ApiEntry, args: any[], cfg: AgentConfig): { ok: boolean; shown?: string } {
    const f = e.arg_filter;
    if (f === null) return { ok: true };
    if (f.own_result !== undefined) return { ok: true };       // judged on the result (ownProcessesOnly)
    if (f.intent && f.other_package) {
        const [, pkg, comp] = intentTexts(args[f.index]);
        const s = pkg ?? comp;
        return s === null ? { ok: false } : { ok: s !== cfg.package, shown: s };
    }
    const s = argText(args[f.index]);
    if (s === null) return { ok: false };
    if (f.equals !== undefined) return { ok: f.equals.includes(s), shown: s };
    if (f.uri_prefix !== undefined) {
        const p = f.uri_prefix.find((x) => s.startsWith(x));
        return p === undefined ? { ok: false } : { ok: true, shown: p + (s.length > p.length ? "…" : "") };
    }
    if (f.other_package) return { ok: s !== cfg.package, shown: s === cfg.package ? s : undefined };
    return { ok: true };
}

/** getRunningAppProcesses used to find the app's own process (issue 20): when every entry returned is one of
 *  the app's own processes (`package` or `package:name`, as Android 5.1+ returns to ordinary apps), nothing
 *  about other apps was read. Anything unreadable counts as a read. */
function ownProcessesOnly(ret: any, pkg: string | undefined): boolean {
    if (ret === null || ret === undefined || !pkg) return false;
    try {
        const n = ret.size();
        const Info = Java.use("android.app.ActivityManager$RunningAppProcessInfo");
        for (let i = 0; i < n; i++) {
            const name = String(Java.cast(ret.get(i), Info).processName.value);
            if (name !== pkg && !name.startsWith(pkg + ":")) return false;
        }
        return true;
    } catch (err) {
        return false;
    }
}

function summarizeArgs(args: any[], filterIndex: number | null, shown: string | undefined): unknown[] {
    return args.map((a, i) => (i === filterIndex && shown !== undefined ? shown : summarize(a)));
}

/** Group method entries by overload so entries sharing one (ContentResolver.query) share one hook. */
function groups(table: ApiEntry[]): Map<string, { cls: string; member: string; desc: string; entries: ApiEntry[] }> {
    const out = new Map<string, { cls: string; member: string; desc: string; entries: ApiEntry[] }>();
    for (const e of table) {
        if (e.kind !== "method" || e.impl_only === true) continue;   // no class to name: impls.ts finds them
        const cls = e.hook_class ?? e.cls;       // where ART dispatches (abstract classes, interfaces)
        for (const d of e.descriptors) {
            const k = `${cls}|${e.member}|${d}`;
            let g = out.get(k);
            if (g === undefined) {
                g = { cls, member: e.member, desc: d, entries: [] };
                out.set(k, g);
            }
            g.entries.push(e);
        }
    }
    return out;
}

/** Hook one overload (`cls.member(desc)`) for the table entries that share it; throws when the
 * runtime has no such overload (the caller reports it missing). Also used for the implementations of
 * interface/abstract rows found at run time (impls.ts). */
export function hookOverload(cls: string, member: string, desc: string, entries: ApiEntry[], cfg: AgentConfig,
    use: (c: string) => any = (c) => Java.use(c)): void {
    const canaries = cfg.canaries ?? {};
    const ov = use(cls)[member === "<init>" ? "$init" : member].overload(...overloadTypes(desc));
    const retDesc = splitDescriptor(desc).ret;
    ov.implementation = function (this: any, ...args: any[]): any {
        let ret: any;
        let threw: any = null;
        const token = enter();
        try {
            ret = ov.call(this, ...args);
        } catch (err) {
            threw = err;
        } finally {
            leave(token);
        }
        if (token < 0) {
            if (threw !== null) throw threw;
            return ret;
        }
        try {
            for (const e of entries) {
                let hit: { t: ApiEntry; text: string } | null = null;
                let m: { ok: boolean; shown?: string };
                if (e.arg_filter !== null && e.arg_filter.match !== undefined) {
                    hit = matchTarget(e, this, args);
                    m = hit === null ? { ok: false } : { ok: true, shown: hit.text };
                } else {
                    m = filterMatch(e, args, cfg);
                }
                if (!m.ok) continue;
                // the app's own processes only: observed (calibration counts it), but no read of other apps
                const self = e.arg_filter !== null && e.arg_filter.own_result === "processes" && threw === null &&
                    ownProcessesOnly(ret, cfg.package);
                // compact on the wire: the host fills `api` (smali of overload `ov`) and `category`
                // from the same table, by api_id
                const ev: Record<string, unknown> = {
                    api_id: e.id,
                    args: summarizeArgs(args, e.arg_filter ? e.arg_filter.index : null, m.shown),
                    canary: false,
                };
                if (hit !== null) {
                    ev.target = hit.t.id;
                    ev.target_value = hit.text;
                }
                const ovIndex = e.descriptors.indexOf(desc);
                if (ovIndex > 0) ev.ov = ovIndex;
                if (cls !== e.cls) ev.impl = cls;          // an implementation found at run time (impls.ts)
                const canaryCat = hit !== null ? hit.t.canary : e.canary;
                const value = canaryCat !== null ? canaries[canaryCat] : undefined;
                if (threw !== null) {
                    ev.threw = String(threw);
                } else if (value !== undefined) {
                    const planted = plant(member, retDesc, value, ret);
                    if (planted !== undefined) {
                        ret = planted;
                        ev.canary = true;
                        ev.ret = { t: "canary", value };
                    }
                }
                if (ev.ret === undefined && threw === null) ev.ret = summarize(ret);
                emit(self ? "self_read" : "read", ev);
                break;
            }
        } catch (err) {
            hookError(`hook ${cls}.${member}`, err);
        }
        if (threw !== null) throw threw;
        return ret;
    };
}

export function installApiHooks(table: ApiEntry[], cfg: AgentConfig, report: InstallReport,
                                use: ClassUse = defaultUse): void {
    const canaries = cfg.canaries ?? {};
    const level = apiLevel();
    for (const g of groups(table).values()) {
        const since = Math.max(...g.entries.map((e) => e.api?.[e.descriptors.indexOf(g.desc)] ?? 1));
        if (level > 0 && since > level) {              // an overload this Android version does not have
            for (const e of g.entries) report.limits.push(notOnThisLevel(e.id, `${g.cls}.${g.member}${g.desc}`, since));
            continue;
        }
        try {
            hookOverload(g.cls, g.member, g.desc, g.entries, cfg, use);
        } catch (err) {
            for (const e of g.entries) report.missing.push({ id: e.id, reason: String(err) });
            continue;
        }
        for (const e of g.entries) if (!report.hooked.includes(e.id)) report.hooked.push(e.id);
    }
    // Static field reads (sget) never reach Java code, so Frida cannot observe them. In canary mode
    // the field's value is replaced at load, so the planted value still reaches the network side.
    for (const e of table) {
        if (e.kind !== "field") continue;
        report.limits.push(`${e.id}: static field reads are not observable by hooks`);
        const value = e.canary !== null ? canaries[e.canary] : undefined;
        if (value === undefined) continue;
        try {
            use(e.cls)[e.member].value = value;
            report.limits.push(`${e.id}: canary planted in the field at load`);
        } catch (err) {
            report.missing.push({ id: e.id, reason: String(err) });
        }
    }
}
