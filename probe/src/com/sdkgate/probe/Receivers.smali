.class public final Lcom/sdkgate/probe/Receivers;
.super Ljava/lang/Object;

# How the probe gets the object a sensitive API is called on (one method per receiver kind of
# sdkgate/calibration/plan.py RECEIVERS). None available on this device: NoReceiver (the ledger says
# no_receiver, the calibration matrix "not applicable" for that call).

.method private static nonNull(Ljava/lang/Object;Ljava/lang/String;)Ljava/lang/Object;
    .locals 1
    if-nez p0, :ok
    new-instance v0, Lcom/sdkgate/probe/NoReceiver;
    invoke-direct {v0, p1}, Lcom/sdkgate/probe/NoReceiver;-><init>(Ljava/lang/String;)V
    throw v0
    :ok
    return-object p0
.end method

.method private static service(Landroid/content/Context;Ljava/lang/String;)Ljava/lang/Object;
    .locals 1
    invoke-virtual {p0}, Landroid/content/Context;->getApplicationContext()Landroid/content/Context;
    move-result-object v0
    if-nez v0, :app
    move-object v0, p0
    :app
    invoke-virtual {v0, p1}, Landroid/content/Context;->getSystemService(Ljava/lang/String;)Ljava/lang/Object;
    move-result-object v0
    invoke-static {v0, p1}, Lcom/sdkgate/probe/Receivers;->nonNull(Ljava/lang/Object;Ljava/lang/String;)Ljava/lang/Object;
    move-result-object v0
    return-object v0
.end method

.method public static telephony(Landroid/content/Context;Landroid/app/Activity;)Ljava/lang/Object;
    .locals 1
    const-string v0, "phone"
    invoke-static {p0, v0}, Lcom/sdkgate/probe/Receivers;->service(Landroid/content/Context;Ljava/lang/String;)Ljava/lang/Object;
    move-result-object v0
    return-object v0
.end method

.method public static wifi(Landroid/content/Context;Landroid/app/Activity;)Ljava/lang/Object;
    .locals 1
    const-string v0, "wifi"
    invoke-static {p0, v0}, Lcom/sdkgate/probe/Receivers;->service(Landroid/content/Context;Ljava/lang/String;)Ljava/lang/Object;
    move-result-object v0
    return-object v0
.end method

.method public static clipboard(Landroid/content/Context;Landroid/app/Activity;)Ljava/lang/Object;
    .locals 1
    const-string v0, "clipboard"
    invoke-static {p0, v0}, Lcom/sdkgate/probe/Receivers;->service(Landroid/content/Context;Ljava/lang/String;)Ljava/lang/Object;
    move-result-object v0
    return-object v0
.end method

.method public static location(Landroid/content/Context;Landroid/app/Activity;)Ljava/lang/Object;
    .locals 1
    const-string v0, "location"
    invoke-static {p0, v0}, Lcom/sdkgate/probe/Receivers;->service(Landroid/content/Context;Ljava/lang/String;)Ljava/lang/Object;
    move-result-object v0
    return-object v0
.end method

.method public static activityManager(Landroid/content/Context;Landroid/app/Activity;)Ljava/lang/Object;
    .locals 1
    const-string v0, "activity"
    invoke-static {p0, v0}, Lcom/sdkgate/probe/Receivers;->service(Landroid/content/Context;Ljava/lang/String;)Ljava/lang/Object;
    move-result-object v0
    return-object v0
.end method

.method public static sensors(Landroid/content/Context;Landroid/app/Activity;)Ljava/lang/Object;
    .locals 1
    const-string v0, "sensor"
    invoke-static {p0, v0}, Lcom/sdkgate/probe/Receivers;->service(Landroid/content/Context;Ljava/lang/String;)Ljava/lang/Object;
    move-result-object v0
    return-object v0
.end method

.method public static cameraManager(Landroid/content/Context;Landroid/app/Activity;)Ljava/lang/Object;
    .locals 1
    const-string v0, "camera"
    invoke-static {p0, v0}, Lcom/sdkgate/probe/Receivers;->service(Landroid/content/Context;Ljava/lang/String;)Ljava/lang/Object;
    move-result-object v0
    return-object v0
.end method

.method public static wifiInfo(Landroid/content/Context;Landroid/app/Activity;)Ljava/lang/Object;
    .locals 2
    invoke-static {p0, p1}, Lcom/sdkgate/probe/Receivers;->wifi(Landroid/content/Context;Landroid/app/Activity;)Ljava/lang/Object;
    move-result-object v0
    check-cast v0, Landroid/net/wifi/WifiManager;
    invoke-virtual {v0}, Landroid/net/wifi/WifiManager;->getConnectionInfo()Landroid/net/wifi/WifiInfo;
    move-result-object v0
    const-string v1, "WifiInfo"
    invoke-static {v0, v1}, Lcom/sdkgate/probe/Receivers;->nonNull(Ljava/lang/Object;Ljava/lang/String;)Ljava/lang/Object;
    move-result-object v0
    return-object v0
.end method

.method public static bluetooth(Landroid/content/Context;Landroid/app/Activity;)Ljava/lang/Object;
    .locals 2
    invoke-static {}, Landroid/bluetooth/BluetoothAdapter;->getDefaultAdapter()Landroid/bluetooth/BluetoothAdapter;
    move-result-object v0
    const-string v1, "BluetoothAdapter"
    invoke-static {v0, v1}, Lcom/sdkgate/probe/Receivers;->nonNull(Ljava/lang/Object;Ljava/lang/String;)Ljava/lang/Object;
    move-result-object v0
    return-object v0
.end method

.method public static packageManager(Landroid/content/Context;Landroid/app/Activity;)Ljava/lang/Object;
    .locals 2
    invoke-virtual {p0}, Landroid/content/Context;->getPackageManager()Landroid/content/pm/PackageManager;
    move-result-object v0
    const-string v1, "PackageManager"
    invoke-static {v0, v1}, Lcom/sdkgate/probe/Receivers;->nonNull(Ljava/lang/Object;Ljava/lang/String;)Ljava/lang/Object;
    move-result-object v0
    return-object v0
.end method

.method public static resolver(Landroid/content/Context;Landroid/app/Activity;)Ljava/lang/Object;
    .locals 2
    invoke-virtual {p0}, Landroid/content/Context;->getContentResolver()Landroid/content/ContentResolver;
    move-result-object v0
    const-string v1, "ContentResolver"
    invoke-static {v0, v1}, Lcom/sdkgate/probe/Receivers;->nonNull(Ljava/lang/Object;Ljava/lang/String;)Ljava/lang/Object;
    move-result-object v0
    return-object v0
.end method

.method public static accounts(Landroid/content/Context;Landroid/app/Activity;)Ljava/lang/Object;
    .locals 2
    invoke-static {p0}, Landroid/accounts/AccountManager;->get(Landroid/content/Context;)Landroid/accounts/AccountManager;
    move-result-object v0
    const-string v1, "AccountManager"
    invoke-static {v0, v1}, Lcom/sdkgate/probe/Receivers;->nonNull(Ljava/lang/Object;Ljava/lang/String;)Ljava/lang/Object;
    move-result-object v0
    return-object v0
.end method

.method public static runtime(Landroid/content/Context;Landroid/app/Activity;)Ljava/lang/Object;
    .locals 2
    invoke-static {}, Ljava/lang/Runtime;->getRuntime()Ljava/lang/Runtime;
    move-result-object v0
    const-string v1, "Runtime"
    invoke-static {v0, v1}, Lcom/sdkgate/probe/Receivers;->nonNull(Ljava/lang/Object;Ljava/lang/String;)Ljava/lang/Object;
    move-result-object v0
    return-object v0
.end method

.method public static context(Landroid/content/Context;Landroid/app/Activity;)Ljava/lang/Object;
    .locals 2
    move-object v0, p0
    const-string v1, "Context"
    invoke-static {v0, v1}, Lcom/sdkgate/probe/Receivers;->nonNull(Ljava/lang/Object;Ljava/lang/String;)Ljava/lang/Object;
    move-result-object v0
    return-object v0
.end method

.method public static activity(Landroid/content/Context;Landroid/app/Activity;)Ljava/lang/Object;
    .locals 2
    move-object v0, p1
    const-string v1, "Activity"
    invoke-static {v0, v1}, Lcom/sdkgate/probe/Receivers;->nonNull(Ljava/lang/Object;Ljava/lang/String;)Ljava/lang/Object;
    move-result-object v0
    return-object v0
.end method

.method public static networkInterface(Landroid/content/Context;Landroid/app/Activity;)Ljava/lang/Object;
    .locals 2
    const-string v0, "lo"
    invoke-static {v0}, Ljava/net/NetworkInterface;->getByName(Ljava/lang/String;)Ljava/net/NetworkInterface;
    move-result-object v0
    const-string v1, "NetworkInterface lo"
    invoke-static {v0, v1}, Lcom/sdkgate/probe/Receivers;->nonNull(Ljava/lang/Object;Ljava/lang/String;)Ljava/lang/Object;
    move-result-object v0
    return-object v0
.end method

.method public static mediaRecorder(Landroid/content/Context;Landroid/app/Activity;)Ljava/lang/Object;
    .locals 2
    new-instance v0, Landroid/media/MediaRecorder;
    invoke-direct {v0}, Landroid/media/MediaRecorder;-><init>()V
    const-string v1, "MediaRecorder"
    invoke-static {v0, v1}, Lcom/sdkgate/probe/Receivers;->nonNull(Ljava/lang/Object;Ljava/lang/String;)Ljava/lang/Object;
    move-result-object v0
    return-object v0
.end method

.method public static audioRecord(Landroid/content/Context;Landroid/app/Activity;)Ljava/lang/Object;
    .locals 7
    :try_start_0
    new-instance v0, Landroid/media/AudioRecord;
    const/4 v1, 0x1
    const/16 v2, 0x1f40
    const/16 v3, 0x10
    const/4 v4, 0x2
    const/16 v5, 0x1000
    invoke-direct/range {v0 .. v5}, Landroid/media/AudioRecord;-><init>(IIIII)V
    :try_end_0
    .catch Ljava/lang/RuntimeException; {:try_start_0 .. :try_end_0} :catch_0
    return-object v0
    :catch_0
    move-exception v0
    new-instance v1, Lcom/sdkgate/probe/NoReceiver;
    const-string v2, "AudioRecord"
    invoke-direct {v1, v2}, Lcom/sdkgate/probe/NoReceiver;-><init>(Ljava/lang/String;)V
    throw v1
.end method

# a client of the contacts provider (present on every phone): the table's ContentProviderClient.query rows are
# called on it; the hook sees the call whatever the provider then answers for another authority's URI
.method public static providerClient(Landroid/content/Context;Landroid/app/Activity;)Ljava/lang/Object;
    .locals 2
    invoke-virtual {p0}, Landroid/content/Context;->getContentResolver()Landroid/content/ContentResolver;
    move-result-object v0
    const-string v1, "com.android.contacts"
    invoke-virtual {v0, v1}, Landroid/content/ContentResolver;->acquireUnstableContentProviderClient(Ljava/lang/String;)Landroid/content/ContentProviderClient;
    move-result-object v0
    const-string v1, "ContentProviderClient"
    invoke-static {v0, v1}, Lcom/sdkgate/probe/Receivers;->nonNull(Ljava/lang/Object;Ljava/lang/String;)Ljava/lang/Object;
    move-result-object v0
    return-object v0
.end method
