/* The simulated device's property store: bionic's __system_property_* API served from a file
 * (name=value lines) the simulated device writes in its sandbox. glibc has no such symbols.
 * prop_info is laid out as bionic's (serial, value[92], name at offset 96) so the agent's
 * __system_property_read_callback filter reads the name exactly as on a phone. */
#include <stdio.h>
#include <string.h>
#include <stdint.h>

typedef struct { uint32_t serial; char value[92]; char name[128]; } prop_info;
static prop_info props[256];
static int nprops = -1;
static char store[4096] = "";

void sg_props_file(const char *path) { strncpy(store, path, sizeof store - 1); nprops = -1; }

static void load(void) {
    if (nprops >= 0) return;
    nprops = 0;
    FILE *f = fopen(store, "r");
    if (!f) return;
    char line[512];
    while (nprops < 256 && fgets(line, sizeof line, f)) {
        char *eq = strchr(line, '=');
        if (!eq) continue;
        *eq = 0;
        char *v = eq + 1;
        v[strcspn(v, "\n")] = 0;
        prop_info *p = &props[nprops++];
        p->serial = 0;
        strncpy(p->name, line, sizeof p->name - 1);
        strncpy(p->value, v, sizeof p->value - 1);
    }
    fclose(f);
}

const prop_info *__system_property_find(const char *name) {
    load();
    for (int i = 0; i < nprops; i++) if (strcmp(props[i].name, name) == 0) return &props[i];
    return NULL;
}

int __system_property_get(const char *name, char *value) {
    const prop_info *p = __system_property_find(name);
    if (!p) { value[0] = 0; return 0; }
    strcpy(value, p->value);
    return (int) strlen(value);
}

void __system_property_read_callback(const prop_info *pi,
        void (*cb)(void *cookie, const char *name, const char *value, uint32_t serial), void *cookie) {
    cb(cookie, pi->name, pi->value, pi->serial);
}
