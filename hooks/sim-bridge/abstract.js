// What the stand-in runtime knows about abstract classes and interfaces, so that it refuses what ART
// cannot do: a hook on an abstract or interface method never runs on a phone (invokevirtual and
// invokeinterface dispatch to the concrete override), so the simulated device must not fire it either.
//
// Sources: the Android API reference (developer.android.com/reference): android.content.pm.PackageManager
// ("public abstract class"; every query method the app calls is abstract or overridden by
// android.app.ApplicationPackageManager, the class Context.getPackageManager() returns),
// android.text.ClipboardManager ("public abstract class", abstract getText/setText/hasText, implemented by
// android.content.ClipboardManager), android.content.Context (abstract), android.content.SharedPreferences
// and SharedPreferences.Editor (interfaces, implemented by android.app.SharedPreferencesImpl$EditorImpl),
// android.view.View.OnClickListener (interface). Google Play services reference:
// com.google.android.gms.location.FusedLocationProviderClient ("public interface" since
// play-services-location 21.0.0). MSA OAID SDK: com.bun.miitmdid.interfaces.IdSupplier and
// com.bun.supplier.IdSupplier are interfaces implemented per phone vendor.
//
// Value: "*" = every method (an interface, or an abstract class whose instances are always a framework
// subclass); a list = only those methods are abstract.

export const ABSTRACT = {
    "android.content.pm.PackageManager": "*",
    "android.text.ClipboardManager": ["getText", "setText", "hasText"],
    "android.content.Context": "*",
    "android.content.SharedPreferences": "*",
    "android.content.SharedPreferences$Editor": "*",
    "android.view.View$OnClickListener": "*",
    "com.google.android.gms.location.FusedLocationProviderClient": "*",
    "com.bun.miitmdid.interfaces.IdSupplier": "*",
    "com.bun.supplier.IdSupplier": "*",
};

/** The error the stand-in gives for a hook ART would never run; null when the method is concrete. */
export function abstractRefusal(cls, member) {
    const a = ABSTRACT[cls];
    if (a === undefined || (a !== "*" && !a.includes(member))) return null;
    return new Error(`${cls}.${member}: cannot hook an abstract or interface method: ART dispatches calls ` +
        "to the concrete class's override, so this hook would never run; hook the concrete class");
}
