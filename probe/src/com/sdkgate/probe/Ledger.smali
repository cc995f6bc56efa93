.class public final Lcom/sdkgate/probe/Ledger;
.super Ljava/lang/Object;

# What the probe did, one logcat line per call (tag sdkgate-probe): "<call id> <outcome> [<throwable class>]".
# Outcomes: called (the call ran; the API may have thrown, the hook saw it), absent (the device has no such
# method or class: NoSuchMethodError / NoClassDefFoundError / NoSuchFieldError raised at the probe's own call
# site, or reflection found nothing), no_receiver (the device has no such service or hardware), probe_error
# (any other linkage error at the probe's call site: the probe's fault, never counted as absent).

.method private static atProbe(Ljava/lang/Throwable;)Z
    .locals 3
    invoke-virtual {p0}, Ljava/lang/Throwable;->getStackTrace()[Ljava/lang/StackTraceElement;
    move-result-object v0
    array-length v1, v0
    if-nez v1, :some
    const/4 v0, 0x0
    return v0
    :some
    const/4 v1, 0x0
    aget-object v0, v0, v1
    invoke-virtual {v0}, Ljava/lang/StackTraceElement;->getClassName()Ljava/lang/String;
    move-result-object v0
    const-string v2, "com.sdkgate.probe."
    invoke-virtual {v0, v2}, Ljava/lang/String;->startsWith(Ljava/lang/String;)Z
    move-result v0
    return v0
.end method

.method private static outcome(Ljava/lang/Throwable;)Ljava/lang/String;
    .locals 2
    if-nez p0, :threw
    const-string v0, "called"
    return-object v0
    :threw
    instance-of v0, p0, Lcom/sdkgate/probe/NoReceiver;
    if-eqz v0, :reflective
    const-string v0, "no_receiver"
    return-object v0
    :reflective
    instance-of v0, p0, Ljava/lang/ClassNotFoundException;
    if-nez v0, :absent
    instance-of v0, p0, Ljava/lang/NoSuchMethodException;
    if-nez v0, :absent
    instance-of v0, p0, Ljava/lang/LinkageError;
    if-eqz v0, :called
    invoke-static {p0}, Lcom/sdkgate/probe/Ledger;->atProbe(Ljava/lang/Throwable;)Z
    move-result v0
    if-eqz v0, :called
    instance-of v0, p0, Ljava/lang/NoSuchMethodError;
    if-nez v0, :absent
    instance-of v0, p0, Ljava/lang/NoClassDefFoundError;
    if-nez v0, :absent
    instance-of v0, p0, Ljava/lang/NoSuchFieldError;
    if-nez v0, :absent
    const-string v0, "probe_error"
    return-object v0
    :absent
    const-string v0, "absent"
    return-object v0
    :called
    const-string v0, "called"
    return-object v0
.end method

.method public static record(Ljava/lang/String;Ljava/lang/Throwable;)V
    .locals 3
    new-instance v0, Ljava/lang/StringBuilder;
    invoke-direct {v0, p0}, Ljava/lang/StringBuilder;-><init>(Ljava/lang/String;)V
    const-string v1, " "
    invoke-virtual {v0, v1}, Ljava/lang/StringBuilder;->append(Ljava/lang/String;)Ljava/lang/StringBuilder;
    invoke-static {p1}, Lcom/sdkgate/probe/Ledger;->outcome(Ljava/lang/Throwable;)Ljava/lang/String;
    move-result-object v2
    invoke-virtual {v0, v2}, Ljava/lang/StringBuilder;->append(Ljava/lang/String;)Ljava/lang/StringBuilder;
    if-eqz p1, :log
    invoke-virtual {v0, v1}, Ljava/lang/StringBuilder;->append(Ljava/lang/String;)Ljava/lang/StringBuilder;
    invoke-virtual {p1}, Ljava/lang/Object;->getClass()Ljava/lang/Class;
    move-result-object v2
    invoke-virtual {v2}, Ljava/lang/Class;->getName()Ljava/lang/String;
    move-result-object v2
    invoke-virtual {v0, v2}, Ljava/lang/StringBuilder;->append(Ljava/lang/String;)Ljava/lang/StringBuilder;
    :log
    const-string v1, "sdkgate-probe"
    invoke-virtual {v0}, Ljava/lang/StringBuilder;->toString()Ljava/lang/String;
    move-result-object v2
    invoke-static {v1, v2}, Landroid/util/Log;->i(Ljava/lang/String;Ljava/lang/String;)I
    return-void
.end method
