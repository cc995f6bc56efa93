// Interface and abstract rows of the table (issue 22 §2): a hook on an interface or abstract method never
// runs on ART (calls dispatch to the implementation), so the agent hooks the implementations. At start and
// again whenever classes may have appeared (a class loader was created, and on a timer while the app runs)
// it asks ART for the loaded classes that declare the row's method (Java.enumerateMethods, one native walk
// per method name), keeps those that implement the row's class and are concrete, and hooks their
// overloads with the table's hook (hooks.ts hookOverload). A class loaded explicitly (ClassLoader.loadClass,
// which Class.forName with a custom loader and plugin frameworks call) is checked at once, before the app
// can use it; classes ART resolves natively are found by the next scan. Each row's state is reported as an
// `agent_status` `impl` event when it changes: the implementations hooked, and whether the interface is
// loaded at all; a row whose interface is loaded but has no hookable implementation makes the run
// incomplete (rules/evidence.py).

import Java from "frida-java-bridge";
import { emit, hookError } from "./emit.js";
import { hookOverload } from "./hooks.js";
import type { AgentConfig, ApiEntry } from "./types.js";

const ACC_INTERFACE = 0x200;
const ACC_ABSTRACT = 0x400;
const RESCAN_MS = [250, 500, 1000, 2000, 5000];     // back off while nothing changes

interface RowState {
    row: ApiEntry;
    ifaceLoaded: boolean;
    hooked: string[];
    failed: Record<string, string>;
}

const rows = new Map<string, RowState>();
const done = new Set<string>();              // "cls|member|desc" hooked (or refused) already
let config: AgentConfig = {};
let checking = false;        // hooking an implementation loads it through the bridge's factory: no re-entry
let timer: any = null;
let step = 0;

function factoryFor(loader: any): (c: string) => any {
    if (loader === null || loader === undefined) return (c) => Java.use(c);
    try {
        const f = (Java as any).ClassFactory.get(loader);
        return (c) => f.use(c);
    } catch (e) {
        return (c) => Java.use(c);
    }
}

function implementsRow(use: (c: string) => any, name: string, iface: string): boolean {
    const k = use(name).class;
    if ((Number(k.getModifiers()) & (ACC_INTERFACE | ACC_ABSTRACT)) !== 0) return false;
    return Boolean(use(iface).class.isAssignableFrom(k));
}

function report(st: RowState): void {
    emit("agent_status", {
        status: "impl", api_id: st.row.id, iface: st.row.iface, iface_loaded: st.ifaceLoaded,
        hooked: st.hooked.slice(), failed: { ...st.failed },
    }, false);
}

/** One pass over the loaded classes; returns true when some row changed. */
export function scanImplementations(): boolean {
    let changed = false;
    const byMember = new Map<string, RowState[]>();
    for (const st of rows.values()) {
        const list = byMember.get(st.row.member) ?? [];
        list.push(st);
        byMember.set(st.row.member, list);
    }
    for (const [member, states] of byMember) {
        let groups: any[];
        try {
            groups = Java.enumerateMethods(`*!${member}`);
        } catch (err) {
            hookError(`enumerate implementations of ${member}`, err);
            continue;
        }
        for (const g of groups) {
            const use = factoryFor(g.loader);
            for (const k of g.classes) {
                for (const st of states) {
                    const e = st.row;
                    const iface = e.iface as string;
                    let rowChanged = false;
                    if (k.name === iface) {
                        if (!st.ifaceLoaded) rowChanged = st.ifaceLoaded = true;
                    } else if (k.name === e.cls && e.impl_only !== true) {
                        continue;            // the row's concrete class (hook_class): hooked at start by hooks.ts
                    } else if (!st.hooked.includes(k.name) && !(k.name in st.failed)) {
                        try {
                            if (!implementsRow(use, k.name, iface)) continue;
                        } catch (err) {
                            continue;        // not resolvable from here: another loader's class
                        }
                        hookImplementation(st, k.name, use);
                        rowChanged = true;
                    }
                    if (rowChanged) {
                        changed = true;
                        report(st);
                    }
                }
            }
        }
    }
    return changed;
}

function schedule(): void {
    const ms = RESCAN_MS[Math.min(step, RESCAN_MS.length - 1)];
    timer = setTimeout(() => {
        timer = null;
        Java.perform(() => {
            try {
                step = scanImplementations() ? 0 : step + 1;
            } catch (err) {
                hookError("implementation rescan", err);
            }
        });
        schedule();
    }, ms);
}

const SKIP = /^(android\.|java\.|javax\.|dalvik\.|kotlin\.|kotlinx\.|androidx\.|com\.android\.internal\.)/;

/** A class just loaded through ClassLoader.loadClass: does it implement a row? (a few JNI calls, app classes only) */
function checkLoaded(loader: any, name: string, k: any): void {
    const wanted = new Map<string, RowState[]>();
    for (const st of rows.values()) {
        const iface = st.row.iface as string;
        wanted.set(iface, [...(wanted.get(iface) ?? []), st]);
    }
    const hits = new Set<string>();
    let c = k;
    for (let depth = 0; depth < 4 && c !== null; depth++) {
        const cn = String(c.getName());
        if (wanted.has(cn)) hits.add(cn);
        const ifs = c.getInterfaces();
        for (let i = 0; i < ifs.length; i++) {
            const n = String(ifs[i].getName());
            if (wanted.has(n)) hits.add(n);
        }
        c = c.getSuperclass();
    }
    if (hits.size === 0) return;
    const use = factoryFor(loader);
    const abstract = (Number(k.getModifiers()) & (ACC_INTERFACE | ACC_ABSTRACT)) !== 0;
    for (const iface of hits) {
        for (const st of wanted.get(iface) ?? []) {
            if (name === iface) {
                if (!st.ifaceLoaded) {
                    st.ifaceLoaded = true;
                    report(st);
                }
            } else if (!abstract && !st.hooked.includes(name) && !(name in st.failed)) {
                hookImplementation(st, name, use);
                report(st);
            }
        }
    }
}

function hookImplementation(st: RowState, name: string, use: (c: string) => any): void {
    const was = checking;
    checking = true;             // the bridge loads `name` through loadClass: not a new class to check
    try {
        hookOverloads(st, name, use);
    } finally {
        checking = was;
    }
}

function hookOverloads(st: RowState, name: string, use: (c: string) => any): void {
    let ok = 0;
    const problems: string[] = [];
    for (const desc of st.row.descriptors) {
        const key = `${name}|${st.row.member}|${desc}`;
        if (done.has(key)) {
            ok++;                // hooked for another row sharing the overload
            continue;
        }
        try {
            hookOverload(name, st.row.member, desc, [st.row], config, use);
            done.add(key);
            ok++;
        } catch (err) {
            problems.push(String(err));
        }
    }
    if (ok > 0 && !st.hooked.includes(name)) st.hooked.push(name);
    else st.failed[name] = problems.join("; ") || "no overload of the table's descriptors";
}

function installLoadClassHook(): void {
    try {
        const ov = Java.use("java.lang.ClassLoader").loadClass.overload("java.lang.String", "boolean");
        ov.implementation = function (this: any, name: string, resolve: boolean): any {
            const k = ov.call(this, name, resolve);
            if (checking || k === null || SKIP.test(String(name))) return k;
            checking = true;
            try {
                checkLoaded(this, String(name), k);
            } catch (err) {
                hookError("hook ClassLoader.loadClass", err);
            } finally {
                checking = false;
            }
            return k;
        };
    } catch (err) {
        hookError("hook ClassLoader.loadClass", err);
    }
}

/** A class loader appeared (loaders.ts): its classes may implement a row; rescan soon. */
export function classesMayHaveLoaded(): void {
    step = 0;
    if (rows.size > 0 && timer !== null) {
        clearTimeout(timer);
        schedule();
    }
}

/** Start (inside Java.perform, with the app's loader): the first scan now, then rescans while the app runs. */
export function installImplementationHooks(table: ApiEntry[], cfg: AgentConfig): void {
    config = cfg;
    for (const e of table) {
        // a row with a concrete class (hook_class) has it hooked by hooks.ts already: it counts
        if (e.kind === "method" && e.iface) {
            rows.set(e.id, { row: e, ifaceLoaded: false, hooked: e.impl_only === true ? [] : [e.cls], failed: {} });
        }
    }
    if (rows.size === 0) return;
    installLoadClassHook();
    scanImplementations();
    schedule();
}
