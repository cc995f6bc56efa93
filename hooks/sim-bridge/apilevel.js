// The simulated phone's Android API level. On a real phone an overload added in a later API level does not exist:
// the real bridge's `.overload(...)` throws ("specified argument types do not match any of ..."), and a bionic
// function added later is absent from libc. The host passes the level and the table's `api_levels` of every overload
// not on all supported levels (simruntime.py); overloads above the level are refused here.

const RELEASES = { 24: "7.0", 25: "7.1.1", 26: "8.0.0", 27: "8.1.0", 28: "9", 29: "10", 30: "11", 31: "12", 32: "12L",
    33: "13", 34: "14", 35: "15" };
let api = 35;
let levels = new Map();             // "cls|member|t1,t2" -> first API level

export function setApiLevel(level, byOverload) {
    api = level;
    levels = new Map(Object.entries(byOverload));
}

export function apiLevel() {
    return api;
}

export function release() {
    return RELEASES[api] || String(api);
}

export function refuseAboveLevel(cls, name, types) {
    const since = levels.get(`${cls}|${name}|${types.join(",")}`);
    if (since !== undefined && since > api) {
        throw new Error(`${cls}.${name}(): specified argument types do not match any of the overloads ` +
            `(the overload (${types.join(", ")}) exists from API ${since}; this device is API ${api})`);
    }
}
