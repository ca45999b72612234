/* Anonymous mmap: zero-filled pages faulted in on first touch, private
 * (copy-on-write across fork) or shared (the pages present at fork are one
 * copy for parent and children); munmap gives every frame back; many
 * mappings at once; and hostile requests: huge or zero lengths, bad fds,
 * unaligned offsets, munmap of what was never mapped or of an unaligned
 * address, and hints that overlap a mapping, the heap, the text or the
 * stack (there is no MAP_FIXED: a hint is used only when the whole range
 * is free). */
#include "testlib.h"
#include "rvos/exec.h"
#include "rvos/usyscall.h"

#define PAGE 4096L
#define SLACK 8L
#define ANON (MAP_ANONYMOUS | MAP_PRIVATE)
#define RW (PROT_READ | PROT_WRITE)
#define FREE_AREA 0x1000000000L /* 64 GiB: far above the heap, far below the stack */

static int load_at(long addr) { return *(volatile char *)addr == 0x7f ? 1 : 0; }

static int store_at(long addr)
{
    *(volatile char *)addr = 1;
    return 0;
}

static int overlaps(long a, long alen, long b, long blen) { return a < b + blen && b < a + alen; }

static void anon_private(void)
{
    stack_private();
    struct memstat a = memstat_now();
    char *p = mmap(0, 16 * PAGE, RW, ANON, -1, 0);
    struct memstat b = memstat_now();
    CHECK(p != MAP_FAILED && ((long)p & (PAGE - 1)) == 0, "anonymous private mmap returned %p", p);
    if (p == MAP_FAILED)
        return;
    CHECK(b.pages_resident <= a.pages_resident + 1, "mmap made %ld pages resident",
          (long)(b.pages_resident - a.pages_resident));
    CHECK((long)(a.frames_free - b.frames_free) <= 2, "mmap of 16 pages took %ld frames",
          (long)(a.frames_free - b.frames_free));
    long nonzero = 0;
    for (long i = 0; i < 16 * PAGE; i += 64)
        nonzero += p[i] != 0;
    CHECK(nonzero == 0, "%ld bytes of fresh anonymous memory not zero", nonzero);
    for (long i = 0; i < 16; i++)
        memset(p + i * PAGE, (int)('a' + i), PAGE);
    /* across fork: private both ways */
    int go[2];
    pipe(go);
    int pid = fork();
    if (pid == 0) {
        char c;
        close(go[1]);
        int bad = p[3 * PAGE + 7] != 'd';
        p[5 * PAGE] = 'C';
        read(go[0], &c, 1);
        bad |= (p[6 * PAGE] != 'g') << 1; /* the parent stored 'P' there after fork */
        exit(bad);
    }
    close(go[0]);
    p[6 * PAGE] = 'P';
    write(go[1], "g", 1);
    close(go[1]);
    CHECK(wait_status(pid) == 0, "the child of an anonymous private mapping saw wrong bytes");
    CHECK(p[5 * PAGE] == 'f', "the child's private store reached the parent");
    CHECK(munmap(p, 16 * PAGE) == 0, "munmap");
    CHECK(wait_status(spawn(load_at, (long)p + 5 * PAGE)) == -1, "a load after munmap did not kill");
    struct memstat c = memstat_now();
    CHECK(c.frames_free + SLACK >= a.frames_free, "munmap gave back %ld frames too few",
          (long)(a.frames_free - c.frames_free));
    CHECK(c.pages_reserved == a.pages_reserved, "munmap left %ld pages reserved",
          (long)(c.pages_reserved - a.pages_reserved));
    /* MAP_ANONYMOUS ignores fd */
    p = mmap(0, PAGE, RW, ANON, 99, 0);
    CHECK(p != MAP_FAILED && p[0] == 0, "MAP_ANONYMOUS with fd 99");
    if (p != MAP_FAILED)
        munmap(p, PAGE);
    /* PROT_NONE: any access kills */
    p = mmap(0, PAGE, PROT_NONE, ANON, -1, 0);
    if (p != MAP_FAILED) {
        CHECK(wait_status(spawn(load_at, (long)p)) == -1, "a load from a PROT_NONE mapping did not kill");
        CHECK(munmap(p, PAGE) == 0, "munmap of a PROT_NONE mapping");
    }
    /* W without R is reserved in Sv39, W with X refused (W^X): either
     * refused, or a store works */
    p = mmap(0, PAGE, PROT_WRITE, ANON, -1, 0);
    if (p != MAP_FAILED) {
        CHECK(wait_status(spawn(store_at, (long)p)) == 0, "a store to a PROT_WRITE mapping");
        munmap(p, PAGE);
    }
    CHECK(mmap(0, PAGE, PROT_WRITE | PROT_EXEC, ANON, -1, 0) == MAP_FAILED, "a writable, executable mapping");
    /* PROT_READ: zero, and a store kills */
    p = mmap(0, PAGE, PROT_READ, ANON, -1, 0);
    CHECK(p != MAP_FAILED && p[100] == 0, "read-only anonymous mapping");
    if (p != MAP_FAILED) {
        CHECK(wait_status(spawn(store_at, (long)p)) == -1, "a store to a PROT_READ anonymous mapping did not kill");
        munmap(p, PAGE);
    }
}

/* MAP_SHARED|MAP_ANONYMOUS: the pages present at fork are one copy for
 * parent, child and grandchild; munmap in a child leaves the parent's */
static void anon_shared(void)
{
    volatile char *p = mmap(0, 4 * PAGE, RW, MAP_ANONYMOUS | MAP_SHARED, -1, 0);
    CHECK(p != MAP_FAILED, "anonymous shared mmap");
    if (p == MAP_FAILED)
        return;
    p[0] = 'a';
    p[PAGE] = 'b';
    int to_child[2], to_parent[2];
    pipe(to_child);
    pipe(to_parent);
    int pid = fork();
    if (pid == 0) {
        char c;
        int bad = p[0] != 'a' || p[PAGE] != 'b';
        p[1] = 'c';
        p[PAGE + 1] = 'd';
        int g = fork();
        if (g == 0) {
            p[PAGE + 2] = 'g';
            exit(p[1] == 'c' ? 0 : 1);
        }
        bad |= (wait_status(g) != 0) << 1;
        bad |= (p[PAGE + 2] != 'g') << 2;
        write(to_parent[1], "1", 1);
        read(to_child[0], &c, 1);
        bad |= (p[2] != 'P') << 3;
        munmap((char *)p, 4 * PAGE);
        exit(bad);
    }
    char c;
    CHECK(read(to_parent[0], &c, 1) == 1, "the child's word");
    CHECK(p[1] == 'c' && p[PAGE + 1] == 'd', "the child's stores to shared pages did not reach the parent");
    CHECK(p[PAGE + 2] == 'g', "the grandchild's store did not reach the parent");
    p[2] = 'P';
    write(to_child[1], "2", 1);
    int st = wait_status(pid);
    CHECK(st == 0, "the child saw wrong bytes (%d)", st);
    CHECK(p[0] == 'a' && p[1] == 'c' && p[2] == 'P', "the child's munmap changed the parent's pages");
    /* pages faulted after the fork: each side sees at least its own stores */
    p[3 * PAGE] = 'z';
    CHECK(p[3 * PAGE] == 'z', "a page faulted after fork");
    close(to_child[0]);
    close(to_child[1]);
    close(to_parent[0]);
    close(to_parent[1]);
    CHECK(munmap((char *)p, 4 * PAGE) == 0, "munmap");
}

static void hostile(void)
{
    stack_private();
    struct memstat a = memstat_now();
    CHECK(mmap(0, 0, RW, ANON, -1, 0) == MAP_FAILED, "length 0");
    CHECK(mmap(0, 1UL << 40, RW, ANON, -1, 0) == MAP_FAILED, "1 TiB");
    CHECK(mmap(0, (size_t)-1, RW, ANON, -1, 0) == MAP_FAILED, "length 2^64 - 1");
    CHECK(mmap(0, (size_t)-PAGE, RW, ANON, -1, 0) == MAP_FAILED, "length 2^64 - 4096");
    CHECK(mmap((void *)FREE_AREA, (size_t)-FREE_AREA, RW, ANON, -1, 0) == MAP_FAILED, "a range wrapping around");
    CHECK(mmap(0, PAGE, PROT_READ, MAP_PRIVATE, 77, 0) == MAP_FAILED, "a bad fd");
    int fd = open("/ma.f", O_CREATE | O_RDWR | O_TRUNC);
    char buf[256];
    memset(buf, 'f', sizeof buf);
    for (int i = 0; i < 32; i++)
        write(fd, buf, sizeof buf);
    CHECK(mmap(0, PAGE, PROT_READ, MAP_PRIVATE, fd, 1) == MAP_FAILED, "offset 1");
    CHECK(mmap(0, PAGE, PROT_READ, MAP_PRIVATE, fd, 2048) == MAP_FAILED, "offset 2048");
    char *neg = mmap(0, PAGE, PROT_READ, MAP_PRIVATE, fd, -PAGE);
    CHECK(neg == MAP_FAILED, "a negative offset");
    if (neg != MAP_FAILED)
        munmap(neg, PAGE);
    close(fd);
    unlink("/ma.f");
    struct memstat b = memstat_now();
    CHECK(b.pages_reserved == a.pages_reserved, "refused mmaps reserved %ld pages",
          (long)(b.pages_reserved - a.pages_reserved));

    /* munmap of what was never mapped: harmless */
    CHECK(munmap((void *)0x2000000000L, 4 * PAGE) == 0, "munmap of a range never mapped");
    /* munmap of a range half mapped: the mapped half goes */
    char *m = mmap((void *)FREE_AREA, 4 * PAGE, RW, ANON, -1, 0);
    CHECK(m == (char *)FREE_AREA, "a free, aligned hint was not used: %p", m);
    if (m == MAP_FAILED)
        return;
    memset(m, 'm', 4 * PAGE);
    CHECK(munmap(m + 1, PAGE) == -1, "munmap of an address not page aligned");
    CHECK(m[1] == 'm', "a failed munmap changed the mapping");
    CHECK(munmap(m + 2 * PAGE, 4 * PAGE) == 0, "munmap of a range half mapped");
    CHECK(m[PAGE + 5] == 'm', "the pages before the unmapped range");
    CHECK(wait_status(spawn(load_at, (long)m + 3 * PAGE)) == -1, "a page unmapped by a half-mapped range");
    CHECK(munmap(m, 2 * PAGE) == 0, "munmap");
    struct memstat c = memstat_now();
    CHECK(c.pages_reserved == a.pages_reserved, "%ld pages left reserved", (long)(c.pages_reserved - a.pages_reserved));
    CHECK(c.frames_free + SLACK >= a.frames_free, "%ld frames missing", (long)(a.frames_free - c.frames_free));
}

static int text_alive(void) { return 42; }

/* hints: used when aligned and free, never over anything mapped */
static void hints(void)
{
    char *m1 = mmap((void *)FREE_AREA, 4 * PAGE, RW, ANON, -1, 0);
    CHECK(m1 == (char *)FREE_AREA, "a free, aligned hint was not used: %p", m1);
    char *m2 = mmap((void *)(FREE_AREA + 2 * PAGE), 4 * PAGE, RW, ANON, -1, 0);
    CHECK(m2 != MAP_FAILED && !overlaps((long)m1, 4 * PAGE, (long)m2, 4 * PAGE), "an overlapping hint gave %p over %p",
          m2, m1);
    char *m3 = mmap((void *)(FREE_AREA + 1), PAGE, RW, ANON, -1, 0);
    CHECK(m3 != MAP_FAILED && ((long)m3 & (PAGE - 1)) == 0 && !overlaps((long)m3, PAGE, (long)m1, 4 * PAGE) &&
              !overlaps((long)m3, PAGE, (long)m2, 4 * PAGE),
          "an unaligned hint gave %p", m3);
    if (m1 == MAP_FAILED || m2 == MAP_FAILED || m3 == MAP_FAILED)
        return;
    memset(m1, 'a', 4 * PAGE);
    memset(m2, 'b', 4 * PAGE);
    memset(m3, 'c', PAGE);
    long bad = 0;
    for (long i = 0; i < 4 * PAGE; i++)
        bad += m1[i] != 'a' || m2[i] != 'b';
    CHECK(bad == 0, "mappings from overlapping hints share %ld bytes", bad);

    /* over the heap, the text, the stack, beyond user space */
    char *heap = sbrk((int)(2 * PAGE));
    memset(heap, 'h', 2 * PAGE);
    char *hp = (char *)(((long)heap + PAGE - 1) & ~(PAGE - 1));
    char *m4 = mmap(hp, PAGE, RW, ANON, -1, 0);
    CHECK(m4 != MAP_FAILED && !overlaps((long)m4, PAGE, (long)heap, 2 * PAGE), "a hint in the heap gave %p", m4);
    if (m4 != MAP_FAILED) {
        memset(m4, 'x', PAGE);
        munmap(m4, PAGE);
    }
    CHECK(heap[0] == 'h' && heap[2 * PAGE - 1] == 'h', "the heap changed");
    char *m5 = mmap((void *)0x10000, PAGE, RW, ANON, -1, 0);
    CHECK(m5 != MAP_FAILED && m5 != (char *)0x10000, "a hint at the text gave %p", m5);
    if (m5 != MAP_FAILED) {
        memset(m5, 0, PAGE);
        munmap(m5, PAGE);
    }
    CHECK(text_alive() == 42, "the text changed");
    /* our stack note asks for the default: under lazy it may grow to the maximum */
    long stack_pages = alloc_lazy() ? RVOS_STACK_PAGES_MAX : RVOS_STACK_PAGES_DEFAULT;
    long stack_low = (long)USYSCALL - stack_pages * PAGE;
    char *m6 = mmap((void *)((long)USYSCALL - 2 * PAGE), PAGE, RW, ANON, -1, 0);
    CHECK(m6 != MAP_FAILED && !overlaps((long)m6, PAGE, stack_low - PAGE, stack_pages * PAGE + 2 * PAGE),
          "a hint in the stack (or its guard, or the USYSCALL page) gave %p", m6);
    if (m6 != MAP_FAILED)
        munmap(m6, PAGE);
    char *m7 = mmap((void *)0x4000000000L, PAGE, RW, ANON, -1, 0);
    CHECK(m7 != MAP_FAILED && (long)m7 < 0x3f00000000L, "a hint beyond user space gave %p", m7);
    if (m7 != MAP_FAILED) {
        m7[0] = 1;
        munmap(m7, PAGE);
    }
    /* the heap cannot grow over a mapping */
    char *brk = sbrk(0);
    char *above = (char *)((((long)brk + PAGE - 1) & ~(PAGE - 1)) + 4 * PAGE);
    char *m8 = mmap(above, PAGE, RW, ANON, -1, 0);
    CHECK(m8 == above, "a free hint just above the heap was not used: %p", m8);
    if (m8 == above) {
        m8[0] = 'k';
        CHECK(sbrk((int)(16 * PAGE)) == SBRK_ERROR, "sbrk grew the heap over a mapping");
        CHECK(sbrklazy((int)(16 * PAGE)) == SBRK_ERROR, "sbrklazy grew the heap over a mapping");
        CHECK(sbrk(0) == brk, "the break moved");
        CHECK(m8[0] == 'k', "the mapping changed");
        munmap(m8, PAGE);
    }
    sbrk((int)(-2 * PAGE));
    munmap(m1, 4 * PAGE);
    munmap(m2, 4 * PAGE);
    munmap(m3, PAGE);
}

/* a hundred mappings at once (the region table grows), then none */
#define MANY 100
static void many_mappings(void)
{
    stack_private();
    struct memstat a = memstat_now();
    char *m[MANY];
    int ok = 1;
    for (int i = 0; i < MANY; i++) {
        m[i] = mmap(0, PAGE, RW, MAP_ANONYMOUS | (i % 2 ? MAP_SHARED : MAP_PRIVATE), -1, 0);
        if (m[i] == MAP_FAILED) {
            CHECK(0, "mapping %d of %d failed", i, MANY);
            ok = 0;
            break;
        }
        m[i][0] = (char)i;
        m[i][PAGE - 1] = (char)~i;
    }
    int bad = 0;
    for (int i = 0; ok && i < MANY; i++)
        bad += m[i][0] != (char)i || m[i][PAGE - 1] != (char)~i;
    CHECK(bad == 0, "%d of %d mappings hold wrong bytes", bad, MANY);
    if (ok) {
        int pid = fork(); /* a child with all of them; it exits without munmap */
        if (pid == 0) {
            for (int i = 0; i < MANY; i++)
                m[i][1] = 1;
            exit(m[MANY - 1][0] == (char)(MANY - 1) ? 0 : 1);
        }
        CHECK(wait_status(pid) == 0, "the child with %d mappings", MANY);
        for (int i = 0; i < MANY; i++)
            CHECK(m[i][1] == (i % 2 ? 1 : 0), "mapping %d after the child's store (%s)", i,
                  i % 2 ? "shared" : "private");
    }
    for (int i = 0; ok && i < MANY; i++)
        CHECK(munmap(m[i], PAGE) == 0, "munmap %d", i);
    struct memstat b = memstat_now();
    CHECK(b.pages_reserved == a.pages_reserved, "%ld pages left reserved", (long)(b.pages_reserved - a.pages_reserved));
    CHECK(b.frames_free + SLACK >= a.frames_free, "%ld frames missing", (long)(a.frames_free - b.frames_free));
}

/* Mappings until the kernel refuses one (its region table is full, or
 * memory ran out): refused cleanly; a hole punched then (a region split)
 * works or is refused with nothing changed; forks of this crowded address
 * space that run out of memory part-way fail cleanly; all given back. */
#define CROWD 1300
static char *crowd[CROWD];
static void region_limit(void)
{
    stack_private();
    unsigned long f0 = free_frames();
    struct memstat a = memstat_now();
    char *big = mmap(0, 3 * PAGE, RW, ANON, -1, 0);
    CHECK(big != MAP_FAILED, "a 3-page mapping");
    if (big == MAP_FAILED)
        return;
    memset(big, 'B', 3 * PAGE);
    int n = 0;
    while (n < CROWD) {
        char *m = mmap(0, PAGE, PROT_READ, MAP_ANONYMOUS | (n % 2 ? MAP_SHARED : MAP_PRIVATE), -1, 0);
        if (m == MAP_FAILED)
            break;
        crowd[n++] = m;
    }
    printf("%d one-page mappings before the kernel refused one\n", n);
    CHECK(n >= 100, "only %d mappings", n);
    int r = munmap(big + PAGE, PAGE);
    CHECK(r == 0 || r == -1, "munmap of a hole with the table full: %d", r);
    CHECK(big[0] == 'B' && big[2 * PAGE] == 'B', "the pages beside the hole");
    CHECK(wait_status(spawn(load_at, (long)big + PAGE)) == (r == 0 ? -1 : 0), "the hole after munmap returned %d", r);
    unsigned long base = free_frames();
    int forked = 0, refused = 0;
    for (int k = 0; k < 200 && forked < 2; k += 7) {
        mmfail(k, 1);
        int pid = fork();
        if (pid == 0)
            exit(big[0] == 'B' ? 0 : 1);
        if (pid < 0) {
            refused++;
        } else {
            forked++;
            CHECK(wait_status(pid) == 0, "the crowded child");
        }
        mmfail(-1, 1);
        CHECK(free_frames() == base, "a crowded fork with %d allocations allowed: %ld frames missing", k,
              (long)(base - free_frames()));
    }
    CHECK(forked > 0, "no crowded fork succeeded (%d refused)", refused);
    CHECK(mmaudit() == 0, "audit with %d mappings", n);
    for (int i = 0; i < n; i++)
        munmap(crowd[i], PAGE);
    munmap(big, 3 * PAGE);
    struct memstat b = memstat_now();
    CHECK(b.pages_reserved == a.pages_reserved, "%ld pages left reserved", (long)(b.pages_reserved - a.pages_reserved));
    CHECK(free_frames() == f0, "%ld frames missing after the crowd", (long)(f0 - free_frames()));
}

/* no memory for the first touch of an anonymous page: the toucher dies */
static void anon_oom(void)
{
    char *p = mmap(0, 4 * PAGE, RW, MAP_ANONYMOUS | MAP_SHARED, -1, 0);
    char *q = mmap(0, 4 * PAGE, RW, ANON, -1, 0);
    CHECK(p != MAP_FAILED && q != MAP_FAILED, "mappings");
    if (p == MAP_FAILED || q == MAP_FAILED)
        return;
    p[0] = 's';
    unsigned long before = free_frames();
    CHECK(store_without_memory(p + 2 * PAGE, 'x') == -1, "a store to a fresh shared anonymous page with no memory");
    CHECK(store_without_memory(q + PAGE, 'x') == -1, "a store to a fresh private anonymous page with no memory");
    CHECK(free_frames() == before, "OOM kills left %ld frames missing", (long)(before - free_frames()));
    CHECK(p[0] == 's' && p[2 * PAGE] == 0 && q[PAGE] == 0, "the parent's mappings changed");
    munmap(p, 4 * PAGE);
    munmap(q, 4 * PAGE);
}

int main(void)
{
    char *heap_start = sbrk(0);
    test_begin("mmap_anon");
    anon_private();
    anon_shared();
    hostile();
    hints();
    many_mappings();
    region_limit();
    anon_oom();
    sbrk((int)(heap_start - sbrk(0)));
    return test_end();
}
