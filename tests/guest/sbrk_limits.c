/* sbrk: growth returns zeroed memory, shrinking gives frames back, and
 * requests past the heap limit or beyond free memory fail with -1 while
 * changing nothing. Under a lazy allocation policy (memstat's
 * alloc_policy) sbrk only reserves: a request larger than free memory
 * may then succeed (and is given back), and only the address space limits
 * it. */
#include "testlib.h"
#include "rvos/syscall.h"

/* sbrk takes an int in the xv6 API; the system call itself takes a long,
 * and a hostile program may pass any. */
static long sbrk_long(long n)
{
    register long a0 __asm__("a0") = n;
    register long a7 __asm__("a7") = SYS_sbrk;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
    return a0;
}

int main(void)
{
    test_begin("sbrk_limits");
    int lazy = alloc_lazy();
    char *start = sbrk(0);
    unsigned long f0 = free_frames();
    char *p = sbrk(10 * 4096);
    CHECK(p == start, "sbrk returned %p, break was %p", p, start);
    CHECK(sbrk(0) == start + 10 * 4096, "break did not move");
    int zero = 1;
    for (int i = 0; i < 10 * 4096; i++)
        zero &= p[i] == 0;
    CHECK(zero, "new heap not zeroed");
    memset(p, 0x5a, 10 * 4096);
    CHECK(free_frames() <= f0 - 10, "growing took %lu frames", f0 - free_frames());

    /* unaligned growth and shrink */
    CHECK(sbrk(100) == start + 10 * 4096, "small sbrk");
    CHECK(sbrk(-100) == start + 10 * 4096 + 100, "small shrink");
    CHECK(sbrk(-(10 * 4096)) == start + 10 * 4096, "shrink");
    CHECK(sbrk(0) == start, "break not back");
    CHECK(free_frames() == f0, "shrink left %ld frames", (long)(f0 - free_frames()));

    /* memory given back and taken again comes back zeroed */
    p = sbrk(4096);
    CHECK(p[0] == 0 && p[4095] == 0, "reused heap page not zeroed");
    sbrk(-4096);

    /* impossible requests */
    /* Below the heap start (into the program) fails; past address 0
     * leaves the break where it is and returns it, as the classic sbrk
     * does (the 2025 usertests' lazy_copy). */
    CHECK(sbrk(-(int)(start - (char *)0x10000)) == (char *)-1, "shrinking below the heap start succeeded");
    CHECK(sbrk(-4096 * 1024) == start, "a shrink past address 0 did not return the break unchanged");
    if (lazy) {
        char *r = sbrk(0x7fffffff); /* a reservation: it may succeed */
        if (r != (char *)-1)
            CHECK(r == start && sbrk(-0x7fffffff) == start + 0x7fffffff, "2 GiB lazy sbrk and its shrink");
    } else {
        CHECK(sbrk(0x7fffffff) == (char *)-1, "2 GiB sbrk succeeded with 128 MiB of RAM");
    }
    CHECK(sbrk(0) == start, "failed sbrk moved the break");
    CHECK(free_frames() == f0, "failed sbrk leaked %ld frames", (long)(f0 - free_frames()));

    /* A request free memory could never hold is refused before anything
     * is mapped: it must not take (and then give back) every free frame,
     * which used to keep this hart busy for seconds with interrupts off
     * and starve everyone else of memory meanwhile. */
    struct memstat m0, m1;
    memstat(&m0);
    if (lazy) {
        /* 248 GiB of address space fit between the heap and the stack */
        if (sbrk_long(248L << 30) != -1)
            CHECK(sbrk_long(-(248L << 30)) == (long)start + (248L << 30), "giving back 248 GiB");
        CHECK(sbrk_long(260L << 30) == -1, "260 GiB sbrk (past the top of user space) succeeded");
    } else {
        CHECK(sbrk_long(248L << 30) == -1, "248 GiB sbrk succeeded");
    }
    if (lazy) {
        char *r = sbrk((long)(m0.frames_free + 16) * 4096);
        if (r != (char *)-1)
            sbrk(-(int)((m0.frames_free + 16) * 4096));
    } else {
        CHECK(sbrk((long)(m0.frames_free + 16) * 4096) == (char *)-1, "sbrk of more than free memory succeeded");
    }
    memstat(&m1);
    CHECK(m1.frames_allocated == m0.frames_allocated, "refused sbrk calls allocated %lu frames",
          m1.frames_allocated - m0.frames_allocated);
    CHECK(sbrk(0) == start && free_frames() == f0, "refused sbrk changed the break or free memory");
    /* running out in the middle gives back exactly what was mapped */
    for (int n = 0; n < 4; n++) {
        mmfail(n, 0);
        char *r = sbrk(8 * 4096);
        mmfail(-1, 0);
        if (lazy && r != (char *)-1) /* a reservation needs no frame */
            CHECK(r == start && sbrk(-8 * 4096) == start + 8 * 4096, "lazy sbrk with %d allocations allowed", n);
        else
            CHECK(r == (char *)-1, "sbrk with %d allocations allowed succeeded", n);
        CHECK(sbrk(0) == start && free_frames() == f0, "sbrk failing after %d allocations leaked %ld frames", n,
              (long)(f0 - free_frames()));
    }

    /* the heap may not reach the stack: grow by ~2 GiB steps until refused */
    int refused = 0, steps = lazy ? 300 : 4; /* lazy: only the address space stops it (~252 GiB) */
    for (int i = 0; i < steps && !refused; i++)
        refused = sbrk(0x40000000) == (char *)-1;
    CHECK(refused, "heap grew by %d GiB", steps);
    CHECK(free_frames() <= f0, "free frames rose");
    while (sbrk(0) - start > 0x40000000)
        sbrk(-0x40000000);
    sbrk((int)(start - sbrk(0)));
    CHECK(sbrk(0) == start, "break not restored");

    /* malloc and free return memory when blocks merge */
    char *blocks[64];
    for (int i = 0; i < 64; i++) {
        blocks[i] = malloc(4000);
        CHECK(blocks[i] != 0, "malloc %d", i);
        memset(blocks[i], i, 4000);
    }
    for (int i = 0; i < 64; i++)
        for (int j = 0; j < 4000; j += 999)
            if (blocks[i][j] != (char)i) {
                CHECK(0, "block %d overwritten", i);
                i = 64;
                break;
            }
    for (int i = 0; i < 64; i += 2)
        free(blocks[i]);
    for (int i = 1; i < 64; i += 2)
        free(blocks[i]);
    CHECK(sbrk(0) == start, "malloc kept %ld bytes after everything was freed", (long)(sbrk(0) - start));
    CHECK(free_frames() == f0, "malloc/free leaked %ld frames", (long)(f0 - free_frames()));
    return test_end();
}
