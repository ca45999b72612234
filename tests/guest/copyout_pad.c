/* Every structure the kernel copies to user space is cleared in full
 * first, padding included, so that no kernel bytes (its stack, say) leak
 * through. Each system call that fills a user structure writes into a
 * buffer pre-filled with 0xA5; afterwards every byte that belongs to no
 * member must be zero (neither the kernel's stale data nor our pattern,
 * which would mean the kernel skipped part of the structure).
 *
 * The structures: struct stat (fstat), struct memstat (memstat) and the
 * struct dirent entries read() returns from a directory. The other
 * copyouts (pipe's fds, wait's status, file and console data, cmdline's
 * string) carry plain ints or bytes, with no padding.
 *
 * The padding is worked out with offsetof and sizeof from the definitions
 * user programs see (include/rvos), not written down by hand. */
#include <stddef.h>
#include "testlib.h"
#include "rvos/fs.h"

#define PATTERN 0xA5
#define ROUNDS 50

/* One member of a structure: the bytes it covers. */
struct member {
    unsigned offset, size;
};
#define MEMBER(type, m)                                                                                                \
    {                                                                                                                  \
        offsetof(type, m), sizeof(((type *)0)->m)                                                                      \
    }

static const struct member stat_members[] = {
    MEMBER(struct stat, dev),   MEMBER(struct stat, ino),  MEMBER(struct stat, type),
    MEMBER(struct stat, nlink), MEMBER(struct stat, size),
};
static const struct member memstat_members[] = {
    MEMBER(struct memstat, frames_total),
    MEMBER(struct memstat, frames_free),
    MEMBER(struct memstat, forks),
    MEMBER(struct memstat, cow_faults),
    MEMBER(struct memstat, pages_copied),
    MEMBER(struct memstat, pages_reused),
    MEMBER(struct memstat, pages_shared),
    MEMBER(struct memstat, oom_kills),
    MEMBER(struct memstat, fork_policy),
    MEMBER(struct memstat, frames_allocated),
    MEMBER(struct memstat, fork_promises),
    MEMBER(struct memstat, tables_shared),
    MEMBER(struct memstat, tables_copied),
    MEMBER(struct memstat, table_copy_ns),
    MEMBER(struct memstat, alloc_policy),
    MEMBER(struct memstat, lazy_faults),
    MEMBER(struct memstat, file_pages_read),
    MEMBER(struct memstat, pages_written_back),
    MEMBER(struct memstat, pages_reserved),
    MEMBER(struct memstat, pages_resident),
    MEMBER(struct memstat, evict_policy),
    MEMBER(struct memstat, evict_active),
    MEMBER(struct memstat, frames_cap),
    MEMBER(struct memstat, frames_listed),
    MEMBER(struct memstat, page_faults),
    MEMBER(struct memstat, evictions),
    MEMBER(struct memstat, swap_outs),
    MEMBER(struct memstat, swap_ins),
    MEMBER(struct memstat, pages_dropped),
    MEMBER(struct memstat, evict_scans),
    MEMBER(struct memstat, swap_slots),
    MEMBER(struct memstat, swap_slots_used),
    MEMBER(struct memstat, swap_write_errors),
    MEMBER(struct memstat, superpages),
    MEMBER(struct memstat, superpages_made),
    MEMBER(struct memstat, superpage_splits),
    MEMBER(struct memstat, tables_mine),
};
#define NMEMBERS(a) (sizeof(a) / sizeof(a)[0])

/* Non-zero bytes found where the kernel defines nothing, over all rounds;
 * the first few are shown, the verdict comes at the end. */
static int leaked;

static void leak(const char *what, unsigned at, unsigned char value)
{
    if (leaked++ < 8)
        printf("copyout_pad: %s: byte %u is 0x%x, not 0\n", what, at, value);
}

/* Checks that every byte of buf[0, size) outside the members is zero.
 * Returns the number of padding bytes, so that a caller can tell the
 * check was not vacuous. */
static int check_padding(const char *what, const unsigned char *buf, unsigned size, const struct member *m, unsigned n)
{
    int padding = 0;
    for (unsigned i = 0; i < size; i++) {
        int covered = 0;
        for (unsigned k = 0; k < n; k++)
            if (i >= m[k].offset && i < m[k].offset + m[k].size)
                covered = 1;
        if (covered)
            continue;
        padding++;
        if (buf[i] != 0)
            leak(what, i, buf[i]);
    }
    return padding;
}

/* A string field: the bytes after its terminating NUL are as much the
 * kernel's as padding is. */
static void check_string_tail(const char *what, const char *s, unsigned size)
{
    unsigned i = 0;
    while (i < size && s[i])
        i++;
    CHECK(i < size, "%s: no NUL", what);
    for (; i < size; i++)
        if (s[i] != 0)
            leak(what, i, (unsigned char)s[i]);
}

/* fstat on fd into a patterned buffer; the padding must come back zero. */
static void stat_one(const char *what, int fd)
{
    struct stat st;
    memset(&st, PATTERN, sizeof st);
    CHECK(fstat(fd, &st) == 0, "fstat of %s", what);
    check_padding(what, (unsigned char *)&st, sizeof st, stat_members, NMEMBERS(stat_members));
}

static void memstat_one(void)
{
    struct memstat ms;
    memset(&ms, PATTERN, sizeof ms);
    CHECK(memstat(&ms) == 0, "memstat");
    check_padding("memstat", (unsigned char *)&ms, sizeof ms, memstat_members, NMEMBERS(memstat_members));
    check_string_tail("memstat fork_policy", ms.fork_policy, sizeof ms.fork_policy);
    check_string_tail("memstat alloc_policy", ms.alloc_policy, sizeof ms.alloc_policy);
    check_string_tail("memstat evict_policy", ms.evict_policy, sizeof ms.evict_policy);
}

/* The entries read from a directory: a name shorter than DIRSIZ is
 * NUL-padded, never followed by leftovers. */
static void dirents_one(void)
{
    int fd = open("/", O_RDONLY);
    CHECK(fd >= 0, "open /");
    struct dirent de;
    int entries = 0;
    for (;;) {
        memset(&de, PATTERN, sizeof de);
        if (read(fd, &de, sizeof de) != sizeof de)
            break;
        entries++;
        if (de.inum == 0)
            continue;
        char name[DIRSIZ + 1];
        memcpy(name, de.name, DIRSIZ);
        name[DIRSIZ] = 0;
        if (strlen(name) < DIRSIZ)
            check_string_tail("directory entry", de.name, DIRSIZ);
    }
    close(fd);
    CHECK(entries >= 2, "only %d entries in /", entries);
}

int main(void)
{
    test_begin("copyout_pad");
    check_fork_shares();
    /* The check must not be vacuous: struct stat has padding on RV64
     * (int, uint, short, short, then an 8-byte-aligned long). */
    struct stat probe;
    memset(&probe, 0, sizeof probe);
    CHECK(check_padding("layout", (unsigned char *)&probe, sizeof probe, stat_members, NMEMBERS(stat_members)) > 0,
          "struct stat has no padding to check");

    int file = open("/pad_file", O_RDWR | O_CREATE | O_TRUNC);
    CHECK(file >= 0 && write(file, "abc", 3) == 3, "create a file");
    int dir = open("/", O_RDONLY);
    int dev = open("/dev/console", O_RDONLY);
    CHECK(dir >= 0 && dev >= 0, "open / and /dev/console");
    /* The kernel stack below fstat holds whatever earlier calls left; vary
     * those calls from round to round so that a missing clear shows. */
    for (int round = 0; round < ROUNDS; round++) {
        stat_one("a file", file);
        stat_one("a directory", dir);
        stat_one("/dev/console", dev);
        stat_one("fd 0 (the console opened by the kernel)", 0);
        memstat_one();
        dirents_one();
        if (round % 2)
            free_frames();
        char buf[8];
        if (round % 3 == 0)
            read(file, buf, sizeof buf);
        if (round % 5 == 0) {
            int pid = fork();
            if (pid == 0)
                exit(round);
            CHECK(wait_status(pid) == round, "child status");
        }
    }
    close(file);
    close(dir);
    close(dev);
    unlink("/pad_file");
    CHECK(leaked == 0, "%d bytes the kernel defines nothing for were not zero", leaked);
    return test_end();
}
