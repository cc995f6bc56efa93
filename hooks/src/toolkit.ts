// Which consent observation applies to this app (issue 28 §2): the tap hook sees View.performClick,
// which Jetpack Compose (`Modifier.clickable`), Flutter, React Native and WebView content (a consent page
// in a WebView) never call. The UI toolkits the app ships are looked up in its class loader at start
// (Class.forName without initialising), WebView when the app loads a page; the run says which consent
// observation applies (`agent_status` `ui`), and the engine asks for consent steps where none does.

import Java from "frida-java-bridge";
import { emit, hookError } from "./emit.js";
import type { InstallReport } from "./hooks.js";
import { UI_TOOLKITS } from "./table.generated.js";    // sdkgate/dynamic/toolkits.py

const WEBVIEW = "WebView content (a consent page in a WebView): clicks are handled by the page's scripts";

const found: Record<string, string> = {};

/** What the run says about consent observation: the toolkits seen and what the tap hook cannot see. */
export function uiReport(): Record<string, unknown> {
    const names = Object.keys(found);
    return {
        toolkits: ["views", ...names],
        consent_observation: "View.performClick on the manifest's consent controls, with input provenance",
        unobserved: names.map((n) => found[n]),
    };
}

function status(): void {
    emit("agent_status", { status: "ui", ...uiReport() }, false);
}

function present(name: string): boolean {
    try {
        const loader = (Java as any).classFactory.loader;
        Java.use("java.lang.Class").forName(name, false, loader);
        return true;
    } catch (e) {
        return false;
    }
}

/** Look the toolkits up in the app's class loader (inside Java.perform); the install report carries uiReport(). */
export function detectToolkits(): void {
    try {
        for (const [name, cls, why] of UI_TOOLKITS) if (present(cls)) found[name] = why;
    } catch (err) {
        hookError("UI toolkit detection", err);
    }
}

/** WebView pages: said once, when the app first loads one. */
export function installWebViewHooks(report: InstallReport): void {
    let overloads: any[];
    try {
        const W = Java.use("android.webkit.WebView");
        overloads = [...W.loadUrl.overloads, ...W.loadDataWithBaseURL.overloads];
    } catch (err) {
        report.missing.push({ id: "ui.webview", reason: String(err) });
        return;
    }
    for (const ov of overloads) {
        ov.implementation = function (this: any, ...args: any[]): any {
            if (!("webview" in found)) {
                found.webview = WEBVIEW;
                try {
                    status();
                } catch (err) {
                    hookError("hook WebView", err);
                }
            }
            return ov.call(this, ...args);
        };
    }
    report.hooked.push("ui.webview");
}
