// Shapes shared by the agent modules: the generated API table and the host's config.

export interface ArgFilter {
    index: number;
    equals?: string[];
    uri_prefix?: string[];
    other_package?: boolean;
    match?: string;
    namespace?: string;
    probe?: boolean;
    intent?: boolean;
    argv?: boolean;
    netlink?: string;
    msghdr?: boolean;
    prop_info?: boolean;
    authority_prefix?: string;
    own_result?: string;
}

/** One row of sdkgate/data/sensitive_apis.yaml (generated into table.generated.ts at build time). */
export interface ApiEntry {
    id: string;
    cls: string;
    member: string;
    kind: "method" | "field" | "permission_request" | "native" | "path" | "property" | "command" | "provider" |
        "service" | "setting" | "ioctl";
    hook_class: string | null;
    patterns: string[];
    descriptors: string[];
    smali: string[];
    category: string | null;
    arg_filter: ArgFilter | null;
    canary: string | null;
    iface?: string | null;      // abstract rows: the abstract class or interface the app calls (impls.ts)
    impl_only?: boolean;        // `hook_class: null`: hooked only on implementations found at run time
    api?: number[];             // first API level of each descriptor (table `api_levels`; 1 = every level)
}

export interface MarkerConfig {
    scope: string;
    method?: string | null;
    prefs_file?: string | null;
    prefs_key?: string | null;
    value?: unknown;
}

/** A consent control of the manifest (accept/decline/withdraw button): resource id and/or exact texts. */
export interface ConsentControl {
    scope: string;
    transition: string;
    id?: string | null;
    text?: string[];
}

/** Sent by the host with rpc.exports.configure() before the process is resumed. */
export interface AgentConfig {
    package?: string;
    canaries?: Record<string, string>;
    markers?: MarkerConfig[];
    consent_controls?: ConsentControl[];
    consent_dialog?: string[];  // the consent dialog: Dialog class, activity or window title (text matches only there)
    batch_max?: number;
    flush_ms?: number;
    queue_max?: number;
    stack_limit?: number;
    loaded_max_bytes?: number;   // code loaded at run time: bytes beyond this per file are not sent
    block_quic?: boolean;       // netguard.ts: refuse UDP/443 (QUIC) so apps fall back to TCP
    unpin?: boolean;            // unpin.ts: disable certificate pinning (device runs with --unpin)
    stack_mode?: string;        // "throwable": per-event stacks the old way (bench baseline); default: Java.backtrace
    unwind_mode?: string;       // "accurate": a full native backtrace per connect (bench baseline); default: caller first
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };
