/* Superpages (mm/superpage.h): 2 MiB leaves for a large aligned heap, and
 * every way one must split. argv[1] says what the boot asked for:
 *   super   (mm.superpages=on, eager): sbrk of aligned 2 MiB blocks maps
 *           each with one leaf, which pgpte() returns for all 512 pages
 *           (the classic pgtbl lab's superpg test checks the same);
 *   none    (mm.superpages=off, or mm.alloc=lazy): 4 KiB pages only;
 * and argv[2], if "evict", runs the pressure group instead (booted with
 * mm.frames= and a swap disk): superpages pushed out page by page.
 *
 * Under both expectations the bytes must be right through every step:
 * copyin/copyout on the block, fork under the policy in force (a child
 * sees the parent's bytes, its stores stay its own), a store to a shared
 * block, sbrk shrinking into the middle of one, and nothing leaked
 * (test_end: free frames and the audit, which checks superleaves). */
#include "testlib.h"
#include "kernel/riscv.h"
#include "rvos/memstat.h"

#define BLOCKS 4
#define PAGES (BLOCKS * 512)

static int expect_super;
static char *break0; /* the break before the test grew the heap */

static long word(long page, long salt) { return page * 2654435761L + salt; }

static void fill(char *s, long npages, long salt)
{
    for (long p = 0; p < npages; p++) {
        *(long *)(s + p * PGSIZE) = word(p, salt);
        *(long *)(s + p * PGSIZE + PGSIZE - sizeof(long)) = -word(p, salt);
    }
}

static long bad_pages(char *s, long npages, long salt)
{
    long bad = 0;
    for (long p = 0; p < npages; p++)
        bad += *(long *)(s + p * PGSIZE) != word(p, salt) ||
               *(long *)(s + p * PGSIZE + PGSIZE - sizeof(long)) != -word(p, salt);
    return bad;
}

/* Whether block b of s is mapped by one leaf: the same PTE, V R W U,
 * for all its 512 pages, at an aligned frame. */
static int is_super(char *s, int b, int want_w)
{
    char *blk = s + (long)b * SUPERPGSIZE;
    pte_t first = (pte_t)pgpte(blk);
    if ((first & (PTE_V | PTE_R | PTE_U)) != (PTE_V | PTE_R | PTE_U) || !!(first & PTE_W) != want_w ||
        PTE2PA(first) % SUPERPGSIZE)
        return 0;
    for (int p = 1; p < 512; p++)
        if ((pte_t)pgpte(blk + p * PGSIZE) != first)
            return 0;
    return 1;
}

/* Moves the break to a 2 MiB boundary and grows the heap by n blocks:
 * the blocks are aligned, so each may be a superpage. */
static char *grow_aligned(int n)
{
    break0 = sbrk(0);
    long pad = (long)(SUPERPGROUNDUP((uint64)break0) - (uint64)break0);
    if (pad)
        CHECK(sbrk(pad) != SBRK_ERROR, "pad of %ld", pad);
    char *s = sbrk(n * SUPERPGSIZE);
    CHECK(s != SBRK_ERROR && (uint64)s % SUPERPGSIZE == 0, "sbrk of %d blocks: %p", n, s);
    return s;
}

/* Back to where the heap was: test_end counts the frames. */
static void shrink_all(void) { CHECK(sbrk(-(long)((char *)sbrk(0) - break0)) != SBRK_ERROR, "shrink to the start"); }

/* Kernel access: write() from the block into a pipe and read() it back
 * into another place of the block, across page and block boundaries. */
static void through_pipe(char *from, char *to, int n)
{
    int p[2];
    CHECK(pipe(p) == 0, "pipe");
    char tmp[512];
    for (int done = 0; done < n; done += (int)sizeof tmp) {
        CHECK(write(p[1], from + done, sizeof tmp) == sizeof tmp, "write from the block");
        CHECK(read(p[0], tmp, sizeof tmp) == sizeof tmp, "read back");
        CHECK(write(p[1], tmp, sizeof tmp) == sizeof tmp, "write");
        CHECK(read(p[0], to + done, sizeof tmp) == sizeof tmp, "read into the block");
    }
    close(p[0]);
    close(p[1]);
}

static void basic(void)
{
    struct memstat m0 = memstat_now();
    char *s = grow_aligned(BLOCKS);
    struct memstat m1 = memstat_now();
    if (expect_super) {
        CHECK(m1.superpages_made - m0.superpages_made == BLOCKS, "%lu superpages made for %d blocks",
              m1.superpages_made - m0.superpages_made, BLOCKS);
        for (int b = 0; b < BLOCKS; b++)
            CHECK(is_super(s, b, 1), "block %d mapped by one writable leaf (pte %lx)", b,
                  (unsigned long)pgpte(s + (long)b * SUPERPGSIZE));
    } else {
        CHECK(m1.superpages_made == m0.superpages_made, "no superpage made");
    }
    fill(s, PAGES, 1);
    if (!expect_super)
        CHECK(!is_super(s, 0, 1) && (pgpte(s) & PTE_V), "4 KiB pages (pte %lx)", (unsigned long)pgpte(s));
    CHECK(bad_pages(s, PAGES, 1) == 0, "bytes as written");

    /* copyin and copyout, across the boundary of blocks 0 and 1. */
    through_pipe(s + SUPERPGSIZE - 3000, s + 3 * SUPERPGSIZE - 5000, 8192);
    CHECK(memcmp(s + SUPERPGSIZE - 3000, s + 3 * SUPERPGSIZE - 5000, 8192) == 0, "copied through a pipe");
    fill(s, PAGES, 2);

    /* Fork: the child sees the bytes and its stores are its own. A policy
     * that shares pages shares each block as one COW leaf; one that shares
     * level-0 tables (odf) splits the blocks at the fork and shares the
     * tables; one that copies gives the child blocks of its own. */
    unsigned long promises = fork_promises();
    int tables = (promises & FORK_SHARES_TABLES) != 0;
    int leaf_shared = (promises & FORK_SHARES_ALL) && !tables;
    int go[2], done[2];
    CHECK(pipe(go) == 0 && pipe(done) == 0, "pipes");
    int pid = fork();
    if (pid == 0) {
        int bad = 0;
        if (bad_pages(s, PAGES, 2))
            bad |= 1;
        if ((promises & FORK_COPIES_ALL) && expect_super && !is_super(s, 0, 1))
            bad |= 2; /* a copy of its own, as the classic lab's superpg test wants */
        if (leaf_shared && expect_super && !is_super(s, 2, 0))
            bad |= 4; /* shared, copy-on-write */
        if (tables && (is_super(s, 2, 0) || is_super(s, 2, 1) || (pgpte(s + 2 * SUPERPGSIZE) & PTE_W)))
            bad |= 4;            /* split at the fork, shared copy-on-write */
        s[5 * PGSIZE + 8] = 'c'; /* a store splits (shared) or not (own copy) */
        if (leaf_shared && expect_super && (is_super(s, 0, 0) || is_super(s, 0, 1)))
            bad |= 8;
        /* read() into the shared block: copyout breaks COW the same way */
        through_pipe(s + 7 * PGSIZE, s + SUPERPGSIZE + 9 * PGSIZE, 1024);
        fill(s + 2 * SUPERPGSIZE, 512, 3);
        if (bad_pages(s + 2 * SUPERPGSIZE, 512, 3))
            bad |= 16;
        char c;
        write(done[1], "x", 1);
        read(go[0], &c, 1); /* the parent checks its bytes meanwhile */
        exit(bad);
    }
    char c;
    CHECK(read(done[0], &c, 1) == 1, "child ran");
    CHECK(bad_pages(s, PAGES, 2) == 0, "the parent's bytes after the child's stores");
    if (leaf_shared && expect_super)
        CHECK(is_super(s, 0, 0) && is_super(s, 2, 0), "the parent's blocks still one leaf each, COW");
    write(go[1], "x", 1);
    int st = wait_status(pid);
    CHECK(st == 0, "child found bad bytes or mappings: %d", st);
    close(go[0]), close(go[1]), close(done[0]), close(done[1]);

    /* The last owner stores: the block splits, the page is reused. */
    struct memstat m2 = memstat_now();
    s[3 * SUPERPGSIZE + 11 * PGSIZE] = 'p';
    struct memstat m3 = memstat_now();
    if (leaf_shared && expect_super)
        CHECK(m3.superpage_splits > m2.superpage_splits && m3.pages_reused > m2.pages_reused, "split %lu, reused %lu",
              m3.superpage_splits - m2.superpage_splits, m3.pages_reused - m2.pages_reused);
    s[3 * SUPERPGSIZE + 11 * PGSIZE] = (char)(word(3 * 512 + 11, 2) & 0xff); /* as it was (the low byte) */
    CHECK(bad_pages(s, PAGES, 2) == 0, "bytes after the parent's stores");

    /* Shrink into the middle of block 3, then of block 1: the blocks
     * covered whole go, the ones cut split; the rest stays as it was. */
    unsigned long before = free_frames();
    CHECK(sbrk(-(SUPERPGSIZE / 2 + 3 * PGSIZE)) != SBRK_ERROR, "shrink half a block");
    CHECK(free_frames() >= before + 256 + 3 - 1, "the pages shrunk are free: %lu more", free_frames() - before);
    CHECK(bad_pages(s, PAGES - 256 - 3, 2) == 0, "the rest unchanged");
    CHECK(sbrk(-(2 * SUPERPGSIZE)) != SBRK_ERROR, "shrink two blocks more");
    CHECK(bad_pages(s, PAGES - 256 - 3 - 1024, 2) == 0, "the rest unchanged");
    if (expect_super && !tables)
        CHECK(is_super(s, 0, !leaf_shared), "block 0 untouched: one leaf");
    /* Grow again over the cut: fresh zeroed pages. */
    char *t = sbrk(SUPERPGSIZE);
    CHECK(t != SBRK_ERROR, "grow again");
    long zeros = 0;
    for (long p = 0; p < 512; p++)
        zeros += *(long *)(t + p * PGSIZE) == 0;
    CHECK(zeros == 512, "fresh pages are zero (%ld of 512)", zeros);
    shrink_all();
}

/* Under mm.frames and a swap disk: blocks mapped as superpages, then more
 * memory than the cap allows; the evictor splits them page by page, and
 * every byte comes back. A forked child shares them meanwhile. */
static void evict(void)
{
    struct memstat m0 = memstat_now();
    char *s = grow_aligned(2);
    struct memstat m1 = memstat_now();
    if (expect_super)
        CHECK(m1.superpages_made - m0.superpages_made == 2, "%lu superpages made",
              m1.superpages_made - m0.superpages_made);
    fill(s, 1024, 4);
    int pid = fork();
    if (pid == 0) {
        char *more = sbrk(3 * SUPERPGSIZE);
        if (more == SBRK_ERROR)
            exit(1);
        fill(more, 3 * 512, 5);
        long bad = bad_pages(s, 1024, 4) + bad_pages(more, 3 * 512, 5);
        exit(bad ? 2 : 0);
    }
    char *more = sbrk(2 * SUPERPGSIZE);
    CHECK(more != SBRK_ERROR, "sbrk past the cap");
    fill(more, 2 * 512, 6);
    CHECK(wait_status(pid) == 0, "child's bytes under pressure");
    CHECK(bad_pages(s, 1024, 4) == 0, "parent's superpage bytes after eviction");
    CHECK(bad_pages(more, 2 * 512, 6) == 0, "parent's other bytes");
    struct memstat m = memstat_now();
    CHECK(m.evictions > m0.evictions, "pages were evicted (%lu)", m.evictions - m0.evictions);
    if (expect_super)
        CHECK(m.superpage_splits > m0.superpage_splits, "superpages were split for eviction");
    shrink_all();
}

int main(int argc, char **argv)
{
    test_begin("superpage");
    expect_super = argc > 1 && strcmp(argv[1], "super") == 0;
    if (argc > 2 && strcmp(argv[2], "evict") == 0)
        evict();
    else
        basic();
    return test_end();
}
