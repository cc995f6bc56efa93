.class public Lcom/sdkgate/probe/MainActivity;
.super Landroid/app/Activity;

# The probe's one screen: its "consent dialog" (Agree = btn_agree, the control the calibration manifest names;
# Decline; "Agree for me" = btn_self_click, whose handler calls performClick() on Agree: an app's own click,
# which the agent must report as `programmatic`). onCreate starts the schedule of this process's calls and the
# :probe process.

.field public status:Landroid/widget/TextView;
.field public agree:Landroid/widget/Button;

.method public constructor <init>()V
    .locals 0
    invoke-direct {p0}, Landroid/app/Activity;-><init>()V
    return-void
.end method

.method private button(Landroid/widget/LinearLayout;Ljava/lang/String;Ljava/lang/String;I)Landroid/widget/Button;
    .locals 4
    new-instance v0, Landroid/widget/Button;
    invoke-direct {v0, p0}, Landroid/widget/Button;-><init>(Landroid/content/Context;)V
    invoke-virtual {v0, p3}, Landroid/widget/Button;->setText(Ljava/lang/CharSequence;)V
    invoke-virtual {p0}, Lcom/sdkgate/probe/MainActivity;->getResources()Landroid/content/res/Resources;
    move-result-object v1
    const-string v2, "id"
    const-string v3, "com.sdkgate.probe"
    invoke-virtual {v1, p2, v2, v3}, Landroid/content/res/Resources;->getIdentifier(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;)I
    move-result v1
    invoke-virtual {v0, v1}, Landroid/widget/Button;->setId(I)V
    new-instance v1, Lcom/sdkgate/probe/MainActivity$Click;
    invoke-direct {v1, p0, p4}, Lcom/sdkgate/probe/MainActivity$Click;-><init>(Lcom/sdkgate/probe/MainActivity;I)V
    invoke-virtual {v0, v1}, Landroid/widget/Button;->setOnClickListener(Landroid/view/View$OnClickListener;)V
    invoke-virtual {p1, v0}, Landroid/widget/LinearLayout;->addView(Landroid/view/View;)V
    return-object v0
.end method

.method protected onCreate(Landroid/os/Bundle;)V
    .locals 5
    invoke-super {p0, p1}, Landroid/app/Activity;->onCreate(Landroid/os/Bundle;)V
    new-instance v0, Landroid/widget/LinearLayout;
    invoke-direct {v0, p0}, Landroid/widget/LinearLayout;-><init>(Landroid/content/Context;)V
    const/4 v1, 0x1
    invoke-virtual {v0, v1}, Landroid/widget/LinearLayout;->setOrientation(I)V
    new-instance v1, Landroid/widget/TextView;
    invoke-direct {v1, p0}, Landroid/widget/TextView;-><init>(Landroid/content/Context;)V
    const-string v2, "sdkgate calibration probe"
    invoke-virtual {v1, v2}, Landroid/widget/TextView;->setText(Ljava/lang/CharSequence;)V
    invoke-virtual {v0, v1}, Landroid/widget/LinearLayout;->addView(Landroid/view/View;)V
    iput-object v1, p0, Lcom/sdkgate/probe/MainActivity;->status:Landroid/widget/TextView;
    const-string v2, "btn_agree"
    const-string v3, "Agree"
    const/4 v4, 0x0
    invoke-direct {p0, v0, v2, v3, v4}, Lcom/sdkgate/probe/MainActivity;->button(Landroid/widget/LinearLayout;Ljava/lang/String;Ljava/lang/String;I)Landroid/widget/Button;
    move-result-object v2
    iput-object v2, p0, Lcom/sdkgate/probe/MainActivity;->agree:Landroid/widget/Button;
    const-string v2, "btn_decline"
    const-string v3, "Decline"
    const/4 v4, 0x1
    invoke-direct {p0, v0, v2, v3, v4}, Lcom/sdkgate/probe/MainActivity;->button(Landroid/widget/LinearLayout;Ljava/lang/String;Ljava/lang/String;I)Landroid/widget/Button;
    const-string v2, "btn_self_click"
    const-string v3, "Agree for me"
    const/4 v4, 0x2
    invoke-direct {p0, v0, v2, v3, v4}, Lcom/sdkgate/probe/MainActivity;->button(Landroid/widget/LinearLayout;Ljava/lang/String;Ljava/lang/String;I)Landroid/widget/Button;
    invoke-virtual {p0, v0}, Lcom/sdkgate/probe/MainActivity;->setContentView(Landroid/view/View;)V
    new-instance v1, Lcom/sdkgate/probe/Schedule;
    const/4 v2, 0x0
    invoke-direct {v1, p0, p0, v2}, Lcom/sdkgate/probe/Schedule;-><init>(Landroid/content/Context;Landroid/app/Activity;Z)V
    invoke-virtual {v1}, Lcom/sdkgate/probe/Schedule;->start()V
    new-instance v1, Landroid/content/Intent;
    const-class v2, Lcom/sdkgate/probe/ProbeService;
    invoke-direct {v1, p0, v2}, Landroid/content/Intent;-><init>(Landroid/content/Context;Ljava/lang/Class;)V
    :try_start_0
    invoke-virtual {p0, v1}, Lcom/sdkgate/probe/MainActivity;->startService(Landroid/content/Intent;)Landroid/content/ComponentName;
    :try_end_0
    .catchall {:try_start_0 .. :try_end_0} :catch_0
    return-void
    :catch_0
    move-exception v1
    const-string v2, "process.probe.start"
    invoke-static {v2, v1}, Lcom/sdkgate/probe/Ledger;->record(Ljava/lang/String;Ljava/lang/Throwable;)V
    return-void
.end method

.method public clicked(I)V
    .locals 2
    if-nez p1, :not_agree
    iget-object v0, p0, Lcom/sdkgate/probe/MainActivity;->status:Landroid/widget/TextView;
    const-string v1, "consent: agreed"
    invoke-virtual {v0, v1}, Landroid/widget/TextView;->setText(Ljava/lang/CharSequence;)V
    return-void
    :not_agree
    const/4 v0, 0x1
    if-ne p1, v0, :self_click
    iget-object v0, p0, Lcom/sdkgate/probe/MainActivity;->status:Landroid/widget/TextView;
    const-string v1, "consent: declined"
    invoke-virtual {v0, v1}, Landroid/widget/TextView;->setText(Ljava/lang/CharSequence;)V
    return-void
    :self_click
    iget-object v0, p0, Lcom/sdkgate/probe/MainActivity;->agree:Landroid/widget/Button;
    invoke-virtual {v0}, Landroid/widget/Button;->performClick()Z
    return-void
.end method
