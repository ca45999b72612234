/* Lab pgtbl: vmprint(). The dump of this small program's page table must
 * have the documented structure (mm/vmprint.c): a header, lines at three
 * levels, leaves only at the lowest one, every leaf with U; the text page
 * with R and X but not W; the USYSCALL page with R only; the stack and
 * data writable. Under cow, after a fork, the data page shows C and not
 * W; under copy no page ever shows C. */
#include "testlib.h"
#include "rvos/usyscall.h"

int main(void);
static char buf[4096];
/* The data page: written before the fork, and alone in its page, so that
 * no other store (to buf, say) breaks the sharing before vmprint looks. */
static int data_page[1024] __attribute__((aligned(4096))) = {1};
#define data_word data_page[0]

struct leaf {
    unsigned long va;
    char flags[10];
};

static unsigned long hex(const char *s)
{
    unsigned long v = 0;
    if (s[0] == '0' && s[1] == 'x')
        s += 2;
    for (;; s++) {
        if (*s >= '0' && *s <= '9')
            v = v * 16 + (unsigned long)(*s - '0');
        else if (*s >= 'a' && *s <= 'f')
            v = v * 16 + (unsigned long)(*s - 'a' + 10);
        else
            return v;
    }
}

/* Checks the structure line by line; collects the leaves. */
static int parse(struct leaf *leaves, int max)
{
    CHECK(strncmp(buf, "page table 0x", 13) == 0, "header: %.40s", buf);
    int n = 0, lines = 0, prev_level = 0;
    unsigned long upper[4] = {0};
    char *line = strchr(buf, '\n');
    for (line = line ? line + 1 : buf + strlen(buf); *line;) {
        char *end = strchr(line, '\n');
        CHECK(end != 0, "line %d not terminated", lines);
        if (!end)
            break;
        *end = 0;
        lines++;
        int level = 0; /* depth: 1 = root entries, 3 = leaves */
        const char *p = line;
        while (strncmp(p, " ..", 3) == 0)
            level++, p += 3;
        CHECK(level >= 1 && level <= 3, "bad indent: %s", line);
        CHECK(level <= prev_level + 1, "a level skipped: %s", line);
        prev_level = level;
        /* the first address the entry covers: 16 hex digits, aligned to
         * what one entry at this level maps, within the user half, inside
         * the range of the table entry above it */
        unsigned long va = hex(p), span = 1UL << (12 + 9 * (3 - level));
        const char *colon = strchr(p, ':');
        CHECK(strncmp(p, "0x", 2) == 0 && colon == p + 18, "va: %s", line);
        CHECK(va % span == 0 && va < (1UL << 38), "va %lx at level %d", va, level);
        CHECK(level == 1 || (va >= upper[level - 1] && va < upper[level - 1] + span * 512), "va %lx outside its table",
              va);
        upper[level] = va;
        /* ": pte 0x" and 16 digits, " pa 0x" and 16 digits */
        CHECK(strncmp(colon ? colon : "", ": pte 0x", 8) == 0 && strlen(colon) >= 24, "pte: %s", line);
        const char *pa = colon && strlen(colon) >= 24 ? colon + 24 : "";
        CHECK(strncmp(pa, " pa 0x", 6) == 0 && strlen(pa) >= 22, "pa: %s", line);
        const char *rest = strlen(pa) >= 22 ? pa + 22 : "";
        if (level < 3) {
            CHECK(*rest == 0, "a leaf above level 0: %s", line);
        } else {
            const char *flags = rest;
            CHECK(*flags == ' ' && strlen(flags + 1) == 9, "flags: %s", line);
            if (n < max && *flags == ' ' && strlen(flags + 1) == 9) {
                leaves[n].va = va;
                memcpy(leaves[n].flags, flags + 1, 10);
                CHECK(leaves[n].flags[0] == 'V' && leaves[n].flags[4] == 'U', "V and U: %s", line);
                n++;
            }
        }
        line = end + 1;
    }
    CHECK(lines >= 6, "only %d lines", lines);
    return n;
}

static const char *flags_of(struct leaf *leaves, int n, unsigned long va)
{
    for (int i = 0; i < n; i++)
        if (leaves[i].va == (va & ~4095UL))
            return leaves[i].flags;
    return 0;
}

static void check_layout(void)
{
    memset(buf, 0, sizeof buf);
    int len = vmprint(buf, sizeof buf);
    CHECK(len > 0 && len < (int)sizeof buf && (int)strlen(buf) == len, "vmprint returned %d", len);
    struct leaf leaves[64];
    int n = parse(leaves, 64);
    int stack_var = 0;
    const char *text = flags_of(leaves, n, (unsigned long)(void *)main);
    const char *usys = flags_of(leaves, n, USYSCALL);
    const char *data = flags_of(leaves, n, (unsigned long)&data_word);
    const char *stack = flags_of(leaves, n, (unsigned long)&stack_var);
    CHECK(text && strcmp(text, "VR-XU-AD-") == 0, "text: %s", text ? text : "missing");
    CHECK(usys && strcmp(usys, "VR--U-A--") == 0, "USYSCALL: %s", usys ? usys : "missing");
    CHECK(data && data[2] == 'W' && data[3] == '-', "data: %s", data ? data : "missing");
    CHECK(stack && stack[2] == 'W' && stack[3] == '-' && stack[8] == '-', "stack: %s", stack ? stack : "missing");
    for (int i = 0; i < n; i++)
        CHECK(leaves[i].flags[8] == '-', "C before any fork at %lx", leaves[i].va);
}

/* After a fork under a policy that shares every page, the data page is
 * shared: C set, W clear; under one that copies every page, it keeps W. */
static void check_cow(void)
{
    unsigned long promises = fork_promises();
    data_word = 2;
    int p[2];
    CHECK(pipe(p) == 0, "pipe");
    int pid = fork();
    if (pid == 0) {
        char c;
        close(p[1]);
        read(p[0], &c, 1);
        exit(0);
    }
    memset(buf, 0, sizeof buf);
    CHECK(vmprint(buf, sizeof buf) > 0, "vmprint");
    struct leaf leaves[64];
    int n = parse(leaves, 64);
    const char *data = flags_of(leaves, n, (unsigned long)&data_word);
    CHECK(data != 0, "the data page is in the dump");
    if (data && (promises & FORK_SHARES_ALL))
        CHECK(data[2] == '-' && data[8] == 'C', "shared: data after fork: %s", data);
    if (data && (promises & FORK_COPIES_ALL))
        CHECK(data[2] == 'W' && data[8] == '-', "copied: data after fork: %s", data);
    close(p[0]);
    close(p[1]);
    CHECK(wait_status(pid) == 0, "child");
}

int main(void)
{
    test_begin("pgtbl_vmprint");
    check_layout();
    check_cow();
    /* Console only; bad buffers. */
    CHECK(vmprint(0, 0) > 0, "console only");
    CHECK(vmprint(buf, 0) == -1, "size 0");
    CHECK(vmprint((char *)0x3000000000UL, 64) == -1, "unmapped");
    CHECK(vmprint((char *)(void *)main, 64) == -1, "text");
    CHECK(vmprint((char *)USYSCALL, 64) == -1, "USYSCALL");
    return test_end();
}
