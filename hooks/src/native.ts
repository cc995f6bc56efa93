// Native side-channel hooks (issue 11): libc/bionic functions of the table's `native` rows.
// One Interceptor listener per function, written in C (CModule): the argument is matched against the
// table's target patterns in native code, so the app's thousands of ordinary open()/ioctl() calls stay
// cheap; only a match calls into JS (sgHit), which records a `read` event with the native caller
// module, the native backtrace's modules and, on a Java thread, the Java stack. Only the outermost
// intercepted call on a thread counts (fopen -> open is one read), and a native call made inside a
// hooked Java call (FileInputStream -> open) belongs to that Java event.
// Canary mode: a matched path is reopened from a memfd holding the planted value, a property read
// returns the planted value, SIOCGIFHWADDR returns the planted MAC. memfd_create is in bionic from API 30: below
// that, planted files are not served and the run says so (`limits`: "canary not served"); reads are still recorded.
// Rows whose bionic symbol the device's API level lacks (table `api_levels`) are skipped with a note.

import Java from "frida-java-bridge";
import { apiLevel, notOnThisLevel } from "./device.js";
import { emit, state } from "./emit.js";
import type { InstallReport } from "./hooks.js";
import type { AgentConfig, ApiEntry } from "./types.js";

// modes of argument inspection (C side)
const MODE = { str: 0, argv: 1, num: 2, netlink: 3, netlinkMsg: 4, propInfo: 5, always: 6 } as const;
const KINDS = ["path", "property", "command", "ioctl"];

const C_SOURCE = `
#include <gum/guminterceptor.h>

typedef struct { int fn; int index; int mode; int kind; int propget; } Spec;
typedef struct { void * buf; const unsigned char * canary; int what; } State;
extern void * sg_hit (int fn, int target, const char * text, void * ret);
extern int sg_getpid (void);

static int glob (const char * p, const char * s)
{
  const char * star = 0, * back = 0;
  while (*s) {
    if (*p == '*') { star = p++; back = s; }
    else if (*p == *s) { p++; s++; }
    else if (star) { p = star + 1; s = ++back; }
    else return 0;
  }
  while (*p == '*') p++;
  return *p == 0;
}

@TABLES@

static int find (int kind, const char * s)
{
  int i;
  for (i = 0; i < NPAT; i++)
    if (PAT_KIND[i] == kind && glob (PAT[i], s)) return PAT_TARGET[i];
  return -1;
}

void on_enter (GumInvocationContext * ic)
{
  Spec * sp = GUM_IC_GET_FUNC_DATA (ic, Spec *);
  State * st = GUM_IC_GET_INVOCATION_DATA (ic, State);
  char buf[512];
  const char * text = 0;
  int target = -1, i;
  st->what = 0;
  if (gum_invocation_context_get_depth (ic) > 0) return;
  void * a = gum_invocation_context_get_nth_argument (ic, sp->index);
  if (sp->mode == 0) {
    text = (const char *) a;
    if (text) target = find (sp->kind, text);
  } else if (sp->mode == 1) {
    char ** argv = (char **) a; int n = 0;
    if (!argv) return;
    for (i = 0; argv[i] && n < 500; i++) {
      const char * q = argv[i];
      if (i) buf[n++] = ' ';
      while (*q && n < 510) buf[n++] = *q++;
    }
    buf[n] = 0; text = buf;
    target = find (sp->kind, text);
  } else if (sp->mode == 2) {
    unsigned int req = (unsigned int) (gsize) a;
    for (i = 0; i < NNUM; i++) if (NUM[i] == req) { target = NUM_TARGET[i]; break; }
    if (target < 0) return;
    text = 0;
  } else if (sp->mode == 3 || sp->mode == 4) {
    const unsigned char * m = (const unsigned char *) a; gsize len;
    if (!m) return;
    if (sp->mode == 4) {
      const unsigned char * const * iov = *(const unsigned char * const * const *) (m + 2 * sizeof (void *));
      if (!iov) return;
      len = (gsize) iov[1]; m = iov[0];
      if (!m) return;
    } else {
      len = (gsize) gum_invocation_context_get_nth_argument (ic, 2);
    }
    if (len < 16) return;
    if (*(const unsigned short *) (m + 4) != 18 || !(*(const unsigned short *) (m + 6) & 1)) return;
    target = -2;
  } else if (sp->mode == 5) {
    text = a ? (const char *) a + 96 : 0;
    if (text) target = find (sp->kind, text);
  } else {
    target = -2;
  }
  if (target == -1) return;
  /* a vfork/fork child (posix_spawn, Runtime.exec -> execve) shares or copies this code but not the
     agent: it must never enter JS. Checked only on a match, so ordinary calls pay no syscall. */
  if (sg_getpid () != OWN_PID) return;
  {
    const unsigned char * c = (const unsigned char *) sg_hit (sp->fn, target, text ? text : "",
        gum_invocation_context_get_return_address (ic));
    if (!c) return;
    if (sp->kind == 0 && sp->mode == 0) {
      gum_invocation_context_replace_nth_argument (ic, sp->index, (gpointer) c);
    } else if (sp->propget) {
      st->what = 1; st->buf = gum_invocation_context_get_nth_argument (ic, 1); st->canary = c;
    } else if (sp->mode == 2) {
      st->what = 2; st->buf = gum_invocation_context_get_nth_argument (ic, 2); st->canary = c;
    }
  }
}

void on_leave (GumInvocationContext * ic)
{
  State * st = GUM_IC_GET_INVOCATION_DATA (ic, State);
  int i;
  if (st->what == 1 && st->buf) {
    char * d = (char *) st->buf;
    for (i = 0; st->canary[i] && i < 91; i++) d[i] = st->canary[i];
    d[i] = 0;
    gum_invocation_context_replace_return_value (ic, (gpointer) (gsize) i);
  } else if (st->what == 2 && st->buf && (gsize) gum_invocation_context_get_return_value (ic) == 0) {
    unsigned char * d = (unsigned char *) st->buf + 18;
    for (i = 0; i < 6; i++) d[i] = st->canary[i];
  }
  st->what = 0;
}
`;

function cString(s: string): string {
    return JSON.stringify(s).replace(/[^\x20-\x7e]/g, "?");
}

function tables(targets: ApiEntry[]): string {
    const pats: string[] = [], kinds: number[] = [], tg: number[] = [];
    const nums: number[] = [], numTg: number[] = [];
    targets.forEach((t, i) => {
        const k = KINDS.indexOf(t.kind);
        if (k < 0) return;
        for (const p of t.patterns) {
            if (t.kind === "ioctl") {
                nums.push(parseInt(p, p.startsWith("0x") ? 16 : 10) >>> 0);
                numTg.push(i);
            } else {
                pats.push(cString(p));
                kinds.push(k);
                tg.push(i);
            }
        }
    });
    const arr = (t: string, name: string, v: (string | number)[]) =>
        `static const ${t} ${name}[] = { ${v.length ? v.join(", ") : "0"} };`;
    return [
        `#define NPAT ${pats.length}`, `#define NNUM ${nums.length}`, `#define OWN_PID ${Process.id}`,
        arr("char * const", "PAT", pats.length ? pats : ["\"\""]), arr("int", "PAT_KIND", kinds), arr("int", "PAT_TARGET", tg),
        arr("unsigned int", "NUM", nums), arr("int", "NUM_TARGET", numTg),
    ].join("\n");
}

function resolve(lib: string, symbol: string): NativePointer | null {
    const names = [lib, lib + ".6", "libc.so.6"];
    for (const n of names) {
        const m = Process.findModuleByName(n);
        const p = m?.findExportByName(symbol) ?? null;
        if (p !== null) return p;
    }
    const g = Module.findGlobalExportByName(symbol);
    if (g !== null) return g;
    for (const m of Process.enumerateModules()) {
        const p = m.findExportByName(symbol);
        if (p !== null) return p;
    }
    return null;
}

function modeOf(e: ApiEntry): number {
    const f = e.arg_filter;
    if (f === null) return MODE.always;
    if (f.netlink !== undefined) return f.msghdr ? MODE.netlinkMsg : MODE.netlink;
    if (f.prop_info) return MODE.propInfo;
    if (f.argv) return MODE.argv;
    if (f.match === "ioctl") return MODE.num;
    return MODE.str;
}

const keep: unknown[] = [];     // CModule, callbacks, specs and canary buffers live as long as the agent
const MEMFD_API = 30;          // memfd_create: bionic from API 30 (android.googlesource.com/platform/bionic/+/master/docs/status.md)

/** Planted files need memfd_create: present and on a level that has it. */
function memfdAvailable(): boolean {
    const level = apiLevel();
    return (level === 0 || level >= MEMFD_API) && resolve("libc.so", "memfd_create") !== null;
}

function planted(t: ApiEntry, value: string): NativePointer | null {
    if (t.kind === "ioctl") {
        const bytes = value.split(":").map((h) => parseInt(h, 16));
        const b = Memory.alloc(8);
        b.writeByteArray(bytes);
        return b;
    }
    if (t.kind === "property") return Memory.allocUtf8String(value);
    if (t.kind === "path") {
        const memfd = memfdAvailable() ? resolve("libc.so", "memfd_create") : null;
        if (memfd === null) return null;
        const fd = new NativeFunction(memfd, "int", ["pointer", "uint"])(Memory.allocUtf8String("sdkgate-canary"), 0) as number;
        if (fd < 0) return null;
        const text = value + "\n";
        const buf = Memory.allocUtf8String(text);
        const write = new NativeFunction(resolve("libc.so", "write")!, "long", ["int", "pointer", "ulong"]);
        write(fd, buf, text.length);
        return Memory.allocUtf8String(`/proc/self/fd/${fd}`);
    }
    return null;
}

function onJavaThread(): boolean {
    try {
        return Java.available && Java.vm.tryGetEnv() !== null;
    } catch (e) {
        return false;
    }
}

export function installNativeHooks(table: ApiEntry[], cfg: AgentConfig, report: InstallReport,
                                   javaDepth: () => number): void {
    const natives = table.filter((e) => e.kind === "native");
    if (natives.length === 0) return;
    const targets = table.filter((e) => KINDS.includes(e.kind));
    const canaries = cfg.canaries ?? {};
    const plantedFor = new Map<number, NativePointer | null>();
    const hit = new NativeCallback(function (this: CallbackContext, fn: number, target: number, text: NativePointer,
                                             ret: NativePointer): NativePointer {
        try {
            if (javaDepth() > 0) return NULL;       // inside a hooked Java call: that event covers it
            const e = natives[fn];
            const t = target >= 0 ? targets[target] : null;
            const ev: Record<string, unknown> = { api_id: e.id, canary: false };
            if (t !== null) {
                ev.target = t.id;
                ev.target_value = t.kind === "ioctl" ? t.patterns[0] : text.readUtf8String();
            }
            const caller = Process.findModuleByAddress(ret);
            ev.native_caller = caller !== null ? caller.name : null;
            const mods: string[] = [];
            for (const a of Thread.backtrace(this.context, Backtracer.FUZZY)) {
                const m = Process.findModuleByAddress(a);
                if (m !== null && mods[mods.length - 1] !== m.name) mods.push(m.name);
                if (mods.length >= 16) break;
            }
            if (ev.native_caller !== null && mods[0] !== ev.native_caller) mods.unshift(ev.native_caller as string);
            ev.native_stack = mods;
            let out: NativePointer = NULL;
            if (t !== null && t.canary !== null && canaries[t.canary] !== undefined) {
                if (!plantedFor.has(target)) plantedFor.set(target, planted(t, canaries[t.canary]));
                const p = plantedFor.get(target) ?? null;
                if (p !== null) {
                    out = p;
                    ev.canary = true;
                    ev.ret = { t: "canary", value: canaries[t.canary] };
                }
            }
            emit("read", ev, onJavaThread());
            return out;
        } catch (err) {
            state.errors++;
            return NULL;
        }
    }, "pointer", ["int", "int", "pointer", "pointer"]);
    let cm: CModule;
    try {
        cm = new CModule(C_SOURCE.replace("@TABLES@", tables(targets)),
                         { sg_hit: hit, sg_getpid: resolve("libc.so", "getpid") ?? NULL });
    } catch (err) {
        for (const e of natives) report.missing.push({ id: e.id, reason: `native filter did not compile: ${err}` });
        return;
    }
    keep.push(cm, hit);
    const level = apiLevel();
    const planting = targets.filter((t) => t.kind === "path" && t.canary !== null && canaries[t.canary] !== undefined);
    if (planting.length > 0 && !memfdAvailable()) {
        report.limits.push(`${planting.map((t) => t.id).join(", ")}: canary not served: planted files need memfd_create ` +
            `(bionic API ${MEMFD_API}; this device is API ${level || "?"}): these reads are recorded, the app gets the real file`);
    }
    natives.forEach((e, i) => {
        const since = e.api?.[0] ?? 1;
        if (level > 0 && since > level) {
            report.limits.push(notOnThisLevel(e.id, `${e.member} in ${e.cls}`, since));
            return;
        }
        const addr = resolve(e.cls, e.member);
        if (addr === null) {
            report.missing.push({ id: e.id, reason: `no ${e.member} in ${e.cls} or any loaded module` });
            return;
        }
        const f = e.arg_filter;
        const kind = f?.match !== undefined ? KINDS.indexOf(f.match) : -1;
        const spec = Memory.alloc(20);
        spec.writeS32(i);
        spec.add(4).writeS32(f?.index ?? 0);
        spec.add(8).writeS32(modeOf(e));
        spec.add(12).writeS32(kind);
        spec.add(16).writeS32(e.member === "__system_property_get" ? 1 : 0);
        keep.push(spec);
        try {
            Interceptor.attach(addr, { onEnter: cm.on_enter, onLeave: cm.on_leave }, spec);
            report.hooked.push(e.id);
        } catch (err) {
            report.missing.push({ id: e.id, reason: String(err) });
        }
    });
    Interceptor.flush();
}
