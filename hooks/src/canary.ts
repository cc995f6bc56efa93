// Canary mode: return a planted value of the right Java shape for the API instead of the real one.

import Java from "frida-java-bridge";

function macBytes(mac: string): number[] {
    return mac.split(":").map((h) => {
        const b = parseInt(h, 16);
        return b > 127 ? b - 256 : b;
    });
}

/**
 * The planted value for an API whose return descriptor is `ret`, or undefined when this shape is
 * not supported (the real value is returned then and the event says canary: false).
 */
export function plant(member: string, ret: string, value: string, original: any): any {
    switch (ret) {
        case "Ljava/lang/String;":
            return value;
        case "[B":
            return Java.array("byte", macBytes(value));
        case "Ljava/lang/CharSequence;":
            return Java.use("java.lang.String").$new(value);
        case "Landroid/content/ClipData;":
            return Java.use("android.content.ClipData").newPlainText("sdkgate", value);
        case "Landroid/location/Location;": {
            const [lat, lon] = value.split(",").map(Number);
            const loc = Java.use("android.location.Location").$new("gps");
            loc.setLatitude(lat);
            loc.setLongitude(lon);
            loc.setAccuracy(12.0);
            loc.setTime(Date.now());
            return loc;
        }
        case "Ljava/util/List;": {
            const ArrayList = Java.use("java.util.ArrayList");
            const list = original === null || original === undefined ? ArrayList.$new() : ArrayList.$new(original);
            let extra: any;
            if (member === "getInstalledApplications") {
                extra = Java.use("android.content.pm.ApplicationInfo").$new();
            } else {
                extra = Java.use("android.content.pm.PackageInfo").$new();
            }
            extra.packageName.value = value;
            list.add(extra);
            return list;
        }
        default:
            return undefined;
    }
}
