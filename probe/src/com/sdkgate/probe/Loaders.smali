.class public final Lcom/sdkgate/probe/Loaders;
.super Ljava/lang/Object;

# Code loaded at run time, as plugin SDKs do: assets/probe-dex.dex through DexClassLoader (copied to the code
# cache, read-only as Android 14 requires) and assets/probe-inmemory.dex through InMemoryDexClassLoader (API 26+).
# Each payload's run(Context, Activity) reads a table row (sdkgate/calibration/plan.py PAYLOADS).

.method private static asset(Landroid/content/Context;Ljava/lang/String;)[B
    .locals 5
    invoke-virtual {p0}, Landroid/content/Context;->getAssets()Landroid/content/res/AssetManager;
    move-result-object v0
    invoke-virtual {v0, p1}, Landroid/content/res/AssetManager;->open(Ljava/lang/String;)Ljava/io/InputStream;
    move-result-object v0
    new-instance v1, Ljava/io/ByteArrayOutputStream;
    invoke-direct {v1}, Ljava/io/ByteArrayOutputStream;-><init>()V
    const/16 v2, 0x2000
    new-array v2, v2, [B
    :loop
    invoke-virtual {v0, v2}, Ljava/io/InputStream;->read([B)I
    move-result v3
    if-ltz v3, :done
    const/4 v4, 0x0
    invoke-virtual {v1, v2, v4, v3}, Ljava/io/ByteArrayOutputStream;->write([BII)V
    goto :loop
    :done
    invoke-virtual {v0}, Ljava/io/InputStream;->close()V
    invoke-virtual {v1}, Ljava/io/ByteArrayOutputStream;->toByteArray()[B
    move-result-object v0
    return-object v0
.end method

.method private static runPayload(Ljava/lang/ClassLoader;Ljava/lang/String;Landroid/content/Context;)V
    .locals 6
    invoke-virtual {p0, p1}, Ljava/lang/ClassLoader;->loadClass(Ljava/lang/String;)Ljava/lang/Class;
    move-result-object v0
    const-string v1, "run"
    const/4 v2, 0x2
    new-array v2, v2, [Ljava/lang/Class;
    const-class v3, Landroid/content/Context;
    const/4 v4, 0x0
    aput-object v3, v2, v4
    const-class v3, Landroid/app/Activity;
    const/4 v4, 0x1
    aput-object v3, v2, v4
    invoke-virtual {v0, v1, v2}, Ljava/lang/Class;->getMethod(Ljava/lang/String;[Ljava/lang/Class;)Ljava/lang/reflect/Method;
    move-result-object v0
    const/4 v2, 0x2
    new-array v2, v2, [Ljava/lang/Object;
    const/4 v4, 0x0
    aput-object p2, v2, v4
    const/4 v5, 0x0
    invoke-virtual {v0, v5, v2}, Ljava/lang/reflect/Method;->invoke(Ljava/lang/Object;[Ljava/lang/Object;)Ljava/lang/Object;
    return-void
.end method

.method private static dex(Landroid/content/Context;)V
    .locals 6
    const-string v0, "probe-dex.dex"
    invoke-static {p0, v0}, Lcom/sdkgate/probe/Loaders;->asset(Landroid/content/Context;Ljava/lang/String;)[B
    move-result-object v1
    invoke-virtual {p0}, Landroid/content/Context;->getCodeCacheDir()Ljava/io/File;
    move-result-object v2
    new-instance v3, Ljava/io/File;
    invoke-direct {v3, v2, v0}, Ljava/io/File;-><init>(Ljava/io/File;Ljava/lang/String;)V
    invoke-virtual {v3}, Ljava/io/File;->delete()Z
    new-instance v4, Ljava/io/FileOutputStream;
    invoke-direct {v4, v3}, Ljava/io/FileOutputStream;-><init>(Ljava/io/File;)V
    invoke-virtual {v4, v1}, Ljava/io/FileOutputStream;->write([B)V
    invoke-virtual {v4}, Ljava/io/FileOutputStream;->close()V
    invoke-virtual {v3}, Ljava/io/File;->setReadOnly()Z
    new-instance v4, Ldalvik/system/DexClassLoader;
    invoke-virtual {v3}, Ljava/io/File;->getPath()Ljava/lang/String;
    move-result-object v3
    invoke-virtual {v2}, Ljava/io/File;->getPath()Ljava/lang/String;
    move-result-object v2
    const/4 v1, 0x0
    invoke-virtual {p0}, Landroid/content/Context;->getClassLoader()Ljava/lang/ClassLoader;
    move-result-object v5
    invoke-direct {v4, v3, v2, v1, v5}, Ldalvik/system/DexClassLoader;-><init>(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;Ljava/lang/ClassLoader;)V
    const-string v0, "com.sdkgate.probe.loaded.DexPayload"
    invoke-static {v4, v0, p0}, Lcom/sdkgate/probe/Loaders;->runPayload(Ljava/lang/ClassLoader;Ljava/lang/String;Landroid/content/Context;)V
    return-void
.end method

.method private static inMemory(Landroid/content/Context;)V
    .locals 4
    const-string v0, "probe-inmemory.dex"
    invoke-static {p0, v0}, Lcom/sdkgate/probe/Loaders;->asset(Landroid/content/Context;Ljava/lang/String;)[B
    move-result-object v1
    invoke-static {v1}, Ljava/nio/ByteBuffer;->wrap([B)Ljava/nio/ByteBuffer;
    move-result-object v1
    new-instance v2, Ldalvik/system/InMemoryDexClassLoader;
    invoke-virtual {p0}, Landroid/content/Context;->getClassLoader()Ljava/lang/ClassLoader;
    move-result-object v3
    invoke-direct {v2, v1, v3}, Ldalvik/system/InMemoryDexClassLoader;-><init>(Ljava/nio/ByteBuffer;Ljava/lang/ClassLoader;)V
    const-string v0, "com.sdkgate.probe.loaded.MemPayload"
    invoke-static {v2, v0, p0}, Lcom/sdkgate/probe/Loaders;->runPayload(Ljava/lang/ClassLoader;Ljava/lang/String;Landroid/content/Context;)V
    return-void
.end method

.method public static run(Landroid/content/Context;)V
    .locals 2
    const-string v0, "loaded.dex"
    :try_start_0
    invoke-static {p0}, Lcom/sdkgate/probe/Loaders;->dex(Landroid/content/Context;)V
    :try_end_0
    .catchall {:try_start_0 .. :try_end_0} :catch_0
    const/4 v1, 0x0
    invoke-static {v0, v1}, Lcom/sdkgate/probe/Ledger;->record(Ljava/lang/String;Ljava/lang/Throwable;)V
    goto :memory
    :catch_0
    move-exception v1
    invoke-static {v0, v1}, Lcom/sdkgate/probe/Ledger;->record(Ljava/lang/String;Ljava/lang/Throwable;)V
    :memory
    const-string v0, "loaded.inmemory"
    :try_start_1
    invoke-static {p0}, Lcom/sdkgate/probe/Loaders;->inMemory(Landroid/content/Context;)V
    :try_end_1
    .catchall {:try_start_1 .. :try_end_1} :catch_1
    const/4 v1, 0x0
    invoke-static {v0, v1}, Lcom/sdkgate/probe/Ledger;->record(Ljava/lang/String;Ljava/lang/Throwable;)V
    return-void
    :catch_1
    move-exception v1
    invoke-static {v0, v1}, Lcom/sdkgate/probe/Ledger;->record(Ljava/lang/String;Ljava/lang/Throwable;)V
    return-void
.end method
