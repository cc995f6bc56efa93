/* (built with -fno-optimize-sibling-calls: every libc call returns here, as the caller) */
/* An SDK's native library on the simulated device: each simulated native read is a real libc call
 * made from here, so the agent's real Interceptor hooks see it with this library as the caller.
 * The simulator loads a copy under the SDK's own library name (libjcore.so, libsgmain.so ...). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdint.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <time.h>

extern char **environ;
typedef struct prop_info prop_info;
int __system_property_get(const char *name, char *value);
const prop_info *__system_property_find(const char *name);
void __system_property_read_callback(const prop_info *pi,
        void (*cb)(void *, const char *, const char *, uint32_t), void *cookie);

static int finish(int fd, char *out, int n) {
    int r = (int) read(fd, out, n - 1);
    close(fd);
    if (r < 0) return -1;
    out[r] = 0;
    return r;
}

int __open_2(const char *path, int flags);              /* FORTIFY_SOURCE entry points (bionic and glibc) */
int __openat_2(int dirfd, const char *path, int flags);

/* call: open | openat | fopen | access | stat | readlink | __open_2 | __openat_2 | faccessat | lstat | fstatat */
int sg_file(const char *call, const char *path, char *out, int n) {
    out[0] = 0;
    if (!strcmp(call, "__open_2")) { int fd = __open_2(path, O_RDONLY); return fd < 0 ? -1 : finish(fd, out, n); }
    if (!strcmp(call, "__openat_2")) { int fd = __openat_2(AT_FDCWD, path, O_RDONLY); return fd < 0 ? -1 : finish(fd, out, n); }
    if (!strcmp(call, "faccessat")) return faccessat(AT_FDCWD, path, R_OK, 0);
    if (!strcmp(call, "lstat")) { struct stat st; return lstat(path, &st); }
    if (!strcmp(call, "fstatat")) { struct stat st; return fstatat(AT_FDCWD, path, &st, 0); }
    if (!strcmp(call, "open")) { int fd = open(path, O_RDONLY); return fd < 0 ? -1 : finish(fd, out, n); }
    if (!strcmp(call, "openat")) { int fd = openat(AT_FDCWD, path, O_RDONLY); return fd < 0 ? -1 : finish(fd, out, n); }
    if (!strcmp(call, "fopen")) {
        FILE *f = fopen(path, "r");
        if (!f) return -1;
        size_t r = fread(out, 1, n - 1, f);
        fclose(f);
        out[r] = 0;
        return (int) r;
    }
    if (!strcmp(call, "access")) return access(path, R_OK);
    if (!strcmp(call, "stat")) { struct stat st; return stat(path, &st); }
    if (!strcmp(call, "readlink")) { ssize_t r = readlink(path, out, n - 1); if (r >= 0) out[r] = 0; return (int) r; }
    return -2;
}

static void on_prop(void *cookie, const char *name, const char *value, uint32_t serial) {
    (void) name; (void) serial;
    strcpy((char *) cookie, value);
}

/* call: __system_property_get | __system_property_find (+ read_callback) */
int sg_property(const char *call, const char *name, char *out, int n) {
    (void) n;
    out[0] = 0;
    if (!strcmp(call, "__system_property_get")) return __system_property_get(name, out);
    const prop_info *pi = __system_property_find(name);
    if (!pi) return -1;
    if (!strcmp(call, "__system_property_read_callback") || !strcmp(call, "__system_property_find"))
        __system_property_read_callback(pi, on_prop, out);
    return (int) strlen(out);
}

/* ioctl SIOCGIFHWADDR on an interface: the MAC as aa:bb:.. text */
int sg_ioctl_hwaddr(const char *ifname, char *out, int n) {
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    if (s < 0) return -1;
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
    int r = ioctl(s, SIOCGIFHWADDR, &ifr);
    close(s);
    if (r != 0) return -1;
    unsigned char *m = (unsigned char *) ifr.ifr_hwaddr.sa_data;
    return snprintf(out, n, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

int sg_getifaddrs(char *out, int n) {
    struct ifaddrs *ifa = NULL;
    out[0] = 0;
    if (getifaddrs(&ifa) != 0) return -1;
    freeifaddrs(ifa);
    (void) n;
    return 0;
}

/* a netlink RTM_GETLINK dump request (the reply is not read: only the request is the evidence) */
int sg_netlink_getlink(void) {
    int s = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
    if (s < 0) return -1;
    struct { struct nlmsghdr nh; struct ifinfomsg ifi; } req;
    memset(&req, 0, sizeof req);
    req.nh.nlmsg_len = sizeof req;
    req.nh.nlmsg_type = RTM_GETLINK;
    req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    req.ifi.ifi_family = AF_UNSPEC;
    struct sockaddr_nl sa;
    memset(&sa, 0, sizeof sa);
    sa.nl_family = AF_NETLINK;
    ssize_t r = sendto(s, &req, sizeof req, 0, (struct sockaddr *) &sa, sizeof sa);
    close(s);
    return r < 0 ? -1 : 0;
}

/* the command through the device's shell (/system/bin/sh -c CMD), its output into out */
int sg_exec(const char *cmd, char *out, int n) {
    int p[2];
    out[0] = 0;
    if (pipe(p) != 0) return -1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, p[1], 1);
    posix_spawn_file_actions_addclose(&fa, p[0]);
    char *argv[] = {"sh", "-c", (char *) cmd, NULL};
    pid_t pid;
    int r = posix_spawn(&pid, "/system/bin/sh", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(p[1]);
    if (r != 0) { close(p[0]); return -1; }
    int got = 0;
    for (;;) {
        int k = (int) read(p[0], out + got, n - 1 - got);
        if (k <= 0) break;
        got += k;
        if (got >= n - 1) break;
    }
    out[got] = 0;
    close(p[0]);
    int status;
    waitpid(pid, &status, 0);
    return got;
}

/* bench: ns per open()+close() of `path`, `count` times, measured here in native code */
double sg_bench_open(const char *path, int count) {
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int i = 0; i < count; i++) { int fd = open(path, O_RDONLY); if (fd >= 0) close(fd); }
    clock_gettime(CLOCK_MONOTONIC, &b);
    return ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / count;
}

#include <sys/syscall.h>
/* bench baseline: the same file opened by the raw syscall (no libc entry point, so never intercepted) */
double sg_bench_open_raw(const char *path, int count) {
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int i = 0; i < count; i++) {
        long fd = syscall(SYS_openat, AT_FDCWD, path, O_RDONLY);
        if (fd >= 0) syscall(SYS_close, fd);
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    return ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / count;
}

/* A Java method called from this library through JNI (CallObjectMethod ...): the simulator passes the
   call as a callback, so the Java hook runs with this library on the native stack, as on ART. */
int sg_jni_call(void (*cb)(void)) {
    volatile int depth = 1;
    cb();
    return depth - 1;
}

#include <netinet/in.h>
#include <arpa/inet.h>
/* bench: ns per socket()+connect()+close() to 127.0.0.1:`port` (a closed port: refused at once), measured here */
double sg_bench_connect(const char *port, int count) {
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((unsigned short) atoi(port));
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int i = 0; i < count; i++) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0) continue;
        connect(fd, (struct sockaddr *) &sa, sizeof sa);
        close(fd);
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    return ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / count;
}
