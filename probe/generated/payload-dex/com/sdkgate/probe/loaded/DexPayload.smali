.class public final Lcom/sdkgate/probe/loaded/DexPayload;
.super Ljava/lang/Object;
# GENERATED: code the probe loads at run time (loaded:dex) reads settings.secure.getString

.method public static run(Landroid/content/Context;Landroid/app/Activity;)V
    .locals 4
    invoke-virtual {p0}, Landroid/content/Context;->getContentResolver()Landroid/content/ContentResolver;
    move-result-object v0
    const-string v1, "android_id"
    invoke-static/range {v0 .. v1}, Landroid/provider/Settings$Secure;->getString(Landroid/content/ContentResolver;Ljava/lang/String;)Ljava/lang/String;
    return-void
.end method
