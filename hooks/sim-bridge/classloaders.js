// Which class loader a class is found in, as on ART under frida-java-bridge.
//
// Real bridge (index.js, lib/class-factory.js): `Java.use(name)` goes through the default ClassFactory. Until the
// app's class loader exists (Java.performNow at spawn, before bindApplication) its loader is null and JNI
// FindClass sees only the boot class path; `Java.perform` sets the loader to the app's first class loader (the
// LoadedApk's PathClassLoader) once. Classes defined later in another loader (a plugin's DexClassLoader, code a
// packer decrypts into its own loader) are found only through `Java.ClassFactory.get(thatLoader).use(name)`.
// `use()` is lazy: the ClassNotFoundException surfaces when a member is first touched.
//
// Model: BOOT = the packages of AOSP's boot class path (framework.jar, core-oj/core-libart, okhttp, conscrypt,
// bouncycastle, ICU, ext, telephony-common, android.test.base) and vendor framework classes; the support library
// (android.support.*, android.arch.*, android.databinding.*) ships in the APK, like androidx. App classes are every
// other class, except the classes of code the model loads at run time (simLoadedClasses), which only the factory
// of the loader that loaded them sees (the loader object carries them: `$obj` ... `"loads": [...]`).

const BOOT = new RegExp("^(android\\.(?!support\\.|arch\\.|databinding\\.)|java\\.|javax\\.|dalvik\\.|libcore\\.|sun\\." +
    "|org\\.json\\.|org\\.xml\\.|org\\.w3c\\.|org\\.xmlpull\\.|org\\.apache\\.http\\.|com\\.android\\.(internal|org|okhttp" +
    "|i18n|icu|ims)\\.)");

const hidden = new Set();            // classes of the model's loaded code
const factories = new WeakMap();     // loader object -> ClassFactory
let appReady = false;
let api = null;                      // index.js internals: classWrapper, makeObject, JavaException
let appLoader = null;

export function isBoot(cls) {
    return BOOT.test(cls);
}

function visible(cls, loader) {
    if (isBoot(cls)) return true;
    // a permissive wrapper (a class the model does not describe) answers any member name: only a real list counts
    const loads = loader !== null ? loader.$loads : undefined;
    if (Array.isArray(loads) && loads.includes(cls)) return true;
    if (hidden.has(cls)) return false;          // another loader's code
    return appReady || loader !== null;         // app classes: the app's loader, or a loader whose parent it is
}

function notFound(cls, loader) {
    const where = loader === null ? (appReady ? "the app's class loader" : "the boot class path (no app class loader yet)")
        : `${loader.$className}`;
    return new api.JavaException("java.lang.ClassNotFoundException", `Didn't find class "${cls}" on path: ${where}`);
}

function missingClass(cls, loader) {
    return new Proxy({ $className: cls }, {
        get(t, p) {
            if (typeof p === "symbol" || p === "$className" || p === "then") return t[p];
            if (p === "toString") return () => `<class: ${cls}>`;
            throw notFound(cls, loader);
        },
    });
}

/** Java.use / a factory's use(): the class wrapper when this loader sees the class, else one that throws. */
export function useIn(loader, cls) {
    return visible(cls, loader) ? api.classWrapper(cls) : missingClass(cls, loader);
}

class ClassFactory {
    constructor(loader) {
        this.loader = loader;
        this.cacheDir = "/data/local/tmp";
        this.tempFileNaming = { prefix: "frida", suffix: "" };
    }

    use(cls) {
        return useIn(this.loader === appLoader ? null : this.loader, cls);
    }

    cast(obj) {
        return obj;
    }

    retain(obj) {
        return obj;
    }

    choose(className, cb) {
        cb.onComplete();
    }
}

const defaultFactory = new ClassFactory(null);

/** Java.ClassFactory: get(null) is the default factory, get(loader) one per loader object. */
export const ClassFactoryApi = {
    get(loader) {
        if (loader === null || loader === undefined) return defaultFactory;
        let f = factories.get(loader);
        if (f === undefined) {
            f = new ClassFactory(loader);
            factories.set(loader, f);
        }
        return f;
    },
};

export function defaultClassFactory() {
    return defaultFactory;
}

/** Java.perform: the app's first class loader exists from now on. */
export function appLoaderReady() {
    if (appReady) return;
    appReady = true;
    appLoader = api.makeObject("dalvik.system.PathClassLoader", {});
    defaultFactory.loader = appLoader;
}

export function hideLoaded(classes) {
    for (const c of classes) hidden.add(c);
}

/** A loader object from the wire carries the classes its code defines: `{"$obj": ..., "loads": [...]}`. */
export function attachLoads(obj, j) {
    if (Array.isArray(j.loads)) obj.$loads = j.loads.slice();
    return obj;
}

export function installClassLoaders(internals) {
    api = internals;
}
