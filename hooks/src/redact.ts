// Redacted summaries of arguments and results: types and lengths, never a full identifier in clear
// (a planted canary is the one exception: it is ours, and the network side searches for it).

import type { JsonValue } from "./types.js";

/** Mask all but the last two characters ("865166024312348" -> "*************48"). */
export function mask(s: string): string {
    if (s.length < 6) return "*".repeat(s.length);
    return "*".repeat(s.length - 2) + s.slice(-2);
}

function className(v: any): string | null {
    try {
        const c = v.$className;
        return typeof c === "string" ? c : null;
    } catch (e) {
        return null;
    }
}

export function summarize(v: unknown): JsonValue {
    if (v === null || v === undefined) return null;
    switch (typeof v) {
        case "string":
            return { t: "String", len: v.length, mask: mask(v) };
        case "number":
        case "boolean":
            return v;
        case "object": {
            const c = className(v);
            if (c === "java.lang.String") {
                const s = String(v);
                return { t: "String", len: s.length, mask: mask(s) };
            }
            if (c !== null) return { t: c };
            const len = (v as { length?: unknown }).length;
            if (typeof len === "number") return { t: "array", len };
            return { t: "object" };
        }
        default:
            return { t: typeof v };
    }
}
