// `run --unpin`: certificate pinning off, so pinned hosts become visible instead of `tls_failed`.
// OkHttp3 CertificatePinner.check (3.x and 4.x), Conscrypt TrustManagerImpl.verifyChain /
// checkTrustedRecursive (what the platform's TrustManager ends in), the network security config's
// NetworkSecurityTrustManager.checkPins, and WebViewClient.onReceivedSslError (proceed). Every
// bypassed check becomes an `unpinned` event (host, via), so the report shows what was unpinned.
// Without --unpin none of this is installed and a pinned host stays incomplete.

import Java from "frida-java-bridge";
import { emit, hookError } from "./emit.js";

function all(cls: string, member: string, impl: (ov: any) => (this: any, ...args: any[]) => any, out: string[],
             use: (cls: string) => any = (c) => Java.use(c)): void {
    try {
        const ovs = use(cls)[member].overloads as any[];
        for (const ov of ovs) ov.implementation = impl(ov);
        if (ovs.length > 0) out.push(`${cls}.${member}`);
    } catch (e) {
        // not in this app / Android version
    }
}

function note(via: string, host: unknown): void {
    try {
        emit("unpinned", { via, host: host === null || host === undefined ? null : String(host) });
    } catch (e) {
        hookError(`unpin ${via}`, e);
    }
}

/** OkHttp ships in the APK: hooked through the app's class loader (inside Java.perform), not the boot class path. */
export function installAppUnpin(): string[] {
    const out: string[] = [];
    for (const m of ["check", "check$okhttp"]) {
        all("okhttp3.CertificatePinner", m, () => function (this: any, host: any): any {
            note("okhttp3.CertificatePinner", host);
            return undefined;
        }, out);
    }
    return out;
}

/** Install the framework's unpinning hooks (boot class path, Java.performNow); returns what was hooked. */
export function installUnpin(): string[] {
    const out: string[] = [];
    all("com.android.org.conscrypt.TrustManagerImpl", "verifyChain", () => function (this: any, chain: any, ...rest: any[]): any {
        note("conscrypt.TrustManagerImpl", rest.length >= 2 ? rest[1] : null);
        return chain;
    }, out);
    all("com.android.org.conscrypt.TrustManagerImpl", "checkTrustedRecursive", (ov) => function (this: any, ...args: any[]): any {
        note("conscrypt.TrustManagerImpl", args.length >= 3 ? args[2] : null);
        return Java.use("java.util.ArrayList").$new();
    }, out);
    all("android.security.net.config.NetworkSecurityTrustManager", "checkPins", () => function (this: any): any {
        note("network_security_config", null);
        return undefined;
    }, out);
    all("android.webkit.WebViewClient", "onReceivedSslError", () => function (this: any, view: any, handler: any, err: any): any {
        let host: unknown = null;
        try {
            host = err.getUrl();
        } catch (e) {
            // older SslError without getUrl
        }
        note("WebViewClient.onReceivedSslError", host);
        handler.proceed();
        return undefined;
    }, out);
    return out;
}
