.class public final Lcom/sdkgate/probe/NoReceiver;
.super Ljava/lang/RuntimeException;

# The device has no instance to call the API on (no Bluetooth adapter, no such system service).

.method public constructor <init>(Ljava/lang/String;)V
    .locals 0
    invoke-direct {p0, p1}, Ljava/lang/RuntimeException;-><init>(Ljava/lang/String;)V
    return-void
.end method
