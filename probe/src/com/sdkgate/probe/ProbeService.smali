.class public final Lcom/sdkgate/probe/ProbeService;
.super Landroid/app/Service;

# Runs in the :probe process (android:process=":probe"): the `@probe` calls of the schedule.

.method public constructor <init>()V
    .locals 0
    invoke-direct {p0}, Landroid/app/Service;-><init>()V
    return-void
.end method

.method public onCreate()V
    .locals 3
    invoke-super {p0}, Landroid/app/Service;->onCreate()V
    new-instance v0, Lcom/sdkgate/probe/Schedule;
    const/4 v1, 0x0
    const/4 v2, 0x1
    invoke-direct {v0, p0, v1, v2}, Lcom/sdkgate/probe/Schedule;-><init>(Landroid/content/Context;Landroid/app/Activity;Z)V
    invoke-virtual {v0}, Lcom/sdkgate/probe/Schedule;->start()V
    return-void
.end method

.method public onBind(Landroid/content/Intent;)Landroid/os/IBinder;
    .locals 1
    const/4 v0, 0x0
    return-object v0
.end method

.method public onStartCommand(Landroid/content/Intent;II)I
    .locals 1
    const/4 v0, 0x2
    return v0
.end method
