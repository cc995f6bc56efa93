.class final Lcom/sdkgate/probe/MainActivity$Click;
.super Ljava/lang/Object;
.implements Landroid/view/View$OnClickListener;

# The click listener of the dialog's buttons (0 Agree, 1 Decline, 2 Agree for me).

.field final activity:Lcom/sdkgate/probe/MainActivity;
.field final which:I

.method constructor <init>(Lcom/sdkgate/probe/MainActivity;I)V
    .locals 0
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    iput-object p1, p0, Lcom/sdkgate/probe/MainActivity$Click;->activity:Lcom/sdkgate/probe/MainActivity;
    iput p2, p0, Lcom/sdkgate/probe/MainActivity$Click;->which:I
    return-void
.end method

.method public onClick(Landroid/view/View;)V
    .locals 2
    iget-object v0, p0, Lcom/sdkgate/probe/MainActivity$Click;->activity:Lcom/sdkgate/probe/MainActivity;
    iget v1, p0, Lcom/sdkgate/probe/MainActivity$Click;->which:I
    invoke-virtual {v0, v1}, Lcom/sdkgate/probe/MainActivity;->clicked(I)V
    return-void
.end method
