.class public final Lcom/sdkgate/probe/Schedule;
.super Ljava/lang/Object;
.implements Ljava/lang/Runnable;

# The fixed schedule: the calls of this process (Calls.ids(); `@probe` ones in the :probe process) one after
# the other on the main looper, INTERVAL ms apart, each recorded in the ledger (logcat tag sdkgate-probe); then,
# in the main process, the loaded-code payloads and the sockets.

.field private static ranMain:Z
.field private final ctx:Landroid/content/Context;
.field private final act:Landroid/app/Activity;
.field private final probe:Z
.field private final ids:[Ljava/lang/String;
.field private final handler:Landroid/os/Handler;
.field private index:I

.method public constructor <init>(Landroid/content/Context;Landroid/app/Activity;Z)V
    .locals 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    iput-object p1, p0, Lcom/sdkgate/probe/Schedule;->ctx:Landroid/content/Context;
    iput-object p2, p0, Lcom/sdkgate/probe/Schedule;->act:Landroid/app/Activity;
    iput-boolean p3, p0, Lcom/sdkgate/probe/Schedule;->probe:Z
    invoke-static {}, Lcom/sdkgate/probe/rows/Calls;->ids()[Ljava/lang/String;
    move-result-object v0
    iput-object v0, p0, Lcom/sdkgate/probe/Schedule;->ids:[Ljava/lang/String;
    new-instance v0, Landroid/os/Handler;
    invoke-static {}, Landroid/os/Looper;->getMainLooper()Landroid/os/Looper;
    move-result-object p1
    invoke-direct {v0, p1}, Landroid/os/Handler;-><init>(Landroid/os/Looper;)V
    iput-object v0, p0, Lcom/sdkgate/probe/Schedule;->handler:Landroid/os/Handler;
    return-void
.end method

.method public start()V
    .locals 3
    iget-boolean v0, p0, Lcom/sdkgate/probe/Schedule;->probe:Z
    if-nez v0, :go
    sget-boolean v0, Lcom/sdkgate/probe/Schedule;->ranMain:Z
    if-eqz v0, :first
    return-void
    :first
    const/4 v0, 0x1
    sput-boolean v0, Lcom/sdkgate/probe/Schedule;->ranMain:Z
    :go
    const-string v0, "schedule.start"
    const/4 v1, 0x0
    invoke-static {v0, v1}, Lcom/sdkgate/probe/Ledger;->record(Ljava/lang/String;Ljava/lang/Throwable;)V
    iget-object v0, p0, Lcom/sdkgate/probe/Schedule;->handler:Landroid/os/Handler;
    const-wide/16 v1, 0x1f4
    invoke-virtual {v0, p0, v1, v2}, Landroid/os/Handler;->postDelayed(Ljava/lang/Runnable;J)Z
    return-void
.end method

.method public run()V
    .locals 8
    :loop
    iget v0, p0, Lcom/sdkgate/probe/Schedule;->index:I
    iget-object v1, p0, Lcom/sdkgate/probe/Schedule;->ids:[Ljava/lang/String;
    array-length v2, v1
    if-ge v0, v2, :finished
    aget-object v3, v1, v0
    add-int/lit8 v4, v0, 0x1
    iput v4, p0, Lcom/sdkgate/probe/Schedule;->index:I
    const-string v4, "@probe"
    invoke-virtual {v3, v4}, Ljava/lang/String;->endsWith(Ljava/lang/String;)Z
    move-result v4
    iget-boolean v5, p0, Lcom/sdkgate/probe/Schedule;->probe:Z
    if-ne v4, v5, :loop
    iget-object v4, p0, Lcom/sdkgate/probe/Schedule;->ctx:Landroid/content/Context;
    iget-object v5, p0, Lcom/sdkgate/probe/Schedule;->act:Landroid/app/Activity;
    :try_start_0
    invoke-static {v0, v4, v5}, Lcom/sdkgate/probe/rows/Calls;->run(ILandroid/content/Context;Landroid/app/Activity;)V
    :try_end_0
    .catchall {:try_start_0 .. :try_end_0} :catch_0
    const/4 v4, 0x0
    invoke-static {v3, v4}, Lcom/sdkgate/probe/Ledger;->record(Ljava/lang/String;Ljava/lang/Throwable;)V
    goto :next
    :catch_0
    move-exception v4
    invoke-static {v3, v4}, Lcom/sdkgate/probe/Ledger;->record(Ljava/lang/String;Ljava/lang/Throwable;)V
    :next
    iget-object v4, p0, Lcom/sdkgate/probe/Schedule;->handler:Landroid/os/Handler;
    const-wide/16 v6, 0x14
    invoke-virtual {v4, p0, v6, v7}, Landroid/os/Handler;->postDelayed(Ljava/lang/Runnable;J)Z
    return-void
    :finished
    invoke-direct {p0}, Lcom/sdkgate/probe/Schedule;->finish()V
    return-void
.end method

.method private finish()V
    .locals 3
    iget-boolean v0, p0, Lcom/sdkgate/probe/Schedule;->probe:Z
    if-eqz v0, :main
    const-string v0, "schedule.done@probe"
    const/4 v1, 0x0
    invoke-static {v0, v1}, Lcom/sdkgate/probe/Ledger;->record(Ljava/lang/String;Ljava/lang/Throwable;)V
    return-void
    :main
    iget-object v0, p0, Lcom/sdkgate/probe/Schedule;->ctx:Landroid/content/Context;
    invoke-static {v0}, Lcom/sdkgate/probe/Loaders;->run(Landroid/content/Context;)V
    invoke-static {v0}, Lcom/sdkgate/probe/Sockets;->start(Landroid/content/Context;)V
    const-string v0, "schedule.done"
    const/4 v1, 0x0
    invoke-static {v0, v1}, Lcom/sdkgate/probe/Ledger;->record(Ljava/lang/String;Ljava/lang/Throwable;)V
    return-void
.end method
