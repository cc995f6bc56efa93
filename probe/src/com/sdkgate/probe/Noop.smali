.class public final Lcom/sdkgate/probe/Noop;
.super Ljava/lang/Object;
.implements Landroid/content/ClipboardManager$OnPrimaryClipChangedListener;

# A listener that does nothing (the probe registers it so the call is made; a null one would crash later).

.method public constructor <init>()V
    .locals 0
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public onPrimaryClipChanged()V
    .locals 0
    return-void
.end method
