.class public final Lcom/sdkgate/probe/Sockets;
.super Ljava/lang/Object;
.implements Ljava/lang/Runnable;

# Sockets to the host (the system proxy's address, else the emulator's 10.0.2.2:8080), on their own thread:
# HTTP through the system proxy (probe.sdkgate.invalid), a plain TCP connection, a UDP datagram and a DNS query
# (UDP port 53) for dns.probe.sdkgate.invalid. The agent must report each socket; the proxy, the HTTP request.

.field private final ctx:Landroid/content/Context;

.method private constructor <init>(Landroid/content/Context;)V
    .locals 0
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    iput-object p1, p0, Lcom/sdkgate/probe/Sockets;->ctx:Landroid/content/Context;
    return-void
.end method

.method public static start(Landroid/content/Context;)V
    .locals 3
    new-instance v0, Ljava/lang/Thread;
    new-instance v1, Lcom/sdkgate/probe/Sockets;
    invoke-direct {v1, p0}, Lcom/sdkgate/probe/Sockets;-><init>(Landroid/content/Context;)V
    const-string v2, "sdkgate-probe-net"
    invoke-direct {v0, v1, v2}, Ljava/lang/Thread;-><init>(Ljava/lang/Runnable;Ljava/lang/String;)V
    invoke-virtual {v0}, Ljava/lang/Thread;->start()V
    return-void
.end method

.method private static http()V
    .locals 2
    new-instance v0, Ljava/net/URL;
    const-string v1, "http://probe.sdkgate.invalid/calibration?from=sdkgate-probe"
    invoke-direct {v0, v1}, Ljava/net/URL;-><init>(Ljava/lang/String;)V
    invoke-virtual {v0}, Ljava/net/URL;->openConnection()Ljava/net/URLConnection;
    move-result-object v0
    check-cast v0, Ljava/net/HttpURLConnection;
    const/16 v1, 0x1388
    invoke-virtual {v0, v1}, Ljava/net/HttpURLConnection;->setConnectTimeout(I)V
    invoke-virtual {v0, v1}, Ljava/net/HttpURLConnection;->setReadTimeout(I)V
    invoke-virtual {v0}, Ljava/net/HttpURLConnection;->getResponseCode()I
    invoke-virtual {v0}, Ljava/net/HttpURLConnection;->disconnect()V
    return-void
.end method

.method private static tcp(Ljava/lang/String;I)V
    .locals 4
    new-instance v0, Ljava/net/Socket;
    invoke-direct {v0}, Ljava/net/Socket;-><init>()V
    new-instance v1, Ljava/net/InetSocketAddress;
    invoke-direct {v1, p0, p1}, Ljava/net/InetSocketAddress;-><init>(Ljava/lang/String;I)V
    const/16 v2, 0xbb8
    :try_start_0
    invoke-virtual {v0, v1, v2}, Ljava/net/Socket;->connect(Ljava/net/SocketAddress;I)V
    invoke-virtual {v0}, Ljava/net/Socket;->getOutputStream()Ljava/io/OutputStream;
    move-result-object v1
    const-string v3, "SDKGATE-PROBE tcp\r\n"
    invoke-virtual {v3}, Ljava/lang/String;->getBytes()[B
    move-result-object v3
    invoke-virtual {v1, v3}, Ljava/io/OutputStream;->write([B)V
    :try_end_0
    .catchall {:try_start_0 .. :try_end_0} :catch_0
    invoke-virtual {v0}, Ljava/net/Socket;->close()V
    return-void
    :catch_0
    move-exception v1
    invoke-virtual {v0}, Ljava/net/Socket;->close()V
    throw v1
.end method

.method private static send(Ljava/lang/String;I[B)V
    .locals 4
    new-instance v0, Ljava/net/DatagramSocket;
    invoke-direct {v0}, Ljava/net/DatagramSocket;-><init>()V
    invoke-static {p0}, Ljava/net/InetAddress;->getByName(Ljava/lang/String;)Ljava/net/InetAddress;
    move-result-object v1
    new-instance v2, Ljava/net/DatagramPacket;
    array-length v3, p2
    invoke-direct {v2, p2, v3, v1, p1}, Ljava/net/DatagramPacket;-><init>([BILjava/net/InetAddress;I)V
    :try_start_0
    invoke-virtual {v0, v2}, Ljava/net/DatagramSocket;->send(Ljava/net/DatagramPacket;)V
    :try_end_0
    .catchall {:try_start_0 .. :try_end_0} :catch_0
    invoke-virtual {v0}, Ljava/net/DatagramSocket;->close()V
    return-void
    :catch_0
    move-exception v1
    invoke-virtual {v0}, Ljava/net/DatagramSocket;->close()V
    throw v1
.end method

.method private static udp(Ljava/lang/String;I)V
    .locals 1
    const-string v0, "SDKGATE-PROBE udp"
    invoke-virtual {v0}, Ljava/lang/String;->getBytes()[B
    move-result-object v0
    invoke-static {p0, p1, v0}, Lcom/sdkgate/probe/Sockets;->send(Ljava/lang/String;I[B)V
    return-void
.end method

.method private static dns(Ljava/lang/String;)V
    .locals 2
    const/16 v0, 0x2b
    new-array v0, v0, [B
    fill-array-data v0, :query
    const/16 v1, 0x35
    invoke-static {p0, v1, v0}, Lcom/sdkgate/probe/Sockets;->send(Ljava/lang/String;I[B)V
    return-void
    # a query (id 0x5347, recursion desired) for dns.probe.sdkgate.invalid, type A, class IN
    :query
    .array-data 1
        0x53t 0x47t 0x1t 0x0t 0x0t 0x1t 0x0t 0x0t 0x0t 0x0t 0x0t 0x0t 0x3t 0x64t 0x6et 0x73t 0x5t 0x70t
        0x72t 0x6ft 0x62t 0x65t 0x7t 0x73t 0x64t 0x6bt 0x67t 0x61t 0x74t 0x65t 0x7t 0x69t 0x6et 0x76t
        0x61t 0x6ct 0x69t 0x64t 0x0t 0x0t 0x1t 0x0t 0x1t
    .end array-data
.end method

.method public run()V
    .locals 6
    const-string v0, "10.0.2.2"
    const/16 v1, 0x1f90
    :try_start_0
    iget-object v2, p0, Lcom/sdkgate/probe/Sockets;->ctx:Landroid/content/Context;
    invoke-virtual {v2}, Landroid/content/Context;->getContentResolver()Landroid/content/ContentResolver;
    move-result-object v2
    const-string v3, "http_proxy"
    invoke-static {v2, v3}, Landroid/provider/Settings$Global;->getString(Landroid/content/ContentResolver;Ljava/lang/String;)Ljava/lang/String;
    move-result-object v2
    if-eqz v2, :parsed
    const/16 v3, 0x3a
    invoke-virtual {v2, v3}, Ljava/lang/String;->lastIndexOf(I)I
    move-result v3
    if-lez v3, :parsed
    add-int/lit8 v4, v3, 0x1
    invoke-virtual {v2, v4}, Ljava/lang/String;->substring(I)Ljava/lang/String;
    move-result-object v4
    invoke-static {v4}, Ljava/lang/Integer;->parseInt(Ljava/lang/String;)I
    move-result v4
    if-lez v4, :parsed
    const/4 v5, 0x0
    invoke-virtual {v2, v5, v3}, Ljava/lang/String;->substring(II)Ljava/lang/String;
    move-result-object v0
    move v1, v4
    :try_end_0
    .catch Ljava/lang/RuntimeException; {:try_start_0 .. :try_end_0} :bad_proxy
    :parsed
    const-string v2, "socket.http_proxy"
    :try_start_1
    invoke-static {}, Lcom/sdkgate/probe/Sockets;->http()V
    :try_end_1
    .catchall {:try_start_1 .. :try_end_1} :catch_1
    const/4 v3, 0x0
    invoke-static {v2, v3}, Lcom/sdkgate/probe/Ledger;->record(Ljava/lang/String;Ljava/lang/Throwable;)V
    goto :tcp
    :catch_1
    move-exception v3
    invoke-static {v2, v3}, Lcom/sdkgate/probe/Ledger;->record(Ljava/lang/String;Ljava/lang/Throwable;)V
    :tcp
    const-string v2, "socket.tcp"
    :try_start_2
    invoke-static {v0, v1}, Lcom/sdkgate/probe/Sockets;->tcp(Ljava/lang/String;I)V
    :try_end_2
    .catchall {:try_start_2 .. :try_end_2} :catch_2
    const/4 v3, 0x0
    invoke-static {v2, v3}, Lcom/sdkgate/probe/Ledger;->record(Ljava/lang/String;Ljava/lang/Throwable;)V
    goto :udp
    :catch_2
    move-exception v3
    invoke-static {v2, v3}, Lcom/sdkgate/probe/Ledger;->record(Ljava/lang/String;Ljava/lang/Throwable;)V
    :udp
    const-string v2, "socket.udp"
    :try_start_3
    invoke-static {v0, v1}, Lcom/sdkgate/probe/Sockets;->udp(Ljava/lang/String;I)V
    :try_end_3
    .catchall {:try_start_3 .. :try_end_3} :catch_3
    const/4 v3, 0x0
    invoke-static {v2, v3}, Lcom/sdkgate/probe/Ledger;->record(Ljava/lang/String;Ljava/lang/Throwable;)V
    goto :dns
    :catch_3
    move-exception v3
    invoke-static {v2, v3}, Lcom/sdkgate/probe/Ledger;->record(Ljava/lang/String;Ljava/lang/Throwable;)V
    :dns
    const-string v2, "socket.dns"
    :try_start_4
    invoke-static {v0}, Lcom/sdkgate/probe/Sockets;->dns(Ljava/lang/String;)V
    :try_end_4
    .catchall {:try_start_4 .. :try_end_4} :catch_4
    const/4 v3, 0x0
    invoke-static {v2, v3}, Lcom/sdkgate/probe/Ledger;->record(Ljava/lang/String;Ljava/lang/Throwable;)V
    return-void
    :catch_4
    move-exception v3
    invoke-static {v2, v3}, Lcom/sdkgate/probe/Ledger;->record(Ljava/lang/String;Ljava/lang/Throwable;)V
    return-void
    :bad_proxy
    const-string v0, "10.0.2.2"
    const/16 v1, 0x1f90
    goto :parsed
.end method
